/*
 * wallclock: the time of day (see wallclock.h).
 *
 * One pair -- the seconds set and the tick they were set at -- read and
 * written together under a sequence count, so a reader on any CPU never
 * mixes one setting's seconds with another's tick, and no lock is needed
 * on either side (a setter is rare: the SNTP client, once). Setters are
 * serialised by a compare-and-swap on the count.
 */
#include <wallclock.h>

#include <stdatomic.h>
#include <stdbool.h>
#include <timer.h>

static _Atomic uint64_t sequence; /* odd while a setter writes */
static _Atomic int64_t set_seconds;
static _Atomic uint64_t set_at_tick;
static _Atomic bool is_set;

kerr_t wallclock_set(int64_t unix_seconds, uint64_t now)
{
	if (unix_seconds < WALLCLOCK_MIN || unix_seconds > WALLCLOCK_MAX)
		return K_EINVAL;
	uint64_t seq = atomic_load_explicit(&sequence, memory_order_relaxed);
	for (;;) {
		seq &= ~1ull; /* wait out another setter */
		if (atomic_compare_exchange_weak_explicit(&sequence, &seq, seq + 1,
							  memory_order_acquire, memory_order_relaxed))
			break;
	}
	atomic_store_explicit(&set_seconds, unix_seconds, memory_order_relaxed);
	atomic_store_explicit(&set_at_tick, now, memory_order_relaxed);
	atomic_store_explicit(&is_set, true, memory_order_relaxed);
	atomic_store_explicit(&sequence, seq + 2, memory_order_release);
	return K_OK;
}

kerr_t wallclock_get(uint64_t now, int64_t *unix_seconds, uint32_t *hundredths)
{
	int64_t seconds;
	uint64_t at, seq;
	bool set;

	do {
		seq = atomic_load_explicit(&sequence, memory_order_acquire);
		seconds = atomic_load_explicit(&set_seconds, memory_order_relaxed);
		at = atomic_load_explicit(&set_at_tick, memory_order_relaxed);
		set = atomic_load_explicit(&is_set, memory_order_relaxed);
		atomic_thread_fence(memory_order_acquire);
	} while ((seq & 1) || atomic_load_explicit(&sequence, memory_order_relaxed) != seq);
	if (!set)
		return K_ENOENT;
	/* A tick from before the setting (another CPU's older reading) counts
	 * as the setting's own. */
	uint64_t elapsed = now > at ? now - at : 0;
	*unix_seconds = seconds + (int64_t)(elapsed / TIMER_HZ);
	*hundredths = (uint32_t)(elapsed % TIMER_HZ * 100 / TIMER_HZ);
	return K_OK;
}

void wallclock_reset(void)
{
	atomic_store(&is_set, false);
	atomic_store(&set_seconds, 0);
	atomic_store(&set_at_tick, 0);
}
