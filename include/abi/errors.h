/*
 * abi/errors: the error results of system calls, shared by the kernel and
 * user space. A system call's result is negative exactly when it failed;
 * the values are the original CambiOS's and are permanent.
 */
#ifndef CAMBIOS_ABI_ERRORS_H
#define CAMBIOS_ABI_ERRORS_H

#define SYS_EINVAL (-1)   /* a bad argument */
#define SYS_EPERM (-2)    /* not allowed */
#define SYS_ENOMEM (-3)   /* out of memory */
#define SYS_ENOENT (-4)   /* no such endpoint or object */
#define SYS_EAGAIN (-5)   /* would block */
#define SYS_EINTR (-6)    /* WaitTask: the child was ended by a fault */
#define SYS_EFAULT (-14)  /* a pointer argument is not readable/writable user memory */
#define SYS_ENOSYS (-38)  /* no such system call */

/* Services' answers (abi/fs.h), numbered as Linux numbers the same
 * errors where it has one (EFBIG 27, ENAMETOOLONG 36, EBADMSG 74). */
#define SYS_EFBIG (-27)         /* content too large for the request */
#define SYS_ENAMETOOLONG (-36)  /* a name longer than the service allows */
#define SYS_EBADSIG (-74)       /* a signature that does not verify */

#endif
