/*
 * ipc: endpoints and messages.
 *
 * IPC_ENDPOINTS endpoints, each a FIFO ring of IPC_QUEUE_DEPTH messages.
 * A message carries the endpoint it is addressed to, the sender's reply
 * endpoint, up to IPC_PAYLOAD_MAX bytes, and a sender Principal that only
 * the kernel writes: it is stamped at send time from the sender's bound
 * Principal, or marked absent if the sender has none. Send copies the
 * payload into the kernel, so the sender's later changes cannot alter a
 * queued message. A full queue is an explicit K_EFULL, never a drop.
 *
 * Ownership. An endpoint is owned by the process that registered it (which
 * needs CAP_RECEIVE on it); while that process lives nobody else can
 * register it, and only the owner receives on it. A sender names its reply
 * endpoint, which must be one it owns (or IPC_NO_ENDPOINT), so a reply
 * address cannot be forged either. Messages sent to an endpoint nobody has
 * registered yet wait for its first owner; when an owner unregisters or
 * dies, what is queued is discarded, so the next owner never reads mail
 * meant for its predecessor, and sends to a dead owner fail with K_ENOENT.
 *
 * Every send and receive passes two independent gates, in this order: the
 * interceptor (interceptor.h), then the capability check (cap.h). Passing
 * one never skips the other, and nothing is queued or dequeued unless both
 * allow. Blocking receive belongs to the scheduler; this is the
 * non-blocking core. Lock: LOCK_IPC (taken before LOCK_CAPABILITY and
 * LOCK_PROCESS_TABLE).
 */
#ifndef CAMBIOS_IPC_H
#define CAMBIOS_IPC_H

#include <abi/ipc.h>
#include <identity.h>
#include <kerr.h>
#include <process.h>
#include <span.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* IPC_ENDPOINTS, IPC_PAYLOAD_MAX, IPC_NO_ENDPOINT and the identity-aware
 * receive's layout (IPC_IDENTITY_PREFIX: the sender's 32-byte Principal,
 * zeros if it had none, the reply endpoint as a little-endian u32, then
 * the payload) are user-visible: abi/ipc.h. */
#define IPC_QUEUE_DEPTH 16

struct ipc_message {
	uint32_t to_endpoint;
	uint32_t reply_endpoint;     /* owned by the sender, or IPC_NO_ENDPOINT */
	uint32_t length;             /* payload bytes */
	bool has_principal;          /* false: the sender had no Principal */
	struct principal sender;     /* written by the kernel only */
	/* Word-aligned in every ring slot, so the copies in and out of the
	 * ring move words (after the 45 bytes above it would sit at odd
	 * offsets that differ from slot to slot). */
	uint8_t payload[IPC_PAYLOAD_MAX] __attribute__((aligned(8)));
};

/*
 * Where a blocked receiver wants its next message: left on the endpoint by
 * ipc_receive_span() when the queue is empty, taken by the next send,
 * which writes the message straight into `dst` (the identity prefix, then
 * the payload, as ipc_receive_span() would), sets `written` and then
 * `delivered` (release). The send delivers only if the receiver may still
 * receive: the receiver's own check stands unless rights were taken away
 * or the interceptor was replaced since, and is made again if so. One waiter per endpoint (its owner); the memory
 * is the receiver's, and it stays registered until a send takes it, the
 * receiver looks at the queue again, or ipc_cancel_wait().
 *
 * dst is used while the receiver sleeps, so it must stay valid until the
 * waiter is gone: for a user buffer that holds because only the process's
 * own thread changes its address space (there is one thread per process,
 * and no call ends another process), and that thread is blocked.
 */
struct thread;
struct interceptor;

struct ipc_waiter {
	kpid_t receiver;
	struct thread *thread; /* the receiving thread, for the sender to wake */
	struct span dst;
	size_t written;
	atomic_bool delivered;
	/* What the receiver's own check ran under: while both are unchanged
	 * at the hand-off, the check stands and is not made again. */
	uint64_t revocations;  /* cap_revocations() before the check */
	const struct interceptor *interceptor;
};

/* Empties every endpoint, installs the default interceptor, prints one
 * line. */
void ipc_init(void);

/* `owner` registers `endpoint`. K_EINVAL out of range, K_ENOENT dead
 * owner, K_EPERM without CAP_RECEIVE on it, K_EEXIST owned by another live
 * process. Registering one's own endpoint again is K_OK. */
/*@ ensures \result == K_OK || \result == K_EINVAL || \result == K_ENOENT ||
	\result == K_EPERM || \result == K_EEXIST; */
__must_check kerr_t ipc_register(kpid_t owner, uint32_t endpoint);

/* Gives up an endpoint; its queue is discarded. K_EINVAL out of range,
 * K_EPERM if `owner` does not own it. */
/*@ ensures \result == K_OK || \result == K_EINVAL || \result == K_EPERM; */
__must_check kerr_t ipc_unregister(kpid_t owner, uint32_t endpoint);

/* The live owner of `endpoint` in *owner; K_ENOENT if it has none,
 * K_EINVAL out of range. */
