/*
 * abi/syscall: system-call numbers and the register convention, shared by
 * the kernel and user space. The numbers come from the one list,
 * abi/syscalls.def (which the kernel's dispatch table is built from too);
 * they are permanent once assigned.
 *
 * x86_64: `syscall` with the number in rax, arguments in rdi, rsi, rdx,
 * r10, r8, r9; the result comes back in rax.
 * AArch64: `svc #0` with the number in x8, arguments in x0-x5; the result
 * comes back in x0.
 * A negative result is an error (SYS_E*, abi/errors.h).
 */
#ifndef CAMBIOS_ABI_SYSCALL_H
#define CAMBIOS_ABI_SYSCALL_H

#include <abi/errors.h>
#include <abi/ipc.h>

/* SYS_EXIT, SYS_WRITE, ...: an enum in C (a duplicate name fails to
 * compile), an absolute symbol in assembly (`movl $SYS_EXIT, %eax`). */
#ifdef __ASSEMBLER__
#define SYSCALL(nr, name, handler, summary) .equ SYS_##name, nr;
#include <abi/syscalls.def>
#undef SYSCALL
#else
enum sys_number {
#define SYSCALL(nr, name, handler, summary) SYS_##name = (nr),
#include <abi/syscalls.def>
#undef SYSCALL
};
#endif

/* RecvMsg's output: the sender's Principal (32 bytes, zero if it has
 * none), the sender's reply endpoint (u32, little-endian), the payload
 * (abi/ipc.h). */
#define SYS_MSG_PREFIX IPC_IDENTITY_PREFIX

/* Print's most bytes per call (Write's is IPC_PAYLOAD_MAX). */
#define SYS_PRINT_MAX 256

/* WaitTask's optional second argument: where the kernel writes how the
 * child ended, 16 bytes, so a child's exit code that looks like an error
 * code (-4, or -6 for "ended by a fault") is never mistaken for one. The
 * original's callers pass 0 (or nothing) and get the exit code alone. */
#define SYS_TASK_EXITED 1     /* it called Exit; code is its argument */
#define SYS_TASK_FAULTED 2    /* a fault ended it; code is 0 */
#define SYS_TASK_KILLED 3     /* Kill ended it (abi/system.h); code is 0 */
#ifndef __ASSEMBLER__
#include <stdint.h>

struct sys_task_status {
	int64_t ended;        /* SYS_TASK_EXITED, SYS_TASK_FAULTED or SYS_TASK_KILLED */
	int64_t code;
};
#endif

#endif
