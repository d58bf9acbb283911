/*
 * timer: counting ticks (see timer.h).
 *
 * Each count is an atomic written by its CPU's timer interrupt and read
 * anywhere; no lock is needed, so the interrupt handler takes none.
 */
#include <timer.h>

#include <arch.h>
#include <stdatomic.h>

#define TIMER_MAX_CPUS 64

/* Each CPU counts its own ticks: one shared counter would run N times fast
 * on N CPUs. The BSP's count is the kernel's clock. */
static atomic_uint_fast64_t ticks[TIMER_MAX_CPUS];

void timer_init(void)
{
	arch_interrupts_init();
	arch_timer_start(TIMER_HZ);
}

uint64_t timer_ticks(void)
{
	return timer_cpu_ticks(0);
}

uint64_t timer_cpu_ticks(unsigned cpu)
{
	return cpu < TIMER_MAX_CPUS ? atomic_load_explicit(&ticks[cpu], memory_order_relaxed) : 0;
}

unsigned timer_wait_ticks(uint64_t ticks, unsigned max_waits)
{
	uint64_t start = timer_ticks();
	unsigned waits = 0;

	while (timer_ticks() - start < ticks && waits < max_waits) {
		arch_wait_for_interrupt();
		waits++;
	}
	return waits;
}

void timer_tick(void)
{
	unsigned cpu = arch_cpu_index();

	if (cpu < TIMER_MAX_CPUS)
		atomic_fetch_add_explicit(&ticks[cpu], 1, memory_order_relaxed);
}
