/*
 * mmu: x86_64 page-table hooks for vm.c.
 *
 * The kernel half is shared by copying the kernel's top-level entries
 * 256-511 into each new PML4. Those entries point to the same lower-level
 * tables, so kernel mappings added later below them appear everywhere;
 * a new top-level kernel entry would not (the loader creates all the ones
 * the kernel uses: kernel image and HHDM).
 */
#include <vm.h>

#include <tlb.h>
#include <x86_64/insn.h>

#define CR3_ADDRESS_MASK 0x000ffffffffff000ULL
#define EFER_NXE (1ULL << 11)

uint64_t arch_kernel_root(void)
{
	return read_cr3() & CR3_ADDRESS_MASK;
}

void arch_pagetable_describe(struct pagetable *pt)
{
	pt->arch = PT_ARCH_X86_64;
	pt->nx = (rdmsr(MSR_EFER) & EFER_NXE) != 0;
}

void arch_space_share_kernel_half(uint64_t *root_table, const uint64_t *kernel_root_table)
{
	for (unsigned i = PT_KERNEL_HALF_FIRST_ENTRY; i < PT_ENTRIES; i++)
		root_table[i] = kernel_root_table[i];
}

/* INVLPG only reaches this CPU: every other CPU that may cache the
 * space is asked to flush too, and answers, before this returns
 * (tlb.c). */
void arch_tlb_flush_range(const struct address_space *as, uint64_t va, uint64_t size)
{
	tlb_shootdown(as, va, size / VM_PAGE_SIZE);
}

/* User pages are never global, so a CR3 reload drops every one of them
 * (and keeps the kernel's global entries, if any). */
void arch_tlb_flush_local(uint64_t va, uint64_t pages)
{
	if (pages > TLB_FLUSH_PAGES_MAX) {
		write_cr3(read_cr3());
		return;
	}
	for (uint64_t i = 0; i < pages; i++)
		__asm__ volatile("invlpg (%0)" : : "r"(va + i * VM_PAGE_SIZE) : "memory");
}

/* No PCIDs: every CR3 write drops the non-global (user) entries, so a
 * space needs no tag and leaves nothing behind. */
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
