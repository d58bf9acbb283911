/*
 * mp: waking the application processors handed over by the loader.
 *
 * The loader parks every AP on its goto_address. Storing a function pointer
 * there (atomically: the AP polls it) releases the AP onto its own stack in
 * ap_entry(). For now an AP only proves it is alive by incrementing
 * aps_checked_in, then waits; later chapters give it a GDT, an interrupt
 * controller and a scheduler. The BSP's wait is bounded so a CPU that never
 * arrives is reported instead of hanging the boot.
 */
#include <boot.h>

#include <arch.h>
#include <panic.h>
#include <printk.h>
#include <stdatomic.h>

/* Spins of arch_cpu_relax() before the BSP gives up on a missing AP: far
 * longer than any AP takes under software emulation. */
#define AP_CHECKIN_SPIN_LIMIT 400000000ULL

static atomic_uint aps_checked_in;

static __attribute__((noreturn)) void ap_park(void)
{
	for (;;) {
		if (panic_in_progress())
			arch_halt_forever();
		arch_cpu_relax();
	}
}

static void ap_entry(struct limine_mp_info *info)
{
	(void)info;
	arch_irq_disable();
	atomic_fetch_add_explicit(&aps_checked_in, 1, memory_order_release);
	ap_park();
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
#endif

/* Releases every AP; returns how many were released. */
static unsigned mp_release_aps(struct limine_mp_response *mp)
{
	unsigned released = 0;

	for (uint64_t i = 0; i < mp->cpu_count; i++) {
		struct limine_mp_info *cpu = mp->cpus[i];

		if (mp_info_is_bsp(mp, cpu))
			continue;
		cpu->extra_argument = ++released;
		__atomic_store_n(&cpu->goto_address, ap_entry, __ATOMIC_RELEASE);
	}
	return released;
}

static unsigned mp_wait_for_checkins(unsigned expected)
{
	unsigned long long spins = 0;
	unsigned arrived;

	while ((arrived = atomic_load_explicit(&aps_checked_in, memory_order_acquire)) < expected &&
	       spins++ < AP_CHECKIN_SPIN_LIMIT)
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
	if (arrived < released)
		println("smp: warning: %u of %u APs never checked in", released - arrived, released);
	println("smp: %u/%llu CPUs online", arrived + 1, (unsigned long long)mp->cpu_count);
	return arrived + 1;
}
