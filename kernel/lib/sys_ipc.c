/*
 * sys_ipc: the IPC system calls (numbers in include/abi/syscall.h).
 *
 * Thin, checked bridges from a user program to ipc.h: every pointer goes
 * through the user-copy routines and every length is checked before
 * anything changes. A process's reply endpoint -- the `from` its messages
 * carry, where answers go -- is the first endpoint it registered (the
 * original's later rule), or none. RecvMsg blocks (thread.h sched_wait)
 * until a message is there; Write wakes whoever waits on the endpoint.
 */
#include <syscall.h>

#include <abi/syscall.h>
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

/* Write(endpoint, buf, len): len 0 sends nothing and returns 0. */
int64_t sys_write(const struct syscall_frame *f)
{
	uint8_t payload[IPC_PAYLOAD_MAX];
	uint64_t endpoint = f->arg[0], len = f->arg[2];
	kpid_t self = process_current();

	if (endpoint >= IPC_ENDPOINTS || len > IPC_PAYLOAD_MAX)
		return SYS_EINVAL;
	if (len == 0)
		return 0;
	if (copy_from_user(payload, f->arg[1], len) != K_OK)
		return SYS_EFAULT;
	kerr_t err = ipc_send(self, reply_endpoint_of(self), (uint32_t)endpoint, payload, len);
	if (err != K_OK)
		return syscall_error(err);
	sched_wake_all(BLOCK_MESSAGE, endpoint);
	return (int64_t)len;
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
	size_t len, written;
	kerr_t err;
	uint8_t buf[IPC_IDENTITY_PREFIX + IPC_PAYLOAD_MAX];
};

/* One attempt (under the scheduler lock): done unless the queue is empty. */
static bool receive_once(void *ctx)
{
	struct receive *r = ctx;

	r->err = ipc_receive_with_identity(r->self, r->endpoint, r->buf, r->len, &r->written);
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
	bool got = true;

	if (endpoint >= IPC_ENDPOINTS || len < IPC_IDENTITY_PREFIX)
		return SYS_EINVAL;
	if (len > sizeof(r.buf))
		len = sizeof(r.buf);
	/* Writable first: a message once taken must reach the program. */
	if (user_check_writable(f->arg[1], len) != K_OK)
		return SYS_EFAULT;
	/* Field by field, not a compound literal: that would zero the whole
	 * 292-byte buffer, which flatten() and the memset below write anyway
	 * before any of it is copied out. */
	r.self = process_current();
	r.endpoint = (uint32_t)endpoint;
	r.len = len;
	r.written = 0;
	r.err = K_OK;
	if (block)
		sched_wait(BLOCK_MESSAGE, endpoint, receive_once, &r);
	else
		got = receive_once(&r);
	if (got && r.err != K_OK)
		return syscall_error(r.err);
	size_t n = got ? r.written : 0;
	memset(r.buf + n, 0, len - n);
	return copy_to_user(f->arg[1], r.buf, len) == K_OK ? (int64_t)n : SYS_EFAULT;
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
