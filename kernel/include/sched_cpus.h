/*
 * sched_cpus: the scheduler across CPUs, in the kernel -- moving a task
 * from one CPU to another, handing the boot's tasks to the APs, the
 * balancer's pass, and the machine-wide invariant check.
 *
 * The decisions are sched_machine's (portable, host-tested); this file
 * takes the locks and acts. A task moves only while it is ready and in
 * its CPU's run queue, never pinned, never an idle task, and never while
 * it is the last thread its CPU switched away from (its registers may
 * not all be saved yet; they are once that CPU has switched again).
 * Moving holds the two CPUs' scheduler locks at once, taken in ascending
 * CPU order (spin_lock_next), so the task is in exactly one queue
 * whenever anyone looks and two moves cannot deadlock; the machine-wide
 * check holds every CPU's, the same way.
 *
 * The task-to-CPU map (the seed's TASK_CPU_MAP) is each thread's `cpu`
 * field: written only with both CPUs' locks held, read under the lock of
 * the CPU it names (thread.c, lock_cpu_of).
 */
#ifndef CAMBIOS_SCHED_CPUS_H
#define CAMBIOS_SCHED_CPUS_H

#include <kerr.h>
#include <stdbool.h>
#include <thread.h>

/* Moves ready thread t to CPU `to`'s run queue, and makes it run there at
 * once if it outranks what runs (reschedule IPI). K_OK (also when it is
 * there already); K_EINVAL if `to` does not schedule; K_EPERM for a
 * pinned or idle thread; K_EAGAIN if it is not ready and queued now, or
 * its switch away is unfinished (try later). */
__must_check kerr_t sched_migrate(struct thread *t, unsigned to);

/* After the boot's tasks are made (all on the BSP): half of the BSP's
 * ready, unpinned tasks -- every second in the order they would run --
 * go to the APs, round-robin. Returns how many. */
unsigned sched_distribute(void);

/* A new thread that has not run yet goes to the CPU with the fewest
 * runnable tasks (ties taken in turn, so that every CPU gets its share). */
void sched_place(struct thread *t);

/* One balancing pass: when one CPU has SCHED_IMBALANCE more runnable
 * tasks than another, one unpinned ready task moves from the busiest to
 * the idlest. Returns whether one moved. */
bool sched_balance_step(void);

/* CPU c's runnable tasks (sched_runnable, under its lock), the caller
 * not counted: the watcher samples without weighing itself. */
unsigned sched_runnable_besides_me(struct cpu *c);

/* Checks every invariant of every CPU's queue and every task at once,
 * every scheduler lock held: NULL, or the first broken invariant's name
 * (sched_machine.h). *cpus and *tasks (may be NULL) say how many were
 * checked. */
const char *sched_check_all(unsigned *cpus, unsigned *tasks);

#endif
