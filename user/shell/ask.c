/*
 * ask: the shell's questions to services (fs-service, the key-store, the
 * UDP/IP stack) over IPC.
 *
 * Services are other processes: the shell trusts no answer blindly and
 * waits for none forever. An answer counts only if it comes from the
 * service asked -- the sender's reply endpoint in the prefix the kernel
 * stamps (abi/ipc.h) is the service's own endpoint, which only the
 * process serving it can have registered first -- and it is the first
 * such message after the request: messages waiting before the request
 * (a late answer to one that timed out) are taken off the endpoint
 * first. The caller then checks type, length and tag.
 *
 * The kernel has no receive with a time-out, so the wait is TryRecvMsg
 * (37) and Yield, bounded by GetTime: at most SHELL_ANSWER_TICKS, then
 * the shell says the service did not answer and takes the next line.
 */
#include <abi/net.h>
#include <kstring.h>

#include "../lib/sys.h"
#include "shell.h"

const struct service SERVICE_FS = { "fs-service", ENDPOINT_FS };
const struct service SERVICE_KEY_STORE = { "key-store", ENDPOINT_KEY_STORE };
const struct service SERVICE_UDP = { "udp", ENDPOINT_UDP };

static uint8_t msg[SYS_MSG_PREFIX + IPC_PAYLOAD_MAX];

_Static_assert(SHELL_ANSWER_TICKS == 500, "the time-out is said as 5 s");
_Static_assert(SHELL_REPLY_ENDPOINT == 18, "the taken endpoint is said as 18");

bool ask_init(void)
{
	int64_t r = sys_register_endpoint(SHELL_REPLY_ENDPOINT);

	if (r != 0) {
		say1("shell: endpoint 18 is taken (another shell runs?); ending");
		return false;
	}
	return true;
}

uint32_t answer_u32(const struct answer *a, size_t offset)
{
	const uint8_t *p = a->bytes + offset;

	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A datagram the stack delivered to the shell's port: shown, checked as
 * any answer is (the stack's endpoint, the exact length it claims). */
static bool show_datagram(const uint8_t *body, size_t len)
{
	struct net_datagram d;
	struct line l = { .len = 0 };

	if (len < sizeof(d))
		return false;
	memcpy(&d, body, sizeof(d));
	if (d.type != NET_MSG_RECVFROM || d.length > NET_INLINE_MAX || len != sizeof(d) + d.length)
		return false;
	put(&l, "udp: datagram from ");
	out_put_quad(&l, body + 4);
	put(&l, ":");
	put_dec(&l, d.port);
	put(&l, " to port ");
	put_dec(&l, d.local);
	put(&l, ": ");
	out_put_n(&l, (const char *)body + sizeof(d), d.length);
	say(&l);
	return true;
}

/* A message that is not the answer waited for. */
static void set_aside(const uint8_t *m, size_t n)
{
	uint32_t from = sys_msg_from(m);
	struct line l = { .len = 0 };

	if (from == ENDPOINT_UDP && show_datagram(m + SYS_MSG_PREFIX, n - SYS_MSG_PREFIX))
		return;
	put(&l, "shell: set aside a message of ");
	put_dec(&l, (int64_t)(n - SYS_MSG_PREFIX));
	put(&l, " bytes from endpoint ");
	put_dec(&l, from);
	put(&l, " (not an answer to this request)");
	say(&l);
}

static int64_t try_receive(void)
{
	return sys_call(SYS_TRY_RECV_MSG, SHELL_REPLY_ENDPOINT, (uint64_t)(uintptr_t)msg,
			sizeof(msg));
}

/* Takes every message already waiting off the endpoint. */
static void drain(void)
{
	int64_t n;

	while ((n = try_receive()) >= SYS_MSG_PREFIX)
		set_aside(msg, (size_t)n);
}

static void say_about(const struct service *s, const char *what)
{
	struct line l = { .len = 0 };

	put(&l, "shell: ");
	put(&l, s->name);
	put(&l, what);
	say(&l);
}

/* Waits for the message from `s`: true with it in msg, *n its size. */
static bool wait_answer(const struct service *s, int64_t *n)
{
	int64_t deadline = sys_gettime() + SHELL_ANSWER_TICKS;

	for (;;) {
		*n = try_receive();
		if (*n >= SYS_MSG_PREFIX && sys_msg_from(msg) == s->endpoint)
			return true;
		if (*n >= SYS_MSG_PREFIX)
			set_aside(msg, (size_t)*n);
		else if (*n < 0)
			return false;
		else if (sys_gettime() >= deadline)
			return false;
		else
			(void)sys_yield();
	}
}

bool ask(const struct service *s, const void *request, size_t len, struct answer *a)
{
	int64_t n;

	drain();
	int64_t sent = sys_write(s->endpoint, request, len);
	if (sent == SYS_ENOENT) {
		say_about(s, " is not running (nobody serves its endpoint)");
		return false;
	}
	if (sent != (int64_t)len) {
		struct line l = { .len = 0 };
		put(&l, "shell: ");
		put(&l, s->name);
		put(&l, " did not take the request: ");
		put(&l, out_error_name(sent));
		say(&l);
		return false;
	}
	if (!wait_answer(s, &n)) {
		say_about(s, n < 0 ? ": receiving its answer failed" :
				     " did not answer within 5 s; giving up on it");
		return false;
	}
	memcpy(a->principal, msg + IPC_PREFIX_PRINCIPAL, PRINCIPAL_LEN);
	a->len = (size_t)n - SYS_MSG_PREFIX;
	memcpy(a->bytes, msg + SYS_MSG_PREFIX, a->len);
	return true;
}
