/*
 * sched_model: the scheduler's shadow model (see sched_model.h).
 */
#include "sched_model.h"

#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define MODEL_QUEUE_MAX SCHED_MODEL_TASKS
#define IDLE_ID SCHED_MODEL_TASKS /* the model's id for the idle task */
/* Block arguments are few, so that a wake-all often finds several. */
#define WAIT_ARGS 3

enum op {
	OP_TICK,      /* a timer tick; switch if it says so */
	OP_YIELD,     /* the running task gives way */
	OP_BLOCK,     /* the running task waits for a message */
	OP_WAKE,      /* task `arg` is woken */
	OP_TERMINATE, /* the running task ends */
	OP_KILL,      /* task `arg` is terminated from outside (ready or blocked) */
	OP_WAKE_ALL,  /* every task blocked on message `arg` % WAIT_ARGS is woken */
	OP_KINDS,
};

struct model {
	enum task_state state[SCHED_MODEL_TASKS];
	int queue[SCHED_BANDS][MODEL_QUEUE_MAX];
	unsigned len[SCHED_BANDS];
	int current;            /* a task index, or IDLE_ID */
	unsigned quantum;       /* the current task's */
	int blocked[SCHED_MODEL_TASKS]; /* blocked tasks, in the order they blocked */
	unsigned blocked_len;
	unsigned arg[SCHED_MODEL_TASKS]; /* what each blocked task waits for */
};

static const uint8_t priorities[SCHED_MODEL_TASKS] = {
	PRIORITY_NORMAL, PRIORITY_NORMAL, PRIORITY_NORMAL, PRIORITY_LOW,
	PRIORITY_LOW, PRIORITY_HIGH, PRIORITY_CRITICAL, PRIORITY_IDLE + 1,
};

static struct task tasks[SCHED_MODEL_TASKS];
static struct task idle;
static struct run_queue rq;
static struct model m;

static unsigned band_of(int id)
{
	return sched_band(priorities[id]);
}

static void model_push(int id)
{
	unsigned b = band_of(id);

	m.queue[b][m.len[b]++] = id;
}

static void model_remove(int id)
{
	unsigned b = band_of(id);

	for (unsigned i = 0; i < m.len[b]; i++) {
		if (m.queue[b][i] != id)
			continue;
		memmove(&m.queue[b][i], &m.queue[b][i + 1], (m.len[b] - i - 1) * sizeof(int));
		m.len[b]--;
		return;
	}
}

static void model_unblock(int id)
{
	for (unsigned i = 0; i < m.blocked_len; i++) {
		if (m.blocked[i] != id)
			continue;
		memmove(&m.blocked[i], &m.blocked[i + 1], (m.blocked_len - i - 1) * sizeof(int));
		m.blocked_len--;
		return;
	}
}

static int model_head(void)
{
	for (unsigned b = SCHED_BANDS; b-- > 0;) {
		if (m.len[b])
			return m.queue[b][0];
	}
	return -1;
}

/* The switch rule, stated plainly. */
static void model_pick(void)
{
	int next = model_head();

	if (m.current != IDLE_ID && m.state[m.current] == TASK_RUNNING) {
		if (next < 0) {
			m.quantum = SCHED_QUANTUM_TICKS;
			return;
		}
		m.state[m.current] = TASK_READY;
		model_push(m.current);
		next = model_head();
	}
	if (next >= 0) {
		model_remove(next);
		m.state[next] = TASK_RUNNING;
	}
	m.current = next >= 0 ? next : IDLE_ID;
	m.quantum = SCHED_QUANTUM_TICKS;
}

/* Whether a tick preempts, stated plainly. */
static bool model_tick(void)
{
	int head = model_head();

	if (m.current == IDLE_ID)
		return head >= 0;
	if (--m.quantum > 0)
		return false;
	if (head >= 0 && band_of(head) >= band_of(m.current))
		return true;
	m.quantum = SCHED_QUANTUM_TICKS;
	return false;
}

void sched_model_boot(void)
{
	memset(tasks, 0, sizeof(tasks));
	memset(&idle, 0, sizeof(idle));
	memset(&m, 0, sizeof(m));
	idle.id = IDLE_ID;
	runq_init(&rq, &idle);
	m.current = IDLE_ID;
	m.quantum = SCHED_QUANTUM_TICKS;
	for (int i = 0; i < SCHED_MODEL_TASKS; i++) {
		tasks[i] = (struct task){ .id = (uint32_t)i, .state = TASK_READY,
					  .priority = priorities[i] };
		(void)runq_enqueue(&rq, &tasks[i]);
		m.state[i] = TASK_READY;
		model_push(i);
	}
}

static int disagree(size_t op, const char *what)
{
	fprintf(stderr, "sched_model: operation %zu: %s\n", op, what);
	return -1;
}

