/*
 * sched: the scheduler's decisions over one CPU's run queue (see sched.h).
 *
 * Each band is a singly linked FIFO (head, tail); enqueue is O(1), the
 * pick scans at most SCHED_BANDS heads, and removal (rare: a task
 * terminated or moved while ready) walks its band.
 *
 * Blocked tasks are on one more singly linked FIFO, the blocked list, in
 * the order they blocked: a wake-up by reason (a message sent, a child
 * ended, a tick) walks only the tasks that are blocked -- a handful --
 * and wakes the matching ones in the order they began to wait.
 */
#include <sched.h>

#include <stddef.h>

unsigned sched_band(uint8_t priority)
{
	return priority / SCHED_BAND_WIDTH;
}

bool task_transition_legal(enum task_state from, enum task_state to)
{
	switch (from) {
	case TASK_READY: return to == TASK_RUNNING || to == TASK_TERMINATED;
	case TASK_RUNNING: return to == TASK_READY || to == TASK_BLOCKED || to == TASK_TERMINATED;
	case TASK_BLOCKED: return to == TASK_READY || to == TASK_TERMINATED;
	default: return false; /* nothing leaves terminated */
	}
}

kerr_t task_set_state(struct task *t, enum task_state to, enum block_reason why, uint64_t arg)
{
	if (!task_transition_legal(t->state, to))
		return K_EINVAL;
	if ((to == TASK_BLOCKED) != (why != BLOCK_NONE))
		return K_EINVAL;
	if (t->is_idle && to != TASK_READY && to != TASK_RUNNING)
		return K_EINVAL;
	t->state = to;
	t->ended |= to == TASK_TERMINATED;
	t->reason = why;
	t->reason_arg = to == TASK_BLOCKED ? arg : 0;
	return K_OK;
}

void runq_init(struct run_queue *rq, struct task *idle)
{
	*rq = (struct run_queue){ .current = idle, .idle = idle };
	idle->is_idle = true;
	idle->state = TASK_RUNNING;
	idle->queued = false;
	idle->quantum_left = SCHED_QUANTUM_TICKS;
}

kerr_t runq_enqueue(struct run_queue *rq, struct task *t)
{
	unsigned band = sched_band(t->priority);

	if (t->state != TASK_READY || t->queued || t->is_idle)
		return K_EINVAL;
	t->next = NULL;
	if (rq->tail[band])
		rq->tail[band]->next = t;
	else
		rq->head[band] = t;
	rq->tail[band] = t;
	t->queued = true;
	rq->ready++;
	return K_OK;
}

/* Appends a task that has just blocked to the blocked list. */
static void wait_append(struct run_queue *rq, struct task *t)
{
	t->wait_next = NULL;
	t->wait_prev = rq->wait_tail;
	if (rq->wait_tail)
		rq->wait_tail->wait_next = t;
	else
		rq->wait_head = t;
	rq->wait_tail = t;
	t->waiting = true;
	rq->blocked++;
}

/* Unlinks t from the blocked list. */
static void wait_unlink(struct run_queue *rq, struct task *t)
{
	if (t->wait_prev)
		t->wait_prev->wait_next = t->wait_next;
	else
		rq->wait_head = t->wait_next;
	if (t->wait_next)
		t->wait_next->wait_prev = t->wait_prev;
	else
		rq->wait_tail = t->wait_prev;
	t->wait_next = NULL;
	t->wait_prev = NULL;
	t->waiting = false;
	rq->blocked--;
}

/* Takes t off the blocked list; K_ENOENT if it is not on one. A blocked
 * task is on its own run queue's list, the one it blocked on: callers
 * pass that run queue (the SMP issue must keep this true when tasks
 * move). */
static kerr_t wait_remove(struct run_queue *rq, struct task *t)
{
	if (!t->waiting)
		return K_ENOENT;
	wait_unlink(rq, t);
	return K_OK;
}

kerr_t runq_remove(struct run_queue *rq, struct task *t)
{
	unsigned band = sched_band(t->priority);
	struct task *prev = NULL;

	if (t->waiting)
		return wait_remove(rq, t);
	if (!t->queued)
		return K_ENOENT;
	for (struct task *p = rq->head[band]; p; prev = p, p = p->next) {
		if (p != t)
			continue;
		if (prev)
			prev->next = t->next;
		else
			rq->head[band] = t->next;
		if (rq->tail[band] == t)
			rq->tail[band] = prev;
		t->next = NULL;
		t->queued = false;
		rq->ready--;
		return K_OK;
	}
	return K_ENOENT; /* queued, but on another CPU's queue */
}

struct task *runq_peek(const struct run_queue *rq)
{
	for (unsigned band = SCHED_BANDS; band-- > 0;) {
		if (rq->head[band])
			return rq->head[band];
	}
	return NULL;
}

struct task *sched_pick_next(struct run_queue *rq)
{
	struct task *prev = rq->current;
	struct task *next = runq_peek(rq);

