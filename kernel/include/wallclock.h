/*
 * wallclock: the time of day, as the network told it (SetWallclock, 39;
 * GetWallclock, 40 -- the original CambiOS's numbers).
 *
 * The kernel has no battery clock it trusts; the UDP/IP service's SNTP
 * client sets this one from its server, and from then it runs on the
 * kernel's own clock (timer.h: the boot CPU's ticks): the time now is the
 * time set plus the ticks since, at TIMER_HZ. Setting it again (a later
 * answer) moves it, forward or back: it is a wall clock, not a clock to
 * measure intervals with (GetTime is that). Before anyone sets it, there
 * is no time of day (K_ENOENT), rather than a made-up one.
 */
#ifndef CAMBIOS_WALLCLOCK_H
#define CAMBIOS_WALLCLOCK_H

#include <kerr.h>
#include <stdint.h>

/* The earliest and latest time accepted: 2000-01-01 and 9999-12-31 UTC,
 * in seconds since 1970 -- a server that says 1970 (or the year 30000)
 * is wrong, not news. */
#define WALLCLOCK_MIN 946684800LL
#define WALLCLOCK_MAX 253402300799LL

/* Sets the time of day to `unix_seconds` at tick `now`; K_EINVAL outside
 * [WALLCLOCK_MIN, WALLCLOCK_MAX]. */
__must_check kerr_t wallclock_set(int64_t unix_seconds, uint64_t now);

/* The time of day at tick `now` (*unix_seconds, and the tick's part of a
 * second in *hundredths); K_ENOENT if it was never set. */
__must_check kerr_t wallclock_get(uint64_t now, int64_t *unix_seconds, uint32_t *hundredths);

/* Host tests: unset again. */
void wallclock_reset(void);

#endif
