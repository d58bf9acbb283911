/*
 * sched_test: the scheduler's decisions (kernel/sched/sched.c).
 *
 * Behaviours: the legal transitions and reasons, FIFO bands and priority
 * order, round-robin of one band, the quantum and preemption, blocking and
 * waking (with preemption by a higher band), termination, the invariant
 * checker catching broken queues -- and long random runs against the
 * shadow model of tests/support/sched_model.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <sched.h>
#include <xorshift.h>

#include "../support/sched_model.h"

static struct task idle, a, b, c, low, high;
static struct run_queue rq;

static void task_init(struct task *t, uint32_t id, uint8_t priority)
{
	*t = (struct task){ .id = id, .state = TASK_READY, .priority = priority };
}

static int setup(void **state)
{
	(void)state;
	memset(&idle, 0, sizeof(idle));
	runq_init(&rq, &idle);
	task_init(&a, 1, PRIORITY_NORMAL);
	task_init(&b, 2, PRIORITY_NORMAL);
	task_init(&c, 3, PRIORITY_NORMAL);
	task_init(&low, 4, PRIORITY_LOW);
	task_init(&high, 5, PRIORITY_HIGH);
	return 0;
}

static void queue(struct task *t)
{
	assert_int_equal(runq_enqueue(&rq, t), K_OK);
}

static void only_legal_transitions(void **state)
{
	(void)state;
	assert_true(task_transition_legal(TASK_READY, TASK_RUNNING));
	assert_true(task_transition_legal(TASK_RUNNING, TASK_BLOCKED));
	assert_true(task_transition_legal(TASK_BLOCKED, TASK_READY));
	assert_true(task_transition_legal(TASK_BLOCKED, TASK_TERMINATED));
	assert_false(task_transition_legal(TASK_READY, TASK_BLOCKED));
	assert_false(task_transition_legal(TASK_BLOCKED, TASK_RUNNING));
	assert_false(task_transition_legal(TASK_RUNNING, TASK_RUNNING));
	for (int to = TASK_READY; to <= TASK_TERMINATED; to++)
		assert_false(task_transition_legal(TASK_TERMINATED, (enum task_state)to));
}

static void a_reason_only_when_blocked(void **state)
{
	(void)state;
	assert_int_equal(task_set_state(&a, TASK_RUNNING, BLOCK_SLEEP, 5), K_EINVAL);
	assert_int_equal(task_set_state(&a, TASK_RUNNING, BLOCK_NONE, 0), K_OK);
	assert_int_equal(task_set_state(&a, TASK_BLOCKED, BLOCK_NONE, 0), K_EINVAL);
	assert_int_equal(a.state, TASK_RUNNING);
	assert_int_equal(task_set_state(&a, TASK_BLOCKED, BLOCK_MESSAGE, 16), K_OK);
	assert_int_equal(a.reason, BLOCK_MESSAGE);
	assert_int_equal(a.reason_arg, 16);
	assert_int_equal(task_set_state(&a, TASK_READY, BLOCK_NONE, 0), K_OK);
	assert_int_equal(a.reason, BLOCK_NONE);
	assert_int_equal(a.reason_arg, 0);
}

static void the_idle_task_never_blocks_or_ends(void **state)
{
	(void)state;
	assert_int_equal(task_set_state(&idle, TASK_BLOCKED, BLOCK_SLEEP, 1), K_EINVAL);
	assert_int_equal(task_set_state(&idle, TASK_TERMINATED, BLOCK_NONE, 0), K_EINVAL);
	assert_int_equal(sched_terminate_current(&rq), K_EINVAL);
	assert_int_equal(runq_enqueue(&rq, &idle), K_EINVAL);
}

static void only_ready_tasks_are_queued_once(void **state)
{
	(void)state;
	queue(&a);
	assert_int_equal(runq_enqueue(&rq, &a), K_EINVAL);
	b.state = TASK_BLOCKED;
	assert_int_equal(runq_enqueue(&rq, &b), K_EINVAL);
	assert_int_equal(rq.ready, 1);
	assert_int_equal(runq_remove(&rq, &b), K_ENOENT);
	assert_int_equal(runq_remove(&rq, &a), K_OK);
	assert_int_equal(rq.ready, 0);
	assert_null(runq_check(&rq));
}

static void the_highest_band_runs_first(void **state)
{
	(void)state;
	queue(&low);
	queue(&a);
	queue(&high);
	assert_ptr_equal(sched_pick_next(&rq), &high);
	assert_int_equal(high.state, TASK_RUNNING);
	assert_int_equal(idle.state, TASK_READY);
	assert_int_equal(sched_terminate_current(&rq), K_OK);
	assert_ptr_equal(sched_pick_next(&rq), &a);
	assert_int_equal(sched_terminate_current(&rq), K_OK);
	assert_ptr_equal(sched_pick_next(&rq), &low);
	assert_int_equal(sched_terminate_current(&rq), K_OK);
	assert_ptr_equal(sched_pick_next(&rq), &idle); /* nothing left */
	assert_int_equal(idle.state, TASK_RUNNING);
	assert_null(runq_check(&rq));
}

static void one_band_takes_turns(void **state)
{
	const struct task *order[] = { &a, &b, &c, &a, &b, &c, &a };

	(void)state;
	queue(&a);
	queue(&b);
	queue(&c);
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		assert_ptr_equal(sched_pick_next(&rq), order[i]);
		assert_null(runq_check(&rq));
	}
	assert_int_equal(a.switches_in, 3);
}

