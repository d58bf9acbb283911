/*
 * lockorder_test: the global lock order is enforced (kernel/lib/lock_debug.c
 * and the checks in kernel/lib/spinlock.c).
 *
 * The verdict function is tested directly; the panic itself is tested in
 * a forked child, whose output must name both locks and whose end must be
 * the host "halt" (abort).
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lock_debug.h>
#include <spinlock.h>

static struct spinlock ipc = SPINLOCK_INIT("ipc", LOCK_IPC);
static struct spinlock cap = SPINLOCK_INIT("capability", LOCK_CAPABILITY);
static struct spinlock frames = SPINLOCK_INIT("frame", LOCK_FRAME_ALLOCATOR);
static struct spinlock other_frames = SPINLOCK_INIT("frame-2", LOCK_FRAME_ALLOCATOR);

static void nesting_in_order_is_allowed(void **state)
{
	(void)state;
	spin_lock(&ipc);
	spin_lock(&cap);
	spin_lock(&frames);
	assert_int_equal(lock_tracker_current()->levels,
			 1u << LOCK_IPC | 1u << LOCK_CAPABILITY | 1u << LOCK_FRAME_ALLOCATOR);
	assert_ptr_equal(lock_tracker_current()->held[LOCK_CAPABILITY], &cap);
	spin_unlock(&frames);
	spin_unlock(&cap);
	spin_unlock(&ipc);
	assert_int_equal(lock_tracker_current()->levels, 0);
}

static void release_out_of_stack_order_is_allowed(void **state)
{
	(void)state;
	spin_lock(&ipc);
	spin_lock(&cap);
	spin_unlock(&ipc);
	assert_int_equal(lock_tracker_current()->levels, 1u << LOCK_CAPABILITY);
	spin_unlock(&cap);
	assert_int_equal(lock_tracker_current()->levels, 0);
}

static void verdicts_name_the_conflicting_lock(void **state)
{
	struct lock_tracker t = { 0 };
	const struct spinlock *conflict = NULL;

	(void)state;
	assert_true(lock_tracker_push(&t, &cap));
	assert_int_equal(lock_order_check(&t, &ipc, &conflict), LOCK_ORDER_INVERTED);
	assert_ptr_equal(conflict, &cap);
	assert_int_equal(lock_order_check(&t, &cap, &conflict), LOCK_ORDER_RETAKEN);
	assert_int_equal(lock_order_check(&t, &frames, &conflict), LOCK_ORDER_OK);
	assert_true(lock_tracker_push(&t, &frames));
	/* Two locks of one level: neither may be taken under the other, and
	 * the tracker has room for one. */
	assert_int_equal(lock_order_check(&t, &other_frames, &conflict), LOCK_ORDER_INVERTED);
	assert_ptr_equal(conflict, &frames);
	assert_false(lock_tracker_push(&t, &other_frames));
	assert_false(lock_tracker_pop(&t, &other_frames));
	/* Under both, the conflict named is the lowest level at or above. */
	assert_int_equal(lock_order_check(&t, &ipc, &conflict), LOCK_ORDER_INVERTED);
	assert_ptr_equal(conflict, &cap);
	assert_true(lock_tracker_pop(&t, &cap));
	assert_false(lock_tracker_pop(&t, &cap));
	assert_int_equal(t.levels, 1u << LOCK_FRAME_ALLOCATOR);
}

/* The check looks at every level held, whatever the order they were taken
 * in (a trylock may take a lower lock under a higher one) or released in. */
static void the_check_follows_trylocks_and_out_of_order_releases(void **state)
{
	struct lock_tracker t = { 0 };
	const struct spinlock *conflict = NULL;

	(void)state;
	assert_true(lock_tracker_push(&t, &frames)); /* as a trylock records: unchecked */
	assert_true(lock_tracker_push(&t, &ipc));
	assert_int_equal(lock_order_check(&t, &cap, &conflict), LOCK_ORDER_INVERTED);
	assert_ptr_equal(conflict, &frames);
	assert_true(lock_tracker_pop(&t, &frames)); /* not the last taken */
	assert_int_equal(t.levels, 1u << LOCK_IPC);
	assert_int_equal(lock_order_check(&t, &cap, &conflict), LOCK_ORDER_OK);
	assert_int_equal(lock_order_check(&t, &ipc, &conflict), LOCK_ORDER_RETAKEN);
	assert_true(lock_tracker_pop(&t, &ipc));
	assert_int_equal(lock_order_check(&t, &ipc, &conflict), LOCK_ORDER_OK);
}

/* Runs `body` in a child; returns its output and whether it aborted. */
static bool child_aborts(void (*body)(void), char *out, size_t out_size)
{
	int pipe_fds[2], status;

	assert_int_equal(pipe(pipe_fds), 0);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(pipe_fds[1], STDOUT_FILENO);
		body();
		_exit(0);
	}
	close(pipe_fds[1]);
	ssize_t n = read(pipe_fds[0], out, out_size - 1);
	out[n > 0 ? n : 0] = '\0';
	close(pipe_fds[0]);
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void take_out_of_order(void)
{
	spin_lock(&cap);
	spin_lock(&ipc);
}

static void take_twice(void)
{
	spin_lock(&frames);
	spin_lock(&frames);
}

static void release_unheld(void)
{
	spin_unlock(&ipc);
}

static void trylock_a_taken_level(void)
{
	spin_lock(&frames);
	(void)spin_trylock(&other_frames);
}

static void out_of_order_panics_with_both_names(void **state)
{
	char out[1024];

	(void)state;
	assert_true(child_aborts(take_out_of_order, out, sizeof(out)));
	assert_non_null(strstr(out, "PANIC: lock \"ipc\" (level 3) taken out of order: "
				    "CPU holds \"capability\" (level 4)"));
}

