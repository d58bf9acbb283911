/*
 * percpu: pointing TPIDR_EL1 at this CPU's struct cpu (cpu.h). EL0 can
 * neither read nor write TPIDR_EL1, so the kernel trusts it.
 */
#ifndef CAMBIOS_AARCH64_PERCPU_H
#define CAMBIOS_AARCH64_PERCPU_H

#include <cpu.h>

/* Claims CPU `index`'s struct and points this CPU's TPIDR_EL1 at it. */
void a64_percpu_install(unsigned index);

#endif
