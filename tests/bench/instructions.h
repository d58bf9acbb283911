/*
 * instructions: count the user-mode instructions a piece of code executes.
 *
 * Hardware counters (perf_event_open) are often unavailable in containers
 * and virtual machines, so this single-steps a forked copy of the process
 * under ptrace and counts the steps: exact, independent of machine load,
 * and slow (tens of microseconds per instruction) -- use it on short code.
 */
#ifndef CAMBIOS_BENCH_INSTRUCTIONS_H
#define CAMBIOS_BENCH_INSTRUCTIONS_H

/* Instructions executed by fn(arg), the cost of the measurement itself
 * subtracted. The call runs in a forked child: its side effects do not
 * reach the caller. Returns -1 if the child cannot be traced. */
long long count_instructions(void (*fn)(void *), void *arg);

#endif
