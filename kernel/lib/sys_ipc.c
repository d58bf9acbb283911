/*
 * sys_ipc: the IPC system calls (numbers in include/abi/syscall.h).
 *
 * Thin, checked bridges from a user program to ipc.h: every pointer goes
 * through the user-copy routines and every length is checked before
 * anything changes. A process's reply endpoint -- the `from` its messages
 * carry, where answers go -- is the first endpoint it registered (the
 * original's later rule), or none. RecvMsg blocks (thread.h sched_wait)
 * until a message is there; Write wakes whoever waits on the endpoint.
 *
 * Buffers are resolved once into spans (usercopy.h) and the bytes go
 * straight between them and the kernel: Write copies the caller's bytes
 * into the ring, or into a blocked receiver's buffer (ipc.h's hand-off);
 * RecvMsg copies the message into the caller's buffer, or -- when it has
 * to wait -- leaves its buffer as the endpoint's waiter, so that on waking
 * the message is already there.
 */
#include <syscall.h>

#include <abi/syscall.h>
#include <current.h>
#include <ipc.h>
#include <kstring.h>
#include <process.h>
#include <stdatomic.h>
#include <thread.h>
#include <usercopy.h>

/* Each slot's reply endpoint, for the process that set it (a new process
 * in the slot starts with none). Written only by that process's thread. */
struct reply_endpoint {
	_Atomic kpid_t pid;
	uint32_t endpoint;
};

static struct reply_endpoint replies[PROCESS_MAX];

static uint32_t reply_endpoint_of(kpid_t pid)
{
	const struct reply_endpoint *r = &replies[PID_SLOT(pid) % PROCESS_MAX];

	return atomic_load(&r->pid) == pid ? r->endpoint : IPC_NO_ENDPOINT;
}

int64_t sys_register_endpoint(const struct syscall_frame *f)
{
	kpid_t self = process_current();
	kerr_t err;

	if (f->arg[0] >= IPC_ENDPOINTS)
		return SYS_EINVAL;
	err = ipc_register(self, (uint32_t)f->arg[0]);
	if (err != K_OK)
		return syscall_error(err);
	struct reply_endpoint *r = &replies[PID_SLOT(self) % PROCESS_MAX];
	if (atomic_load(&r->pid) != self) {
		r->endpoint = (uint32_t)f->arg[0];
		atomic_store(&r->pid, self);
	}
	return 0;
}

kerr_t ipc_send_and_wake(kpid_t sender, uint32_t reply, uint32_t to, const struct span *payload)
{
	struct thread *receiver;
	kerr_t err = ipc_send_span_to(sender, reply, to, payload, &receiver);

	if (err != K_OK)
		return err;
	/* A hand-off has exactly one thread to wake; a queued message, any
	 * that wait on the endpoint without a waiter of their own. */
	if (receiver)
		sched_wake_thread(receiver, BLOCK_MESSAGE, to);
	else
		sched_wake_all(BLOCK_MESSAGE, to);
	return K_OK;
}

/* Write(endpoint, buf, len): len 0 sends nothing and returns 0. */
int64_t sys_write(const struct syscall_frame *f)
{
	uint64_t endpoint = f->arg[0], len = f->arg[2];
	kpid_t self = process_current();
	struct span payload;

	if (endpoint >= IPC_ENDPOINTS || len > IPC_PAYLOAD_MAX)
		return SYS_EINVAL;
	if (len == 0)
		return 0;
	if (user_span(f->arg[1], len, false, &payload) != K_OK)
		return SYS_EFAULT;
	kerr_t err = ipc_send_and_wake(self, reply_endpoint_of(self), (uint32_t)endpoint, &payload);

	return err == K_OK ? (int64_t)len : syscall_error(err);
}

/* Read(endpoint, buf, max): the payload only, then zeros up to max; 0
 * (and max zeros) when nothing waits. A refusal writes nothing. */
int64_t sys_read(const struct syscall_frame *f)
{
	struct ipc_message m;
	uint64_t endpoint = f->arg[0], max = f->arg[2];

	if (endpoint >= IPC_ENDPOINTS || max > IPC_PAYLOAD_MAX)
		return SYS_EINVAL;
	if (max == 0)
		return 0;
	/* Writable first: a message once taken must reach the program. */
	if (user_check_writable(f->arg[1], max) != K_OK)
		return SYS_EFAULT;
	kerr_t err = ipc_receive(process_current(), (uint32_t)endpoint, &m);
	if (err == K_EAGAIN)
		m.length = 0;
	else if (err != K_OK)
		return syscall_error(err);
	size_t n = m.length < max ? m.length : max;
	memset(m.payload + n, 0, max - n);
	return copy_to_user(f->arg[1], m.payload, max) == K_OK ? (int64_t)n : SYS_EFAULT;
}

