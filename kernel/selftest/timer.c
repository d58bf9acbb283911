/*
 * timer: the periodic tick in the booted kernel (self-test group for
 * "Waking the Hardware").
 *
 * With interrupts unmasked only while it sleeps, the boot CPU waits for
 * the timer: ticks must arrive, one per interrupt wait, and the kernel
 * must come back from each with its state intact.
 */
#include <selftest.h>

#include <printk.h>
#include <timer.h>

#define TICKS_TO_SEE 5
/* Each wait ends at the next interrupt; only the timer's are enabled, so
 * this bound is generous. */
#define MAX_WAITS 1000

static bool ticks_arrive(void)
{
	uint64_t start = timer_ticks();
	unsigned waits = timer_wait_ticks(TICKS_TO_SEE, MAX_WAITS);
	uint64_t seen = timer_ticks() - start;
	println("timer: %llu ticks in %u interrupt waits", (unsigned long long)seen, waits);
	return seen >= TICKS_TO_SEE;
}

void selftest_timer(void)
{
	selftest_check(ticks_arrive(), "timer.ticks_arrive");
}
