/*
 * sched: threads, switching and preemption (self-test group).
 *
 * The self-tests run in the BSP's idle thread (kmain), which the scheduler
 * runs only when no other thread is ready: while it waits for interrupts,
 * the threads it created run, and it resumes once they have all ended or
 * blocked. So each check starts threads, waits (bounded by ticks), and
 * then looks at what they recorded:
 *  - two CPU-bound threads of one band both run to the end, each switched
 *    to more than once: the timer preempted them in turn;
 *  - a higher band runs before a lower one, whatever the creation order;
 *  - a sleeping thread wakes once its ticks have passed, not before;
 *  - ended threads are reaped (their slots and stacks given back), and the
 *    run queue's invariants hold afterwards.
 */
#include <selftest.h>

#include <arch.h>
#include <channel.h>
#include <cpu.h>
#include <current.h>
#include <frame.h>
#include <printk.h>
#include <process.h>
#include <spawn.h>
#include <stdatomic.h>
#include <thread.h>
#include <timer.h>
#include <user.h>
#include <verifier.h>

#define SPIN_TICKS 60    /* six quanta between two spinners */
#define SLEEP_TICKS 5
#define SLEEP_SLACK_TICKS 10
#define WAIT_LIMIT 400   /* ticks: a bound on every wait here */

struct spinner {
	uint64_t until;
	uint64_t iterations;
	uint64_t switches_in;
	atomic_bool done;
};

static void spin_until(void *arg)
{
	struct spinner *s = arg;

	while (timer_ticks() < s->until)
		s->iterations++;
	s->switches_in = thread_current()->task.switches_in;
	atomic_store(&s->done, true);
}

/* The idle thread waits here while the others run; true if `done` came
 * within WAIT_LIMIT ticks. */
static bool wait_until(const atomic_bool *a, const atomic_bool *b)
{
	uint64_t start = timer_ticks();

	while (!(atomic_load(a) && atomic_load(b)) && timer_ticks() - start < WAIT_LIMIT)
		arch_wait_for_interrupt();
	return atomic_load(a) && atomic_load(b);
}

static bool same_band_threads_take_turns(void)
{
	static struct spinner one, two;
	uint64_t until = timer_ticks() + SPIN_TICKS;

	struct thread *t1, *t2;

	one = (struct spinner){ .until = until };
	two = (struct spinner){ .until = until };
	/* Both pinned here before anything can run: with more CPUs the
	 * balancer (the watcher, on this CPU) would otherwise give one its
	 * own CPU mid-test, and there would be no turns to take. */
	arch_irqflags_t flags = arch_irq_save();
	bool made = thread_create_kernel("spin-1", PRIORITY_NORMAL, spin_until, &one, &t1) == K_OK &&
		    thread_create_kernel("spin-2", PRIORITY_NORMAL, spin_until, &two, &t2) == K_OK;
	if (made) {
		sched_pin_thread(t1);
		sched_pin_thread(t2);
	}
	arch_irq_restore(flags);
	if (!made)
		return false;
	bool finished = wait_until(&one.done, &two.done);
	println("sched: two spinners of one band: %llu and %llu iterations, switched to %llu and "
		"%llu times", (unsigned long long)one.iterations, (unsigned long long)two.iterations,
		(unsigned long long)one.switches_in, (unsigned long long)two.switches_in);
	return finished && one.iterations > 0 && two.iterations > 0 && one.switches_in >= 2 &&
	       two.switches_in >= 2;
}

struct order_log {
	atomic_uint next;
	const char *order[2];
	atomic_bool done[2];
};

static struct order_log order;

static void log_order(void *arg)
{
	unsigned slot = atomic_fetch_add(&order.next, 1);

	if (slot < 2)
		order.order[slot] = arg;
	atomic_store(&order.done[slot < 2 ? slot : 1], true);
}

