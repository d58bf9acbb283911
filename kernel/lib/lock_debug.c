/*
 * lock_debug: per-CPU held-lock stacks and the order check (lock_debug.h).
 *
 * Each CPU touches only its own tracker (in its struct cpu), and only with the lock being
 * taken not yet held, so no locking is needed here. A lock may be released
 * out of stack order (hand-over-hand patterns); the rest of the stack
 * closes the gap.
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
	for (unsigned i = 0; i < t->depth; i++) {
		if (t->held[i] == lock) {
			*conflict = t->held[i];
			return LOCK_ORDER_RETAKEN;
		}
	}
	for (unsigned i = 0; i < t->depth; i++) {
		if (t->held[i]->level >= lock->level) {
			*conflict = t->held[i];
			return LOCK_ORDER_INVERTED;
		}
	}
	return t->depth == LOCK_DEBUG_DEPTH ? LOCK_ORDER_TOO_DEEP : LOCK_ORDER_OK;
}

bool lock_tracker_remove(struct lock_tracker *t, const struct spinlock *lock)
{
	for (unsigned i = t->depth; i-- > 0;) {
		if (t->held[i] != lock)
			continue;
		/* Close the gap; the ceilings above it are recomputed without
		 * the removed lock. */
		for (unsigned j = i; j + 1 < t->depth; j++) {
			int level = (int)t->held[j + 1]->level;
			t->held[j] = t->held[j + 1];
			t->ceiling[j] = j > 0 && t->ceiling[j - 1] > level ? t->ceiling[j - 1] : level;
		}
		t->depth--;
		return true;
	}
	return false;
}
