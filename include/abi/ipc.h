/*
 * abi/ipc: the IPC message layout user space sees, shared by the kernel
 * (kernel/include/ipc.h builds on it) and user programs.
 *
 * Endpoints are numbered 0..IPC_ENDPOINTS-1. A message carries at most
 * IPC_PAYLOAD_MAX bytes. RecvMsg and TryRecvMsg store an identity prefix
 * the kernel alone writes, then the payload:
 *
 *   offset  0  the sender's Principal, PRINCIPAL_LEN (32) bytes, all zero
 *              if the sender has none
 *   offset 32  the sender's reply endpoint, a u32, little-endian
 *              (IPC_NO_ENDPOINT if it has none): where answers go
 *   offset 36  the payload, truncated to what the buffer holds
 *
 * These are the original CambiOS's values; programs depend on them.
 */
#ifndef CAMBIOS_ABI_IPC_H
#define CAMBIOS_ABI_IPC_H

#include <abi/principal.h>

#define IPC_ENDPOINTS 32
#define IPC_PAYLOAD_MAX 256
/* "No reply endpoint": a sender that expects no answer. */
#define IPC_NO_ENDPOINT 0xffffffffu

#define IPC_PREFIX_PRINCIPAL 0
#define IPC_PREFIX_REPLY_ENDPOINT PRINCIPAL_LEN
#define IPC_IDENTITY_PREFIX (IPC_PREFIX_REPLY_ENDPOINT + 4)

#ifndef __ASSEMBLER__
_Static_assert(IPC_IDENTITY_PREFIX == 36, "the RecvMsg prefix is 36 bytes in the original's ABI");
#endif

#endif
