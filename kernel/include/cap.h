/*
 * cap: capabilities -- which process may do what to which endpoint.
 *
 * Each process slot has a table of CAP_SLOTS entries (endpoint, rights).
 * Rights (their bits are user-visible: abi/rights.h):
 *   CAP_SEND      send messages to the endpoint
 *   CAP_RECEIVE   receive messages from it (also needs ownership, ipc.h)
 *   CAP_DELEGATE  grant a subset of one's own rights on it to another process
 *   CAP_REVOKE    remove rights on it from another process
 * A process gets rights only by being granted them by the kernel
 * (cap_grant) or by delegation from a holder of CAP_DELEGATE (cap_delegate),
 * and only rights the delegator holds. Kernel processes 0-2 start with
 * broad rights (cap_init); everything else starts with nothing.
 * Every IPC send/receive checks its capability before anything is queued
 * or dequeued. Lock: LOCK_CAPABILITY (taken after LOCK_IPC; it calls the
 * process table, LOCK_PROCESS_TABLE, which comes later in the order).
 */
#ifndef CAMBIOS_CAP_H
#define CAMBIOS_CAP_H

#include <abi/ipc.h>
#include <abi/rights.h>
#include <kerr.h>
#include <process.h>
#include <stdatomic.h>
#include <stdint.h>

#define CAP_SLOTS 32
/* Endpoints are numbered 0..CAP_ENDPOINTS-1 (the IPC endpoints). */
#define CAP_ENDPOINTS IPC_ENDPOINTS

/* CAP_SEND, CAP_RECEIVE, CAP_DELEGATE, CAP_REVOKE, CAP_ALL: abi/rights.h. */

typedef uint32_t cap_rights_t;

/* Empties every table, then gives kernel processes 0-2 all rights on every
 * endpoint (CAP_ENDPOINTS entries: exactly CAP_SLOTS). Prints one line. */
void cap_init(void);

/* Kernel grant: adds `rights` on `endpoint` for `pid` (merging with what
 * it holds). K_EINVAL bad endpoint/rights, K_ENOENT dead pid, K_EFULL
 * table full. */
/*@ ensures \result == K_OK || \result == K_EINVAL || \result == K_ENOENT ||
	\result == K_EFULL; */
__must_check kerr_t cap_grant(kpid_t pid, uint32_t endpoint, cap_rights_t rights);

/* `from` gives `to` the `rights` on `endpoint`. K_EPERM unless `from`
 * holds CAP_DELEGATE and every right in `rights` on that endpoint, or if
 * from == to. */
/*@ ensures \result == K_OK || \result == K_EINVAL || \result == K_EPERM ||
	\result == K_ENOENT || \result == K_EFULL; */
__must_check kerr_t cap_delegate(kpid_t from, kpid_t to, uint32_t endpoint, cap_rights_t rights);

/* `by` removes `rights` on `endpoint` from `target`. K_EPERM unless `by`
 * holds CAP_REVOKE on the endpoint (or is a kernel process). K_ENOENT if
 * the target held none of them. */
/*@ ensures \result == K_OK || \result == K_EINVAL || \result == K_EPERM ||
	\result == K_ENOENT; */
__must_check kerr_t cap_revoke(kpid_t by, kpid_t target, uint32_t endpoint, cap_rights_t rights);

/* K_OK if `pid` holds every right in `rights` on `endpoint`, else K_EPERM
 * (K_ENOENT for a dead pid). */
/*@ assigns \nothing;
    ensures \result == K_OK || \result == K_EPERM || \result == K_ENOENT;
    ensures \result == K_OK ==> rights != 0; */
__must_check kerr_t cap_check(kpid_t pid, uint32_t endpoint, cap_rights_t rights);

/* The rights `pid` holds on `endpoint` (0 if none or dead). */
/*@ assigns \nothing; */
cap_rights_t cap_rights(kpid_t pid, uint32_t endpoint);

/* How many times rights have been taken away so far (revokes, and tables
 * emptied for a new process). A check made after reading one value still
 * stands while the count has not moved: nothing has lost a right since.
 * Read it before the check. */
extern _Atomic uint64_t cap_revocation_count; /* cap.c's; read through the below */

static inline uint64_t cap_revocations(void)
{
	return atomic_load_explicit(&cap_revocation_count, memory_order_acquire);
}

#endif
