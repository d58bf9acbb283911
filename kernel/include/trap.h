/*
 * trap: what happens when the CPU raises an exception.
 *
 * The arch code (x86_64 IDT stubs, AArch64 vector table) saves the
 * interrupted registers in its `struct trap_frame`, decodes the exception
 * into a portable `struct trap_info`, and calls trap_dispatch(). From there
 * the policy is portable:
 *   - every exception is reported: name, code, faulting address,
 *     instruction pointer, registers, and a backtrace with symbol names;
 *   - a fault in user mode ends that program, reported in one line
 *     (user_fault_end in user.h); the kernel carries on;
 *   - kernel code that expects a fault (self-tests; later, copies from
 *     user memory) arms trap_expect() and execution resumes at its recovery
 *     address;
 *   - any other kernel-mode exception is a kernel bug and panics.
 */
#ifndef CAMBIOS_TRAP_H
#define CAMBIOS_TRAP_H

#include <stdbool.h>
#include <stdint.h>

enum trap_kind {
	TRAP_BREAKPOINT,
	TRAP_DIVIDE_ERROR,
	TRAP_INVALID_OPCODE,
	TRAP_PAGE_FAULT,        /* includes AArch64 instruction/data aborts */
	TRAP_PROTECTION,        /* general protection, permission faults not from paging */
	TRAP_ALIGNMENT,
	TRAP_SYSCALL_UNEXPECTED,/* an SVC/syscall that arrived on the wrong path */
	TRAP_FATAL,             /* double fault, machine check, SError: never resumable */
	TRAP_OTHER,
};

struct trap_frame; /* saved registers, defined by the arch */

struct trap_info {
	const char *name;      /* "page fault", "data abort", ... */
	enum trap_kind kind;
	uint64_t vector;       /* x86 vector number; AArch64 ESR_EL1.EC */
	uint64_t code;         /* x86 error code; AArch64 ESR_EL1 */
	bool has_address;
	uint64_t address;      /* CR2 / FAR_EL1 */
	bool write;            /* page faults: the access was a write */
	bool fetch;            /* page faults: an instruction fetch (x86 I/D bit) */
	bool from_user;
	struct trap_frame *frame;
};

/* Entry from the arch handlers. Returns when the interrupted code may
 * continue (possibly at a new instruction pointer); otherwise it does not
 * return. */
void trap_dispatch(struct trap_info *t);

/* Arms a one-shot expectation on this CPU: if a trap of `kind` arrives in
 * kernel mode, it is reported and execution continues at `resume_ip`.
 * trap_expect_fired() tells whether it happened (and disarms). */
void trap_expect(enum trap_kind kind, uintptr_t resume_ip);
bool trap_expect_fired(void);

/* Prints the full report of a kernel-mode trap. */
void trap_report(const struct trap_info *t);

/* Arch side: register access for the portable code. */
uint64_t arch_trap_frame_ip(const struct trap_frame *f);
uint64_t arch_trap_frame_fp(const struct trap_frame *f);
void arch_trap_frame_set_ip(struct trap_frame *f, uint64_t ip);
void arch_trap_frame_print(const struct trap_frame *f);

/* Walks the frame-pointer chain from (fp, ip) and prints up to
 * BACKTRACE_MAX_FRAMES return addresses with symbol names. */
#define BACKTRACE_MAX_FRAMES 16
void backtrace_print(uint64_t ip, uint64_t fp);

#endif
