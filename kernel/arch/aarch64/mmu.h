/*
 * mmu: what the rest of the AArch64 code needs of mmu.c.
 */
#ifndef CAMBIOS_AARCH64_MMU_H
#define CAMBIOS_AARCH64_MMU_H

#include <stdint.h>

/* Sets this CPU up for ASIDs (TCR_EL1: 8-bit, taken from TTBR0) with the
 * kernel's TTBR0 under ASID 0, and returns that TTBR0 value. Each CPU,
 * before it runs user code. */
uint64_t a64_asid_cpu_init(void);

#endif
