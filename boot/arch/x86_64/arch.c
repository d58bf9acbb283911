/*
 * arch: x86_64 facts and the hand-off to the kernel.
 *
 * The kernel is entered as Limine enters it (protocol, base revision 2):
 * long mode on the new page tables, CS 0x28 / data 0x30 from a GDT with
 * Limine's seven descriptors (in reclaimable memory, by HHDM address),
 * interrupts off, IA32_PAT = Limine's value, NXE and WP set, RSP at the
 * top of the stack with a zero return address pushed, other GPRs zero,
 * and an empty lower half.
 */
#include "../../arch.h"

#include <kstring.h>

#include "../../loader.h"
#include "cpu.h"

#define COM1 0x3f8
#define COM1_LSR (COM1 + 5)
#define LSR_THR_EMPTY 0x20
#define CR0_WP (1ULL << 16)
#define LIMINE_PAT 0x0000010500070406ULL

const char arch_conf_name[] = "x86-64";
const uint16_t arch_elf_machine = ELF_MACHINE_X86_64;
const uint64_t arch_hhdm_base = 0xffff800000000000ULL;
const bool arch_identity_in_separate_root = false;

/* Limine's GDT: null, 16-bit code/data, 32-bit code/data, 64-bit code/data. */
static const uint64_t limine_gdt[7] = {
	0,
	0x00009b000000ffffULL, 0x000093000000ffffULL,
	0x00cf9b000000ffffULL, 0x00cf93000000ffffULL,
	0x00209b0000000000ULL, 0x0000930000000000ULL,
};

/* Layout shared with enter.S: keep the offsets in step. */
struct x86_handoff {
	uint64_t pml4;        /* 0x00 */
	uint64_t entry;       /* 0x08 */
	uint64_t stack_top;   /* 0x10 */
	uint64_t hhdm;        /* 0x18 */
	/* cppcheck-suppress unusedStructMember ; padding that enter.S relies on */
	uint16_t gdt_pad[3];  /* 0x20: aligns the GDTR base */
	uint16_t gdt_limit;   /* 0x26 */
	uint64_t gdt_base;    /* 0x28 */
};
_Static_assert(__builtin_offsetof(struct x86_handoff, gdt_limit) == 0x26, "enter.S GDTR");

void enter_kernel_x86(struct x86_handoff *h);

void arch_uart_putc(char c)
{
	for (int spins = 0; spins < 100000 && !(inb(COM1_LSR) & LSR_THR_EMPTY); spins++)
		cpu_pause();
	outb(COM1, (uint8_t)c);
}

void arch_interrupts_off(void)
{
	__asm__ volatile("cli" ::: "memory");
}

void arch_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

void arch_paging_describe(struct pagetable *pt, uint64_t *hhdm_largest_page)
{
	uint32_t r[4];

	cpuid(0x80000000u, 0, r);
	uint32_t max_ext = r[0];
	uint32_t edx = 0;
	if (max_ext >= 0x80000001u) {
		cpuid(0x80000001u, 0, r);
		edx = r[3];
	}
	pt->arch = PT_ARCH_X86_64;
	pt->nx = (edx >> 20) & 1;
	*hhdm_largest_page = ((edx >> 26) & 1) ? PT_PAGE_1G : PT_PAGE_2M;
}

void arch_sync_code(uint64_t phys, uint64_t size)
{
	/* x86 keeps instruction fetch coherent with stores. */
	(void)phys;
	(void)size;
}

void arch_enter_kernel(struct loader *l)
{
	/* Static: boot services are gone, and the loader image is
	 * bootloader-reclaimable memory the HHDM maps, as Limine's GDT is. */
	static struct x86_handoff handoff;
	struct x86_handoff *h = &handoff;
	static uint64_t gdt[7];

	memcpy(gdt, limine_gdt, sizeof(limine_gdt));
	h->pml4 = l->pt.root;
	h->entry = l->entry;
	h->stack_top = l->stack_top;
	h->hhdm = l->hhdm;
	h->gdt_limit = sizeof(limine_gdt) - 1;
	h->gdt_base = loader_hhdm(l, (uint64_t)(uintptr_t)gdt);

	wrmsr(MSR_PAT, LIMINE_PAT);
	if (l->pt.nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	write_cr0(read_cr0() | CR0_WP);
	enter_kernel_x86(h);
	arch_halt();
}
