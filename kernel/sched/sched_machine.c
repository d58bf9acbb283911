/*
 * sched_machine: invariants across the run queues, and the balancer's
 * decisions (see sched_machine.h).
 *
 * Walks are bounded: runq_check (run first on every queue) has proved
 * each band and blocked list ends within its counts, so the membership
 * walks below terminate.
 */
#include <sched_machine.h>

#include <stddef.h>

static bool in_bands(const struct run_queue *rq, const struct task *t)
{
	for (unsigned band = 0; band < SCHED_BANDS; band++) {
		for (const struct task *q = rq->head[band]; q; q = q->next) {
			if (q == t)
				return true;
		}
	}
	return false;
}

static bool in_blocked_list(const struct run_queue *rq, const struct task *t)
{
	for (const struct task *q = rq->wait_head; q; q = q->wait_next) {
		if (q == t)
			return true;
	}
	return false;
}

/* The CPU whose queue (bands, or blocked list when `blocked`) holds t,
 * or m->cpus when none does. */
static unsigned queue_of(const struct sched_machine *m, const struct task *t, bool blocked)
{
	for (unsigned c = 0; c < m->cpus; c++) {
		if (blocked ? in_blocked_list(m->rq[c], t) : in_bands(m->rq[c], t))
			return c;
	}
	return m->cpus;
}

/* The CPU whose idle task t is, or m->cpus. */
static unsigned idle_of(const struct sched_machine *m, const struct task *t)
{
	for (unsigned c = 0; c < m->cpus; c++) {
		if (m->rq[c]->idle == t)
			return c;
	}
	return m->cpus;
}

static const char *check_counts(const struct sched_machine *m)
{
	unsigned queued = 0;

	if (m->cpus == 0 || m->cpus > SCHED_MAX_CPUS || m->tasks > m->max_tasks + m->cpus)
		return "counts within limits";
	for (unsigned c = 0; c < m->cpus; c++) {
		if (!m->rq[c] || m->rq[c]->ready > m->max_tasks || m->rq[c]->blocked > m->max_tasks)
			return "counts within limits";
		queued += m->rq[c]->ready + m->rq[c]->blocked;
	}
	return queued > m->tasks ? "counts within limits" : NULL;
}

static const char *check_running(const struct sched_machine *m)
{
	for (unsigned c = 0; c < m->cpus; c++) {
		unsigned running = 0;
		for (unsigned i = 0; i < m->tasks; i++) {
			if (m->task[i]->state != TASK_RUNNING || m->task_cpu[i] != c)
				continue;
			if (m->task[i] != m->rq[c]->current)
				return "one running task per CPU, its current";
			running++;
		}
		if (running != 1)
			return "one running task per CPU, its current";
	}
	return NULL;
}

/* An idle task stays on its CPU, never queued, running or ready; `cpu`
 * is where the map puts t. */
static const char *check_idle(const struct sched_machine *m, const struct task *t, unsigned cpu)
{
	unsigned idle = idle_of(m, t);

	if (idle == m->cpus)
		return NULL; /* not an idle task */
	if (idle != cpu || (t->state != TASK_RUNNING && t->state != TASK_READY) ||
	    queue_of(m, t, false) < m->cpus)
		return "the idle task is never blocked or migrated";
	return NULL;
}

/* A task against the queues; `cpu` is where the map puts it. */
static const char *check_task(const struct sched_machine *m, const struct task *t, unsigned cpu)
{
	unsigned queued_on = queue_of(m, t, false);

	if (t->ended && t->state != TASK_TERMINATED)
		return "nothing leaves terminated";
	if (idle_of(m, t) < m->cpus)
		return NULL; /* check_idle's */
	if ((t->state == TASK_READY) != (queued_on < m->cpus) || t->queued != (queued_on < m->cpus))
		return "a task is in a run queue if and only if it is ready";
	if (queued_on < m->cpus && queued_on != cpu)
		return "the task-to-CPU map agrees with the queues";
	if (t->state == TASK_BLOCKED) {
		unsigned waits_on = queue_of(m, t, true);
		if (t->reason == BLOCK_NONE || waits_on == m->cpus)
			return "a blocked task has a reason and is in no run queue";
		if (waits_on != cpu)
			return "the task-to-CPU map agrees with the queues";
	}
	return NULL;
}

/* Every queued or waiting task is one of the live tasks. */
static const char *check_nothing_unknown(const struct sched_machine *m)
{
	unsigned listed = 0;

	for (unsigned c = 0; c < m->cpus; c++)
		listed += m->rq[c]->ready + m->rq[c]->blocked;
	unsigned known = 0;
	for (unsigned i = 0; i < m->tasks; i++)
		known += m->task[i]->queued || m->task[i]->state == TASK_BLOCKED;
	return listed == known ? NULL : "the task-to-CPU map agrees with the queues";
}

const char *sched_check_machine(const struct sched_machine *m)
{
	const char *broken = check_counts(m);

	for (unsigned c = 0; !broken && c < m->cpus; c++)
		broken = runq_check(m->rq[c]);
	for (unsigned i = 0; !broken && i < m->tasks; i++) {
		if (m->task_cpu[i] >= m->cpus)
			broken = "the task-to-CPU map agrees with the queues";
	}
	for (unsigned i = 0; !broken && i < m->tasks; i++)
		broken = check_idle(m, m->task[i], m->task_cpu[i]);
	if (!broken)
		broken = check_running(m);
	for (unsigned i = 0; !broken && i < m->tasks; i++)
		broken = check_task(m, m->task[i], m->task_cpu[i]);
	return broken ? broken : check_nothing_unknown(m);
}

unsigned sched_runnable(const struct run_queue *rq)
{
	return rq->ready + (rq->current && !rq->current->is_idle);
}

bool sched_balance_pick(const unsigned *runnable, unsigned cpus, unsigned *from, unsigned *to)
{
	unsigned most = 0, fewest = 0;

	if (cpus < 2)
		return false;
	for (unsigned c = 1; c < cpus; c++) {
		if (runnable[c] > runnable[most])
			most = c;
		if (runnable[c] < runnable[fewest])
			fewest = c;
	}
	if (runnable[most] - runnable[fewest] < SCHED_IMBALANCE)
		return false;
	*from = most;
	*to = fewest;
	return true;
}

struct task *sched_balance_candidate(const struct run_queue *rq, const struct task *leaving)
{
	for (unsigned band = 0; band < SCHED_BANDS; band++) {
		struct task *last = NULL;
		for (struct task *t = rq->head[band]; t; t = t->next) {
			if (!t->pinned && t != leaving)
				last = t;
		}
		if (last)
			return last;
	}
	return NULL;
}
