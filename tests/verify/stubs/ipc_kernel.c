/*
 * ipc_kernel.c (verify stub): the kernel services ipc.c, cap.c and
 * process.c lean on, as tests/verify/stubs/kernel.c states them, with one
 * change: each lock contract says what the lock word depends on (its
 * \from part). kernel.c's spin_unlock_irqrestore has none, and EVA warns
 * about the clause, which fails the check; until kernel.c says
 * `assigns lock->locked \from lock->locked, flags;` these targets link
 * this file in its place.
 *
 * - Spinlocks: mutual exclusion is the hardware's atomics, and EVA analyses
 *   one thread. A lock operation needs a valid lock and changes only it.
 * - printk: formatting is host-tested and fuzzed on its own (lib/format.c);
 *   here a message costs nothing and changes nothing.
 * - panic: must never be reached -- bad input never panics the kernel.
 *
 * (ASSUMPTIONS.md lists kernel.c; this is the same assumption.)
 */
#include <panic.h>
#include <printk.h>
#include <spinlock.h>

/*@ requires \valid(lock);
    assigns lock->locked \from lock->locked;
    assigns \result \from \nothing; */
arch_irqflags_t spin_lock_irqsave(struct spinlock *lock);

/*@ requires \valid(lock);
    assigns lock->locked \from lock->locked, flags; */
void spin_unlock_irqrestore(struct spinlock *lock, arch_irqflags_t flags);

void printk(const char *fmt, ...)
{
	(void)fmt;
}

void printk_line(const char *fmt, ...)
{
	(void)fmt;
}

void panic_at(const char *file, int line, const char *fmt, ...)
{
	(void)file;
	(void)line;
	(void)fmt;
	/*@ assert panic_is_unreachable: \false; */
	for (;;) {
	}
}
