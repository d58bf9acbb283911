/*
 * sched_machine_test: the invariants across CPUs and the balancer's
 * decisions (kernel/sched/sched_machine.c).
 *
 * Behaviours: a healthy two-CPU machine passes; each kind of broken state
 * is caught by its own name -- two running tasks on a CPU, a ready task in
 * no queue, a blocked task on no blocked list, an idle task moved, a task
 * back from terminated, a task queued on a CPU the map does not give it,
 * a task queued but not live, impossible counts, and a broken queue of
 * one CPU; the balancer moves from the busiest CPU to the idlest only at
 * an imbalance of two, chooses the lowest band's last unpinned ready task,
 * and six CPU-bound tasks started on one CPU of four are spread within a
 * few balancing periods.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <sched_machine.h>

#define TASKS 8

/* CPU 0: A running, B ready, C blocked; CPU 1: its idle task running, D
 * ready; E and F are spare tasks the tests break things with. */
static struct task idle0, idle1, a, b, c, d, e, f;
static struct run_queue rq0, rq1;
static const struct task *tasks[TASKS];
static unsigned task_cpu[TASKS];
static struct sched_machine m;

static void task_init(struct task *t, uint32_t id, uint8_t priority)
{
	*t = (struct task){ .id = id, .state = TASK_READY, .priority = priority };
}

static int healthy(void **state)
{
	(void)state;
	memset(&idle0, 0, sizeof(idle0));
	memset(&idle1, 0, sizeof(idle1));
	runq_init(&rq0, &idle0);
	runq_init(&rq1, &idle1);
	task_init(&a, 1, PRIORITY_NORMAL);
	task_init(&b, 2, PRIORITY_NORMAL);
	task_init(&c, 3, PRIORITY_HIGH);
	task_init(&d, 4, PRIORITY_LOW);
	task_init(&e, 5, PRIORITY_NORMAL);
	task_init(&f, 6, PRIORITY_NORMAL);
	assert_int_equal(runq_enqueue(&rq0, &c), K_OK);
	assert_ptr_equal(sched_pick_next(&rq0), &c);
	assert_int_equal(sched_block_current(&rq0, BLOCK_MESSAGE, 16), K_OK);
	assert_int_equal(runq_enqueue(&rq0, &a), K_OK);
	assert_int_equal(runq_enqueue(&rq0, &b), K_OK);
	assert_ptr_equal(sched_pick_next(&rq0), &a);
	assert_int_equal(runq_enqueue(&rq1, &d), K_OK);
	const struct task *all[TASKS] = { &idle0, &idle1, &a, &b, &c, &d };
	const unsigned cpu[TASKS] = { 0, 1, 0, 0, 0, 1 };
	memcpy(tasks, all, sizeof(all));
	memcpy(task_cpu, cpu, sizeof(cpu));
	m = (struct sched_machine){ .cpus = 2, .rq = { &rq0, &rq1 }, .tasks = 6, .task = tasks,
				    .task_cpu = task_cpu, .max_tasks = 64 };
	return 0;
}

/* Adds a spare task to the live list, on `cpu`. */
static void add(const struct task *t, unsigned cpu)
{
	tasks[m.tasks] = t;
	task_cpu[m.tasks++] = cpu;
}

static void a_healthy_machine_passes(void **state)
{
	(void)state;
	assert_null(sched_check_machine(&m));
	assert_int_equal(sched_runnable(&rq0), 2); /* A running, B ready */
	assert_int_equal(sched_runnable(&rq1), 1); /* D ready, the idle task not counted */
}

static void two_running_tasks_on_a_cpu(void **state)
{
	(void)state;
	e.state = TASK_RUNNING;
	add(&e, 0);
	assert_string_equal(sched_check_machine(&m), "one running task per CPU, its current");
}

static void a_ready_task_in_no_queue(void **state)
{
	(void)state;
	add(&e, 1); /* ready, never queued: lost */
	assert_string_equal(sched_check_machine(&m),
			    "a task is in a run queue if and only if it is ready");
}

static void a_blocked_task_on_no_blocked_list(void **state)
{
	(void)state;
	e.state = TASK_BLOCKED;
	e.reason = BLOCK_IRQ;
	add(&e, 1);
	assert_string_equal(sched_check_machine(&m),
			    "a blocked task has a reason and is in no run queue");
}

static void an_idle_task_moved(void **state)
{
	(void)state;
	task_cpu[1] = 0; /* idle1 */
	assert_string_equal(sched_check_machine(&m), "the idle task is never blocked or migrated");
}

static void a_task_back_from_terminated(void **state)
{
	(void)state;
	assert_int_equal(task_set_state(&e, TASK_TERMINATED, BLOCK_NONE, 0), K_OK);
	add(&e, 1);
	assert_null(sched_check_machine(&m));
	e.state = TASK_READY; /* written behind task_set_state's back */
	assert_int_equal(runq_enqueue(&rq1, &e), K_OK);
	assert_string_equal(sched_check_machine(&m), "nothing leaves terminated");
}

static void a_task_queued_where_the_map_does_not_put_it(void **state)
{
	(void)state;
	task_cpu[3] = 1; /* B, queued on CPU 0 */
	assert_string_equal(sched_check_machine(&m), "the task-to-CPU map agrees with the queues");
	healthy(NULL);
	task_cpu[4] = 1; /* C, blocked on CPU 0 */
	assert_string_equal(sched_check_machine(&m), "the task-to-CPU map agrees with the queues");
	healthy(NULL);
	task_cpu[3] = 9; /* no such CPU */
	assert_string_equal(sched_check_machine(&m), "the task-to-CPU map agrees with the queues");
}

