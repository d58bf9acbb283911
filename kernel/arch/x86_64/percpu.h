/*
 * percpu: the x86_64 per-CPU block, reached through the GS base.
 *
 * While a CPU runs kernel code, GS.base points to its block; while it runs
 * user code, the pointer waits in IA32_KERNEL_GS_BASE and `swapgs` on every
 * kernel entry from user mode brings it back. (User code can change its own
 * GS base by loading a selector, so the kernel never trusts GS.base without
 * the swap.) Offsets are used by assembly: keep PERCPU_* in step, checked
 * below.
 */
#ifndef CAMBIOS_X86_PERCPU_H
#define CAMBIOS_X86_PERCPU_H

#define PERCPU_SELF 0
#define PERCPU_KERNEL_RSP 8  /* stack for SYSCALL entries */
#define PERCPU_USER_RSP 16   /* user RSP saved by the SYSCALL entry */
#define PERCPU_CPU_ID 24

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct cpu_tables;

struct x86_percpu {
	struct x86_percpu *self;
	uint64_t kernel_rsp;
	uint64_t user_rsp;
	uint32_t cpu_id;
	struct cpu_tables *tables; /* its GDT, TSS and stacks (gdt.c) */
};

_Static_assert(offsetof(struct x86_percpu, self) == PERCPU_SELF, "percpu self");
_Static_assert(offsetof(struct x86_percpu, kernel_rsp) == PERCPU_KERNEL_RSP, "percpu kernel_rsp");
_Static_assert(offsetof(struct x86_percpu, user_rsp) == PERCPU_USER_RSP, "percpu user_rsp");
_Static_assert(offsetof(struct x86_percpu, cpu_id) == PERCPU_CPU_ID, "percpu cpu_id");

/* An AP's tables: allocated by the BSP (NULL when the heap is out), then
 * installed by the AP itself, first thing, as CPU `cpu_id` (gdt.c). */
void *cpu_tables_create(void);
void cpu_tables_install_ap(void *tables, unsigned cpu_id);

/* From now on arch_cpu_index() reads GS (cpu.c); until then it is 0. */
void percpu_mark_ready(void);

/* Sets the kernel stack used by SYSCALL and by interrupts from user mode
 * (TSS.RSP0) on this CPU. */
void percpu_set_kernel_stack(uint64_t top);
/* The top of this CPU's own stack for entries from user mode. */
uint64_t percpu_entry_stack_top(void);
#endif

#endif
