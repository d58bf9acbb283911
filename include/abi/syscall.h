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
#define SYS_YIELD 7       /* () -> 0: let another ready task of the band run */
#define SYS_GETPID 8      /* () -> the caller's process slot number */
#define SYS_GETTIME 9     /* () -> the kernel's clock: ticks of 10 ms since boot */
#define SYS_PRINT 10      /* (buf, len <= 256) -> len: write to the console */

/* Error results. */
#define SYS_EINVAL (-1)   /* a bad argument */
#define SYS_EPERM (-2)    /* not allowed */
#define SYS_ENOMEM (-3)   /* out of memory */
#define SYS_ENOENT (-4)   /* no such endpoint or object */
#define SYS_EAGAIN (-5)   /* would block */
#define SYS_EFAULT (-14)  /* a pointer argument is not readable/writable user memory */
#define SYS_ENOSYS (-38)  /* no such system call */

#define SYS_PRINT_MAX 256

#endif
