/*
 * lock_debug: checking the global lock order as the kernel runs.
 *
 * With CONFIG_LOCK_DEBUG (on by default), every CPU keeps the stack of
 * spinlocks it holds. Taking a lock whose level is not above every level
 * held, or taking a lock the CPU already holds, is a deadlock waiting to
 * happen: spin_lock panics naming both locks and their levels, the first
 * time the bad order runs -- not the one time in a million it deadlocks.
 * The check is a separate function so host tests can call it directly.
 */
#ifndef CAMBIOS_LOCK_DEBUG_H
#define CAMBIOS_LOCK_DEBUG_H

#include <spinlock.h>
#include <stdbool.h>

#ifndef CONFIG_LOCK_DEBUG
#define CONFIG_LOCK_DEBUG 1
#endif

#define LOCK_DEBUG_DEPTH 8

/* held[] in the order taken; ceiling[i] is the highest level among
 * held[0..i]. The common cases are then O(1) and inline below: taking a
 * lock above the ceiling, and releasing the last lock taken. Every system
 * call takes several locks and the tracking is on in every build, so
 * these paths are the price every lock pays. */
struct lock_tracker {
	const struct spinlock *held[LOCK_DEBUG_DEPTH];
	int ceiling[LOCK_DEBUG_DEPTH];
	unsigned depth;
};

enum lock_order_verdict {
	LOCK_ORDER_OK,
	LOCK_ORDER_RETAKEN,  /* this CPU already holds the lock */
	LOCK_ORDER_INVERTED, /* a lock of the same or a higher level is held */
	LOCK_ORDER_TOO_DEEP, /* more than LOCK_DEBUG_DEPTH locks at once */
};

/* The full check, for locks at or below the ceiling: says which rule is
 * broken, or OK when only a lower lock taken by trylock above a higher one
 * raised the ceiling. */
enum lock_order_verdict lock_order_classify(const struct lock_tracker *t,
					    const struct spinlock *lock,
					    const struct spinlock **conflict);

/* Release out of stack order; false if `lock` is not held. */
bool lock_tracker_remove(struct lock_tracker *t, const struct spinlock *lock);

/* Whether `t`'s CPU may take `lock` now; *conflict names the held lock
 * that forbids it (for RETAKEN and INVERTED). Above the ceiling the lock
 * can be neither held already (a held lock's level is at most the
 * ceiling) nor out of order. */
static inline enum lock_order_verdict lock_order_check(const struct lock_tracker *t,
						       const struct spinlock *lock,
						       const struct spinlock **conflict)
{
	if (t->depth == 0 ||
	    (t->depth < LOCK_DEBUG_DEPTH && t->ceiling[t->depth - 1] < (int)lock->level))
		return LOCK_ORDER_OK;
	return lock_order_classify(t, lock, conflict);
}

/* Records taking `lock` (beyond LOCK_DEBUG_DEPTH nothing is recorded;
 * the check refuses that depth first). */
static inline void lock_tracker_push(struct lock_tracker *t, const struct spinlock *lock)
{
	unsigned d = t->depth;
	int level = (int)lock->level;

	if (d >= LOCK_DEBUG_DEPTH)
		return;
	t->held[d] = lock;
	t->ceiling[d] = d > 0 && t->ceiling[d - 1] > level ? t->ceiling[d - 1] : level;
	t->depth = d + 1;
}

/* Records releasing `lock`; false if this CPU does not hold it. */
static inline bool lock_tracker_pop(struct lock_tracker *t, const struct spinlock *lock)
{
	if (t->depth > 0 && t->held[t->depth - 1] == lock) {
		t->depth--;
		return true;
	}
	return lock_tracker_remove(t, lock);
}

/* The calling CPU's tracker. */
struct lock_tracker *lock_tracker_current(void);

#endif
