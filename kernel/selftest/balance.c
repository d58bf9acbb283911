/*
 * selftest balance: the Loop's balancer spreads a crowd (issue 12).
 *
 * Six CPU-bound kernel threads are made and moved, before any of them
 * runs, to the last CPU; the watcher's balancing pass (once a second)
 * must spread them so that no CPU has SCHED_IMBALANCE more runnable tasks
 * than another within a few periods. A judge thread -- high priority, on
 * the BSP, so the spinners cannot starve it -- samples every CPU's
 * runnable count; the self-test itself (the BSP's idle thread) waits
 * until the spinners end. With one CPU there is nowhere to move: the
 * pass must find nothing to do and a move to a CPU that does not
 * schedule must be refused. Either way the invariants must hold across
 * every CPU afterwards.
 */
#include <selftest.h>

#include <arch.h>
#include <boot.h>
#include <cpu.h>
#include <format.h>
#include <printk.h>
#include <sched_cpus.h>
#include <sched_machine.h>
#include <stdatomic.h>
#include <thread.h>
#include <timer.h>
#include <watcher.h>

#define SPINNERS 6
#define SAMPLE_TICKS 25                       /* the judge looks four times a second */
#define PERIODS_ALLOWED 8                     /* balancing periods before it gives up */
#define SPIN_LIMIT_TICKS (30 * TIMER_HZ)      /* a spinner ends by then whatever happens */
#define MAX_WAITS (60 * TIMER_HZ)

struct crowd {
	atomic_bool stop;
	atomic_uint ended;
	atomic_bool judged, balanced;
	uint64_t started;
	uint64_t took;                        /* ticks until balanced */
	unsigned runnable[MP_MAX_CPUS];       /* at the judge's last look */
	unsigned cpus;
};

static struct crowd crowd;

static void spin(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&crowd.stop, memory_order_acquire) &&
	       timer_ticks() - crowd.started < SPIN_LIMIT_TICKS)
		arch_cpu_relax();
	atomic_fetch_add(&crowd.ended, 1);
}

/* Every scheduling CPU's runnable count (the judge not counted): true
 * when the balancer would find nothing to move (no two differ by
 * SCHED_IMBALANCE or more). */
static bool looks_balanced(void)
{
	unsigned n = 0, from, to;

	for (unsigned i = 0; i < MP_MAX_CPUS; i++) {
		struct cpu *c = sched_cpu(i);
		if (c)
			crowd.runnable[n++] = sched_runnable_besides_me(c);
	}
	crowd.cpus = n;
	return !sched_balance_pick(crowd.runnable, n, &from, &to);
}

static void judge(void *arg)
{
	uint64_t deadline = crowd.started + PERIODS_ALLOWED * SCHED_BALANCE_SECONDS * TIMER_HZ;

	(void)arg;
	do {
		sched_sleep(SAMPLE_TICKS);
		if (looks_balanced()) {
			crowd.took = timer_ticks() - crowd.started;
			atomic_store(&crowd.balanced, true);
			break;
		}
	} while (timer_ticks() < deadline);
	atomic_store_explicit(&crowd.stop, true, memory_order_release);
	atomic_store(&crowd.judged, true);
}

/* The spinners, made here and moved to `target` with interrupts off: no
 * tick lets them run on the BSP first. */
static unsigned start_crowd(unsigned target)
{
	unsigned started = 0;
	arch_irqflags_t flags = arch_irq_save();

	for (unsigned i = 0; i < SPINNERS; i++) {
		struct thread *t;
		if (thread_create_kernel("spinner", PRIORITY_NORMAL, spin, NULL, &t) != K_OK)
			break;
		started += sched_migrate(t, target) == K_OK;
	}
	arch_irq_restore(flags);
	return started;
}

static bool crowd_gone(void)
{
	return atomic_load(&crowd.judged) && atomic_load(&crowd.ended) == SPINNERS;
}

static unsigned threads_before;

static bool all_reaped(void)
{
	return thread_count() == threads_before;
}

static bool nothing_to_balance_on_one_cpu(void)
{
	struct thread *t;
	kerr_t err = thread_create_kernel("unmovable", PRIORITY_NORMAL, spin, NULL, &t);

	/* Ends at once, once it runs: stop is set. */
	atomic_store(&crowd.stop, true);
	bool refused = err == K_OK && sched_migrate(t, 1) == K_EINVAL;
	println("balance: one CPU: the pass moves nothing, a move to CPU 1 is %s",
		refused ? "refused" : "NOT refused");
	return refused && !sched_balance_step();
}

static bool balancer_spreads_a_crowd(void)
{
	unsigned target = selftest_last_cpu();

	threads_before = thread_count();
	crowd = (struct crowd){ .started = timer_ticks() };
	if (target == 0)
		return nothing_to_balance_on_one_cpu() &&
		       selftest_wait_until(MAX_WAITS, all_reaped);
	if (start_crowd(target) != SPINNERS ||
	    thread_create_kernel("judge", PRIORITY_HIGH, judge, NULL, NULL) != K_OK) {
		atomic_store(&crowd.stop, true);
		return false;
	}
	bool over = selftest_wait_until(MAX_WAITS, crowd_gone) &&
		    selftest_wait_until(MAX_WAITS, all_reaped);
	char counts[8 * MP_MAX_CPUS];
	unsigned len = 0;
	for (unsigned i = 0; i < crowd.cpus && len + 8 < sizeof(counts); i++)
		len += (unsigned)format_snprintf(counts + len, sizeof(counts) - len, "%s%u",
						 i ? " " : "", crowd.runnable[i]);
	counts[len] = '\0';
	println("balance: %d spinners started on CPU %u; runnable per CPU %s after %llu ticks: %s",
		SPINNERS, target, counts, (unsigned long long)crowd.took,
		atomic_load(&crowd.balanced) ? "balanced" : "NOT balanced");
	return over && atomic_load(&crowd.balanced);
}

static bool invariants_hold_after(void)
{
	unsigned cpus, tasks;
	const char *broken = sched_check_all(&cpus, &tasks);

	println("balance: invariants across %u CPU%s, %u tasks: %s", cpus, cpus == 1 ? "" : "s", tasks,
		broken ? broken : "hold");
	return !broken;
}

void selftest_balance(void)
{
	selftest_check(balancer_spreads_a_crowd(), "balance.spreads_six_tasks_from_one_cpu");
	selftest_check(invariants_hold_after(), "balance.invariants_hold_across_cpus");
}
