/*
 * irq_wait: the router joined to the scheduler (see irq_wait.h).
 */
#include <irq_wait.h>

#include <counter.h>
#include <cpu.h>
#include <printk.h>
#include <thread.h>

#define MICROSECONDS 1000000u

/* The storm window in counter ticks. On AArch64 the counter's rate is
 * CNTFRQ_EL0; x86_64's TSC rate is not measured, and counter_hz() takes it
 * for 1 GHz: the window is then 0.3-1 ms on today's CPUs, which is all the
 * precision "at once" needs. */
void irq_init(const struct irq_chip *chip)
{
	irq_router_init(chip, counter_hz() / MICROSECONDS * IRQ_STORM_WINDOW_US);
}

/* The scheduler's try_once: runs under its lock, takes the router's. */
static bool wait_over(void *ctx)
{
	return irq_wait_done(*(const unsigned *)ctx);
}

/* The waiter is pinned first: a driver stays where it waits (the
 * balancer leaves it), and its line follows it there. */
kerr_t irq_wait(unsigned line, kpid_t pid)
{
	unsigned was_on, cpu;
	struct irq_line_info info;

	sched_pin_current();
	cpu = cpu_this()->index;
	kerr_t err = irq_wait_begin(line, pid, counter_read(), cpu, &was_on);
	if (err != K_OK)
		return err;
	/* Moved now (the chip could steer it): said once, as a driver starts. */
	if (was_on != cpu && irq_line_info(line, &info) && info.cpu == cpu)
		println("irq: line %u now delivered to CPU %u, where process %u waits", line, cpu,
			PID_SLOT(pid));
	sched_wait(BLOCK_IRQ, line, wait_over, &line);
	return irq_wait_result(line, pid);
}

void irq_report_held(kpid_t pid)
{
	struct irq_line_info info;

	for (unsigned line = 0; irq_next_held(pid, &line, &info); line++)
		println("irq: process %u held line %u: %llu interrupts, delivered to CPU %u, %llu "
			"taken on another", PID_SLOT(pid), line, (unsigned long long)info.count,
			info.cpu, (unsigned long long)info.elsewhere);
}

void irq_interrupt(unsigned line)
{
	enum irq_outcome out = irq_dispatch(line, counter_read(), cpu_this()->index);

	if (out == IRQ_SPURIOUS)
		return;
	if (out == IRQ_STORM)
		println("irq: interrupt storm on line %u (%u refires at once after unmask): "
			"masked for good", line, IRQ_STORM_REFIRES);
	sched_wake_all(BLOCK_IRQ, line);
}