static void a_queued_task_that_is_not_live(void **state)
{
	(void)state;
	assert_int_equal(runq_enqueue(&rq1, &f), K_OK); /* not in the live list */
	m.max_tasks = 64;
	assert_string_equal(sched_check_machine(&m), "the task-to-CPU map agrees with the queues");
}

static void impossible_counts(void **state)
{
	(void)state;
	m.max_tasks = 1;
	assert_string_equal(sched_check_machine(&m), "counts within limits");
	healthy(NULL);
	m.cpus = 0;
	assert_string_equal(sched_check_machine(&m), "counts within limits");
	healthy(NULL);
	m.cpus = SCHED_MAX_CPUS + 1;
	assert_string_equal(sched_check_machine(&m), "counts within limits");
}

static void a_broken_queue_of_one_cpu(void **state)
{
	(void)state;
	rq1.ready++;
	assert_string_equal(sched_check_machine(&m), "ready count");
}

/* ------------------------------------------------------------ balancer */

static void the_balancer_moves_only_at_an_imbalance_of_two(void **state)
{
	unsigned from = 99, to = 99;

	(void)state;
	assert_false(sched_balance_pick((const unsigned[]){ 2, 1 }, 2, &from, &to));
	assert_false(sched_balance_pick((const unsigned[]){ 5 }, 1, &from, &to));
	assert_false(sched_balance_pick((const unsigned[]){ 3, 3, 3, 2 }, 4, &from, &to));
	assert_int_equal(from, 99);
	assert_true(sched_balance_pick((const unsigned[]){ 3, 1 }, 2, &from, &to));
	assert_int_equal(from, 0);
	assert_int_equal(to, 1);
	assert_true(sched_balance_pick((const unsigned[]){ 0, 0, 4, 1 }, 4, &from, &to));
	assert_int_equal(from, 2);
	assert_int_equal(to, 0); /* the lowest index of the idlest */
	assert_true(sched_balance_pick((const unsigned[]){ 1, 5, 5, 3 }, 4, &from, &to));
	assert_int_equal(from, 1); /* the lowest index of the busiest */
	assert_int_equal(to, 0);
}

static void the_candidate_is_the_lowest_bands_last_unpinned(void **state)
{
	struct task x, y, z;

	(void)state;
	assert_ptr_equal(sched_balance_candidate(&rq0, NULL), &b);
	b.pinned = true;
	assert_null(sched_balance_candidate(&rq0, NULL)); /* A runs, C is blocked */
	task_init(&x, 7, PRIORITY_LOW);
	task_init(&y, 8, PRIORITY_LOW);
	task_init(&z, 9, PRIORITY_HIGH);
	assert_int_equal(runq_enqueue(&rq0, &z), K_OK);
	assert_ptr_equal(sched_balance_candidate(&rq0, NULL), &z);
	assert_int_equal(runq_enqueue(&rq0, &x), K_OK);
	assert_int_equal(runq_enqueue(&rq0, &y), K_OK);
	assert_ptr_equal(sched_balance_candidate(&rq0, NULL), &y);
	/* The task its CPU just left is passed over like a pinned one. */
	assert_ptr_equal(sched_balance_candidate(&rq0, &y), &x);
	y.pinned = true;
	assert_ptr_equal(sched_balance_candidate(&rq0, NULL), &x);
	/* Nothing left in the lowest band: the next band up has z. */
	assert_ptr_equal(sched_balance_candidate(&rq0, &x), &z);
}

/* Six CPU-bound tasks on CPU 0 of 4, one move per balancing period. */
static void six_tasks_on_one_cpu_spread_within_a_few_periods(void **state)
{
	unsigned runnable[4] = { 6, 0, 0, 0 }, from, to, periods = 0;

	(void)state;
	while (sched_balance_pick(runnable, 4, &from, &to)) {
		runnable[from]--;
		runnable[to]++;
		assert_true(++periods <= 4);
	}
	for (unsigned c = 0; c < 4; c++)
		assert_true(runnable[c] == 1 || runnable[c] == 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(a_healthy_machine_passes, healthy),
		cmocka_unit_test_setup(two_running_tasks_on_a_cpu, healthy),
		cmocka_unit_test_setup(a_ready_task_in_no_queue, healthy),
		cmocka_unit_test_setup(a_blocked_task_on_no_blocked_list, healthy),
		cmocka_unit_test_setup(an_idle_task_moved, healthy),
		cmocka_unit_test_setup(a_task_back_from_terminated, healthy),
		cmocka_unit_test_setup(a_task_queued_where_the_map_does_not_put_it, healthy),
		cmocka_unit_test_setup(a_queued_task_that_is_not_live, healthy),
		cmocka_unit_test_setup(impossible_counts, healthy),
		cmocka_unit_test_setup(a_broken_queue_of_one_cpu, healthy),
		cmocka_unit_test_setup(the_balancer_moves_only_at_an_imbalance_of_two, healthy),
		cmocka_unit_test_setup(the_candidate_is_the_lowest_bands_last_unpinned, healthy),
		cmocka_unit_test_setup(six_tasks_on_one_cpu_spread_within_a_few_periods, healthy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
