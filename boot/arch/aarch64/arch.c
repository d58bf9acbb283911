/*
 * arch: AArch64 facts and the hand-off to the kernel.
 *
 * The kernel is entered as Limine enters it (protocol, base revision 2):
 * EL1t (SP_EL0 holds the stack), DAIF masked, MMU on with TTBR1 = the
 * kernel's tables and TTBR0 = an empty table, MAIR attr0 = normal
 * write-back memory, 4 KiB granule and 48-bit VAs in both halves, all
 * general-purpose registers zero. enter.S performs the switch; this file
 * computes the register values.
 */
#include "../../arch.h"

#include "../../loader.h"
#include "cpu.h"

#define PL011_DR 0x09000000ULL
#define PL011_FR 0x09000018ULL
#define FR_TXFF (1u << 5)

/* TCR: T0SZ = T1SZ = 16 (48-bit), 4 KiB granules, inner-shareable
 * write-back walks, IPS from the CPU's physical address range. */
#define TCR_T0SZ(n) ((uint64_t)(n) << 0)
#define TCR_IRGN0_WB (1ULL << 8)
#define TCR_ORGN0_WB (1ULL << 10)
#define TCR_SH0_INNER (3ULL << 12)
#define TCR_TG0_4K (0ULL << 14)
#define TCR_T1SZ(n) ((uint64_t)(n) << 16)
#define TCR_IRGN1_WB (1ULL << 24)
#define TCR_ORGN1_WB (1ULL << 26)
#define TCR_SH1_INNER (3ULL << 28)
#define TCR_TG1_4K (2ULL << 30)
#define TCR_IPS(n) ((uint64_t)(n) << 32)

const char arch_conf_name[] = "aarch64";
const uint16_t arch_elf_machine = ELF_MACHINE_AARCH64;
const uint64_t arch_hhdm_base = 0xffff000000000000ULL;
const bool arch_identity_in_separate_root = true;

/* Layout shared with enter.S: keep the offsets in step. */
struct a64_handoff {
	uint64_t ttbr1;         /* 0x00 */
	uint64_t ttbr0_switch;  /* 0x08: identity map used during the switch */
	uint64_t ttbr0_final;   /* 0x10: empty table */
	uint64_t entry;         /* 0x18 */
	uint64_t stack_top;     /* 0x20 */
	uint64_t hhdm;          /* 0x28 */
	uint64_t mair;          /* 0x30 */
	uint64_t tcr;           /* 0x38 */
	uint64_t sctlr;         /* 0x40 */
};
_Static_assert(__builtin_offsetof(struct a64_handoff, sctlr) == 0x40, "enter.S offsets");

void enter_kernel_a64(struct a64_handoff *h);

void arch_uart_putc(char c)
{
	const volatile uint32_t *fr = (const volatile uint32_t *)(uintptr_t)PL011_FR;

	for (int spins = 0; spins < 100000 && (*fr & FR_TXFF); spins++)
		;
	*(volatile uint32_t *)(uintptr_t)PL011_DR = (uint8_t)c;
}

void arch_interrupts_off(void)
{
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
}

void arch_halt(void)
{
	for (;;)
		__asm__ volatile("msr daifset, #0xf; wfi");
}

void arch_paging_describe(struct pagetable *pt, uint64_t *hhdm_largest_page)
{
	pt->arch = PT_ARCH_AARCH64;
	pt->nx = true;
	*hhdm_largest_page = PT_PAGE_1G;
}

void arch_sync_code(uint64_t phys, uint64_t size)
{
	dcache_clean_range(phys, size);
	icache_invalidate_all();
}

/* Shared with the AP start-up code (smp.c): the same translation regime. */
uint64_t a64_tcr_value(void)
{
	uint64_t parange = READ_SYSREG(id_aa64mmfr0_el1) & 0xf;

	if (parange > 5)
		parange = 5; /* 48 bits: what 4-level tables can address */
	return TCR_T0SZ(16) | TCR_IRGN0_WB | TCR_ORGN0_WB | TCR_SH0_INNER | TCR_TG0_4K |
	       TCR_T1SZ(16) | TCR_IRGN1_WB | TCR_ORGN1_WB | TCR_SH1_INNER | TCR_TG1_4K |
	       TCR_IPS(parange);
}

void arch_enter_kernel(struct loader *l)
{
	static struct a64_handoff handoff;
	struct a64_handoff *h = &handoff;

	h->ttbr1 = l->pt.root;
	h->ttbr0_switch = l->pt_identity.root;
	h->ttbr0_final = l->empty_table;
	h->entry = l->entry;
	h->stack_top = l->stack_top;
	h->hhdm = l->hhdm;
	h->mair = MAIR_VALUE;
	h->tcr = a64_tcr_value();
	h->sctlr = SCTLR_VALUE;
	enter_kernel_a64(h);
	arch_halt();
}
