/*
 * lock_debug: checking the global lock order as the kernel runs.
 *
 * With CONFIG_LOCK_DEBUG (on by default), every CPU keeps track of the
 * spinlocks it holds. Taking a lock whose level is not above every level
 * held, or taking a lock the CPU already holds, is a deadlock waiting to
 * happen: spin_lock panics naming both locks and their levels, the first
 * time the bad order runs -- not the one time in a million it deadlocks.
 * The check is separate from the locking so host tests can call it
 * directly.
 */
#ifndef CAMBIOS_LOCK_DEBUG_H
#define CAMBIOS_LOCK_DEBUG_H

#include <spinlock.h>
#include <stdbool.h>
#include <stdint.h>

#ifndef CONFIG_LOCK_DEBUG
#define CONFIG_LOCK_DEBUG 1
#endif

_Static_assert(LOCK_LEVEL_COUNT <= 32, "lock_debug: one bit per level in a 32-bit mask");

/* One slot per level. spin_lock never lets a CPU hold two locks of one
 * level (the second would be out of order), so the held locks are a set
 * of levels -- a bit mask -- each with its one lock. The order check is
 * then one shift of the mask, and taking and releasing a lock a bit and a
 * slot each: every system call takes several locks and the tracking is on
 * in every build, so this is the price every lock pays. */
struct lock_tracker {
	uint32_t levels;                                /* bit L: held[L] is held */
	const struct spinlock *held[LOCK_LEVEL_COUNT];
	/* Further locks of one level, taken with spin_lock_next() after its
	 * first (held[level]), in ascending address order: how many, and
	 * the last, which the next must come after. */
	unsigned next_count;
	const struct spinlock *next_last;
};

enum lock_order_verdict {
	LOCK_ORDER_OK,
	LOCK_ORDER_RETAKEN,  /* this CPU already holds the lock */
	LOCK_ORDER_INVERTED, /* a lock of the same or a higher level is held */
};

/* The full verdict, for a lock the quick check refused: which rule is
 * broken, and the held lock that forbids it (the lowest-level one at or
 * above the lock's level). */
enum lock_order_verdict lock_order_classify(const struct lock_tracker *t,
					    const struct spinlock *lock,
					    const struct spinlock **conflict);

/* Whether `t`'s CPU may take `lock` now: no level at or above its level is
 * held. *conflict names the held lock that forbids it (RETAKEN and
 * INVERTED). */
static inline enum lock_order_verdict lock_order_check(const struct lock_tracker *t,
						       const struct spinlock *lock,
						       const struct spinlock **conflict)
{
	if ((t->levels >> lock->level) == 0)
		return LOCK_ORDER_OK;
	return lock_order_classify(t, lock, conflict);
}

/* Records taking `lock`; false, recording nothing, if a lock of its level
 * is held already (only a trylock, which is not order-checked, can get
 * there). */
static inline bool lock_tracker_push(struct lock_tracker *t, const struct spinlock *lock)
{
	uint32_t bit = 1u << lock->level;

	if (t->levels & bit)
		return false;
	t->levels |= bit;
	t->held[lock->level] = lock;
	return true;
}

/* Records releasing `lock`, in any order; false if this CPU does not hold
 * it. */
static inline bool lock_tracker_pop(struct lock_tracker *t, const struct spinlock *lock)
{
	if (t->held[lock->level] != lock || !(t->levels & (1u << lock->level)))
		return false;
	t->levels &= ~(1u << lock->level);
	t->held[lock->level] = NULL;
	return true;
}

/* The calling CPU's tracker. */
struct lock_tracker *lock_tracker_current(void);

#endif
