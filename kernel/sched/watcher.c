/*
 * watcher: the BSP's periodic statistics and invariant checks (see
 * watcher.h).
 */
#include <watcher.h>

#include <boot.h>
#include <cmdline.h>
#include <cpu.h>
#include <frame.h>
#include <heap.h>
#include <current.h>
#include <panic.h>
#include <printk.h>
#include <sched_cpus.h>
#include <sched_machine.h>
#include <thread.h>
#include <timer.h>

#define LONGEST_PERIOD 86400

struct cpu_figures {
	uint64_t ticks, switches, idle_ticks;
	unsigned runnable;
};

/* A period from the command line, in ticks, else the default. */
static uint64_t period(const char *key, uint64_t seconds)
{
	uint64_t asked;

	if (cmdline_number(boot_cmdline(), key, &asked) && asked >= 1 && asked <= LONGEST_PERIOD)
		seconds = asked;
	return seconds * TIMER_HZ;
}

/* CPU c's figures now, read under its scheduler lock. */
static struct cpu_figures figures_of(struct cpu *c)
{
	arch_irqflags_t flags = spin_lock_irqsave(&c->sched_lock);
	struct cpu_figures f = {
		.ticks = atomic_load_explicit(&c->ticks, memory_order_relaxed),
		.switches = c->rq.switches,
		.idle_ticks = c->idle_ticks,
		/* Not counting the watcher itself, running here now. */
		.runnable = sched_runnable(&c->rq) - (c->rq.current == &thread_current()->task),
	};
	spin_unlock_irqrestore(&c->sched_lock, flags);
	return f;
}

/* What memory is in use, for leaks to show between two quiet moments. */
static void print_memory(void)
{
	struct heap_stats heap;

	heap_get_stats(heap_kernel(), &heap);
	println("mem: %llu of %llu frames free; heap: %zu live allocations, %zu bytes",
		(unsigned long long)frame_free_count(), (unsigned long long)frame_managed_count(),
		heap.live_allocations, heap.in_use_bytes);
}

static void print_statistics(struct cpu_figures *last)
{
	for (unsigned i = 0; i < MP_MAX_CPUS; i++) {
		struct cpu *c = sched_cpu(i);
		if (!c)
			continue;
		struct cpu_figures now = figures_of(c);
		uint64_t ticks = now.ticks - last[i].ticks;
		uint64_t idle = now.idle_ticks - last[i].idle_ticks;
		println("sched: cpu %u: %llu ticks, %llu switches, %u runnable, idle %llu%%", i,
			(unsigned long long)ticks,
			(unsigned long long)(now.switches - last[i].switches), now.runnable,
			(unsigned long long)(ticks ? idle * 100 / ticks : 100));
		last[i] = now;
	}
	print_memory();
}

/* Every CPU's queue and every task at once, every scheduler lock held. */
static void check_invariants(void)
{
	unsigned cpus, tasks;
	const char *broken = sched_check_all(&cpus, &tasks);

	if (broken)
		panic("scheduler invariant broken: %s", broken);
	println("sched: invariants hold on %u CPU%s, %u tasks", cpus, cpus == 1 ? "" : "s", tasks);
}

void watcher_main(void *arg)
{
	static struct cpu_figures last[MP_MAX_CPUS];
	uint64_t stats_every = period(CMDLINE_STATS, SCHED_STATS_SECONDS);
	uint64_t check_every = period(CMDLINE_CHECK, SCHED_CHECK_SECONDS);
	uint64_t balance_every = period(CMDLINE_BALANCE, SCHED_BALANCE_SECONDS);
	uint64_t now = timer_ticks();
	uint64_t next_stats = now + stats_every, next_check = now + check_every;
	uint64_t next_balance = now + balance_every;

	(void)arg;
	println("sched: statistics every %llu s, invariant checks every %llu s, balancing every "
		"%llu s", (unsigned long long)(stats_every / TIMER_HZ),
		(unsigned long long)(check_every / TIMER_HZ),
		(unsigned long long)(balance_every / TIMER_HZ));
	for (;;) {
		uint64_t next = next_stats < next_check ? next_stats : next_check;
		next = next < next_balance ? next : next_balance;
		now = timer_ticks();
		if (next > now)
			sched_sleep(next - now);
		now = timer_ticks();
		if (now >= next_stats) {
			print_statistics(last);
			next_stats = now + stats_every;
		}
		if (now >= next_check) {
			check_invariants();
			next_check = now + check_every;
		}
		if (now >= next_balance) {
			(void)sched_balance_step();
			next_balance = now + balance_every;
		}
	}
}
