/*
 * spinlock: test-and-test-and-set locks (see spinlock.h).
 *
 * Waiters spin on a plain load and only retry the atomic exchange when the
 * lock looks free, so a contended lock does not bounce its cache line
 * between CPUs on every iteration.
 *
 * With CONFIG_LOCK_DEBUG every acquisition is checked against the global
 * order first (lock_debug.h): a violation panics before it can deadlock.
 * A successful trylock is recorded but not checked -- it cannot wait, so it
 * cannot deadlock -- and locks taken under it are still checked against it.
 */
#include <spinlock.h>

#include <cpu.h>
#include <lock_debug.h>
#include <panic.h>

static const char *const verdict_words[] = {
	[LOCK_ORDER_RETAKEN] = "already held by this CPU",
	[LOCK_ORDER_INVERTED] = "taken out of order",
	[LOCK_ORDER_TOO_DEEP] = "nested too deeply",
};

/* This CPU's tracker, without the call lock_tracker_current() costs. */
static struct lock_tracker *tracker(void)
{
	return &cpu_this()->locks;
}

/* Says what is wrong, unless a trylock made the quick check too strict. */
static void __attribute__((noinline)) order_broken(const struct lock_tracker *t,
						   const struct spinlock *lock)
{
	const struct spinlock *conflict = NULL;
	enum lock_order_verdict v = lock_order_classify(t, lock, &conflict);

	if (v == LOCK_ORDER_OK)
		return;
	if (conflict)
		panic("lock \"%s\" (level %d) %s: CPU holds \"%s\" (level %d)", lock->name,
		      lock->level, verdict_words[v], conflict->name, conflict->level);
	panic("lock \"%s\" (level %d) %s", lock->name, lock->level, verdict_words[v]);
}

static void check_order(const struct lock_tracker *t, const struct spinlock *lock)
{
	const struct spinlock *unused;

	if (lock_order_check(t, lock, &unused) != LOCK_ORDER_OK)
		order_broken(t, lock);
}

static bool acquire(struct spinlock *lock)
{
	return !atomic_exchange_explicit(&lock->locked, true, memory_order_acquire);
}

bool spin_trylock(struct spinlock *lock)
{
	if (!acquire(lock))
		return false;
	if (CONFIG_LOCK_DEBUG)
		lock_tracker_push(tracker(), lock);
	return true;
}

static void wait_for(struct spinlock *lock)
{
	while (!acquire(lock)) {
		while (atomic_load_explicit(&lock->locked, memory_order_relaxed))
			arch_cpu_relax();
	}
}

void spin_lock(struct spinlock *lock)
{
	if (CONFIG_LOCK_DEBUG)
		check_order(tracker(), lock);
	wait_for(lock);
	/* Looked up again: with interrupts on, the thread may have been
	 * preempted while it spun, and (once threads migrate) moved. */
	if (CONFIG_LOCK_DEBUG)
		lock_tracker_push(tracker(), lock);
}

void spin_unlock(struct spinlock *lock)
{
	if (CONFIG_LOCK_DEBUG && !lock_tracker_pop(tracker(), lock))
		panic("lock \"%s\" released by a CPU that does not hold it", lock->name);
	atomic_store_explicit(&lock->locked, false, memory_order_release);
}

arch_irqflags_t spin_lock_irqsave(struct spinlock *lock)
{
	arch_irqflags_t flags = arch_irq_save();
	/* Interrupts are off: the thread stays on this CPU, one look-up does. */
	struct lock_tracker *t = CONFIG_LOCK_DEBUG ? tracker() : NULL;

	if (t)
		check_order(t, lock);
	wait_for(lock);
	if (t)
		lock_tracker_push(t, lock);
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