struct receive {
	kpid_t self;
	uint32_t endpoint;
	uint64_t buf;
	size_t len, written;
	bool block;
	kerr_t err;
	struct span dst;
	struct ipc_waiter waiter; /* registered while blocked (ipc.h) */
};

/* One attempt (under the scheduler lock): done unless there is nothing to
 * take yet. A waiter that a send has filled is the message itself. */
static bool receive_once(void *ctx)
{
	struct receive *r = ctx;

	if (atomic_load_explicit(&r->waiter.delivered, memory_order_acquire)) {
		r->written = r->waiter.written;
		r->err = K_OK;
		return true;
	}
	/* Resolved on every attempt: after a sleep, nothing from before it is
	 * trusted. Writable first: a message once taken must reach the
	 * program. */
	if (user_span(r->buf, r->len, true, &r->dst) != K_OK) {
		ipc_cancel_wait(r->endpoint, &r->waiter);
		r->err = K_EFAULT;
		return true;
	}
	r->err = ipc_receive_span(r->self, r->endpoint, &r->dst, &r->written,
				  r->block ? &r->waiter : NULL);
	return r->err != K_EAGAIN;
}

/* RecvMsg / TryRecvMsg(endpoint, buf, len >= 36): the 36-byte identity
 * prefix (sender Principal, from endpoint) and the payload, truncated to
 * len, then zeros up to len; returns the bytes received (TryRecvMsg: 0,
 * and len zeros, when nothing waits). A refusal writes nothing. */
static int64_t receive(const struct syscall_frame *f, bool block)
{
	uint64_t endpoint = f->arg[0], len = f->arg[2];
	struct receive r;

	if (endpoint >= IPC_ENDPOINTS || len < IPC_IDENTITY_PREFIX)
		return SYS_EINVAL;
	if (len > IPC_IDENTITY_PREFIX + IPC_PAYLOAD_MAX)
		len = IPC_IDENTITY_PREFIX + IPC_PAYLOAD_MAX;
	r.self = process_current();
	r.endpoint = (uint32_t)endpoint;
	r.buf = f->arg[1];
	r.len = len;
	r.written = 0;
	r.block = block;
	r.err = K_OK;
	r.waiter.thread = thread_current();
	atomic_init(&r.waiter.delivered, false);
	if (block && !sched_wait_given(BLOCK_MESSAGE, endpoint, receive_once, &r,
				       &r.waiter.delivered)) {
		/* Killed: the waiter on this stack leaves the endpoint first. */
		ipc_cancel_wait(r.endpoint, &r.waiter);
		user_killed();
	}
	if (!block)
		(void)receive_once(&r);
	if (atomic_load_explicit(&r.waiter.delivered, memory_order_acquire)) {
		r.written = r.waiter.written; /* handed over while this thread slept */
		r.err = K_OK;
	}
	if (r.err == K_EAGAIN)
		r.written = 0; /* TryRecvMsg with nothing waiting */
	else if (r.err != K_OK)
		return syscall_error(r.err);
	/* The span of the attempt that took the message: a hand-off filled
	 * the one registered with it. */
	if (!span_zero(&r.dst, r.written, len - r.written))
		return syscall_error(K_EINVAL); /* written <= len: never met */
	return (int64_t)r.written;
}

int64_t sys_recv_msg(const struct syscall_frame *f)
{
	return receive(f, true);
}

int64_t sys_try_recv_msg(const struct syscall_frame *f)
{
	return receive(f, false);
}

/* GetPrincipal(out, len >= 32) -> 32; the arguments are checked before
 * the caller's Principal is looked at (SYS_EINVAL, nothing written, if it
 * has none). */
int64_t sys_get_principal(const struct syscall_frame *f)
{
	struct principal p = { 0 };

	if (f->arg[1] < PRINCIPAL_LEN)
		return SYS_EINVAL;
	if (user_check_writable(f->arg[0], PRINCIPAL_LEN) != K_OK)
		return SYS_EFAULT;
	if (process_principal(process_current(), &p) != K_OK)
		return SYS_EINVAL;
	return copy_to_user(f->arg[0], p.key, PRINCIPAL_LEN) == K_OK ? PRINCIPAL_LEN : SYS_EFAULT;
}
