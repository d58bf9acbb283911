/*
 * timer: counting ticks (see timer.h).
 *
 * The count is an atomic written by the timer interrupt and read anywhere;
 * no lock is needed, so the interrupt handler takes none.
 */
#include <timer.h>

#include <arch.h>
#include <stdatomic.h>

static atomic_uint_fast64_t ticks;

void timer_init(void)
{
	arch_interrupts_init();
	arch_timer_start(TIMER_HZ);
}

uint64_t timer_ticks(void)
{
	return atomic_load_explicit(&ticks, memory_order_relaxed);
}

void timer_tick(void)
{
	atomic_fetch_add_explicit(&ticks, 1, memory_order_relaxed);
}
