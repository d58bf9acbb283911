/*
 * mp: waking the application processors handed over by the loader.
 *
 * The loader parks every AP on its goto_address. Storing a function pointer
 * there (atomically: the AP polls it) releases the AP onto its own stack in
 * ap_entry(). The BSP prepares what each AP needs of its own first
 * (arch_ap_prepare) and numbers it in extra_argument; the AP sets itself
 * up (arch_ap_init: tables, vectors, interrupt controller, timer), proves
 * it is alive by checking in, and sleeps between its ticks until the
 * scheduler gives it work. The BSP's wait is bounded so a CPU that never
 * arrives is reported instead of hanging the boot.
 */
#include <boot.h>

#include <arch.h>
#include <cpu.h>
#include <panic.h>
#include <printk.h>
#include <stdatomic.h>
#include <thread.h>
#include <timer.h>

/* Spins of arch_cpu_relax() before the BSP gives up on a missing AP: far
 * longer than any AP takes under software emulation. */
#define AP_CHECKIN_SPIN_LIMIT 400000000ULL

static atomic_uint_fast64_t online_mask = 1; /* bit n: CPU n checked in; the BSP is */
static void *ap_prepared[MP_MAX_CPUS];        /* written before each AP is released */

/* Work the BSP hands every AP (mp_run_on_aps): a new generation number
 * announces it, each AP runs it once and counts itself done. */
struct ap_work {
	void (*fn)(void *);
	void *arg;
	atomic_uint generation;
	atomic_uint done;
};

static struct ap_work work;

/* The BSP's wait for the APs' work, in its own ticks: far longer than a
 * CPU's next tick plus any self-test's work. */
#define AP_WORK_TIMEOUT_TICKS 3000

static void run_posted_work(unsigned *seen)
{
	unsigned generation = atomic_load_explicit(&work.generation, memory_order_acquire);

	if (generation == *seen)
		return;
	*seen = generation;
	work.fn(work.arg);
	atomic_fetch_add_explicit(&work.done, 1, memory_order_release);
}

void cpu_idle_forever(void)
{
	unsigned seen = 0;

	while (!panic_in_progress()) {
		if (cpu_index() != 0)
			run_posted_work(&seen);
		sched_idle_step();
	}
	arch_halt_forever();
}

unsigned mp_run_on_aps(void (*fn)(void *), void *arg)
{
	unsigned expected = mp_aps_online();
	uint64_t start = timer_ticks();

	atomic_store_explicit(&work.done, 0, memory_order_relaxed);
	work.fn = fn;
	work.arg = arg;
	atomic_fetch_add_explicit(&work.generation, 1, memory_order_release);
	while (atomic_load_explicit(&work.done, memory_order_acquire) < expected &&
	       timer_ticks() - start < AP_WORK_TIMEOUT_TICKS)
		arch_wait_for_interrupt();
	unsigned done = atomic_load_explicit(&work.done, memory_order_acquire);
	if (done < expected)
		println("smp: only %u of %u APs finished their work in time", done, expected);
	return done;
}

unsigned mp_aps_online(void)
{
	return (unsigned)__builtin_popcountll(atomic_load_explicit(&online_mask, memory_order_acquire)) - 1;
}

bool mp_cpu_online(unsigned index)
{
	return index < MP_MAX_CPUS &&
	       (atomic_load_explicit(&online_mask, memory_order_acquire) >> index & 1);
}

static void ap_entry(struct limine_mp_info *info)
{
	unsigned index = (unsigned)info->extra_argument;

	arch_irq_disable();
	arch_ap_init(ap_prepared[index], index); /* before any lock: cpu_index() */
	sched_start_cpu();                       /* this context becomes the AP's idle thread */
	atomic_fetch_or_explicit(&online_mask, 1ULL << index, memory_order_release);
	cpu_idle_forever();
}

#if defined(__x86_64__)
static bool mp_info_is_bsp(const struct limine_mp_response *mp, const struct limine_mp_info *cpu)
{
	return cpu->lapic_id == mp->bsp_lapic_id;
}

static void mp_print_topology(const struct limine_mp_response *mp)
{
	println("smp: %llu CPUs, BSP local APIC id %u", (unsigned long long)mp->cpu_count,
		mp->bsp_lapic_id);
}

static void mp_report_missing(const struct limine_mp_info *cpu, unsigned index)
{
	println("smp: warning: CPU %u (local APIC id %u) never checked in", index, cpu->lapic_id);
}
#else
static bool mp_info_is_bsp(const struct limine_mp_response *mp, const struct limine_mp_info *cpu)
{
	return cpu->mpidr == mp->bsp_mpidr;
}

static void mp_print_topology(const struct limine_mp_response *mp)
{
	println("smp: %llu CPUs, BSP MPIDR 0x%llx", (unsigned long long)mp->cpu_count,
		(unsigned long long)mp->bsp_mpidr);
}

static void mp_report_missing(const struct limine_mp_info *cpu, unsigned index)
{
	println("smp: warning: CPU %u (MPIDR 0x%llx) never checked in", index,
		(unsigned long long)cpu->mpidr);
}
#endif

/* Names each released AP that did not check in (its index was given to
 * it as the extra argument when it was released). */
static void mp_name_missing(const struct limine_mp_response *mp)
{
	for (uint64_t i = 0; i < mp->cpu_count; i++) {
		const struct limine_mp_info *cpu = mp->cpus[i];
		unsigned index = (unsigned)cpu->extra_argument;
		if (!mp_info_is_bsp(mp, cpu) && index != 0 && !mp_cpu_online(index))
			mp_report_missing(cpu, index);
	}
}

/* Releases every AP; returns how many were released. */
static unsigned mp_release_aps(struct limine_mp_response *mp)
{
	unsigned released = 0;

	for (uint64_t i = 0; i < mp->cpu_count; i++) {
		struct limine_mp_info *cpu = mp->cpus[i];
		unsigned index = released + 1;

		if (mp_info_is_bsp(mp, cpu))
			continue;
		cpu->extra_argument = 0; /* not numbered unless released */
		if (index >= MP_MAX_CPUS || !(ap_prepared[index] = arch_ap_prepare(index))) {
			println("smp: CPU %llu left parked (%s)", (unsigned long long)i,
				index >= MP_MAX_CPUS ? "more CPUs than the kernel numbers" : "out of memory");
			continue;
		}
		cpu->extra_argument = index;
		released = index;
		__atomic_store_n(&cpu->goto_address, ap_entry, __ATOMIC_RELEASE);
	}
	return released;
}

static unsigned mp_wait_for_checkins(unsigned expected)
{
	unsigned long long spins = 0;
	unsigned arrived;

	while ((arrived = mp_aps_online()) < expected && spins++ < AP_CHECKIN_SPIN_LIMIT)
		arch_cpu_relax();
	return arrived;
}

unsigned mp_wake_aps(void)
{
	struct limine_mp_response *mp = boot_mp();

	if (!mp) {
		println("smp: no MP response from the loader; running on the BSP alone");
		println("smp: 1/1 CPUs online");
		return 1;
	}
	mp_print_topology(mp);
	unsigned released = mp_release_aps(mp);
	unsigned arrived = mp_wait_for_checkins(released);
	if (arrived < released) {
		println("smp: warning: %u of %u APs never checked in", released - arrived, released);
		mp_name_missing(mp);
	}
	println("smp: %u/%llu CPUs online", arrived + 1, (unsigned long long)mp->cpu_count);
	return arrived + 1;
}
