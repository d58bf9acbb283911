/*
 * kernel.c (verify stub): the kernel services every subsystem leans on,
 * reduced to what the code under proof may assume of them.
 *
 * - Spinlocks: mutual exclusion is a property of the hardware's atomics,
 *   not of the code under proof, and EVA analyses one thread. A lock is
 *   its locked flag: taking it leaves it held, releasing it leaves it
 *   free, spin_is_locked() reports it (so code that asserts it holds its
 *   lock, as frame.c does, is checked). Each operation needs a valid lock
 *   and changes only the flag. There is no precondition that a lock being
 *   taken is free: the locks are file-static, and the public contracts WP
 *   proves could not state it; the lock order is checked at run time.
 * - printk: output formatting (lib/format.c) is host-tested and fuzzed on
 *   its own; here a message costs nothing and changes nothing.
 * - panic: must never be reached. The kernel panics only on a broken
 *   invariant of its own, never on input, so a harness that feeds input of
 *   every shape the callers can produce must find every panic dead; one it
 *   can reach fails the check below.
 *
 * (ASSUMPTIONS.md lists this stub.)
 */
#include <panic.h>
#include <printk.h>
#include <spinlock.h>

/*@ requires \valid(lock);
    assigns lock->locked \from \nothing;
    ensures lock->locked == 1; */
void spin_lock(struct spinlock *lock);

/*@ requires \valid(lock);
    assigns lock->locked \from \nothing;
    ensures lock->locked == 0; */
void spin_unlock(struct spinlock *lock);

/*@ requires \valid(lock);
    assigns lock->locked \from \nothing;
    assigns \result \from lock->locked;
    ensures lock->locked == 1; */
bool spin_trylock(struct spinlock *lock);

/*@ requires \valid(lock);
    assigns lock->locked \from \nothing;
    assigns \result \from \nothing;
    ensures lock->locked == 1; */
arch_irqflags_t spin_lock_irqsave(struct spinlock *lock);

/*@ requires \valid(lock);
    assigns lock->locked \from \nothing;
    ensures lock->locked == 0; */
void spin_unlock_irqrestore(struct spinlock *lock, arch_irqflags_t flags);

/*@ requires \valid(lock);
    assigns lock->locked \from \nothing;
    ensures lock->locked == 1; */
void spin_lock_next(struct spinlock *lock);

/*@ requires \valid(lock);
    assigns lock->locked \from \nothing;
    ensures lock->locked == 0; */
void spin_unlock_next(struct spinlock *lock);

/*@ requires \valid_read(lock);
    assigns \result \from lock->locked;
    ensures \result == lock->locked; */
bool spin_is_locked(const struct spinlock *lock);

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
