/*
 * counter: the CPU's free-running counter, read the same way by the kernel
 * and by user programs.
 *
 * x86_64: the TSC (rdtsc). AArch64: the virtual count, CNTVCT_EL0, which
 * ticks at CNTFRQ_EL0 (62.5 MHz on QEMU's virt machine); the isb keeps the
 * read from being taken before the instructions ahead of it.
 *
 * Why it exists: `make bench-guest` (scripts/bench_guest.py) subtracts the
 * count the kernel reads at its entry from the one a user program reads at
 * its first instruction, so both must read one and the same counter. It
 * picks the arch with #if because it is a two-line reader shared by the
 * kernel and user space, which have no common arch layer to hook into.
 * Under QEMU's -icount shift=0 one nanosecond of guest time is one guest
 * instruction: one TSC tick, or 1e9 / CNTFRQ_EL0 instructions per tick.
 */
#ifndef CAMBIOS_COUNTER_H
#define CAMBIOS_COUNTER_H

#include <stdint.h>

static inline uint64_t counter_read(void)
{
#if defined(__x86_64__)
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
#elif defined(__aarch64__)
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v));
	return v;
#else
#error "counter_read: unknown architecture"
#endif
}

/* Counter ticks per second: CNTFRQ_EL0 on AArch64. The TSC has no such
 * register; under -icount shift=0 it counts nanoseconds of guest time, so
 * 1e9 is what it runs at there (and only there). */
static inline uint64_t counter_hz(void)
{
#if defined(__x86_64__)
	return 1000000000u;
#elif defined(__aarch64__)
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
#endif
}

#endif
