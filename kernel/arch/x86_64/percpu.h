/*
 * percpu: the x86_64 side of struct cpu (cpu.h), reached through the GS
 * base.
 *
 * While a CPU runs kernel code, GS.base points to its struct cpu; while it runs
 * user code, the pointer waits in IA32_KERNEL_GS_BASE and `swapgs` on every
 * kernel entry from user mode brings it back. (User code can change its own
 * GS base by loading a selector, so the kernel never trusts GS.base without
 * the swap.) The SYSCALL entry uses the CPU_* offsets of cpu.h.
 */
#ifndef CAMBIOS_X86_PERCPU_H
#define CAMBIOS_X86_PERCPU_H

#include <cpu.h>

#ifndef __ASSEMBLER__
/* An AP's tables: allocated by the BSP (NULL when the heap is out), then
 * installed by the AP itself, first thing, as CPU `cpu_id` (gdt.c). */
void *cpu_tables_create(void);
void cpu_tables_install_ap(void *tables, unsigned cpu_id);

/* Sets the kernel stack used by SYSCALL and by interrupts from user mode
 * (TSS.RSP0) on this CPU. */
void percpu_set_kernel_stack(uint64_t top);
/* The top of this CPU's own stack for entries from user mode. */
uint64_t percpu_entry_stack_top(void);
#endif

#endif
