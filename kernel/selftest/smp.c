/*
 * smp: every CPU in the booted kernel (self-test group for "Waking the
 * Other CPUs").
 *
 * Each AP set itself up -- its own tables, vectors, interrupt controller
 * and timer -- and sleeps between its ticks. While the BSP waits a few of
 * its own ticks, every online CPU's timer must tick too, each counted on
 * that CPU's own counter (one shared counter would run N times fast).
 * Then every AP at once hammers the kernel heap and the frame allocator --
 * real concurrency: QEMU runs each virtual CPU on its own host thread --
 * checking its own bytes; the locks (order-checked per CPU) must keep
 * every allocation whole and the heap consistent. A reschedule IPI sent
 * to each online CPU, the BSP itself included, must arrive there, and one
 * to a CPU that is not online is refused. A kernel thread made on the last
 * CPU blocks there; the BSP's wake-up must find it on that CPU's queue
 * and, through a reschedule IPI, run it there at once -- within the tick
 * -- and once it ends, the reaper (on the BSP) must free it.
 */
#include <selftest.h>

#include <arch.h>
#include <cpu.h>
#include <boot.h>
#include <frame.h>
#include <heap.h>
#include <ipi.h>
#include <hhdm.h>
#include <printk.h>
#include <stdatomic.h>
#include <thread.h>
#include <timer.h>
#include <xorshift.h>

#define BSP_TICKS_TO_WAIT 10
#define MAX_WAITS 10000

static bool every_cpu_ticks(void)
{
	uint64_t before[MP_MAX_CPUS];
	unsigned online = 0, ticking = 0;

	for (unsigned cpu = 0; cpu < MP_MAX_CPUS; cpu++)
		before[cpu] = timer_cpu_ticks(cpu);
	(void)timer_wait_ticks(BSP_TICKS_TO_WAIT, MAX_WAITS);
	for (unsigned cpu = 0; cpu < MP_MAX_CPUS; cpu++) {
		if (!mp_cpu_online(cpu))
			continue;
		uint64_t seen = timer_cpu_ticks(cpu) - before[cpu];
		online++;
		ticking += seen > 0;
		println("smp: cpu %u counted %llu ticks of its own", cpu, (unsigned long long)seen);
	}
	return online > 0 && ticking == online;
}

#define STRESS_ROUNDS 3000
#define STRESS_SLOTS 32
#define STRESS_MAX_SIZE 2048
#define STRESS_FRAMES 200

static atomic_uint stress_failures;

/* Random kmalloc/kfree with each block filled with a pattern of its own,
 * checked before it is freed. */
static unsigned stress_heap(uint64_t *rng, uint8_t tag)
{
	uint8_t *held[STRESS_SLOTS] = { 0 };
	size_t sizes[STRESS_SLOTS];
	unsigned failures = 0;

	for (unsigned round = 0; round < STRESS_ROUNDS; round++) {
		unsigned slot = (unsigned)(xorshift64(rng) % STRESS_SLOTS);
		uint8_t fill = (uint8_t)(tag * STRESS_SLOTS + slot);
		if (held[slot]) {
			failures += !selftest_pattern_intact(held[slot], sizes[slot], fill);
			kfree(held[slot]);
			held[slot] = NULL;
			continue;
		}
		sizes[slot] = 1 + xorshift64(rng) % STRESS_MAX_SIZE;
		held[slot] = kmalloc(sizes[slot]);
		if (!held[slot]) {
			failures++;
			continue;
		}
		selftest_fill_pattern(held[slot], sizes[slot], fill);
	}
	for (unsigned slot = 0; slot < STRESS_SLOTS; slot++) {
		if (held[slot]) {
			failures += !selftest_pattern_intact(held[slot], sizes[slot],
							     (uint8_t)(tag * STRESS_SLOTS + slot));
			kfree(held[slot]);
		}
	}
	return failures;
}

/* Frames taken and given back one at a time, each stamped and checked. */
static unsigned stress_frames(uint8_t tag)
{
	unsigned failures = 0;

	for (unsigned i = 0; i < STRESS_FRAMES; i++) {
		paddr_t frame;
		if (frame_alloc(&frame) != K_OK) {
			failures++;
			continue;
		}
		uint8_t *page = phys_to_virt(frame);
		selftest_fill_pattern(page, 4096, tag);
		failures += !selftest_pattern_intact(page, 4096, tag);
		failures += frame_free(frame) != K_OK;
	}
	return failures;
}

static void stress_allocators(void *unused)
{
	unsigned cpu = cpu_index();
	uint64_t rng = 0x9e3779b97f4a7c15ULL * (cpu + 1);

	(void)unused;
	unsigned failures = stress_heap(&rng, (uint8_t)cpu) + stress_frames((uint8_t)(0xa0 + cpu));
	atomic_fetch_add_explicit(&stress_failures, failures, memory_order_relaxed);
}

static bool allocators_hold_under_every_cpu(void)
{
	uint64_t frames_before = frame_free_count();
	unsigned aps = mp_aps_online();

	atomic_store(&stress_failures, 0);
	unsigned ran = mp_run_on_aps(stress_allocators, NULL);
	unsigned failures = atomic_load(&stress_failures);
	enum heap_fault fault = heap_check(heap_kernel());
	println("smp: %u APs allocated at once: %u bad blocks or frames, heap %s, %llu frames not returned",
		ran, failures, fault == HEAP_FAULT_NONE ? "consistent" : "CORRUPT",
		(unsigned long long)(frames_before - frame_free_count()));
	return ran == aps && failures == 0 && fault == HEAP_FAULT_NONE &&
	       frame_free_count() == frames_before;
}