static void a_spent_quantum_preempts_a_peer(void **state)
{
	(void)state;
	queue(&a);
	queue(&b);
	assert_ptr_equal(sched_pick_next(&rq), &a);
	for (unsigned tick = 1; tick < SCHED_QUANTUM_TICKS; tick++)
		assert_false(sched_tick(&rq));
	assert_true(sched_tick(&rq));
	assert_int_equal(a.ticks_run, SCHED_QUANTUM_TICKS);
	assert_ptr_equal(sched_pick_next(&rq), &b);
	assert_int_equal(b.quantum_left, SCHED_QUANTUM_TICKS);
}

static void alone_or_above_the_rest_a_task_runs_on(void **state)
{
	(void)state;
	queue(&a);
	queue(&low);
	assert_ptr_equal(sched_pick_next(&rq), &a);
	for (unsigned tick = 0; tick < 3 * SCHED_QUANTUM_TICKS; tick++)
		assert_false(sched_tick(&rq)); /* LOW never preempts NORMAL */
	assert_ptr_equal(sched_pick_next(&rq), &a); /* a yield: still nobody of its band */
}

static void the_idle_task_gives_way_at_the_next_tick(void **state)
{
	(void)state;
	assert_false(sched_tick(&rq));
	queue(&low);
	assert_true(sched_tick(&rq));
}

static void blocking_and_waking(void **state)
{
	kerr_t err;

	(void)state;
	queue(&a);
	queue(&b);
	assert_ptr_equal(sched_pick_next(&rq), &a);
	assert_int_equal(sched_block_current(&rq, BLOCK_MESSAGE, 17), K_OK);
	assert_ptr_equal(sched_pick_next(&rq), &b);
	assert_false(a.queued); /* a blocked task costs nothing */
	assert_false(sched_wake(&rq, &a, &err)); /* same band: no preemption */
	assert_int_equal(err, K_OK);
	assert_true(a.queued);
	assert_false(sched_wake(&rq, &a, &err)); /* not blocked any more */
	assert_int_equal(err, K_EINVAL);
	assert_int_equal(sched_block_current(&rq, BLOCK_SLEEP, 100), K_OK);
	high.state = TASK_BLOCKED;
	high.reason = BLOCK_IRQ;
	assert_ptr_equal(sched_pick_next(&rq), &a);
	assert_true(sched_wake(&rq, &high, &err)); /* a higher band preempts at once */
	assert_ptr_equal(sched_pick_next(&rq), &high);
	assert_null(runq_check(&rq));
}

static void nothing_leaves_terminated(void **state)
{
	kerr_t err;

	(void)state;
	queue(&a);
	assert_ptr_equal(sched_pick_next(&rq), &a);
	assert_int_equal(sched_terminate_current(&rq), K_OK);
	assert_ptr_equal(sched_pick_next(&rq), &idle);
	assert_false(sched_wake(&rq, &a, &err));
	assert_int_equal(err, K_EINVAL);
	assert_int_equal(runq_enqueue(&rq, &a), K_EINVAL);
	assert_int_equal(task_set_state(&a, TASK_READY, BLOCK_NONE, 0), K_EINVAL);
}

static void broken_queues_are_named(void **state)
{
	(void)state;
	queue(&a);
	queue(&b);
	assert_null(runq_check(&rq));
	b.state = TASK_BLOCKED;
	assert_string_equal(runq_check(&rq), "queued tasks are ready");
	b.state = TASK_READY;
	rq.ready = 3;
	assert_string_equal(runq_check(&rq), "ready count");
	rq.ready = 2;
	rq.tail[sched_band(PRIORITY_NORMAL)] = &a;
	assert_string_equal(runq_check(&rq), "bands hold their priorities");
	rq.tail[sched_band(PRIORITY_NORMAL)] = &b;
	b.priority = PRIORITY_HIGH;
	assert_string_equal(runq_check(&rq), "bands hold their priorities");
	b.priority = PRIORITY_NORMAL;
	idle.state = TASK_READY;
	assert_string_equal(runq_check(&rq), "current is running");
	idle.state = TASK_RUNNING;
	idle.reason = BLOCK_SLEEP;
	assert_string_equal(runq_check(&rq), "a reason only when blocked");
}

static void random_runs_agree_with_the_model(void **state)
{
	uint64_t seed = 0x5ced;
	uint8_t ops[4096];

	(void)state;
	for (int run = 0; run < 200; run++) {
		for (size_t i = 0; i < sizeof(ops); i++)
			ops[i] = (uint8_t)xorshift64(&seed);
		sched_model_boot();
		assert_int_equal(sched_model_run(ops, sizeof(ops)), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(only_legal_transitions, setup),
		cmocka_unit_test_setup(a_reason_only_when_blocked, setup),
		cmocka_unit_test_setup(the_idle_task_never_blocks_or_ends, setup),
		cmocka_unit_test_setup(only_ready_tasks_are_queued_once, setup),
		cmocka_unit_test_setup(the_highest_band_runs_first, setup),
		cmocka_unit_test_setup(one_band_takes_turns, setup),
		cmocka_unit_test_setup(a_spent_quantum_preempts_a_peer, setup),
		cmocka_unit_test_setup(alone_or_above_the_rest_a_task_runs_on, setup),
		cmocka_unit_test_setup(the_idle_task_gives_way_at_the_next_tick, setup),
		cmocka_unit_test_setup(blocking_and_waking, setup),
		cmocka_unit_test_setup(nothing_leaves_terminated, setup),
		cmocka_unit_test_setup(broken_queues_are_named, setup),
		cmocka_unit_test(random_runs_agree_with_the_model),
	};

	return cmocka_run_group_tests_name("sched", tests, NULL, NULL);
}
