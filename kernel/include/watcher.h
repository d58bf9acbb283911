/*
 * watcher: the BSP's Loop -- the kernel thread that, while the machine
 * runs, prints every CPU's scheduler statistics every SCHED_STATS_SECONDS
 * and checks every CPU's run-queue invariants every SCHED_CHECK_SECONDS,
 * panicking with the name of the first that is broken.
 *
 * Statistics, one line per CPU that schedules:
 *   sched: cpu 1: 1000 ticks, 42 switches, 0 runnable, idle 99%
 * -- over the last period: ticks taken there, switches to another thread,
 * and the share of ticks the idle thread had; runnable is now (ready or
 * running, the idle thread not counted). Seconds are the BSP's ticks, one
 * clock for every CPU's figures.
 *
 * The kernel command line can shorten (or lengthen) both periods, for
 * tests and for the curious: `cambios.stats=N` and `cambios.check=N`, in
 * seconds, 1 to 86400 (others are ignored); `make run CMDLINE="..."`
 * passes them. The defaults are the seed's: 10 and 60 seconds.
 */
#ifndef CAMBIOS_WATCHER_H
#define CAMBIOS_WATCHER_H

#define SCHED_STATS_SECONDS 10
#define SCHED_CHECK_SECONDS 60
#define CMDLINE_STATS "cambios.stats="
#define CMDLINE_CHECK "cambios.check="

/* The thread's body (thread.c starts it on the BSP). */
void watcher_main(void *arg);

#endif
