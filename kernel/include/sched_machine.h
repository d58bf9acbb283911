/*
 * sched_machine: the scheduler across every CPU -- the invariants that
 * tie the run queues together, and the balancer's decisions.
 *
 * Each CPU schedules its own run queue (sched.h); a task belongs to one
 * CPU at a time, recorded in the task-to-CPU map (the seed's
 * TASK_CPU_MAP), which wake-ups use to find the queue a task is on. The
 * functions here are pure: they read a snapshot the caller took with
 * every scheduler lock it needs held (or, in host tests, built by hand),
 * so they are portable and host-tested, and the kernel's periodic check
 * and balancing pass (the BSP's loop) only gather and act.
 */
#ifndef CAMBIOS_SCHED_MACHINE_H
#define CAMBIOS_SCHED_MACHINE_H

#include <sched.h>

#define SCHED_MAX_CPUS 64 /* MP_MAX_CPUS */
/* The balancer moves a task when one CPU has this many more runnable
 * tasks than another. */
#define SCHED_IMBALANCE 2

/* Every CPU's run queue and every live task (idle tasks included), with
 * the CPU each task belongs to. */
struct sched_machine {
	unsigned cpus;
	const struct run_queue *rq[SCHED_MAX_CPUS];
	unsigned tasks;
	const struct task *const *task;
	const unsigned *task_cpu; /* the task-to-CPU map: task[i] is CPU task_cpu[i]'s */
	unsigned max_tasks;       /* how many tasks the kernel can have */
};

/*
 * NULL when every invariant holds, else the name of the first broken:
 *   each CPU's own (runq_check's names),
 *   "one running task per CPU, its current",
 *   "a task is in a run queue if and only if it is ready",
 *   "a blocked task has a reason and is in no run queue",
 *   "the idle task is never blocked or migrated",
 *   "nothing leaves terminated",
 *   "the task-to-CPU map agrees with the queues",
 *   "counts within limits".
 */
const char *sched_check_machine(const struct sched_machine *m);

/* Tasks ready or running on the queue, its idle task not counted. */
unsigned sched_runnable(const struct run_queue *rq);

/* The balancer's decision over `runnable[0..cpus-1]`: true, with *from
 * the CPU with the most runnable tasks and *to the one with the fewest
 * (the lowest index of each on ties), when they differ by
 * SCHED_IMBALANCE or more. */
bool sched_balance_pick(const unsigned *runnable, unsigned cpus, unsigned *from, unsigned *to);

/* The task the balancer moves off `rq`: a ready, unpinned task, the last
 * of the lowest band that has one (it would have waited longest to run
 * here), never `leaving` (the task its CPU last switched away from, whose
 * registers may not be saved yet; NULL for none); NULL if no ready task
 * qualifies. */
struct task *sched_balance_candidate(const struct run_queue *rq, const struct task *leaving);

#endif
