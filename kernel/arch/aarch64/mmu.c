/*
 * mmu: AArch64 page-table hooks for vm.c.
 *
 * The kernel lives in TTBR1, so a user address space is only a TTBR0
 * table: nothing of the kernel needs sharing. TLB invalidation uses the
 * inner-shareable broadcast form, which reaches every CPU without IPIs.
 */
#include <vm.h>

#include "sysreg.h"

#define TTBR_ADDRESS_MASK 0x0000fffffffffffeULL
#define PAGE_SHIFT 12

uint64_t arch_kernel_root(void)
{
	return read_ttbr1_el1() & TTBR_ADDRESS_MASK;
}

void arch_pagetable_describe(struct pagetable *pt)
{
	pt->arch = PT_ARCH_AARCH64;
	pt->nx = true;
}

void arch_space_share_kernel_half(uint64_t *root_table, const uint64_t *kernel_root_table)
{
	(void)root_table;
	(void)kernel_root_table;
}

void arch_tlb_flush_page(uint64_t va)
{
	__asm__ volatile("dsb ishst\n\t"
			 "tlbi vaae1is, %0\n\t"
			 "dsb ish\n\t"
			 "isb"
			 : : "r"(va >> PAGE_SHIFT) : "memory");
}
