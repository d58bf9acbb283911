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

#include <stdbool.h>

#ifndef CONFIG_LOCK_DEBUG
#define CONFIG_LOCK_DEBUG 1
#endif

#define LOCK_DEBUG_DEPTH 8

struct spinlock;

struct lock_tracker {
	const struct spinlock *held[LOCK_DEBUG_DEPTH];
	unsigned depth;
};

enum lock_order_verdict {
	LOCK_ORDER_OK,
	LOCK_ORDER_RETAKEN,  /* this CPU already holds the lock */
	LOCK_ORDER_INVERTED, /* a lock of the same or a higher level is held */
	LOCK_ORDER_TOO_DEEP, /* more than LOCK_DEBUG_DEPTH locks at once */
};

/* Whether `t`'s CPU may take `lock` now; *conflict names the held lock
 * that forbids it (for RETAKEN and INVERTED). */
enum lock_order_verdict lock_order_check(const struct lock_tracker *t,
					 const struct spinlock *lock,
					 const struct spinlock **conflict);

/* Record taking and releasing; release returns false if `lock` was not
 * held by this CPU. */
void lock_tracker_push(struct lock_tracker *t, const struct spinlock *lock);
bool lock_tracker_pop(struct lock_tracker *t, const struct spinlock *lock);

/* The calling CPU's tracker. */
struct lock_tracker *lock_tracker_current(void);

#endif
