/*
 * thread: the kernel's threads of execution, and switching between them.
 *
 * Every thread has a kernel stack of its own; a thread that is not running
 * keeps its SavedContext -- the callee-saved registers and the address to
 * resume at -- on that stack, and the thread remembers only its stack
 * pointer. Switching is arch_context_switch(): save the running thread's
 * context, load the next one's. Whatever else was live (an interrupt
 * frame, a system call's frame) is already on the thread's own stack, so
 * a thread preempted in an interrupt resumes there when it is switched
 * back to, and returns from the interrupt as if nothing had happened.
 * (The alternative, one kernel stack per CPU and a full register save at
 * every entry as seL4 does, makes blocking inside the kernel impossible;
 * this kernel blocks in system calls, so each thread keeps its stack.)
 *
 * Each CPU has an idle thread -- on the BSP the boot itself, kmain's
 * context on the boot stack; on an AP its start-up context -- and the
 * scheduler's run queue (sched.h) for that CPU. The BSP also runs two
 * kernel threads with real jobs:
 *   reaper   frees the stacks (and slots) of threads that have ended, on
 *            any CPU; it sleeps until one has. A thread cannot free the
 *            stack it is running on, so someone else must -- after the
 *            switch away from it is over (thread.c, finish_switch).
 *   watcher  the Loop (watcher.h): prints every CPU's statistics every
 *            10 s and checks every CPU's run-queue invariants every 60 s,
 *            panicking with the name of the first that fails.
 *
 * Preemption: every interrupt handler runs between irq_enter() and
 * irq_exit(); the timer's calls sched_on_tick() on every tick: sleepers
 * whose tick has come are woken, the running thread is charged the tick,
 * and when its quantum is spent with a peer ready (sched.h) the CPU is
 * marked to switch. irq_exit() of the outermost handler -- the handler's
 * work and the interrupt controller's EOI done, interrupts still off --
 * switches, so the preempted thread resumes later inside its interrupt
 * return, as if nothing had happened. Nothing may block or yield inside
 * a handler (checked).
 *
 * Locking: each CPU's run queue is guarded by its LOCK_SCHEDULER lock,
 * taken with interrupts off; the lock is released before the switch, and
 * interrupts stay off through it (the next thread restores its own state).
 * Another CPU takes a queue's lock to wake a thread blocked there
 * (sched_wake_thread, sched_wake_all), and then sends a reschedule IPI
 * (ipi.h) so the woken thread runs at once rather than at the next tick.
 */
#ifndef CAMBIOS_THREAD_H
#define CAMBIOS_THREAD_H

#include <kerr.h>
#include <process.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <user.h>

#define THREAD_MAX 64
#define THREAD_STACK_SIZE (16 * 1024)

/* A user thread's FP/SIMD registers and thread pointer, kept while another
 * thread runs (the kernel itself never uses them). */
struct arch_user_state {
#if defined(__x86_64__)
	uint8_t fxsave[512];            /* FXSAVE image: x87, MMX, SSE, MXCSR */
#elif defined(__aarch64__)
	uint64_t v[64];                 /* V0-V31 */
	uint64_t fpcr, fpsr, tpidr_el0, unused;
#else
	uint8_t none;                   /* host tests: no user mode */
#endif
} __attribute__((aligned(16)));

struct thread {
	struct task task;       /* the scheduler's view of it; first member */
	uint64_t saved_sp;      /* its SavedContext, while it is not running */
	uint8_t *stack;         /* its kernel stack (NULL: an idle thread's) */
	unsigned cpu;
	const char *name;
	void (*entry)(void *);
	void *arg;
	bool used;
	/* Ended and off its CPU for good: set by the thread that ran next,
	 * once the switch away from it was done (the reaper's signal). */
	atomic_bool gone;
	/* User mode. A kernel thread has no process and no user state. */
	kpid_t pid;             /* the process whose code it runs, or PID_NONE */
	struct address_space *space; /* that process's address space, or NULL */
	uint64_t root;          /* the page-table root it runs with */
	uint64_t entry_stack_top; /* where entries from user mode land (0: unchanged) */
	uint64_t user_entry, user_sp;
	bool reap_process;      /* when it ends, the reaper destroys its process */
	/* Kill: its pid when a Kill (sched_kill_process) has been asked for
	 * it, else PID_NONE. A pid rather than a flag, so that a kill that
	 * meets a slot just reused by another process's thread does nothing. */
	_Atomic kpid_t kill_pid;
	struct user_outcome outcome;
	struct arch_user_state user_state;
};

_Static_assert(offsetof(struct thread, task) == 0, "a thread's task is its first member");

/* Makes the calling context this CPU's idle thread and starts scheduling
 * on this CPU (ticks may preempt from now on). The BSP calls it in kmain,
 * each AP as it comes up. */
void sched_start_cpu(void);

/* The BSP's kernel threads (reaper, watcher). */
void sched_start_kernel_threads(void);

/* A kernel thread on this CPU's run queue, ready to run entry(arg) and
 * then end. K_EFULL when no thread slot is free, K_ENOMEM without a stack. */
__must_check kerr_t thread_create_kernel(const char *name, uint8_t priority,
					 void (*entry)(void *), void *arg, struct thread **out);

/* A thread that runs user code of process `pid` (its address space, from
 * entry with stack sp), ready on this CPU's run queue. When it exits or
 * faults, the reaper destroys the process with it if `reap_process`;
 * otherwise whoever made the process destroys it. */