/*@ requires \valid(owner);
    ensures \result == K_OK || \result == K_EINVAL || \result == K_ENOENT; */
__must_check kerr_t ipc_owner(uint32_t endpoint, kpid_t *owner);

/* Sends `len` bytes from `payload` to endpoint `to`, with `reply` (an
 * endpoint the sender owns, or IPC_NO_ENDPOINT) as the place for answers.
 * Errors, with nothing queued: whatever the interceptor denies with
 * (default: K_EINVAL for range/length, K_EPERM for a send to one's own
 * endpoint), K_EPERM (no CAP_SEND, or `reply` not the sender's),
 * K_ENOENT (dead sender, or the endpoint's owner has died), K_EFULL.
 * The sender is the calling process or a kernel process: its Principal is
 * read in place (process.h's process_principal_ref). */
/*@ requires payload == \null || \valid_read((const uint8_t *)payload + (0 .. len - 1)); */
__must_check kerr_t ipc_send(kpid_t sender, uint32_t reply, uint32_t to, const void *payload,
			     size_t len);
/* (ipc_send and ipc_send_span wake nobody: for senders that know no
 * thread waits, as the IPC self-tests' do; see ipc_send_and_wake.) */

/* ipc_send() of the bytes of a span (a user buffer resolved by
 * usercopy.h's user_span()), copied straight into the ring or the
 * waiting receiver's buffer. */
/*@ requires \valid_read(payload); */
__must_check kerr_t ipc_send_span(kpid_t sender, uint32_t reply, uint32_t to,
				  const struct span *payload);

/* ipc_send_span() that also says which waiter's thread it handed the
 * message to (*handed_to, NULL when it queued it): the one thread the
 * sender then has to wake. Taken before the waiter is marked delivered --
 * after that the waiter's memory belongs to its thread again. */
/*@ requires \valid_read(payload);
    requires \valid(handed_to); */
__must_check kerr_t ipc_send_span_to(kpid_t sender, uint32_t reply, uint32_t to,
				     const struct span *payload, struct thread **handed_to);

/* ipc_send_span_to(), then wakes whoever must see the message: the
 * receiver it was handed to, or else every thread waiting on the endpoint
 * without a waiter of its own (WaitIrqOrMessage). The send every kernel
 * sender uses -- Write, and kernel code that sends to a program -- since
 * ipc_send()/ipc_send_span() alone wake nobody, and a receiver asleep in
 * RecvMsg would sleep on with its message. (sys_ipc.c: IPC itself knows
 * no scheduler.) */
__must_check kerr_t ipc_send_and_wake(kpid_t sender, uint32_t reply, uint32_t to,
				      const struct span *payload);

/* Dequeues the oldest message on `endpoint` into *out. Errors, with
 * nothing dequeued: interceptor denial, K_EPERM (no CAP_RECEIVE, or not
 * the owner), K_ENOENT (dead receiver), K_EAGAIN (nothing waiting). */
/*@ requires \valid(out); */
__must_check kerr_t ipc_receive(kpid_t receiver, uint32_t endpoint, struct ipc_message *out);

/* Identity-aware receive into a flat buffer: the IPC_IDENTITY_PREFIX-byte
 * prefix then the payload, truncated to fit; *written = bytes stored.
 * K_EINVAL (and nothing dequeued) if buf_len < IPC_IDENTITY_PREFIX;
 * otherwise as ipc_receive. */
/*@ requires buf == \null || \valid(buf + (0 .. buf_len - 1));
    requires \valid(written); */
__must_check kerr_t ipc_receive_with_identity(kpid_t receiver, uint32_t endpoint, uint8_t *buf,
					      size_t buf_len, size_t *written);

/* ipc_receive_with_identity() into a span. If the queue is empty (K_EAGAIN)
 * and `wait` is given, `wait` is left on the endpoint for the next send
 * (unless another waiter is there); any other outcome removes a `wait`
 * left earlier. */
/*@ requires \valid_read(dst);
    requires \valid(written);
    requires wait == \null || \valid(wait); */
__must_check kerr_t ipc_receive_span(kpid_t receiver, uint32_t endpoint, const struct span *dst,
				     size_t *written, struct ipc_waiter *wait);

/* Takes `wait` off `endpoint` if it is still there (not delivered). */
void ipc_cancel_wait(uint32_t endpoint, const struct ipc_waiter *wait);

/* `pid`'s program has ended: its endpoints count as its owner's death
 * now, not when the reaper gets to the process. Senders get K_ENOENT and
 * another process may register them, so a parent woken by WaitTask (a
 * shell respawning a service, say) finds them free. */
void ipc_owner_ended(kpid_t pid);

/* Takes every waiter of `receiver` off its endpoint: for a receive that
 * is abandoned without returning through ipc_receive_span() (the host
 * tests' stand-in scheduler unwinds a blocked call this way). */
void ipc_cancel_waits_of(kpid_t receiver);

/* Messages waiting on an endpoint (0 for one out of range). */
unsigned ipc_queued(uint32_t endpoint);

#endif