/* The real queue must hold exactly the model's, in order. */
static int compare(size_t op)
{
	const char *broken = runq_check(&rq);

	if (broken)
		return disagree(op, broken);
	if ((int)rq.current->id != m.current)
		return disagree(op, "a different task runs");
	if (rq.current->quantum_left != m.quantum && m.current != IDLE_ID)
		return disagree(op, "the quantum differs");
	for (unsigned b = 0; b < SCHED_BANDS; b++) {
		const struct task *t = rq.head[b];
		for (unsigned i = 0; i < m.len[b]; i++, t = t->next) {
			if (!t || (int)t->id != m.queue[b][i])
				return disagree(op, "a band's order differs");
		}
		if (t)
			return disagree(op, "a band holds more than the model's");
	}
	for (int i = 0; i < SCHED_MODEL_TASKS; i++) {
		if (tasks[i].state != m.state[i])
			return disagree(op, "a task's state differs");
	}
	const struct task *t = rq.wait_head;
	for (unsigned i = 0; i < m.blocked_len; i++, t = t->wait_next) {
		if (!t || (int)t->id != m.blocked[i])
			return disagree(op, "the blocked list's order differs");
	}
	if (t)
		return disagree(op, "the blocked list holds more than the model's");
	return 0;
}

/* Wakes, in the order they blocked, the tasks waiting for `arg`. */
static int wake_all(size_t op, unsigned arg)
{
	bool expected = false;
	int woken[SCHED_MODEL_TASKS];
	unsigned n = 0;

	for (unsigned i = 0; i < m.blocked_len; i++) {
		if (m.arg[m.blocked[i]] == arg)
			woken[n++] = m.blocked[i];
	}
	bool real = sched_wake_blocked(&rq, BLOCK_MESSAGE, arg, arg);
	for (unsigned i = 0; i < n; i++) {
		model_unblock(woken[i]);
		m.state[woken[i]] = TASK_READY;
		model_push(woken[i]);
		expected |= m.current == IDLE_ID || band_of(woken[i]) > band_of(m.current);
	}
	return real == expected ? 0 : disagree(op, "wake-all preemption verdicts differ");
}

static int run_op(size_t op, enum op kind, unsigned arg)
{
	int id = (int)(arg % SCHED_MODEL_TASKS);
	kerr_t err = K_OK;

	switch (kind) {
	case OP_TICK: {
		bool real = sched_tick(&rq), expected = model_tick();
		if (real != expected)
			return disagree(op, "tick verdicts differ");
		if (real) {
			(void)sched_pick_next(&rq);
			model_pick();
		}
		return 0;
	}
	case OP_YIELD:
		(void)sched_pick_next(&rq);
		model_pick();
		return 0;
	case OP_BLOCK: {
		err = sched_block_current(&rq, BLOCK_MESSAGE, arg % WAIT_ARGS);
		bool allowed = m.current != IDLE_ID;
		if ((err == K_OK) != allowed)
			return disagree(op, "block verdicts differ");
		if (allowed) {
			m.state[m.current] = TASK_BLOCKED;
			m.blocked[m.blocked_len++] = m.current;
			m.arg[m.current] = arg % WAIT_ARGS;
			(void)sched_pick_next(&rq);
			model_pick();
		}
		return 0;
	}
	case OP_WAKE: {
		bool real = sched_wake(&rq, &tasks[id], &err);
		bool allowed = m.state[id] == TASK_BLOCKED;
		if ((err == K_OK) != allowed)
			return disagree(op, "wake verdicts differ");
		if (!allowed)
			return 0;
		m.state[id] = TASK_READY;
		model_unblock(id);
		model_push(id);
		bool expected = m.current == IDLE_ID || band_of(id) > band_of(m.current);
		if (real != expected)
			return disagree(op, "wake preemption verdicts differ");
		return 0;
	}
	case OP_TERMINATE: {
		err = sched_terminate_current(&rq);
		bool allowed = m.current != IDLE_ID;
		if ((err == K_OK) != allowed)
			return disagree(op, "terminate verdicts differ");
		if (allowed) {
			m.state[m.current] = TASK_TERMINATED;
			(void)sched_pick_next(&rq);
			model_pick();
		}
		return 0;
	}
	case OP_KILL: {
		bool allowed = m.state[id] == TASK_READY || m.state[id] == TASK_BLOCKED;
		if (tasks[id].queued || tasks[id].waiting)
			err = runq_remove(&rq, &tasks[id]);
		if (err == K_OK)
			err = task_set_state(&tasks[id], TASK_TERMINATED, BLOCK_NONE, 0);
		if ((err == K_OK) != (allowed || m.state[id] == TASK_RUNNING))
			return disagree(op, "kill verdicts differ");
		if (m.state[id] == TASK_RUNNING) {
			/* killing the running task from outside is the terminate
			 * case; here it ends the task and the CPU moves on */
			m.state[id] = TASK_TERMINATED;
			(void)sched_pick_next(&rq);
			model_pick();
		} else if (allowed) {
			m.state[id] = TASK_TERMINATED;
			model_remove(id);
			model_unblock(id);
		}
		return 0;
	}
	case OP_WAKE_ALL:
		return wake_all(op, arg % WAIT_ARGS);
	default:
		return 0;
	}
}

int sched_model_run(const uint8_t *bytes, size_t len)
{
	if (compare(0) != 0)
		return -1;
	for (size_t i = 0; i + SCHED_MODEL_OP_BYTES <= len; i += SCHED_MODEL_OP_BYTES) {
		size_t op = i / SCHED_MODEL_OP_BYTES + 1;
		/* Ticks are most of what happens; weight them. */
		enum op kind = bytes[i] % (OP_KINDS + 3);
		if (kind >= OP_KINDS)
			kind = OP_TICK;
		if (run_op(op, kind, bytes[i + 1]) != 0 || compare(op) != 0)
			return -1;
	}
	return 0;
}