static bool higher_band_runs_first(void)
{
	order = (struct order_log){ 0 };
	if (thread_create_kernel("low", PRIORITY_LOW, log_order, "low", NULL) != K_OK ||
	    thread_create_kernel("high", PRIORITY_HIGH, log_order, "high", NULL) != K_OK)
		return false;
	return wait_until(&order.done[0], &order.done[1]) && order.order[0] &&
	       order.order[0][0] == 'h' && order.order[1] && order.order[1][0] == 'l';
}

struct sleeper {
	uint64_t asleep_at, woke_at;
	atomic_bool done;
};

static void sleep_a_while(void *arg)
{
	struct sleeper *s = arg;

	s->asleep_at = timer_ticks();
	sched_sleep(SLEEP_TICKS);
	s->woke_at = timer_ticks();
	atomic_store(&s->done, true);
}

static bool sleep_wakes_on_time(void)
{
	static struct sleeper s;

	s = (struct sleeper){ 0 };
	if (thread_create_kernel("sleeper", PRIORITY_NORMAL, sleep_a_while, &s, NULL) != K_OK)
		return false;
	bool woke = wait_until(&s.done, &s.done);
	println("sched: slept %d ticks from tick %llu, woke at %llu", SLEEP_TICKS,
		(unsigned long long)s.asleep_at, (unsigned long long)s.woke_at);
	/* Never early; late only by what a busy host can add between the
	 * wake-up and the read of the clock (a few ticks at most). */
	return woke && s.woke_at >= s.asleep_at + SLEEP_TICKS &&
	       s.woke_at <= s.asleep_at + SLEEP_TICKS + SLEEP_SLACK_TICKS;
}

/* The reaper (a high band) runs as soon as a thread ends; by the time the
 * idle thread runs again, every ended thread is gone. */
static bool ended_threads_are_reaped(unsigned before)
{
	uint64_t start = timer_ticks();

	while (thread_count() != before && timer_ticks() - start < WAIT_LIMIT)
		arch_wait_for_interrupt();
	return thread_count() == before;
}

struct spawned {
	const char *role;
	enum user_end end;
	int64_t exit_code;
	kpid_t pid;
	bool spawned;
};

/* Whether every spawned process has ended and been reaped. */
static bool all_gone(const struct spawned *s, unsigned n)
{
	struct user_outcome outcome;
	struct process_info info;

	for (unsigned i = 0; i < n; i++) {
		if (s[i].spawned && (process_exit_outcome(s[i].pid, &outcome) != K_OK ||
				     process_lookup(s[i].pid, &info) == K_OK))
			return false;
	}
	return true;
}

/* Processes as threads: two CPU-bound fp-keepers (each checks its own
 * SIMD/FP registers survive every preemption by the other), a program
 * that faults and one that exits with -1000 run side by side; each ends
 * as it should and, once reaped, every frame is back. */
static bool user_processes_run_side_by_side(void)
{
	struct spawned s[] = {
		{ "fp-keeper", USER_END_EXITED, 0, 0, false },
		{ "fp-keeper", USER_END_EXITED, 0, 0, false },
		{ "bad-brk", USER_END_FAULTED, 0, 0, false },
		{ "exit-1000", USER_END_EXITED, -1000, 0, false },
	};
	const unsigned n = sizeof(s) / sizeof(s[0]);
	uint64_t free_before = frame_free_count();
	bool ok = true;

	for (unsigned i = 0; i < n; i++) {
		const struct verified_module *m = verifier_find(s[i].role);
		s[i].spawned = m && spawn_module(m, &s[i].pid) == K_OK;
		ok &= s[i].spawned;
	}
	uint64_t start = timer_ticks();
	while (!all_gone(s, n) && timer_ticks() - start < WAIT_LIMIT)
		arch_wait_for_interrupt();
	for (unsigned i = 0; i < n; i++) {
		struct user_outcome o = { .end = USER_END_NOT_RUN };
		(void)process_exit_outcome(s[i].pid, &o);
		println("sched: %s (pid %u) ended %d with code %lld", s[i].role, PID_SLOT(s[i].pid),
			(int)o.end, (long long)o.exit_code);
		ok &= o.end == s[i].end && (o.end != USER_END_EXITED || o.exit_code == s[i].exit_code);
	}
	println("sched: %llu frames free before, %llu after", (unsigned long long)free_before,
		(unsigned long long)frame_free_count());
	return ok && frame_free_count() == free_before;
}

