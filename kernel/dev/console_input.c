/*
 * console_input: the console's receive ring (see console_input.h).
 */
#include <console_input.h>

#include <lock_order.h>
#include <spinlock.h>
#include <thread.h>

/* LOCK_CONSOLE (irq; lock_order.h): the ring and its counters. */
static struct spinlock lock = SPINLOCK_INIT("console input", LOCK_CONSOLE);
static uint8_t ring[CONSOLE_INPUT_SIZE];
static size_t head, used; /* the oldest byte's index, and how many */
static uint64_t dropped;
static unsigned console_line;

void console_input_start(unsigned line)
{
	console_line = line;
}

void console_input_push(const uint8_t *bytes, size_t count)
{
	arch_irqflags_t flags = spin_lock_irqsave(&lock);

	for (size_t i = 0; i < count; i++) {
		if (used == CONSOLE_INPUT_SIZE) {
			dropped += count - i;
			break;
		}
		ring[(head + used) % CONSOLE_INPUT_SIZE] = bytes[i];
		used++;
	}
	spin_unlock_irqrestore(&lock, flags);
	sched_wake_all(BLOCK_IRQ, console_line);
}

/* The scheduler's try_once: runs under its lock, takes the ring's. */
static bool has_input(void *ctx)
{
	(void)ctx;
	arch_irqflags_t flags = spin_lock_irqsave(&lock);
	bool any = used > 0;
	spin_unlock_irqrestore(&lock, flags);
	return any;
}

/* Takes up to `max` bytes out of the ring; returns how many. */
static size_t take(uint8_t *out, size_t max)
{
	arch_irqflags_t flags = spin_lock_irqsave(&lock);
	size_t n = 0;

	while (n < max && used > 0) {
		out[n++] = ring[head];
		head = (head + 1) % CONSOLE_INPUT_SIZE;
		used--;
	}
	spin_unlock_irqrestore(&lock, flags);
	return n;
}

size_t console_input_read(uint8_t *out, size_t max)
{
	size_t n = 0;

	/* Another reader may take the bytes between the wake-up and ours. */
	while (n == 0 && max > 0) {
		if (!sched_wait(BLOCK_IRQ, console_line, has_input, NULL))
			user_killed(); /* nothing registered for this wait */
		n = take(out, max);
	}
	return n;
}

uint64_t console_input_dropped(void)
{
	arch_irqflags_t flags = spin_lock_irqsave(&lock);
	uint64_t n = dropped;

	spin_unlock_irqrestore(&lock, flags);
	return n;
}
