/*
 * gdt: each CPU's GDT, TSS and per-CPU block.
 *
 * Long mode ignores segment bases and limits, but it still needs code and
 * data descriptors for each privilege level (their layout is fixed by
 * SYSCALL/SYSRET, see segments.h) and a TSS, which supplies the stack the
 * CPU switches to on an interrupt from user mode (RSP0) and the interrupt
 * stack table: dedicated stacks for double fault, NMI and machine check,
 * which may strike when the current stack is unusable.
 */
#include <arch.h>
#include <heap.h>
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

/* What one CPU needs of its own besides struct cpu: descriptor tables,
 * the IST stacks and the stack for entries from user mode. The boot CPU's
 * are static; an AP's come from the heap (cpu_tables_create). struct cpu
 * points to them (arch). */
struct cpu_tables {
	uint64_t gdt[GDT_ENTRIES];
	struct tss tss;
	uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));
	uint8_t entry_stack[KERNEL_ENTRY_STACK_SIZE] __attribute__((aligned(16)));
};

static struct cpu_tables bsp_tables;

/* The running CPU's tables. */
static struct cpu_tables *this_cpu(void)
{
	return cpu_this()->arch;
}

uint64_t percpu_entry_stack_top(void)
{
	return (uint64_t)(uintptr_t)(this_cpu()->entry_stack + KERNEL_ENTRY_STACK_SIZE);
}

void percpu_set_kernel_stack(uint64_t top)
{
	struct cpu_tables *t = this_cpu();

	t->tss.rsp[0] = top;
	cpu_this()->kernel_stack = top;
}

static void gdt_set_tss(uint64_t *gdt, const struct tss *tss)
{
	uint64_t base = (uint64_t)(uintptr_t)tss;
	uint64_t limit = sizeof(*tss) - 1;

	gdt[GDT_TSS / 8] = (limit & 0xffff) | (base & 0xffffff) << 16 | DESC_TSS_AVAILABLE << 40 |
			   ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	gdt[GDT_TSS / 8 + 1] = base >> 32;
}

/* lgdt, then reload CS with a far return and the data segments; ltr. */
static void gdt_load(const uint64_t *gdt)
{
	struct gdt_pointer ptr = { GDT_ENTRIES * 8 - 1, (uint64_t)(uintptr_t)gdt };

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

/* Fills `t` for CPU `cpu_id`, loads its GDT and TSS and points GS at the
 * CPU's struct cpu. */
static void cpu_tables_install(struct cpu_tables *t, unsigned cpu_id)
{
	t->gdt[0] = 0;
	t->gdt[GDT_KERNEL_CODE / 8] = DESC_KERNEL_CODE;
	t->gdt[GDT_KERNEL_DATA / 8] = DESC_KERNEL_DATA;
	t->gdt[GDT_USER_DATA / 8] = DESC_USER_DATA;
	t->gdt[GDT_USER_CODE / 8] = DESC_USER_CODE;
	for (int i = 0; i < 3; i++)
		t->tss.ist[i] = (uint64_t)(uintptr_t)(t->ist_stacks[i] + IST_STACK_SIZE);
	t->tss.iomap_base = sizeof(t->tss); /* no I/O permission bitmap: ring 3 gets no ports */
	gdt_set_tss(t->gdt, &t->tss);
	gdt_load(t->gdt);

	struct cpu *c = cpu_at(cpu_id);
	cpu_claim(c, cpu_id);
	c->arch = t;
	/* Loading GS with 0 above cleared its base: set it after. */
	wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)c);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	percpu_set_kernel_stack((uint64_t)(uintptr_t)(t->entry_stack + KERNEL_ENTRY_STACK_SIZE));
}

void gdt_init(void)
{
	cpu_tables_install(&bsp_tables, 0);
}

void *cpu_tables_create(void)
{
	return kmalloc_aligned(sizeof(struct cpu_tables), 64);
}

void cpu_tables_install_ap(void *tables, unsigned cpu_id)
{
	memset(tables, 0, sizeof(struct cpu_tables));
	cpu_tables_install(tables, cpu_id);
}
