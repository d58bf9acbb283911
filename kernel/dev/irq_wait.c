/*
 * irq_wait: the router joined to the scheduler (see irq_wait.h).
 */
#include <irq_wait.h>

#include <counter.h>
#include <cpu.h>
#include <ipc.h>
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
static kerr_t begin_here(unsigned line, kpid_t pid)
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
	return K_OK;
}

kerr_t irq_wait(unsigned line, kpid_t pid)
{
	kerr_t err = begin_here(line, pid);

	if (err != K_OK)
		return err;
	if (!sched_wait(BLOCK_IRQ, line, wait_over, &line)) {
		(void)irq_wait_withdraw(line, pid); /* masked again, waiter gone */
		user_killed();
	}
	return irq_wait_result(line, pid);
}

/* For each line, the endpoint (plus one; 0: none) whose messages also
 * end its waiter's wait: irq_interrupt() wakes that waiter where it
 * blocks, on the endpoint. */
static _Atomic uint32_t message_wake[IRQ_LINES];

struct interrupt_or_message {
	unsigned line;
	uint32_t endpoint;
};

/* The scheduler's try_once: takes the router's lock, then IPC's, both
 * above the scheduler's in the order. */
static bool interrupt_or_message_came(void *ctx)
{
	const struct interrupt_or_message *w = ctx;

	return irq_wait_done(w->line) || ipc_queued(w->endpoint) > 0;
}

kerr_t irq_wait_or_message(unsigned line, kpid_t pid, uint32_t endpoint, bool *message)
{
	struct interrupt_or_message w = { .line = line, .endpoint = endpoint };

	*message = false;
	/* Before the line is unmasked, so that its interrupt finds the
	 * waiter where it blocks. */
	atomic_store(&message_wake[line], endpoint + 1);
	kerr_t err = begin_here(line, pid);
	bool killed = err == K_OK &&
		      !sched_wait(BLOCK_MESSAGE, endpoint, interrupt_or_message_came, &w);
	atomic_store(&message_wake[line], 0);
	if (killed) {
		(void)irq_wait_withdraw(line, pid);
		user_killed();
	}
	if (err != K_OK)
		return err;
	err = irq_wait_withdraw(line, pid);
	if (err != K_EAGAIN)
		return err; /* the interrupt came (K_OK), or a storm */
	*message = true;
	return K_OK;
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
	uint32_t endpoint_plus_one = atomic_load(&message_wake[line]);
	if (endpoint_plus_one)
		sched_wake_all(BLOCK_MESSAGE, endpoint_plus_one - 1);
	else
		sched_wake_all(BLOCK_IRQ, line);
}