#define IPI_WAITS 100 /* interrupt waits (a tick each at most) for an IPI to land */

/* Sends `cpu` a reschedule IPI; true once it has counted it. */
static bool ipi_arrives(unsigned cpu)
{
	uint64_t before = ipi_received(cpu, IPI_RESCHEDULE);
	unsigned waits = 0;

	if (ipi_send(cpu, IPI_RESCHEDULE) != K_OK)
		return false;
	while (ipi_received(cpu, IPI_RESCHEDULE) == before && waits++ < IPI_WAITS)
		arch_wait_for_interrupt();
	println("smp: reschedule IPI to cpu %u (interrupt ID 0x%llx): %s after %u waits", cpu,
		(unsigned long long)cpu_at(cpu)->hw_id,
		ipi_received(cpu, IPI_RESCHEDULE) > before ? "arrived" : "LOST", waits);
	return ipi_received(cpu, IPI_RESCHEDULE) > before;
}

static bool ipis_reach_every_cpu(void)
{
	unsigned sent = 0, arrived = 0;

	for (unsigned cpu = 0; cpu < MP_MAX_CPUS; cpu++) {
		if (!mp_cpu_online(cpu)) {
			if (ipi_send(cpu, IPI_RESCHEDULE) != K_EINVAL)
				return false;
			continue;
		}
		sent++;
		arrived += ipi_arrives(cpu);
	}
	return sent > 0 && arrived == sent && ipi_send(0, IPI_KINDS) == K_EINVAL;
}

#define WAKE_REASON_ARG 0x5eed /* a message on no real endpoint */

struct remote_waiter {
	atomic_bool go, woke;
	atomic_uint cpu_blocked, cpu_woke;
	uint64_t woke_at; /* the BSP's tick */
	struct thread *thread;
};

static struct remote_waiter waiter;

static bool go_given(void *ctx)
{
	return atomic_load_explicit(&((struct remote_waiter *)ctx)->go, memory_order_acquire);
}

static void wait_for_go(void *arg)
{
	struct remote_waiter *w = arg;

	atomic_store(&w->cpu_blocked, cpu_index());
	(void)sched_wait(BLOCK_MESSAGE, WAKE_REASON_ARG, go_given, w); /* a kernel thread */
	w->woke_at = timer_ticks();
	atomic_store(&w->cpu_woke, cpu_index());
	atomic_store(&w->woke, true);
}

/* On the CPU it runs on (an AP's idle context, or the BSP). */
static void make_waiter(void *target)
{
	if (cpu_index() == (unsigned)(uintptr_t)target &&
	    thread_create_kernel("remote-waiter", PRIORITY_NORMAL, wait_for_go, &waiter,
				 &waiter.thread) != K_OK)
		println("smp: no thread for the wake-up test on cpu %u", cpu_index());
}

static bool waiter_blocked(void)
{
	return waiter.thread && waiter.thread->task.state == TASK_BLOCKED;
}

static bool waiter_woke(void)
{
	return atomic_load(&waiter.woke);
}

static unsigned threads_before;

static bool waiter_reaped(void)
{
	return thread_count() == threads_before;
}

static bool wake_reaches_the_waiters_cpu(void)
{
	unsigned target = selftest_last_cpu();

	threads_before = thread_count();
	waiter = (struct remote_waiter){ .thread = NULL };
	atomic_store(&waiter.cpu_blocked, MP_MAX_CPUS);
	if (target == 0)
		make_waiter((void *)0);
	else
		(void)mp_run_on_aps(make_waiter, (void *)(uintptr_t)target);
	if (!selftest_wait_until(MAX_WAITS, waiter_blocked))
		return false;
	uint64_t ipis = ipi_received(target, IPI_RESCHEDULE);
	uint64_t asked_at = timer_ticks();
	atomic_store_explicit(&waiter.go, true, memory_order_release);
	sched_wake_all(BLOCK_MESSAGE, WAKE_REASON_ARG);
	bool woke = selftest_wait_until(MAX_WAITS, waiter_woke);
	bool reaped = selftest_wait_until(MAX_WAITS, waiter_reaped);
	println("smp: a thread blocked on cpu %u woke on cpu %u, %llu ticks after the wake-up "
		"(%llu reschedule IPIs there), reaped: %s",
		atomic_load(&waiter.cpu_blocked), atomic_load(&waiter.cpu_woke),
		(unsigned long long)(woke ? waiter.woke_at - asked_at : 0),
		(unsigned long long)(ipi_received(target, IPI_RESCHEDULE) - ipis), reaped ? "yes" : "no");
	return woke && reaped && atomic_load(&waiter.cpu_blocked) == target &&
	       atomic_load(&waiter.cpu_woke) == target && waiter.woke_at - asked_at <= 1 &&
	       (target == 0 || ipi_received(target, IPI_RESCHEDULE) > ipis);
}

void selftest_smp(void)
{
	selftest_check(every_cpu_ticks(), "smp.every_cpu_ticks");
	selftest_check(allocators_hold_under_every_cpu(), "smp.allocators_under_every_cpu");
	selftest_check(ipis_reach_every_cpu(), "smp.ipi_reaches_every_cpu");
	selftest_check(wake_reaches_the_waiters_cpu(), "smp.wake_reaches_the_waiters_cpu");
}
