/*
 * frame_kernel.c (verify stub, the frame and objstore targets): the kernel
 * services those files lean on -- spinlocks, printk, panic -- with a lock
 * that remembers whether it is held.
 *
 * The shared tests/verify/stubs/kernel.c leaves the lock state unknown
 * after every operation and says nothing of spin_is_locked's result, so an
 * allocator that asserts it holds its lock (frame.c's assert_locked) would
 * reach panic; and spin_unlock_irqrestore's assigns clause there has no
 * \from part, which EVA reports as a warning. This stub says what the
 * code relies on instead:
 *
 * - Spinlocks: mutual exclusion is a property of the hardware's atomics
 *   and EVA analyses one thread, so a lock is its locked flag. Taking a
 *   lock leaves it held, releasing it leaves it free, spin_is_locked
 *   reports the flag. (No precondition that a taken lock be free: the
 *   lock is file-static, so the public contracts WP proves could not
 *   state it.)
 * - printk: output formatting (lib/format.c) is host-tested and fuzzed on
 *   its own; here a message costs nothing and changes nothing.
 * - panic: must never be reached, exactly as in kernel.c: bad input never
 *   panics, so a harness feeding every input must find every panic dead.
 *
 * (ASSUMPTIONS.md lists this stub.)
 */
#include <panic.h>
#include <printk.h>
#include <spinlock.h>

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
void spin_lock(struct spinlock *lock);

/*@ requires \valid(lock);
    assigns lock->locked \from \nothing;
    ensures lock->locked == 0; */
void spin_unlock(struct spinlock *lock);

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
