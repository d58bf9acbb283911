/*
 * spinlock: test-and-test-and-set locks (see spinlock.h).
 *
 * Waiters spin on a plain load and only retry the atomic exchange when the
 * lock looks free, so a contended lock does not bounce its cache line
 * between CPUs on every iteration.
 */
#include <spinlock.h>

bool spin_trylock(struct spinlock *lock)
{
	return !atomic_exchange_explicit(&lock->locked, true, memory_order_acquire);
}

void spin_lock(struct spinlock *lock)
{
	while (!spin_trylock(lock)) {
		while (atomic_load_explicit(&lock->locked, memory_order_relaxed))
			arch_cpu_relax();
	}
}

void spin_unlock(struct spinlock *lock)
{
	atomic_store_explicit(&lock->locked, false, memory_order_release);
}

arch_irqflags_t spin_lock_irqsave(struct spinlock *lock)
{
	arch_irqflags_t flags = arch_irq_save();

	spin_lock(lock);
	return flags;
}

void spin_unlock_irqrestore(struct spinlock *lock, arch_irqflags_t flags)
{
	spin_unlock(lock);
	arch_irq_restore(flags);
}

bool spin_is_locked(const struct spinlock *lock)
{
	return atomic_load_explicit(&lock->locked, memory_order_relaxed);
}
