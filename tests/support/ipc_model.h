/*
 * ipc_model: a shadow model of IPC + capabilities, and a driver that runs
 * every operation on the real kernel code and on the model side by side.
 *
 * The world: kernel processes 0-2 (bound to a "bootstrap" Principal) and
 * IPC_MODEL_USERS user processes, half of them with a Principal of their
 * own. An operation is IPC_MODEL_OP_BYTES bytes, decoded so that any byte
 * string is a valid operation sequence -- the unit test feeds it random
 * bytes, the fuzzer feeds it libFuzzer's.
 *
 * A receiver that waits (MODEL_WAIT on an empty queue) leaves a waiter
 * (ipc.h); each actor has one, as a thread does, and waiting anew first
 * withdraws the old one. The next send to that endpoint must land in the
 * waiter's buffer if, and only if, the queue is empty and the receiver
 * may still receive there; otherwise it is queued.
 *
 * After each operation the model checks the kernel's verdict (the exact
 * error code), every received message (FIFO order, payload bytes, the
 * stamp equals the sender's bound Principal, the reply endpoint), and the
 * whole visible state: every process's rights on every endpoint (rights
 * never appear unless granted or delegated), every queue length and
 * endpoint owner.
 */
#ifndef CAMBIOS_IPC_MODEL_H
#define CAMBIOS_IPC_MODEL_H

#include <stddef.h>
#include <stdint.h>

#define IPC_MODEL_USERS 4
#define IPC_MODEL_OP_BYTES 8

enum ipc_model_kind {
	MODEL_SEND,
	MODEL_RECEIVE,
	MODEL_RECEIVE_IDENTITY,
	MODEL_REGISTER,
	MODEL_UNREGISTER,
	MODEL_GRANT,
	MODEL_DELEGATE,
	MODEL_REVOKE,
	MODEL_RESPAWN,
	MODEL_WAIT, /* receive into a buffer, leaving a waiter if the queue is empty */
	MODEL_KINDS,
};

struct ipc_model_stats {
	unsigned ops[MODEL_KINDS];       /* operations tried */
	unsigned succeeded[MODEL_KINDS]; /* ... that the kernel accepted */
	unsigned full;                   /* sends refused with K_EFULL */
	unsigned self_sends;             /* sends refused as self-sends */
	unsigned handoffs;               /* sends that went straight to a waiter */
};

/* Builds the world on the host (processes, capabilities, IPC). 0 on
 * success. */
int ipc_model_boot(void);

/* Runs one operation. 0 if the kernel matched the model; otherwise -1,
 * after printing what differed. */
int ipc_model_step(const uint8_t op[IPC_MODEL_OP_BYTES]);

/* Runs a byte string as operations (a trailing partial op is ignored);
 * stops at the first mismatch. 0 if all matched. */
int ipc_model_run(const uint8_t *bytes, size_t len);

const struct ipc_model_stats *ipc_model_stats(void);

#endif
