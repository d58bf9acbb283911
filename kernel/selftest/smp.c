/*
 * smp: every CPU in the booted kernel (self-test group for "Waking the
 * Other CPUs").
 *
 * Each AP set itself up -- its own tables, vectors, interrupt controller
 * and timer -- and sleeps between its ticks. While the BSP waits a few of
 * its own ticks, every online CPU's timer must tick too, each counted on
 * that CPU's own counter (one shared counter would run N times fast).
 */
#include <selftest.h>

#include <arch.h>
#include <boot.h>
#include <printk.h>
#include <timer.h>

#define BSP_TICKS_TO_WAIT 10
#define MAX_WAITS 10000

static bool every_cpu_ticks(void)
{
	uint64_t before[MP_MAX_CPUS];
	uint64_t start = timer_ticks();
	unsigned online = 0, ticking = 0;

	for (unsigned cpu = 0; cpu < MP_MAX_CPUS; cpu++)
		before[cpu] = timer_cpu_ticks(cpu);
	for (unsigned waits = 0; timer_ticks() < start + BSP_TICKS_TO_WAIT && waits < MAX_WAITS;
	     waits++)
		arch_wait_for_interrupt();
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

void selftest_smp(void)
{
	selftest_check(every_cpu_ticks(), "smp.every_cpu_ticks");
}
