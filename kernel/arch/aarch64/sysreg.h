/*
 * sysreg: one-line readers and writers for the AArch64 system registers the
 * kernel touches, plus the barriers that go with them.
 */
#ifndef CAMBIOS_AARCH64_SYSREG_H
#define CAMBIOS_AARCH64_SYSREG_H

#include <stdint.h>

/* MPIDR_EL1's affinity fields: Aff0-Aff2 in bits 23:0, Aff3 in 39:32. */
#define MPIDR_AFFINITY 0xff00ffffffULL

#define DEFINE_SYSREG_RW(name)                                          \
	static inline uint64_t read_##name(void)                          \
	{                                                                 \
		uint64_t v;                                               \
		__asm__ volatile("mrs %0, " #name : "=r"(v));             \
		return v;                                                 \
	}                                                                 \
	static inline void write_##name(uint64_t v)                       \
	{                                                                 \
		__asm__ volatile("msr " #name ", %0" : : "r"(v) : "memory"); \
	}

DEFINE_SYSREG_RW(ttbr1_el1)
DEFINE_SYSREG_RW(mair_el1)
DEFINE_SYSREG_RW(tcr_el1)
DEFINE_SYSREG_RW(ttbr0_el1)
DEFINE_SYSREG_RW(vbar_el1)
DEFINE_SYSREG_RW(cpacr_el1)
DEFINE_SYSREG_RW(mpidr_el1)
/* The GICv3 CPU interface and the generic timer (gic.c). */
DEFINE_SYSREG_RW(icc_sre_el1)
DEFINE_SYSREG_RW(icc_pmr_el1)
DEFINE_SYSREG_RW(icc_igrpen1_el1)
DEFINE_SYSREG_RW(icc_iar1_el1)
DEFINE_SYSREG_RW(icc_eoir1_el1)
DEFINE_SYSREG_RW(icc_sgi1r_el1)
DEFINE_SYSREG_RW(cntfrq_el0)
DEFINE_SYSREG_RW(cntv_ctl_el0)
DEFINE_SYSREG_RW(cntv_tval_el0)
DEFINE_SYSREG_RW(cntkctl_el1)
DEFINE_SYSREG_RW(sctlr_el1)

static inline void dsb_ishst(void)
{
	__asm__ volatile("dsb ishst" ::: "memory");
}

static inline void dsb_ish(void)
{
	__asm__ volatile("dsb ish" ::: "memory");
}

static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}

/* Invalidate all stage-1 EL1 TLB entries on every CPU in the inner
 * shareable domain (APs parked by the loader share these tables). */
static inline void tlb_flush_all_is(void)
{
	dsb_ishst();
	__asm__ volatile("tlbi vmalle1is" ::: "memory");
	dsb_ish();
	isb();
}

/* Invalidate all stage-1 EL1 TLB entries on this CPU only: after this
 * CPU's translation settings change (mmu.c). */
static inline void tlb_flush_all_local(void)
{
	__asm__ volatile("tlbi vmalle1" ::: "memory");
	__asm__ volatile("dsb nsh" ::: "memory");
	__asm__ volatile("isb" ::: "memory");
}

#define SCTLR_A (1ULL << 1) /* alignment fault checking */

/* Loads and stores to normal memory may be unaligned on this CPU from now
 * on (SCTLR_EL1.A = 0), as UEFI already requires of the firmware before
 * us: memcpy counts on it (lib/kstring.c). Said, not assumed -- entry.S
 * does the same for the boot CPU before any C runs. */
static inline void allow_unaligned_access(void)
{
	write_sctlr_el1(read_sctlr_el1() & ~SCTLR_A);
	isb();
}

#endif
