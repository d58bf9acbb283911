/*
 * sched: tasks and the per-CPU run queues -- the scheduler's decisions,
 * apart from the switching itself (which is the arch's).
 *
 * A task is a thread of execution with a kernel stack of its own (a user
 * process's thread, or a kernel task). Its state is one of
 *     ready -> running -> ready | blocked | terminated
 *     blocked -> ready | terminated,   ready -> terminated
 * and nothing leaves terminated; task_set_state() refuses every other
 * transition, and a blocked task always has a reason (a message on an
 * endpoint, a tick to sleep until, an interrupt, a child's exit) while no
 * other state has one.
 *
 * Priorities are the original's: IDLE 0, LOW 64, NORMAL 128, HIGH 192,
 * CRITICAL 255, in four bands of 64. The next task is the head of the
 * highest non-empty band; a task that stops running goes to the tail of
 * its band, so tasks of one band take turns (round-robin), and a band
 * runs only when every higher one is empty. The idle task runs when all
 * are, and is never queued, blocked or terminated.
 *
 * The quantum is SCHED_QUANTUM_TICKS timer ticks: 10 ticks, 100 ms at the
 * kernel's 100 Hz. A task gets a full quantum whenever it is switched to;
 * when it runs out and a task of the same or a higher band is ready, the
 * running task is preempted (to the tail of its band). A CPU-bound task
 * therefore cannot keep others of its band waiting more than a quantum.
 *
 * Every CPU has its own run queue (struct run_queue); these functions keep
 * no lock: the caller holds that CPU's scheduler lock (LOCK_SCHEDULER) or,
 * in host tests, is alone.
 */
#ifndef CAMBIOS_SCHED_H
#define CAMBIOS_SCHED_H

#include <kerr.h>
#include <stdbool.h>
#include <stdint.h>

#define SCHED_QUANTUM_TICKS 10
#define SCHED_BANDS 4
#define SCHED_BAND_WIDTH 64

enum task_priority {
	PRIORITY_IDLE = 0,
	PRIORITY_LOW = 64,
	PRIORITY_NORMAL = 128,
	PRIORITY_HIGH = 192,
	PRIORITY_CRITICAL = 255,
};

enum task_state {
	TASK_READY,
	TASK_RUNNING,
	TASK_BLOCKED,
	TASK_TERMINATED,
};

enum block_reason {
	BLOCK_NONE = 0,
	BLOCK_MESSAGE, /* a message on endpoint `reason_arg` */
	BLOCK_SLEEP,   /* until tick `reason_arg` */
	BLOCK_IRQ,     /* interrupt `reason_arg` */
	BLOCK_CHILD,   /* the exit of process `reason_arg` */
};

struct task {
	uint32_t id;
	enum task_state state;
	enum block_reason reason;
	uint64_t reason_arg;
	uint8_t priority;
	bool is_idle;
	bool pinned;            /* stays on its CPU: the balancer never moves it */
	bool ended;             /* it reached terminated once (sched_check_machine) */
	bool queued;            /* in its CPU's run queue */
	unsigned quantum_left;  /* ticks until it may be preempted */
	uint64_t ticks_run;     /* ticks during which it was running */
	uint64_t switches_in;   /* times it was switched to */
	struct task *next;      /* the next task in its band */
	bool waiting;           /* on its CPU's list of blocked tasks */
	struct task *wait_next; /* the next blocked task on that list */
	struct task *wait_prev; /* ... and the one before: a wake-up unlinks in O(1) */
};

struct run_queue {
	struct task *head[SCHED_BANDS];
	struct task *tail[SCHED_BANDS];
	unsigned ready;         /* tasks queued */
	struct task *current;   /* the running task (the idle task when none) */
	struct task *idle;
	uint64_t switches;      /* times a different task was switched to */
	/* Every blocked task, oldest block first: a wake-up by reason walks
	 * these few instead of every thread slot. */
	struct task *wait_head, *wait_tail;
	unsigned blocked;       /* tasks on that list */
};

/* The band of a priority (0 = IDLE's, 3 = HIGH and CRITICAL). */
unsigned sched_band(uint8_t priority);

/* Whether a task may go from `from` to `to`. */
bool task_transition_legal(enum task_state from, enum task_state to);

/* Sets t's state, with the reason (BLOCK_NONE unless `to` is blocked).
 * K_EINVAL, and nothing changes, for an illegal transition, a blocked
 * state without a reason or another state with one, or any change to the
 * idle task other than between ready and running. */
__must_check kerr_t task_set_state(struct task *t, enum task_state to, enum block_reason why,
				   uint64_t arg);

/* A run queue whose idle task (running, never queued) is `idle`. */
void runq_init(struct run_queue *rq, struct task *idle);

/* Puts a ready task that is in no queue at the tail of its band.
 * K_EINVAL if it is not ready, already queued, or the idle task. */
__must_check kerr_t runq_enqueue(struct run_queue *rq, struct task *t);

/* Takes a task out of the list it is on here: a queued task out of its
 * band (it stays ready), a blocked one out of the blocked list (it stays
 * blocked, and no wake-up by reason finds it: for a task terminated from
 * outside). K_ENOENT if it is on neither here. */
__must_check kerr_t runq_remove(struct run_queue *rq, struct task *t);

/* The head of the highest non-empty band, or NULL; nothing changes. */
struct task *runq_peek(const struct run_queue *rq);

/* The switch decision: the current task, if still running, becomes ready
 * at the tail of its band (the idle task just stops); the head of the
 * highest band (or the idle task) becomes running with a full quantum and
 * is returned as rq->current. The caller then switches to it (arch). */
struct task *sched_pick_next(struct run_queue *rq);

/* One timer tick for the running task: it is charged the tick and its
 * quantum shrinks. Returns true when it should be preempted now: its
 * quantum is spent and a task of its band or a higher one is ready, or
 * the idle task runs while a task is ready. A spent quantum with nobody
 * to yield to starts afresh. */
bool sched_tick(struct run_queue *rq);

/* The running task blocks (`why` with `arg`) and joins the tail of the
 * blocked list; the caller then picks the next task and switches. */
__must_check kerr_t sched_block_current(struct run_queue *rq, enum block_reason why, uint64_t arg);

/* A blocked task leaves the blocked list, becomes ready and is queued. Returns true if it should
 * preempt the running task at once (a higher band than the current
 * task's). K_EINVAL in *err if it was not blocked. */
bool sched_wake(struct run_queue *rq, struct task *t, kerr_t *err);

/* Wakes, oldest block first, every blocked task whose reason is `why`
 * with an argument in [lo, hi] (sched_wake for each): one argument for a
 * message or a child, 0..now for sleepers. Returns true if one of them
 * should preempt the running task. */
bool sched_wake_blocked(struct run_queue *rq, enum block_reason why, uint64_t lo, uint64_t hi);

/* The current task ends: running -> terminated (its stack and process are
 * reclaimed by whoever reaps it). */
__must_check kerr_t sched_terminate_current(struct run_queue *rq);

/* Checks the run queue's invariants; returns NULL, or the name of the
 * first one that does not hold:
 *   "current is running", "idle is never queued",
 *   "queued tasks are ready", "bands hold their priorities",
 *   "ready count", "a reason only when blocked",
 *   "blocked list holds blocked tasks". */
const char *runq_check(const struct run_queue *rq);

#endif
