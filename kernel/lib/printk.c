/*
 * printk: the kernel's formatted console output.
 *
 * Formatting is lib/format's job; this file adds the console lock and the
 * "\n" -> "\r\n" translation. The lock is a plain test-and-set flag with
 * interrupts left as they are: it is held only while characters go out, so
 * it sits at the very bottom of the lock order (taken last, nothing taken
 * under it).
 */
#include <printk.h>

#include <arch.h>
#include <format.h>
#include <stdatomic.h>

static atomic_flag console_lock = ATOMIC_FLAG_INIT;

static void console_lock_acquire(void)
{
	while (atomic_flag_test_and_set_explicit(&console_lock, memory_order_acquire))
		arch_cpu_relax();
}

static void console_lock_release(void)
{
	atomic_flag_clear_explicit(&console_lock, memory_order_release);
}

void printk_force_unlock(void)
{
	console_lock_release();
}

static void console_sink(char c, void *ctx)
{
	(void)ctx;
	if (c == '\n')
		arch_console_putc('\r');
	arch_console_putc(c);
}

void vprintk(const char *fmt, va_list ap)
{
	console_lock_acquire();
	format_emit(console_sink, NULL, fmt, ap);
	console_lock_release();
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void printk_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_lock_acquire();
	format_emit(console_sink, NULL, fmt, ap);
	console_sink('\n', NULL);
	console_lock_release();
	va_end(ap);
}
