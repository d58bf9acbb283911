/*
 * mmu (host): the vm.c hooks for host unit tests.
 *
 * Page tables are built in a test arena reached through a fake HHDM; there
 * is no real kernel half to share and no TLB to flush.
 */
#include <vm.h>


uint64_t arch_kernel_root(void)
{
	return 0;
}

void arch_pagetable_describe(struct pagetable *pt)
{
	pt->arch = PT_ARCH_X86_64;
	pt->nx = true;
}

void arch_space_share_kernel_half(uint64_t *root_table, const uint64_t *kernel_root_table)
{
	(void)root_table;
	(void)kernel_root_table;
}

void arch_tlb_flush_range(const struct address_space *as, uint64_t va, uint64_t size)
{
	(void)as;
	(void)va;
	(void)size;
}

/* No TLB on the host: a space needs no tag. */
kerr_t arch_space_tag(struct address_space *as)
{
	as->asid = 0;
	return K_OK;
}

void arch_space_untag(struct address_space *as)
{
	(void)as;
}

uint64_t arch_space_context(const struct address_space *as)
{
	return as->pt.root;
}
