/*
 * cpu: AArch64 system-register access, cache maintenance and the EL1
 * translation-regime values the loader gives every CPU it hands over.
 *
 * The BSP (enter.S via arch.c) and the APs (ap_entry.S via smp.c) must
 * wake up in the kernel with identical MAIR/TCR/SCTLR, so the values live
 * here, once.
 */
#ifndef CAMBIOS_BOOT_A64_CPU_H
#define CAMBIOS_BOOT_A64_CPU_H

#include <stdint.h>

/* MAIR: attr0 normal WB RW-allocate (every mapping we build); attr1 normal
 * non-cacheable, the framebuffer's type. */
#define MAIR_VALUE 0x44ffULL

/* SCTLR_EL1 as Limine sets it: M, C, SA, SA0, I and the RES1 bits. */
#define SCTLR_VALUE 0x30d0199dULL

/* TCR_EL1 for 48-bit VAs in both halves, 4 KiB granules, write-back walks,
 * IPS from the CPU's physical address range (arch.c). */
uint64_t a64_tcr_value(void);

#define READ_SYSREG(name)                                   \
	({                                                  \
		uint64_t v_;                                \
		__asm__ volatile("mrs %0, " #name : "=r"(v_)); \
		v_;                                         \
	})

static inline uint64_t current_el(void)
{
	return (READ_SYSREG(CurrentEL) >> 2) & 3;
}

/* Data cache line size in bytes (CTR_EL0.DminLine, log2 of words). */
static inline uint64_t dcache_line_size(void)
{
	return 4ULL << ((READ_SYSREG(ctr_el0) >> 16) & 0xf);
}

/* Cleans [addr, addr+size) to the point of coherency, so a CPU with its
 * MMU and caches off (an AP starting up) reads what we wrote. */
static inline void dcache_clean_range(uint64_t addr, uint64_t size)
{
	uint64_t line = dcache_line_size();

	for (uint64_t a = addr & ~(line - 1); a < addr + size; a += line)
		__asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
	__asm__ volatile("dsb sy" ::: "memory");
}

static inline void icache_invalidate_all(void)
{
	__asm__ volatile("dsb ish; ic iallu; dsb ish; isb" ::: "memory");
}

#endif