	if (prev->state == TASK_RUNNING && !prev->is_idle) {
		if (!next) {
			prev->quantum_left = SCHED_QUANTUM_TICKS;
			return prev; /* nobody else: it runs on */
		}
		(void)task_set_state(prev, TASK_READY, BLOCK_NONE, 0);
		(void)runq_enqueue(rq, prev);
		next = runq_peek(rq);
	}
	if (next)
		(void)runq_remove(rq, next);
	else
		next = rq->idle;
	next->quantum_left = SCHED_QUANTUM_TICKS;
	if (next == prev) {
		/* the idle task with nothing to run, or a task that yielded
		 * above every ready one: it runs on */
		(void)task_set_state(next, TASK_RUNNING, BLOCK_NONE, 0);
		return next;
	}
	if (prev->is_idle)
		(void)task_set_state(prev, TASK_READY, BLOCK_NONE, 0);
	(void)task_set_state(next, TASK_RUNNING, BLOCK_NONE, 0);
	next->switches_in++;
	rq->switches++;
	rq->current = next;
	return next;
}

bool sched_tick(struct run_queue *rq)
{
	struct task *cur = rq->current;
	const struct task *waiting = runq_peek(rq);

	cur->ticks_run++;
	if (cur->is_idle)
		return waiting != NULL;
	if (cur->quantum_left > 0)
		cur->quantum_left--;
	if (cur->quantum_left > 0)
		return false;
	if (waiting && sched_band(waiting->priority) >= sched_band(cur->priority))
		return true;
	cur->quantum_left = SCHED_QUANTUM_TICKS;
	return false;
}

kerr_t sched_block_current(struct run_queue *rq, enum block_reason why, uint64_t arg)
{
	kerr_t err = task_set_state(rq->current, TASK_BLOCKED, why, arg);

	if (err == K_OK)
		wait_append(rq, rq->current);
	return err;
}

/* A blocked task, already off the blocked list, becomes ready. */
static bool make_ready(struct run_queue *rq, struct task *t, kerr_t *err)
{
	*err = task_set_state(t, TASK_READY, BLOCK_NONE, 0);
	if (*err == K_OK)
		*err = runq_enqueue(rq, t);
	return *err == K_OK && (rq->current->is_idle ||
				sched_band(t->priority) > sched_band(rq->current->priority));
}

bool sched_wake(struct run_queue *rq, struct task *t, kerr_t *err)
{
	if (t->state != TASK_BLOCKED) {
		*err = K_EINVAL;
		return false;
	}
	if (t->waiting)
		(void)wait_remove(rq, t);
	return make_ready(rq, t, err);
}

bool sched_wake_blocked(struct run_queue *rq, enum block_reason why, uint64_t lo, uint64_t hi)
{
	struct task *t = rq->wait_head;
	bool preempt = false;
	kerr_t err;

	while (t) {
		struct task *next = t->wait_next;
		if (t->reason == why && t->reason_arg >= lo && t->reason_arg <= hi) {
			wait_unlink(rq, t);
			preempt |= make_ready(rq, t, &err);
		}
		t = next;
	}
	return preempt;
}

kerr_t sched_terminate_current(struct run_queue *rq)
{
	return task_set_state(rq->current, TASK_TERMINATED, BLOCK_NONE, 0);
}

/* Each band's list: ready, queued, of the band's priorities, ending at
 * its tail; returns how many tasks it holds, or -1 with *what set. */
static long check_band(const struct run_queue *rq, unsigned band, const char **what)
{
	long n = 0;
	const struct task *last = NULL;

	for (const struct task *t = rq->head[band]; t; last = t, t = t->next) {
		if (t->state != TASK_READY || !t->queued || t->is_idle) {
			*what = "queued tasks are ready";
			return -1;
		}
		if (sched_band(t->priority) != band) {
			*what = "bands hold their priorities";
			return -1;
		}
		if (++n > (long)rq->ready) {
			*what = "ready count";
			return -1;
		}
	}
	if (last != rq->tail[band]) {
		*what = "bands hold their priorities";
		return -1;
	}
	return n;
}

/* The blocked list: blocked tasks only, marked waiting, `blocked` of
 * them, linked both ways, ending at its tail. */
static bool check_blocked(const struct run_queue *rq)
{
	unsigned n = 0;
	const struct task *last = NULL;

	for (const struct task *t = rq->wait_head; t; last = t, t = t->wait_next) {
		if (t->state != TASK_BLOCKED || !t->waiting || t->queued || t->wait_prev != last ||
		    ++n > rq->blocked)
			return false;
	}
	return last == rq->wait_tail && n == rq->blocked;
}

const char *runq_check(const struct run_queue *rq)
{
	const char *what = NULL;
	long total = 0;

	if (!rq->current || rq->current->state != TASK_RUNNING || rq->current->queued)
		return "current is running";
	if (!rq->idle || rq->idle->queued || rq->idle->state == TASK_BLOCKED ||
	    rq->idle->state == TASK_TERMINATED)
		return "idle is never queued";
	for (unsigned band = 0; band < SCHED_BANDS; band++) {
		long n = check_band(rq, band, &what);
		if (n < 0)
			return what;
		total += n;
	}
	if (total != (long)rq->ready)
		return "ready count";
	if (rq->current->reason != BLOCK_NONE)
		return "a reason only when blocked";
	if (!check_blocked(rq))
		return "blocked list holds blocked tasks";
	return NULL;
}
