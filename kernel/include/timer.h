/*
 * timer: the periodic tick ("Waking the Hardware").
 *
 * The boot CPU's timer interrupts TIMER_HZ times a second: on x86_64 the
 * local APIC timer, calibrated against the PIT; on AArch64 the generic
 * timer through the GICv3. Each interrupt calls timer_tick(), which counts,
 * then the scheduler's sched_on_tick() (thread.h). timer_ticks() is the count
 * so far -- time since the timer started, in 1/TIMER_HZ s.
 */
#ifndef CAMBIOS_TIMER_H
#define CAMBIOS_TIMER_H

#include <stdint.h>

#define TIMER_HZ 100

/* Sets up the interrupt controller and starts the tick on this CPU
 * (interrupts stay masked until the caller enables them). Prints one line
 * each for the controller and the timer. */
void timer_init(void);

/* The boot CPU's ticks since timer_init(): the kernel's clock. */
uint64_t timer_ticks(void);

/* Ticks counted by CPU `cpu`'s own timer (0 for a CPU without one). */
uint64_t timer_cpu_ticks(unsigned cpu);

/* On the BSP: sleeps until `ticks` more ticks have passed, or until
 * `max_waits` interrupts have come and gone (a bound for a timer that
 * never fires). Returns how many interrupts it waited for. */
unsigned timer_wait_ticks(uint64_t ticks, unsigned max_waits);

/* From the arch interrupt handler, interrupts masked: one tick passed. */
void timer_tick(void);

#endif
