/*
 * spinlock: mutual exclusion between CPUs.
 *
 * Each lock carries a name and its level in the global order
 * (lock_order.h). spin_lock_irqsave() additionally disables interrupts on
 * this CPU for as long as the lock is held, for locks an interrupt handler
 * may also take. Debug tracking of the order (which locks each CPU holds)
 * builds on the name and level stored here.
 */
#ifndef CAMBIOS_SPINLOCK_H
#define CAMBIOS_SPINLOCK_H

#include <arch.h>
#include <lock_order.h>
#include <stdatomic.h>
#include <stdbool.h>

struct spinlock {
	atomic_bool locked;
	const char *name;
	enum lock_level level;
};

#define SPINLOCK_INIT(lock_name, lock_level) \
	{ .locked = false, .name = (lock_name), .level = (lock_level) }

void spin_lock(struct spinlock *lock);
void spin_unlock(struct spinlock *lock);
bool spin_trylock(struct spinlock *lock);

/* Interrupt-safe variants: returns the interrupt state to restore. */
arch_irqflags_t spin_lock_irqsave(struct spinlock *lock);
void spin_unlock_irqrestore(struct spinlock *lock, arch_irqflags_t flags);

/*
 * Several locks of one level at once: a task's migration holds two CPUs'
 * scheduler locks, the machine-wide invariant check every CPU's. The
 * first is taken as usual; each further one with spin_lock_next(), which
 * requires a lock of its level held and nothing above it, and the lock
 * to lie above (in address) every one of its level already held. Locks
 * of one kind sit in one array by index (struct cpu's), so ascending
 * addresses are ascending indices: every CPU that takes several of them
 * takes them in the same order, and no two can deadlock. The further
 * locks are released with spin_unlock_next(), all before the first.
 * Interrupts must already be off (every such lock is irq).
 */
void spin_lock_next(struct spinlock *lock);
void spin_unlock_next(struct spinlock *lock);

/* True if some CPU holds the lock (for assertions). */
bool spin_is_locked(const struct spinlock *lock);

#endif
