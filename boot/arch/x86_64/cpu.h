/*
 * cpu: the x86_64 instructions the loader needs (shared with the kernel in
 * include/x86_64/insn.h), plus its spin-wait hint.
 */
#ifndef CAMBIOS_BOOT_X86_CPU_H
#define CAMBIOS_BOOT_X86_CPU_H

#include <x86_64/insn.h>

static inline void cpu_pause(void)
{
	__asm__ volatile("pause" ::: "memory");
}

#endif
