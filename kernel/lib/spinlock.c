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
#include <tlb.h>

static const char *const verdict_words[] = {
	[LOCK_ORDER_RETAKEN] = "already held by this CPU",
	[LOCK_ORDER_INVERTED] = "taken out of order",
};

/* This CPU's tracker, without the call lock_tracker_current() costs. */
static struct lock_tracker *tracker(void)
{
	return &cpu_this()->locks;
}

/* Says what is wrong: `conflict` forbids taking `lock`. */
static void __attribute__((noinline, noreturn)) order_broken(const struct spinlock *lock,
							     enum lock_order_verdict v,
							     const struct spinlock *conflict)
{
	panic("lock \"%s\" (level %d) %s: CPU holds \"%s\" (level %d)", lock->name, lock->level,
	      verdict_words[v], conflict->name, conflict->level);
}

static void check_order(const struct lock_tracker *t, const struct spinlock *lock)
{
	const struct spinlock *conflict = NULL;
	enum lock_order_verdict v = lock_order_check(t, lock, &conflict);

	if (v != LOCK_ORDER_OK)
		order_broken(lock, v, conflict);
}

/* Records `lock` as held by this CPU. Only a trylock, which is not
 * order-checked, can find its level taken: the tracker keeps one lock per
 * level, and two of one level held at once have an order between them
 * that lock_order.h does not write down. */
static void record(struct lock_tracker *t, const struct spinlock *lock)
{
	if (!lock_tracker_push(t, lock))
		panic("lock \"%s\" (level %d) taken by trylock while this CPU holds \"%s\" "
		      "of the same level", lock->name, lock->level, t->held[lock->level]->name);
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
		record(tracker(), lock);
	return true;
}

/* A lock found taken: spins until it looks free and tries again, then
 * records it (looked up again: with interrupts on, the thread may have
 * been preempted while it spun, and, once threads migrate, moved).
 *
 * The spin serves TLB shootdowns asked of this CPU: the CPU asking waits
 * for the answer with interrupts off, perhaps holding this very lock, and
 * with interrupts off here too its IPI would never land (tlb.h). */
static inline void spin_until_acquired(struct spinlock *lock)
{
	do {
		while (atomic_load_explicit(&lock->locked, memory_order_relaxed)) {
			tlb_shootdown_poll();
			arch_cpu_relax();
		}
	} while (!acquire(lock));
}

static inline void take_contended(struct spinlock *lock)
{
	spin_until_acquired(lock);
	if (CONFIG_LOCK_DEBUG)
		record(tracker(), lock);
}

/* The two lock calls reach take_contended out of line, by a tail call,
 * each with its arguments where its caller has them (the flags first,
 * where the result goes), so their uncontended way -- every lock of the
 * IPC round trip -- spends no instruction on it. */
static void __attribute__((noinline)) lock_contended(struct spinlock *lock)
{
	take_contended(lock);
}

static arch_irqflags_t __attribute__((noinline)) lock_contended_irqsave(arch_irqflags_t flags,
									struct spinlock *lock)
{
	take_contended(lock);
	/* Opaque: a compiler that knows the result is the argument keeps the
	 * argument alive across the call instead of making it a tail call. */
	__asm__("" : "+r"(flags));
	return flags;
}

/* The two lock calls are inlined into every caller (across files, at
 * link time): their uncontended way is about twenty instructions, and the
 * call and its frame cost a third as much again, on every lock -- eight
 * of them in an IPC round trip. The kernel's text grows for it, by 6-7%
 * (12-14 KiB). The contended way stays out of line (lock_contended*). */
#define LOCK_FAST_PATH __attribute__((always_inline))

LOCK_FAST_PATH void spin_lock(struct spinlock *lock)
{
	if (CONFIG_LOCK_DEBUG)
		check_order(tracker(), lock);
	if (__builtin_expect(!acquire(lock), 0)) {
		lock_contended(lock);
		return;
	}
	if (CONFIG_LOCK_DEBUG)
		record(tracker(), lock);
}

void spin_unlock(struct spinlock *lock)
{
	if (CONFIG_LOCK_DEBUG && !lock_tracker_pop(tracker(), lock))
		panic("lock \"%s\" released by a CPU that does not hold it", lock->name);
	atomic_store_explicit(&lock->locked, false, memory_order_release);
}

/* Why `lock` may not be taken as a further lock of its level now, or NULL. */
static const char *next_refusal(const struct lock_tracker *t, const struct spinlock *lock)
{
	const struct spinlock *first = t->held[lock->level];
	const struct spinlock *last = t->next_count ? t->next_last : first;

	if (!(t->levels & 1u << lock->level))
		return "with no lock of its level held";
	if (t->levels >> lock->level >> 1)
		return "with a lock of a higher level held";
	if ((uintptr_t)lock <= (uintptr_t)last)
		return "out of address order";
	return NULL;
}

void spin_lock_next(struct spinlock *lock)
{
	struct lock_tracker *t = CONFIG_LOCK_DEBUG ? tracker() : NULL;
	const char *refusal = t ? next_refusal(t, lock) : NULL;

	if (refusal)
		panic("lock \"%s\" (level %d) taken as a further lock %s", lock->name, lock->level,
		      refusal);
	if (!acquire(lock))
		spin_until_acquired(lock);
	if (t) {
		t->next_count++;
		t->next_last = lock;
	}
}

void spin_unlock_next(struct spinlock *lock)
{
	if (CONFIG_LOCK_DEBUG) {
		struct lock_tracker *t = tracker();
		if (!t->next_count)
			panic("lock \"%s\" released as a further lock, none held", lock->name);
		/* Checked here, not in every spin_unlock: the first of the
		 * level goes last, or the next spin_lock of the level would
		 * not see these. */
		if (!(t->levels & 1u << lock->level))
			panic("lock \"%s\" released as a further lock after the first of its level",
			      lock->name);
		if (--t->next_count == 0)
			t->next_last = NULL;
	}
	atomic_store_explicit(&lock->locked, false, memory_order_release);
}

LOCK_FAST_PATH arch_irqflags_t spin_lock_irqsave(struct spinlock *lock)
{
	arch_irqflags_t flags = arch_irq_save();
	/* Interrupts are off: the thread stays on this CPU, one look-up does. */
	struct lock_tracker *t = CONFIG_LOCK_DEBUG ? tracker() : NULL;

	if (t)
		check_order(t, lock);
	if (__builtin_expect(!acquire(lock), 0))
		return lock_contended_irqsave(flags, lock);
	if (t)
		record(t, lock);
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
