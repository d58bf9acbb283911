/*
 * abi/rights: capability rights on an endpoint, shared by the kernel
 * (kernel/include/cap.h) and user space. A right is one bit; a set of
 * rights is their OR. The bit values are permanent once assigned.
 */
#ifndef CAMBIOS_ABI_RIGHTS_H
#define CAMBIOS_ABI_RIGHTS_H

#define CAP_SEND (1u << 0)     /* send messages to the endpoint */
#define CAP_RECEIVE (1u << 1)  /* receive from it (also needs ownership) */
#define CAP_DELEGATE (1u << 2) /* grant a subset of one's own rights on it */
#define CAP_REVOKE (1u << 3)   /* remove rights on it from another process */
#define CAP_ALL (CAP_SEND | CAP_RECEIVE | CAP_DELEGATE | CAP_REVOKE)

#endif
