/*
 * bench_clock: the wall clock every host benchmark times with.
 */
#ifndef CAMBIOS_BENCH_CLOCK_H
#define CAMBIOS_BENCH_CLOCK_H

#include <time.h>

/* Seconds on the monotonic clock (only differences mean anything). */
static inline double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#endif
