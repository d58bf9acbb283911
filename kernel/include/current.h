/*
 * current: what this CPU is running -- its thread, and that thread's
 * process and address space.
 *
 * Inline in the kernel: every system call asks several times, and each
 * answer is a load or two through the per-CPU register, less than an
 * out-of-line call costs. A thread that blocks may resume on another CPU
 * (once threads move), so an answer is good until the caller next blocks.
 * The host tests have no CPUs to ask and bring their own
 * (tests/support/syscall_world.c).
 */
#ifndef CAMBIOS_CURRENT_H
#define CAMBIOS_CURRENT_H

#include <process.h>
#include <vm.h>

struct thread;

#if __STDC_HOSTED__
/* The running thread of this CPU. */
struct thread *thread_current(void);

/* The user address space of the running thread (NULL for a kernel
 * thread): the one the user-copy routines check against. */
struct address_space *vm_current_space(void);

/* The process whose user code this CPU is running, or PID_NONE. */
kpid_t process_current(void);
#else
#include <cpu.h>

static inline struct thread *thread_current(void)
{
	return (struct thread *)cpu_this()->rq.current; /* the task is a thread's first member */
}

static inline struct address_space *vm_current_space(void)
{
	return cpu_this()->space;
}

static inline kpid_t process_current(void)
{
	const struct cpu *cs = cpu_this();

	return cs->sched_started ? ((const struct thread *)cs->rq.current)->pid : PID_NONE;
}
#endif

#endif
