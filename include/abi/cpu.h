/*
 * abi/cpu: what CpuFeatures (system call 79) reports, one bit each.
 */
#ifndef CAMBIOS_ABI_CPU_H
#define CAMBIOS_ABI_CPU_H

/* The CPU's random-number instruction works in user mode: RDRAND on
 * x86_64, RNDR (FEAT_RNG) on AArch64. */
#define CPU_FEATURE_RANDOM (1u << 0)

#endif
