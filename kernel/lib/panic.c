/*
 * panic: stop the machine with an explanation.
 *
 * The first CPU to panic raises panic_flag; every CPU waiting in a loop
 * (APs parked in mp.c, later the idle loops) checks it and halts itself,
 * so "halt every CPU" needs no interrupt controller yet. A CPU that panics
 * while another is already panicking just halts, keeping the first report
 * readable.
 */
#include <panic.h>

#include <arch.h>
#include <printk.h>
#include <stdatomic.h>

static atomic_bool panic_flag;

bool panic_in_progress(void)
{
	return atomic_load_explicit(&panic_flag, memory_order_acquire);
}

void panic_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	arch_irq_disable();
	if (atomic_exchange_explicit(&panic_flag, true, memory_order_acq_rel))
		arch_halt_forever();

	/* The CPU that held the console may be the one that broke. */
	printk_force_unlock();
	printk("PANIC: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n  at %s:%d\n  all CPUs halted\n", file, line);
	arch_halt_forever();
}
