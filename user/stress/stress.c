/*
 * stress: the conductor of a minute of churn (stress.h). It keeps
 * STRESS_AT_ONCE workers alive, waiting for the oldest and spawning a
 * new one as each ends, for STRESS_SECONDS of the kernel's clock, and
 * checks that each ended as its fate says. Before it starts and after
 * the last worker is gone it keeps quiet for a few seconds, so that the
 * watcher's memory lines before and after can be compared (nothing may
 * leak), and it reports how many workers ran, faulted and exited on
 * which CPUs.
 */
#include "../lib/line.h"
#include "../lib/module.h"
#include "../lib/stress.h"

CAMBIOS_MODULE_ROLE("stress");

#define QUIET_SECONDS 3
#define CPUS_SEEN 64

static const char worker[] = "churn";

struct tally {
	int64_t started, exited, faulted, wrong, spawn_failures;
};

static void quiet(void)
{
	int64_t until = sys_gettime() + QUIET_SECONDS * STRESS_TICKS_PER_SECOND;

	while (sys_gettime() < until)
		(void)sys_yield();
}

/* Waits for worker `pid` and checks how it ended. */
static void reap(int64_t pid, struct tally *t)
{
	struct sys_task_status status;
	status.ended = status.code = 0;
	int64_t got = sys_wait_task(pid, &status);
	unsigned fate = churn_fate(pid);

	if (got == SYS_EINTR && status.ended == SYS_TASK_FAULTED && fate == CHURN_FAULTS) {
		t->faulted++;
		return;
	}
	int64_t want = fate == CHURN_CODE ? CHURN_CODE_BASE + pid : 0;
	if (status.ended == SYS_TASK_EXITED && got == want && fate != CHURN_FAULTS) {
		t->exited++;
		return;
	}
	struct line l;

	l.len = 0;
	put(&l, "stress: worker ");
	put_dec(&l, pid);
	put(&l, " ended wrongly: ");
	put_dec(&l, got);
	say(&l);
	t->wrong++;
}

static int64_t spawn_worker(struct tally *t)
{
	int64_t pid = sys_spawn(worker, sizeof(worker) - 1);

	if (pid > 0)
		t->started++;
	else
		t->spawn_failures++;
	return pid;
}

static void report(const struct tally *t)
{
	struct line l;

	l.len = 0;
	put(&l, "stress: ");
	put_dec(&l, t->started);
	put(&l, " workers, ");
	put_dec(&l, t->exited);
	put(&l, " exited, ");
	put_dec(&l, t->faulted);
	put(&l, " faulted on purpose, ");
	put_dec(&l, t->wrong);
	put(&l, " wrong, ");
	put_dec(&l, t->spawn_failures);
	put(&l, " spawns refused");
	say(&l);
}

int main(void)
{
	int64_t ring[STRESS_AT_ONCE];
	unsigned head = 0, alive = 0;
	struct tally t;

	t.started = t.exited = t.faulted = t.wrong = t.spawn_failures = 0;
	say1("stress: quiet before");
	quiet();
	say1("stress: go");
	int64_t end = sys_gettime() + STRESS_SECONDS * STRESS_TICKS_PER_SECOND;
	while (sys_gettime() < end) {
		while (alive < STRESS_AT_ONCE) {
			int64_t pid = spawn_worker(&t);
			if (pid <= 0)
				break;
			ring[(head + alive++) % STRESS_AT_ONCE] = pid;
		}
		if (alive == 0) {
			(void)sys_yield();
			continue;
		}
		reap(ring[head], &t);
		head = (head + 1) % STRESS_AT_ONCE;
		alive--;
	}
	while (alive > 0) {
		reap(ring[head], &t);
		head = (head + 1) % STRESS_AT_ONCE;
		alive--;
	}
	say1("stress: done, quiet after");
	quiet();
	report(&t);
	return t.wrong || t.spawn_failures > t.started / 10 ? 1 : 0;
}
