/*
 * user: running a process's code in user mode (ring 3 / EL0) and how it
 * ends.
 *
 * A process's code runs in a user thread (thread.h) until it ends, in one
 * of three ways that are never confused:
 *   - it exited: SYS_EXIT, with the code it chose (any 64-bit value);
 *   - it faulted: any exception it caused in user mode (page fault,
 *     protection fault, undefined instruction, divide error, breakpoint,
 *     alignment, ...) ends it. The kernel prints one line naming the
 *     program, its pid, the cause, the faulting address and the
 *     instruction address, and carries on; no handler needs installing;
 *   - it was killed: Kill by its parent or a bootstrap-Principal process
 *     (abi/system.h); it ends at its next wait or return to user mode.
 * The kernel-side halves (user_exit, user_fault_end) run in a system call
 * or exception taken from user mode and do not return: they record the
 * outcome (for WaitTask and process_run), wake whoever waits for it and
 * end the thread, abandoning its kernel frames.
 */
#ifndef CAMBIOS_USER_H
#define CAMBIOS_USER_H

#include <kerr.h>
#include <stdint.h>

struct trap_info;

enum user_end {
	USER_END_NOT_RUN = 0, /* nothing ran: the process did not exist */
	USER_END_EXITED,      /* SYS_EXIT; exit_code is its argument */
	USER_END_FAULTED,     /* ended by a fault; exit_code is 0 */
	USER_END_KILLED,      /* ended by Kill (abi/system.h); exit_code is 0 */
};

struct user_outcome {
	enum user_end end;
	int64_t exit_code;
};

/* How process `pid` (run by a user thread) ended, once it has: K_OK with
 * *out filled in, K_ENOENT while it runs or if nothing is known of it. The
 * record stays until the process's slot is used again. */
kerr_t process_exit_outcome(uint64_t pid, struct user_outcome *out);

/* From the SYS_EXIT system call: the program ends with `code`. */
__attribute__((noreturn)) void user_exit(int64_t code);

/* From trap_dispatch: a fault in user mode ends the program (reported in
 * one line). */
__attribute__((noreturn)) void user_fault_end(const struct trap_info *t);

/* The calling thread's program was killed (sched_kill_process): it ends
 * here, reported as killed. Called by a wait that returned false, and on
 * the way back to user mode from an interrupt (irq_exit). */
__attribute__((noreturn)) void user_killed(void);

/* From the arch's system-call return path: the program cannot be resumed
 * where it asked to be (`why`, at instruction address `ip`); it ends as
 * faulted. */
__attribute__((noreturn)) void user_refuse(const char *why, uint64_t ip);

#endif
