/*
 * timer: counting ticks (see timer.h).
 *
 * Each CPU counts its own ticks, in its struct cpu: one shared counter
 * would run N times fast on N CPUs. The BSP's count is the kernel's clock.
 * Each count is an atomic written by its CPU's timer interrupt and read
 * anywhere; no lock is needed, so the interrupt handler takes none.
 */
#include <timer.h>

#include <arch.h>
#include <cpu.h>
#include <stdatomic.h>

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
	const struct cpu *c = cpu_at(cpu);

	return c ? atomic_load_explicit(&c->ticks, memory_order_relaxed) : 0;
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
	atomic_fetch_add_explicit(&cpu_this()->ticks, 1, memory_order_relaxed);
}
