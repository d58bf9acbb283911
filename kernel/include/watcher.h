/*
 * watcher: the BSP's Loop -- the kernel thread that, while the machine
 * runs, prints every CPU's scheduler statistics every SCHED_STATS_SECONDS
 * and checks the scheduler's invariants across every CPU (sched_machine.h)
 * every SCHED_CHECK_SECONDS, panicking with the name of the first that is
 * broken.
 *
 * Statistics, one line per CPU that schedules:
 *   sched: cpu 1: 1000 ticks, 42 switches, 0 runnable, idle 99%
 * -- over the last period: ticks taken there, switches to another thread,
 * and the share of ticks the idle thread had; runnable is now (ready or
 * running, the idle thread not counted). Seconds are the BSP's ticks, one
 * clock for every CPU's figures. A line on memory follows:
 *   mem: 61000 of 61440 frames free; heap: 212 live allocations, 409600 bytes
 * so that what a workload leaves behind shows between two quiet moments.
 *
 * Every SCHED_BALANCE_SECONDS it balances: when one CPU has two more
 * runnable tasks than another, one unpinned ready task moves from the
 * busiest to the idlest (sched_cpus.h), and a line says which.
 *
 * The kernel command line can change the periods, for tests and for the
 * curious: `cambios.stats=N`, `cambios.check=N` and `cambios.balance=N`,
 * in seconds, 1 to 86400 (others are ignored); `make run CMDLINE="..."`
 * passes them. The defaults are the seed's 10 and 60 seconds, and the
 * original's balancing at most once a second.
 */
#ifndef CAMBIOS_WATCHER_H
#define CAMBIOS_WATCHER_H

#define SCHED_STATS_SECONDS 10
#define SCHED_CHECK_SECONDS 60
#define SCHED_BALANCE_SECONDS 1
#define CMDLINE_STATS "cambios.stats="
#define CMDLINE_CHECK "cambios.check="
#define CMDLINE_BALANCE "cambios.balance="

/* The thread's body (thread.c starts it on the BSP). */
void watcher_main(void *arg);

#endif