#define PING_WAIT_LIMIT 6000 /* ticks: 10,000 round trips take well under a minute */

/* IPC through system calls between two processes: ping sends 10,000
 * numbered messages to the echo service and checks every answer (none
 * lost, duplicated, reordered or altered); both block in RecvMsg between
 * messages. The echo service stays, waiting, as a service does. */
static bool ping_pong(void)
{
	const struct verified_module *echo = verifier_find("echo"), *ping = verifier_find("ping");
	struct user_outcome outcome = { .end = USER_END_NOT_RUN };
	kpid_t echo_pid, ping_pid;

	if (!echo || !ping || spawn_module(echo, &echo_pid) != K_OK ||
	    spawn_module(ping, &ping_pid) != K_OK)
		return false;
	uint64_t start = timer_ticks();
	while (process_exit_outcome(ping_pid, &outcome) != K_OK &&
	       timer_ticks() - start < PING_WAIT_LIMIT)
		arch_wait_for_interrupt();
	println("sched: ping ended %d with code %lld after %llu ticks", (int)outcome.end,
		(long long)outcome.exit_code, (unsigned long long)(timer_ticks() - start));
	return outcome.end == USER_END_EXITED && outcome.exit_code == 0;
}

/* Runs a program that checks every answer itself as a process of its own
 * (with the boot modules' rights and Principal); true if it exits 0. */
static bool runs_clean(const char *role)
{
	const struct verified_module *m = verifier_find(role);
	struct user_outcome outcome = { .end = USER_END_NOT_RUN };
	kpid_t pid;

	if (!m || spawn_module(m, &pid) != K_OK)
		return false;
	uint64_t start = timer_ticks();
	while (process_exit_outcome(pid, &outcome) != K_OK && timer_ticks() - start < WAIT_LIMIT)
		arch_wait_for_interrupt();
	println("sched: %s ended %d with code %lld", role, (int)outcome.end,
		(long long)outcome.exit_code);
	return outcome.end == USER_END_EXITED && outcome.exit_code == 0;
}

void selftest_sched(void)
{
	unsigned before = thread_count();

	selftest_check(same_band_threads_take_turns(), "sched.same_band_threads_take_turns");
	selftest_check(higher_band_runs_first(), "sched.higher_band_runs_first");
	selftest_check(sleep_wakes_on_time(), "sched.sleep_wakes_on_time");
	selftest_check(ended_threads_are_reaped(before), "sched.ended_threads_are_reaped");
	selftest_check(user_processes_run_side_by_side(), "sched.user_processes_side_by_side");
	selftest_check(ended_threads_are_reaped(before), "sched.user_threads_reaped");
	selftest_check(ping_pong(), "sched.ping_pong_10000_messages");
	/* Spawn and WaitTask from user space (user/hostile/spawner.c). */
	selftest_check(runs_clean("spawner"), "sched.spawn_and_wait_task");
	/* The object store's system calls (user/hostile/objects.c). */
	selftest_check(runs_clean("objects"), "sched.object_store_calls");
	/* DeviceInfo over the functions found at boot (user/hostile/devices.c). */
	selftest_check(runs_clean("devices"), "sched.device_info_calls");
	/* Shared-memory channels between two processes (user/hostile/channel.c):
	 * every record freed once both sides have moved on. */
	selftest_check(runs_clean("channel") && channel_records_in_use() == 0,
		       "sched.shared_memory_channels");
	/* Kill, of a child that never enters the kernel and of one asleep in
	 * RecvMsg, and the reports (user/hostile/killer.c). */
	selftest_check(runs_clean("killer"), "sched.kill_and_reports");
	const char *broken = sched_check_cpu(cpu_this());
	if (broken)
		println("  sched: invariant broken: %s", broken);
	selftest_check(!broken, "sched.invariants_hold");
}
