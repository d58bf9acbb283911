/*
 * cpu: AArch64 system-register access and cache maintenance for the loader.
 */
#ifndef CAMBIOS_BOOT_A64_CPU_H
#define CAMBIOS_BOOT_A64_CPU_H

#include <stdint.h>

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
