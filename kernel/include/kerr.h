/*
 * kerr: the kernel's error codes.
 *
 * A fallible kernel function returns kerr_t (K_OK on success) and hands its
 * results back through out-parameters. Callers must look at the result:
 * functions returning kerr_t are marked __must_check.
 */
#ifndef CAMBIOS_KERR_H
#define CAMBIOS_KERR_H

typedef enum kerr {
	K_OK = 0,
	K_EINVAL,   /* an argument is malformed or out of range */
	K_ENOMEM,   /* out of memory (heap, frames, table slots) */
	K_EEXIST,   /* the thing is already there (mapped, registered) */
	K_ENOENT,   /* no such thing */
	K_EPERM,    /* not allowed (capability, ownership, W^X) */
	K_EBUSY,    /* in use; try again later */
	K_EFAULT,   /* a user address is unmapped or not accessible */
	K_EFULL,    /* a queue or table is full */
	K_EAGAIN,   /* nothing there yet (an empty queue); try again later */
} kerr_t;

#define __must_check __attribute__((warn_unused_result))

/* A short name for an error code ("K_ENOMEM"), for reports. */
const char *kerr_name(kerr_t err);

#endif
