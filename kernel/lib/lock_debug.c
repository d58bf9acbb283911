/*
 * lock_debug: per-CPU held-lock sets and the order check (lock_debug.h).
 *
 * Each CPU touches only its own tracker (in its struct cpu), and only with
 * the lock being taken not yet held, so no locking is needed here. Locks
 * may be released in any order (hand-over-hand patterns): a release clears
 * its level, whatever else is held.
 */
#include <lock_debug.h>

#include <cpu.h>
#include <spinlock.h>

struct lock_tracker *lock_tracker_current(void)
{
	return &cpu_this()->locks;
}

enum lock_order_verdict lock_order_classify(const struct lock_tracker *t,
					    const struct spinlock *lock,
					    const struct spinlock **conflict)
{
	uint32_t above = t->levels >> lock->level; /* bit i: level + i is held */

	if (above == 0)
		return LOCK_ORDER_OK;
	*conflict = t->held[lock->level + (unsigned)__builtin_ctz(above)];
	return *conflict == lock ? LOCK_ORDER_RETAKEN : LOCK_ORDER_INVERTED;
}
