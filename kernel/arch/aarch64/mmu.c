/*
 * mmu: AArch64 page-table hooks for vm.c.
 *
 * The kernel lives in TTBR1, so a user address space is only a TTBR0
 * table: nothing of the kernel needs sharing. TLB invalidation uses the
 * inner-shareable broadcast form, which reaches every CPU without IPIs.
 *
 * ASIDs: each user address space has an 8-bit ASID of its own (1-255; 0
 * is the kernel's TTBR0, which maps no user memory), loaded with its root
 * in TTBR0_EL1. User pages are not global (nG), so their TLB entries carry
 * the ASID and a switch between spaces flushes nothing. A space's entries
 * are dropped on every CPU (TLBI ASIDE1IS) when it is destroyed, before
 * its ASID can be given to another. 255 spaces at once is far above the
 * process table's PROCESS_MAX; beyond it vm_space_create says K_EFULL.
 * 8 bits is what every ARMv8 CPU has (16 is optional); a64_asid_cpu_init
 * sets TCR_EL1 for them on each CPU, whoever the loader was.
 */
#include <vm.h>

#include <stdatomic.h>
#include <tlb.h>

#include "mmu.h"
#include "sysreg.h"

#define TTBR_ADDRESS_MASK 0x0000fffffffffffeULL
#define TTBR_ASID_SHIFT 48
#define PAGE_SHIFT 12
#define TCR_A1 (1ULL << 22)  /* 0: the ASID comes from TTBR0 */
#define TCR_AS (1ULL << 36)  /* 0: 8-bit ASIDs */
#define ASID_COUNT 256
#define ASID_WORDS (ASID_COUNT / 64)

/* Bit n: ASID n is taken. ASID 0 is the kernel's, taken from the start. */
static _Atomic uint64_t asids_taken[ASID_WORDS] = { 1 };

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

/* The broadcast form reaches every CPU, and the DSB waits until all have
 * done it: no shootdown needed (tlb.h). */
void arch_tlb_flush_range(const struct address_space *as, uint64_t va, uint64_t size)
{
	(void)as;
	dsb_ishst(); /* the table stores first */
	for (uint64_t off = 0; off < size; off += VM_PAGE_SIZE)
		__asm__ volatile("tlbi vaae1is, %0" : : "r"((va + off) >> PAGE_SHIFT) : "memory");
	dsb_ish();
	isb();
}

/* This CPU only (tlb.h); nothing calls it here, since the flushes above
 * are broadcast, but the shootdown code is portable. */
void arch_tlb_flush_local(uint64_t va, uint64_t pages)
{
	if (pages > TLB_FLUSH_PAGES_MAX) {
		tlb_flush_all_local();
		return;
	}
	__asm__ volatile("dsb nshst" ::: "memory");
	for (uint64_t i = 0; i < pages; i++)
		__asm__ volatile("tlbi vaae1, %0"
				 : : "r"((va + i * VM_PAGE_SIZE) >> PAGE_SHIFT) : "memory");
	__asm__ volatile("dsb nsh\n\tisb" ::: "memory");
}

kerr_t arch_space_tag(struct address_space *as)
{
	for (unsigned word = 0; word < ASID_WORDS; word++) {
		uint64_t taken = atomic_load(&asids_taken[word]);
		while (taken != UINT64_MAX) {
			uint64_t bit = 1ULL << __builtin_ctzll(~taken);
			if (atomic_compare_exchange_weak(&asids_taken[word], &taken, taken | bit)) {
				as->asid = (uint16_t)(word * 64 + (unsigned)__builtin_ctzll(bit));
				return K_OK;
			}
		}
	}
	return K_EFULL;
}

void arch_space_untag(struct address_space *as)
{
	if (as->asid == 0)
		return;
	__asm__ volatile("dsb ishst\n\t"
			 "tlbi aside1is, %0\n\t"
			 "dsb ish\n\t"
			 "isb"
			 : : "r"((uint64_t)as->asid << TTBR_ASID_SHIFT) : "memory");
	atomic_fetch_and(&asids_taken[as->asid / 64], ~(1ULL << (as->asid % 64)));
	as->asid = 0;
}

uint64_t arch_space_context(const struct address_space *as)
{
	return as->pt.root | (uint64_t)as->asid << TTBR_ASID_SHIFT;
}

uint64_t a64_asid_cpu_init(void)
{
	uint64_t tcr = read_tcr_el1();
	uint64_t kernel_ttbr0 = read_ttbr0_el1() & TTBR_ADDRESS_MASK; /* ASID 0 */

	write_tcr_el1(tcr & ~(TCR_A1 | TCR_AS));
	write_ttbr0_el1(kernel_ttbr0);
	isb();
	tlb_flush_all_local(); /* nothing cached under the old settings survives */
	return kernel_ttbr0;
}