__must_check kerr_t thread_create_user(kpid_t pid, uint64_t entry, uint64_t sp, uint8_t priority,
				       bool reap_process, struct thread **out);

/* The calling thread gives way to a ready thread of its band or above. */
void sched_yield(void);

/* One turn of an idle loop (interrupts off): runs whatever is ready now,
 * else waits for the next interrupt. Work made ready while the CPU was
 * idle -- programs spawned at boot, a thread woken by a message from
 * another context -- starts at once instead of at the next tick. */
void sched_idle_step(void);

/* The calling thread sleeps for at least `ticks` ticks of the kernel's
 * clock (the BSP's). Not for the idle thread. */
void sched_sleep(uint64_t ticks);

/* Blocks the calling thread (reason `why`, `arg`) until try_once(ctx)
 * succeeds, and returns true. try_once runs with this CPU's scheduler lock
 * held and interrupts off, and is tried again after every wake-up; a waker
 * that makes it succeed calls sched_wake_all(why, arg) after its change,
 * under the same lock, so no wake-up is lost between a failed try and the
 * block. A blocked thread costs no CPU time.
 * Returns false instead, without blocking, once the calling thread's
 * program has been killed (sched_kill_process): the caller undoes what it
 * registered for the wait and calls user_killed(). Only a user thread is
 * ever killed; a kernel thread's wait always returns true. */
__must_check bool sched_wait(enum block_reason why, uint64_t arg, bool (*try_once)(void *ctx),
			     void *ctx);

/* sched_wait() for a wait whose waker brings the result along: once
 * *given is set (with release, before the waker wakes the thread), the
 * wait ends as it wakes, without another try under the lock. IPC's
 * hand-off (ipc.h) ends a receive this way. */
__must_check bool sched_wait_given(enum block_reason why, uint64_t arg,
				   bool (*try_once)(void *ctx), void *ctx, const atomic_bool *given);

/* Kill: asks every thread of process `pid` to end its program. A blocked
 * one is woken (its wait returns false); a running one is interrupted (a
 * reschedule IPI) and ends on its way back to user mode (irq_exit); a
 * ready one ends when it next runs. K_ENOENT when the process has no
 * thread (yet, or any more). */
__must_check kerr_t sched_kill_process(kpid_t pid);

/* Whether `t`'s program has been killed. */
bool thread_killed(const struct thread *t);

/* What ProcessInfo reports of the thread of process `pid`, read under its
 * CPU's lock; false when the process has no thread. */
struct thread_view {
	enum task_state state;
	enum block_reason reason;
	unsigned cpu;
	bool killed;
	uint64_t ticks_run, switches_in;
};
bool thread_view_of(kpid_t pid, struct thread_view *out);

/* Wakes every thread blocked with reason `why` and argument `arg`. */
void sched_wake_all(enum block_reason why, uint64_t arg);

/* Wakes `t` if it is still blocked with reason `why` and argument `arg`
 * (the waker knows the one thread, as IPC's hand-off does): no search. */
void sched_wake_thread(struct thread *t, enum block_reason why, uint64_t arg);

/* The calling thread ends; the reaper frees its stack. */
__attribute__((noreturn)) void thread_exit(void);

/* Whether the thread in `slot` is still in use (running, ready, blocked,
 * or ended and not yet reaped), and how many are. */
unsigned thread_count(void);

/* The timer interrupt's part (on_timer_isr), on every CPU, every tick. */
void sched_on_tick(void);

/* Around every interrupt handler (arch): counts the nesting in struct cpu,
 * and on leaving the outermost switches if a tick asked for it. */
void irq_enter(void);
void irq_exit(void);



/* The thread in `slot` (0..THREAD_MAX-1) if the slot is in use, else
 * NULL. Its scheduling state is read under its CPU's lock. */
struct thread *thread_at(unsigned slot);

/* The calling thread stays on this CPU from now on: the balancer never
 * moves it (a driver waiting for an interrupt routed here). */
void sched_pin_current(void);

/* `t` stays on the CPU it is on now: the balancer never moves it. */
void sched_pin_thread(struct thread *t);

/* CPU `index`'s struct if it schedules (sched_start_cpu ran), else NULL. */
struct cpu *sched_cpu(unsigned index);

/* Checks CPU c's run queue now, under its lock; NULL or the broken
 * invariant's name. */
const char *sched_check_cpu(struct cpu *c);

/* Arch: the switch, and the stack a new thread starts on. */
void arch_context_switch(uint64_t *save_sp, uint64_t next_sp);
uint64_t arch_thread_initial_sp(uint64_t stack_top);
/* Before the switch: keep prev's user state, install next's (FP/SIMD,
 * thread pointer), its page-table root and its user-entry stack. */
void arch_thread_switch(struct thread *prev, struct thread *next);
/* The idle thread's root and user-entry stack: the CPU's as they are now. */
void arch_thread_idle_init(struct thread *idle);
/* A user state that leaks nothing: what a new program starts from. */
void arch_user_state_init(struct arch_user_state *s);
/* Drops to user mode at entry with stack sp, every readable register
 * clear, on the calling thread's stack; never returns. */
__attribute__((noreturn)) void arch_user_enter(uint64_t entry, uint64_t sp);
/* Where a new thread starts (arch trampoline) calls this, interrupts off. */
__attribute__((noreturn)) void thread_start(void);

#endif
