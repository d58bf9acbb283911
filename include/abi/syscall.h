/*
 * abi/syscall: system-call numbers and the register convention, shared by
 * the kernel and user space. Numbers are permanent once assigned.
 *
 * x86_64: `syscall` with the number in rax, arguments in rdi, rsi, rdx,
 * r10, r8, r9; the result comes back in rax.
 * AArch64: `svc #0` with the number in x8, arguments in x0-x5; the result
 * comes back in x0.
 * A negative result is an error (SYS_E*).
 */
#ifndef CAMBIOS_ABI_SYSCALL_H
#define CAMBIOS_ABI_SYSCALL_H

#define SYS_EXIT 0        /* (code): end the calling program */
#define SYS_WRITE 1       /* (endpoint, buf, len <= 256) -> len: send a message */
#define SYS_READ 2        /* (endpoint, buf, max <= 256) -> bytes: a payload, 0 if none waits */
#define SYS_ALLOCATE 3    /* (size 1 B..1 MiB, flags 0) -> address of zeroed read+write pages */
#define SYS_FREE 4        /* (address from Allocate) -> 0 */
#define SYS_REGISTER_ENDPOINT 6 /* (endpoint) -> 0: own it; the first is the reply endpoint */
#define SYS_YIELD 7       /* () -> 0: let another ready task of the band run */
#define SYS_GETPID 8      /* () -> the caller's process slot number */
#define SYS_GETTIME 9     /* () -> the kernel's clock: ticks of 10 ms since boot */
#define SYS_PRINT 10      /* (buf, len <= 256) -> len: write to the console */
#define SYS_GET_PRINCIPAL 12 /* (out, len >= 32) -> 32: the caller's Principal */
#define SYS_RECV_MSG 13   /* (endpoint, buf, len >= 36) -> 36 + payload: blocks for a message */
#define SYS_OBJ_PUT 14    /* (content, len 1..4096, out_hash[32]) -> 0 */
#define SYS_OBJ_GET 15    /* (hash[32], out, len) -> bytes copied (truncated to len) */
#define SYS_OBJ_DELETE 16 /* (hash[32]) -> 0: the owner only */
#define SYS_OBJ_LIST 17   /* (out, len >= 32) -> how many 32-byte hashes were written */
#define SYS_OBJ_PUT_SIGNED 19 /* (content, len, signature[64], out_hash[32]) -> 0 */
#define SYS_SPAWN 25      /* (name, len <= 31) -> pid: start an accepted boot module */
#define SYS_WAIT_TASK 26  /* (pid) -> exit code: wait for a child to end */
#define SYS_TRY_RECV_MSG 37 /* as RecvMsg, but 0 at once when nothing waits */

/* RecvMsg's output: the sender's Principal (32 bytes, zero if it has
 * none), the sender's reply endpoint (u32, little-endian), the payload. */
#define SYS_MSG_PREFIX 36

/* Error results. */
#define SYS_EINVAL (-1)   /* a bad argument */
#define SYS_EPERM (-2)    /* not allowed */
#define SYS_ENOMEM (-3)   /* out of memory */
#define SYS_ENOENT (-4)   /* no such endpoint or object */
#define SYS_EAGAIN (-5)   /* would block */
#define SYS_EINTR (-6)    /* WaitTask: the child was ended by a fault */
#define SYS_EFAULT (-14)  /* a pointer argument is not readable/writable user memory */
#define SYS_ENOSYS (-38)  /* no such system call */

#define SYS_PRINT_MAX 256

#endif
