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

/* True if some CPU holds the lock (for assertions). */
bool spin_is_locked(const struct spinlock *lock);

#endif
