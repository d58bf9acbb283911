/*
 * gdt: the boot CPU's GDT, TSS and per-CPU block.
 *
 * Long mode ignores segment bases and limits, but it still needs code and
 * data descriptors for each privilege level (their layout is fixed by
 * SYSCALL/SYSRET, see segments.h) and a TSS, which supplies the stack the
 * CPU switches to on an interrupt from user mode (RSP0) and the interrupt
 * stack table: dedicated stacks for double fault, NMI and machine check,
 * which may strike when the current stack is unusable.
 */
#include <arch.h>
#include <kstring.h>

#include <x86_64/insn.h>
#include "percpu.h"
#include "descriptors.h"
#include "segments.h"

#define IST_STACK_SIZE (16 * 1024)
#define KERNEL_ENTRY_STACK_SIZE (32 * 1024)

/* Descriptor bits: present, DPL, type (code: execute/read; data: read/write),
 * long mode (L) for code. */
#define DESC_KERNEL_CODE 0x00209a0000000000ULL
#define DESC_KERNEL_DATA 0x0000920000000000ULL
#define DESC_USER_CODE 0x0020fa0000000000ULL
#define DESC_USER_DATA 0x0000f20000000000ULL
#define DESC_TSS_AVAILABLE 0x89ULL

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "TSS size");

struct gdt_pointer {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static uint64_t gdt[GDT_ENTRIES];
static struct tss tss;
static struct x86_percpu bsp_block;

static uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));
static uint8_t entry_stack[KERNEL_ENTRY_STACK_SIZE] __attribute__((aligned(16)));

struct x86_percpu *percpu_bsp(void)
{
	return &bsp_block;
}

void percpu_set_kernel_stack(uint64_t top)
{
	tss.rsp[0] = top;
	bsp_block.kernel_rsp = top;
}

static void gdt_set_tss(void)
{
	uint64_t base = (uint64_t)(uintptr_t)&tss;
	uint64_t limit = sizeof(tss) - 1;

	gdt[GDT_TSS / 8] = (limit & 0xffff) | (base & 0xffffff) << 16 | DESC_TSS_AVAILABLE << 40 |
			   ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	gdt[GDT_TSS / 8 + 1] = base >> 32;
}

/* lgdt, then reload CS with a far return and the data segments; ltr. */
static void gdt_load(void)
{
	struct gdt_pointer ptr = { sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt };

	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movl %2, %%eax\n\t"
			 "movl %%eax, %%ds\n\t"
			 "movl %%eax, %%es\n\t"
			 "movl %%eax, %%ss\n\t"
			 "xorl %%eax, %%eax\n\t"
			 "movl %%eax, %%fs\n\t"
			 "movl %%eax, %%gs\n\t"
			 "ltr %w3"
			 :
			 : "m"(ptr), "i"(GDT_KERNEL_CODE), "i"(GDT_KERNEL_DATA), "r"(GDT_TSS)
			 : "rax", "memory");
}

void gdt_init(void)
{
	gdt[0] = 0;
	gdt[GDT_KERNEL_CODE / 8] = DESC_KERNEL_CODE;
	gdt[GDT_KERNEL_DATA / 8] = DESC_KERNEL_DATA;
	gdt[GDT_USER_DATA / 8] = DESC_USER_DATA;
	gdt[GDT_USER_CODE / 8] = DESC_USER_CODE;
	for (int i = 0; i < 3; i++)
		tss.ist[i] = (uint64_t)(uintptr_t)(ist_stacks[i] + IST_STACK_SIZE);
	tss.iomap_base = sizeof(tss); /* no I/O permission bitmap: ring 3 gets no ports */
	gdt_set_tss();
	gdt_load();

	bsp_block.self = &bsp_block;
	bsp_block.cpu_id = 0;
	percpu_set_kernel_stack((uint64_t)(uintptr_t)(entry_stack + KERNEL_ENTRY_STACK_SIZE));
	/* Loading GS with 0 above cleared its base: set it after. */
	wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)&bsp_block);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}
