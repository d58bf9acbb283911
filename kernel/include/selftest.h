/*
 * selftest: the kernel's boot-time self-test mode (`make image SELFTEST=1`).
 *
 * Self-tests exercise the real kernel on the real (emulated) machine: they
 * allocate, map, fault and enter user mode in ways a host unit test cannot.
 * Each check prints one line, `TEST <name> PASS` or `TEST <name> FAIL`,
 * and the run ends with the one summary line the boot tests look for:
 * `selftest: N passed, M failed`.
 */
#ifndef CAMBIOS_SELFTEST_H
#define CAMBIOS_SELFTEST_H

/* A system call that exists only in SELFTEST=1 kernels (it is not part of
 * the ABI in include/abi/): (value) -> value + 1, a round trip. The
 * self-tests' assembly programs use it too. */
#define SYS_TEST_ECHO 900

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <user.h>

#ifndef CONFIG_SELFTEST
#define CONFIG_SELFTEST 0
#endif

/* Records one check and prints its TEST line. Returns `ok`. */
bool selftest_check(bool ok, const char *name);

/* Memory patterns the groups write and check: byte i is seed + i, so a
 * shifted or crossed copy shows. */
void selftest_fill_pattern(uint8_t *p, size_t len, uint8_t seed);
bool selftest_pattern_intact(const uint8_t *p, size_t len, uint8_t seed);

/* The highest-numbered CPU that is online (0 with one CPU): where the
 * cross-CPU self-tests put the other side. */
unsigned selftest_last_cpu(void);

/* Waits for interrupts (a tick at most each) until done(), at most
 * max_waits times; returns done(). */
bool selftest_wait_until(unsigned max_waits, bool (*done)(void));

/* Loads an accepted module into a new process, runs it and destroys the
 * process (kernel/selftest/program.c); returns how it ended
 * (USER_END_NOT_RUN if it could not be loaded). */
struct verified_module;
struct user_outcome selftest_run_module(const struct verified_module *m);

/* Runs every self-test group in boot order and prints the summary line. */
void selftest_run_all(void);

/* The groups (kernel/selftest/<group>.c). */
void selftest_memory(void);
void selftest_traps(void);
void selftest_user(void);
void selftest_subsystems(void);
void selftest_ipc(void);
void selftest_program(void);
void selftest_boundary(void);
void selftest_sched(void);
void selftest_timer(void);
void selftest_smp(void);
void selftest_balance(void);
void selftest_tlb(void);
void selftest_irq(void);
void selftest_its(void); /* AArch64 only: the GICv3 ITS */
void selftest_bars(void);

#endif /* __ASSEMBLER__ */

#endif
