/*
 * percpu: the AArch64 per-CPU block, reached through TPIDR_EL1 (which EL0
 * can neither read nor write).
 */
#ifndef CAMBIOS_AARCH64_PERCPU_H
#define CAMBIOS_AARCH64_PERCPU_H

#include <stdint.h>

struct a64_percpu {
	uint32_t cpu_id;
};

/* Points this CPU's TPIDR_EL1 at `block`, numbered `cpu_id` (cpu.c). */
void a64_percpu_install(struct a64_percpu *block, unsigned cpu_id);

/* The boot CPU's block; from then on arch_cpu_index() reads TPIDR_EL1. */
void a64_percpu_install_bsp(void);

#endif