static void retaking_panics(void **state)
{
	char out[1024];
	char expected[128];

	(void)state;
	snprintf(expected, sizeof(expected), "lock \"frame\" (level %d) already held by this CPU",
		 LOCK_FRAME_ALLOCATOR);
	assert_true(child_aborts(take_twice, out, sizeof(out)));
	assert_non_null(strstr(out, expected));
}

static void releasing_an_unheld_lock_panics(void **state)
{
	char out[1024];

	(void)state;
	assert_true(child_aborts(release_unheld, out, sizeof(out)));
	assert_non_null(strstr(out, "released by a CPU that does not hold it"));
}

static void a_second_lock_of_one_level_panics(void **state)
{
	char out[1024];
	char expected[128];

	(void)state;
	snprintf(expected, sizeof(expected),
		 "lock \"frame-2\" (level %d) taken by trylock while this CPU holds \"frame\" of "
		 "the same level", LOCK_FRAME_ALLOCATOR);
	assert_true(child_aborts(trylock_a_taken_level, out, sizeof(out)));
	assert_non_null(strstr(out, expected));
}

/* Locks of one level in one array, as struct cpu's scheduler locks are. */
static struct spinlock queues[3] = { SPINLOCK_INIT("queue-0", LOCK_SCHEDULER),
				     SPINLOCK_INIT("queue-1", LOCK_SCHEDULER),
				     SPINLOCK_INIT("queue-2", LOCK_SCHEDULER) };

static void further_locks_of_one_level_in_ascending_order(void **state)
{
	struct lock_tracker *t = lock_tracker_current();

	(void)state;
	spin_lock(&queues[0]);
	spin_lock_next(&queues[1]);
	spin_lock_next(&queues[2]);
	assert_int_equal(t->next_count, 2);
	assert_ptr_equal(t->next_last, &queues[2]);
	spin_lock(&ipc); /* a higher level above them all is still fine */
	spin_unlock(&ipc);
	spin_unlock_next(&queues[1]);
	spin_unlock_next(&queues[2]);
	spin_unlock(&queues[0]);
	assert_int_equal(t->levels, 0);
	assert_int_equal(t->next_count, 0);
	/* Any lock of the level may be the first. */
	spin_lock(&queues[1]);
	spin_lock_next(&queues[2]);
	spin_unlock_next(&queues[2]);
	spin_unlock(&queues[1]);
	assert_false(spin_is_locked(&queues[0]) || spin_is_locked(&queues[1]) ||
		     spin_is_locked(&queues[2]));
}

static void take_further_descending(void)
{
	spin_lock(&queues[1]);
	spin_lock_next(&queues[0]);
}

static void take_further_without_first(void)
{
	spin_lock_next(&queues[1]);
}

static void take_further_under_a_higher_level(void)
{
	spin_lock(&queues[0]);
	spin_lock(&ipc);
	spin_lock_next(&queues[1]);
}

static void release_first_before_further(void)
{
	spin_lock(&queues[0]);
	spin_lock_next(&queues[1]);
	spin_unlock(&queues[0]);
	spin_unlock_next(&queues[1]);
}

static void further_locks_out_of_order_panic(void **state)
{
	char out[1024];

	(void)state;
	assert_true(child_aborts(take_further_descending, out, sizeof(out)));
	assert_non_null(strstr(out, "lock \"queue-0\" (level 1) taken as a further lock out of "
				    "address order"));
	assert_true(child_aborts(take_further_without_first, out, sizeof(out)));
	assert_non_null(strstr(out, "taken as a further lock with no lock of its level held"));
	assert_true(child_aborts(take_further_under_a_higher_level, out, sizeof(out)));
	assert_non_null(strstr(out, "taken as a further lock with a lock of a higher level held"));
	assert_true(child_aborts(release_first_before_further, out, sizeof(out)));
	assert_non_null(strstr(out, "lock \"queue-1\" released as a further lock after the first "
				    "of its level"));
}

static void *nest_many_times(void *arg)
{
	struct spinlock *locks = arg;

	for (int i = 0; i < 10000; i++) {
		spin_lock(&locks[0]);
		spin_lock(&locks[1]);
		spin_unlock(&locks[1]);
		spin_unlock(&locks[0]);
	}
	return NULL;
}

static void each_thread_is_its_own_cpu(void **state)
{
	static struct spinlock shared[2] = { SPINLOCK_INIT("a", LOCK_IPC),
					     SPINLOCK_INIT("b", LOCK_OBJECT_STORE) };
	pthread_t threads[4];

	(void)state;
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, nest_many_times, shared), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(threads[i], NULL);
	assert_false(spin_is_locked(&shared[0]) || spin_is_locked(&shared[1]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nesting_in_order_is_allowed),
		cmocka_unit_test(release_out_of_stack_order_is_allowed),
		cmocka_unit_test(verdicts_name_the_conflicting_lock),
		cmocka_unit_test(the_check_follows_trylocks_and_out_of_order_releases),
		cmocka_unit_test(out_of_order_panics_with_both_names),
		cmocka_unit_test(retaking_panics),
		cmocka_unit_test(releasing_an_unheld_lock_panics),
		cmocka_unit_test(a_second_lock_of_one_level_panics),
		cmocka_unit_test(further_locks_of_one_level_in_ascending_order),
		cmocka_unit_test(further_locks_out_of_order_panic),
		cmocka_unit_test(each_thread_is_its_own_cpu),
	};

	return cmocka_run_group_tests_name("lockorder", tests, NULL, NULL);
}
