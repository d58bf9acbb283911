/*
 * ipc_model: see ipc_model.h.
 *
 * The expected verdict of each operation is written out as the rules read
 * in ipc.h, interceptor.h and cap.h, in the order they are documented to
 * apply; the model never looks at kernel state to decide.
 */
#include "ipc_model.h"

#include <cap.h>
#include <interceptor.h>
#include <ipc.h>
#include <process.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "host_world.h"

#define ACTORS (PROCESS_KERNEL_COUNT + IPC_MODEL_USERS)
/* Endpoint bytes decode to 0..ENDPOINT_SPAN-1: a few are out of range. */
#define ENDPOINT_SPAN (IPC_ENDPOINTS + 4)
#define LENGTH_SPAN (IPC_PAYLOAD_MAX + 44)
#define NEVER_A_PID PID_MAKE(0x7777, PROCESS_MAX - 1)

struct actor {
	kpid_t pid;
	kpid_t stale_pid; /* its previous incarnation (NEVER_A_PID if none) */
	bool has_principal;
	struct principal principal;
	cap_rights_t rights[CAP_ENDPOINTS];
};

struct model_message {
	uint32_t seq; /* the payload is pattern(seq, length) */
	uint32_t length;
	uint32_t reply;
	bool has_principal;
	struct principal principal;
};

struct model_endpoint {
	bool owned;
	kpid_t owner;
	unsigned head, count;
	struct model_message ring[IPC_QUEUE_DEPTH];
	int waiter; /* the actor whose waiter is on it, or NO_WAITER */
};

#define NO_WAITER (-1)
#define WAIT_ROOM (IPC_IDENTITY_PREFIX + IPC_PAYLOAD_MAX + 8)

/* Each actor's waiter, as its one thread would have. */
struct model_wait {
	bool registered;    /* on `endpoint`, in the kernel's view */
	bool delivered;     /* what w.delivered must say */
	uint32_t endpoint;
	size_t room;
	struct ipc_waiter w;
	uint8_t buf[WAIT_ROOM];
};

static struct actor actors[ACTORS];
static struct model_wait waits[ACTORS];
static struct model_endpoint endpoints[IPC_ENDPOINTS];
static struct ipc_model_stats stats;
static uint32_t next_seq;
static uint32_t principal_serial;
static bool accepted; /* the last operation succeeded */

static uint8_t pattern(uint32_t seq, size_t i)
{
	return (uint8_t)(seq * 131u + i * 7u + 1u);
}

static bool is_live_pid(kpid_t pid, const struct actor **who)
{
	for (unsigned i = 0; i < ACTORS; i++) {
		if (actors[i].pid == pid) {
			*who = &actors[i];
			return true;
		}
	}
	return false;
}

static struct actor *actor_of(kpid_t pid)
{
	const struct actor *a;

	return is_live_pid(pid, &a) ? (struct actor *)a : NULL;
}

static bool live_owner(const struct model_endpoint *ep, kpid_t *owner)
{
	if (!ep->owned || !actor_of(ep->owner))
		return false;
	*owner = ep->owner;
	return true;
}

static void purge(struct model_endpoint *ep)
{
	ep->head = 0;
	ep->count = 0;
	if (ep->waiter != NO_WAITER)
		waits[ep->waiter].registered = false;
	ep->waiter = NO_WAITER;
}

static int mismatch(const char *what, int got, int want)
{
	fprintf(stderr, "ipc_model: %s: kernel said %d, model expected %d\n", what, got, want);
	return -1;
}

/* Compares the kernel's verdict with the model's; notes an acceptance. */
static int verdict(const char *what, kerr_t got, kerr_t want)
{
	if (got != want)
		return mismatch(what, got, want);
	accepted = got == K_OK;
	return 0;
}

/* ---------------------------------------------------------------- world */

static void give_principal(struct actor *a, bool has)
{
	a->has_principal = has;
	memset(&a->principal, 0, sizeof(a->principal));
	if (has) {
		principal_serial++;
		memcpy(a->principal.key, &principal_serial, sizeof(principal_serial));
		a->principal.key[31] = 0xa5;
	}
}

static int bind(struct actor *a)
{
	if (!a->has_principal)
		return 0;
	return process_bind_principal(a->pid, &a->principal) == K_OK ? 0 : -1;
}

static int spawn_user(struct actor *a, bool has_principal)
{
	memset(a->rights, 0, sizeof(a->rights));
	give_principal(a, has_principal);
	if (process_create("model", &a->pid) != K_OK)
		return -1;
	return bind(a);
}

int ipc_model_boot(void)
{
	struct principal bootstrap = { .key = { 0xb0, 0x07 } };

	memset(actors, 0, sizeof(actors));
	memset(endpoints, 0, sizeof(endpoints));
	memset(waits, 0, sizeof(waits));
	for (uint32_t e = 0; e < IPC_ENDPOINTS; e++)
		endpoints[e].waiter = NO_WAITER;
	memset(&stats, 0, sizeof(stats));
	next_seq = 0;
	if (host_world_boot_processes() != 0)
		return -1;
	ipc_init();
	cap_init();
	for (unsigned i = 0; i < PROCESS_KERNEL_COUNT; i++) {
		struct actor *a = &actors[i];
		a->pid = PID_MAKE(0, i);
		a->stale_pid = NEVER_A_PID;
		a->has_principal = true;
		a->principal = bootstrap;
		for (unsigned ep = 0; ep < CAP_ENDPOINTS; ep++)
			a->rights[ep] = CAP_ALL;
		if (bind(a) != 0)
			return -1;
	}
	for (unsigned i = PROCESS_KERNEL_COUNT; i < ACTORS; i++) {
		actors[i].stale_pid = NEVER_A_PID;
		if (spawn_user(&actors[i], i % 2 == 0) != 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ operations */

struct op {
	enum ipc_model_kind kind;
	kpid_t pid;        /* who acts: a live actor's pid or a stale one */
	kpid_t other;      /* the second process of grant/delegate/revoke */
	uint32_t endpoint;
	cap_rights_t rights;
	size_t length;
	uint32_t reply;
};

static kpid_t decode_pid(uint8_t b)
{
	unsigned i = b % (2 * ACTORS);

	return i < ACTORS ? actors[i].pid : actors[i - ACTORS].stale_pid;
}

/* The lowest endpoint `pid` owns, as a plausible reply endpoint. */
static uint32_t own_endpoint(kpid_t pid)
{
	for (uint32_t e = 0; e < IPC_ENDPOINTS; e++) {
		if (endpoints[e].owned && endpoints[e].owner == pid)
			return e;
	}
	return IPC_NO_ENDPOINT;
}

/* Most operations aim at a few "hot" endpoints so that queues fill and
 * owners meet senders; the rest spread over the whole range and beyond.
 * Most sends name a reply endpoint the sender owns; some name any. */
static struct op decode(const uint8_t *b)
{
	static const enum ipc_model_kind kinds[16] = {
		MODEL_SEND, MODEL_SEND, MODEL_SEND, MODEL_SEND, MODEL_SEND, MODEL_SEND,
		MODEL_RECEIVE, MODEL_RECEIVE, MODEL_WAIT, MODEL_RECEIVE_IDENTITY,
		MODEL_REGISTER, MODEL_REGISTER, MODEL_UNREGISTER,
		MODEL_GRANT, MODEL_DELEGATE, MODEL_REVOKE,
	};
	kpid_t pid = decode_pid(b[1]);
	uint32_t reply = b[7] % 4 == 0 ? IPC_NO_ENDPOINT :
			 b[7] % 4 == 1 ? (uint32_t)(b[7] >> 2) % ENDPOINT_SPAN : own_endpoint(pid);

	struct op o = {
		.kind = b[0] >= 248 ? MODEL_RESPAWN : kinds[b[0] % 16],
		.pid = pid,
		.other = decode_pid(b[2]),
		.endpoint = b[3] & 0x80 ? b[3] % ENDPOINT_SPAN : b[3] % 4,
		.rights = b[4] & 0x1f,
		.length = (size_t)(b[5] | b[6] << 8) % LENGTH_SPAN,
		.reply = reply,
	};
	/* Waits are mostly by an owner on its own endpoint, so that senders
	 * find waiters to hand messages to. */
	if (o.kind == MODEL_WAIT && (b[3] & 0x40) && own_endpoint(pid) != IPC_NO_ENDPOINT)
		o.endpoint = own_endpoint(pid);
	return o;
}

static int check_identity(const uint8_t *buf, size_t room, size_t written,
			  const struct model_message *m);

/* Whether actor i could receive on `endpoint` now (the rules of
 * expect_receive, queue aside). */
static bool may_take(int i, uint32_t endpoint)
{
	const struct actor *a = actor_of(actors[i].pid);
	const struct model_endpoint *ep = &endpoints[endpoint];

	return a && (a->rights[endpoint] & CAP_RECEIVE) && ep->owned && ep->owner == a->pid;
}

/* The message must be in the waiter's buffer, and the waiter used up. */
static int handed_off(struct model_endpoint *ep, const struct model_message *m)
{
	struct model_wait *wt = &waits[ep->waiter];

	stats.handoffs++;
	ep->waiter = NO_WAITER;
	wt->registered = false;
	wt->delivered = true;
	if (!atomic_load(&wt->w.delivered))
		return mismatch("hand-off to a waiter", 0, 1);
	return check_identity(wt->buf, wt->room, wt->w.written, m);
}

static kerr_t expect_send(const struct op *o)
{
	const struct actor *s = actor_of(o->pid);
	kpid_t owner;

	if (o->endpoint >= IPC_ENDPOINTS ||
	    (o->reply != IPC_NO_ENDPOINT && o->reply >= IPC_ENDPOINTS) ||
	    o->length > IPC_PAYLOAD_MAX)
		return K_EINVAL;
	struct model_endpoint *ep = &endpoints[o->endpoint];
	bool to_owned = live_owner(ep, &owner);
	if (to_owned && owner == o->pid)
		return K_EPERM; /* interceptor: self-send */
	if (!s)
		return K_ENOENT;
	if (!(s->rights[o->endpoint] & CAP_SEND))
		return K_EPERM;
	if (o->reply != IPC_NO_ENDPOINT &&
	    !(endpoints[o->reply].owned && endpoints[o->reply].owner == o->pid))
		return K_EPERM;
	if (ep->owned && !to_owned)
		return K_ENOENT;
	return ep->count == IPC_QUEUE_DEPTH ? K_EFULL : K_OK;
}

static int do_send(const struct op *o)
{
	uint8_t buf[LENGTH_SPAN];
	kerr_t want = expect_send(o);
	uint32_t seq = next_seq++;

	for (size_t i = 0; i < o->length; i++)
		buf[i] = pattern(seq, i);
	kerr_t got = ipc_send(o->pid, o->reply, o->endpoint, buf, o->length);
	memset(buf, 0xee, sizeof(buf)); /* the queued copy must not notice */
	if (verdict("send", got, want) != 0)
		return -1;
	if (got == K_EFULL)
		stats.full++;
	if (got == K_EPERM && o->endpoint < IPC_ENDPOINTS && endpoints[o->endpoint].owned &&
	    endpoints[o->endpoint].owner == o->pid)
		stats.self_sends++;
	if (got != K_OK)
		return 0;
	const struct actor *s = actor_of(o->pid);
	struct model_endpoint *ep = &endpoints[o->endpoint];
	const struct model_message m = {
		.seq = seq, .length = (uint32_t)o->length, .reply = o->reply,
		.has_principal = s->has_principal, .principal = s->principal,
	};
	if (ep->waiter != NO_WAITER && ep->count == 0 && may_take(ep->waiter, o->endpoint))
		return handed_off(ep, &m);
	ep->ring[(ep->head + ep->count++) % IPC_QUEUE_DEPTH] = m;
	return 0;
}

static kerr_t expect_receive(const struct op *o)
{
	const struct actor *r = actor_of(o->pid);

	if (o->endpoint >= IPC_ENDPOINTS)
		return K_EINVAL;
	if (!r)
		return K_ENOENT;
	if (!(r->rights[o->endpoint] & CAP_RECEIVE))
		return K_EPERM;
	const struct model_endpoint *ep = &endpoints[o->endpoint];
	if (!ep->owned || ep->owner != o->pid)
		return K_EPERM;
	return ep->count ? K_OK : K_EAGAIN;
}

static struct model_message pop(uint32_t endpoint)
{
	struct model_endpoint *ep = &endpoints[endpoint];
	struct model_message m = ep->ring[ep->head];

	ep->head = (ep->head + 1) % IPC_QUEUE_DEPTH;
	ep->count--;
	return m;
}

static int check_payload(const uint8_t *got, const struct model_message *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (got[i] != pattern(m->seq, i))
			return mismatch("payload byte", got[i], pattern(m->seq, i));
	}
	return 0;
}

static int do_receive(const struct op *o)
{
	struct ipc_message got;
	kerr_t want = expect_receive(o);
	kerr_t err = ipc_receive(o->pid, o->endpoint, &got);

	if (verdict("receive", err, want) != 0)
		return -1;
	if (err != K_OK)
		return 0;
	struct model_message m = pop(o->endpoint);
	if (got.length != m.length || got.reply_endpoint != m.reply ||
	    got.to_endpoint != o->endpoint || got.has_principal != m.has_principal)
		return mismatch("message header (length)", (int)got.length, (int)m.length);
	if (memcmp(&got.sender, &m.principal, sizeof(got.sender)) != 0)
		return mismatch("stamped principal", got.sender.key[0], m.principal.key[0]);
	return check_payload(got.payload, &m, m.length);
}

static int do_receive_identity(const struct op *o)
{
	uint8_t buf[LENGTH_SPAN + 8];
	size_t room = o->length < sizeof(buf) ? o->length : sizeof(buf);
	size_t written = 0;
	kerr_t want = room < IPC_IDENTITY_PREFIX ? K_EINVAL : expect_receive(o);
	kerr_t err = ipc_receive_with_identity(o->pid, o->endpoint, buf, room, &written);

	if (verdict("receive with identity", err, want) != 0)
		return -1;
	if (err != K_OK)
		return 0;
	struct model_message m = pop(o->endpoint);
	return check_identity(buf, room, written, &m);
}

/* The identity prefix and as much payload as fitted in `room` bytes. */
static int check_identity(const uint8_t *buf, size_t room, size_t written,
			  const struct model_message *m)
{
	size_t n = m->length < room - IPC_IDENTITY_PREFIX ? m->length : room - IPC_IDENTITY_PREFIX;
	uint32_t reply = (uint32_t)buf[32] | (uint32_t)buf[33] << 8 | (uint32_t)buf[34] << 16 |
			 (uint32_t)buf[35] << 24;

	if (written != IPC_IDENTITY_PREFIX + n)
		return mismatch("identity receive length", (int)written, (int)(IPC_IDENTITY_PREFIX + n));
	if (memcmp(buf, m->principal.key, PRINCIPAL_LEN) != 0)
		return mismatch("identity prefix principal", buf[0], m->principal.key[0]);
	if (reply != m->reply)
		return mismatch("identity prefix reply endpoint", (int)reply, (int)m->reply);
	return check_payload(buf + IPC_IDENTITY_PREFIX, m, n);
}

/* The actor index of a live pid, or -1. */
static int actor_index(kpid_t pid)
{
	const struct actor *a = actor_of(pid);

	return a ? (int)(a - actors) : -1;
}

/* Withdraws actor i's waiter, wherever it is. */
static void withdraw(int i)
{
	struct model_wait *wt = &waits[i];

	if (wt->registered) {
		ipc_cancel_wait(wt->endpoint, &wt->w);
		endpoints[wt->endpoint].waiter = NO_WAITER;
		wt->registered = false;
	}
}

static int do_wait(const struct op *o)
{
	static struct model_wait stranger; /* for a stale pid: never left anywhere */
	int i = actor_index(o->pid);
	struct model_wait *wt = i >= 0 ? &waits[i] : &stranger;
	size_t room = o->length < WAIT_ROOM ? o->length : WAIT_ROOM;
	const struct span dst = span_of(wt->buf, room);
	size_t written = 0;

	if (i >= 0)
		withdraw(i); /* a thread waits in one place at a time */
	/* Each receive call starts with a waiter of its own, nothing handed
	 * to it yet (sys_ipc.c); one handed a message returns it at once. */
	atomic_store(&wt->w.delivered, false);
	wt->delivered = false;
	kerr_t want = room < IPC_IDENTITY_PREFIX ? K_EINVAL : expect_receive(o);
	kerr_t err = ipc_receive_span(o->pid, o->endpoint, &dst, &written, &wt->w);
	if (verdict("receive into a span", err, want) != 0)
		return -1;
	if (err == K_EAGAIN && i >= 0) {
		accepted = true;
		wt->registered = true;
		wt->delivered = false; /* reset by the kernel as it leaves the waiter */
		wt->endpoint = o->endpoint;
		wt->room = room;
		endpoints[o->endpoint].waiter = i;
	}
	if (err != K_OK)
		return 0;
	struct model_message m = pop(o->endpoint);
	return check_identity(wt->buf, room, written, &m);
}

static int do_register(const struct op *o)
{
	const struct actor *a = actor_of(o->pid);
	struct model_endpoint *ep = &endpoints[o->endpoint % IPC_ENDPOINTS];
	kpid_t owner;
	kerr_t want;

	if (o->endpoint >= IPC_ENDPOINTS)
		want = K_EINVAL;
	else if (!a)
		want = K_ENOENT;
	else if (!(a->rights[o->endpoint] & CAP_RECEIVE))
		want = K_EPERM;
	else if (live_owner(ep, &owner))
		want = owner == o->pid ? K_OK : K_EEXIST;
	else
		want = K_OK;
	kerr_t got = ipc_register(o->pid, o->endpoint);
	if (verdict("register", got, want) != 0)
		return -1;
	if (got == K_OK && !(ep->owned && ep->owner == o->pid)) {
		if (ep->owned)
			purge(ep);
		ep->owned = true;
		ep->owner = o->pid;
	}
	return 0;
}

static int do_unregister(const struct op *o)
{
	struct model_endpoint *ep = &endpoints[o->endpoint % IPC_ENDPOINTS];
	kerr_t want = o->endpoint >= IPC_ENDPOINTS ? K_EINVAL :
		      ep->owned && ep->owner == o->pid ? K_OK : K_EPERM;
	kerr_t got = ipc_unregister(o->pid, o->endpoint);

	if (verdict("unregister", got, want) != 0)
		return -1;
	if (got == K_OK) {
		purge(ep);
		ep->owned = false;
	}
	return 0;
}

static bool rights_valid(const struct op *o)
{
	return o->endpoint < CAP_ENDPOINTS && o->rights && !(o->rights & ~CAP_ALL);
}

static int do_grant(const struct op *o)
{
	struct actor *a = actor_of(o->pid);
	kerr_t want = !rights_valid(o) ? K_EINVAL : !a ? K_ENOENT : K_OK;
	kerr_t got = cap_grant(o->pid, o->endpoint, o->rights);

	if (verdict("grant", got, want) != 0)
		return -1;
	if (got == K_OK)
		a->rights[o->endpoint] |= o->rights;
	return 0;
}

static int do_delegate(const struct op *o)
{
	const struct actor *from = actor_of(o->pid);
	struct actor *to = actor_of(o->other);
	kerr_t want;

	if (!rights_valid(o))
		want = K_EINVAL;
	else if (o->pid == o->other)
		want = K_EPERM;
	else if (!from || !to)
		want = K_ENOENT;
	else if ((from->rights[o->endpoint] & CAP_DELEGATE) &&
		 (from->rights[o->endpoint] & o->rights) == o->rights)
		want = K_OK;
	else
		want = K_EPERM;
	kerr_t got = cap_delegate(o->pid, o->other, o->endpoint, o->rights);
	if (verdict("delegate", got, want) != 0)
		return -1;
	if (got == K_OK)
		to->rights[o->endpoint] |= o->rights;
	return 0;
}

static int do_revoke(const struct op *o)
{
	const struct actor *by = actor_of(o->pid);
	struct actor *target = actor_of(o->other);
	kerr_t want;

	if (!rights_valid(o))
		want = K_EINVAL;
	else if (!by || !target)
		want = K_ENOENT;
	else if (PID_SLOT(o->pid) >= PROCESS_KERNEL_COUNT && !(by->rights[o->endpoint] & CAP_REVOKE))
		want = K_EPERM;
	else if (!(target->rights[o->endpoint] & o->rights))
		want = K_ENOENT;
	else
		want = K_OK;
	kerr_t got = cap_revoke(o->pid, o->other, o->endpoint, o->rights);
	if (verdict("revoke", got, want) != 0)
		return -1;
	if (got == K_OK)
		target->rights[o->endpoint] &= ~o->rights;
	return 0;
}

/* A user process dies and a new one takes its slot (same slot: the model's
 * users fill the slots after the kernel's). Its old id goes stale. */
static int do_respawn(const struct op *o)
{
	struct actor *a = actor_of(o->pid);

	if (!a || PID_SLOT(a->pid) < PROCESS_KERNEL_COUNT)
		return 0; /* kernel processes never die */
	kpid_t old = a->pid;
	if (process_destroy(old) != K_OK)
		return mismatch("destroy", -1, K_OK);
	a->stale_pid = old;
	if (spawn_user(a, o->rights & 1) != 0)
		return mismatch("respawn", -1, 0);
	if (PID_SLOT(a->pid) != PID_SLOT(old) || a->pid == old)
		return mismatch("respawn slot reuse", (int)PID_SLOT(a->pid), (int)PID_SLOT(old));
	accepted = true;
	return 0;
}

/* ------------------------------------------------------------ invariants */

static int check_state(void)
{
	for (unsigned i = 0; i < ACTORS; i++) {
		for (uint32_t ep = 0; ep < CAP_ENDPOINTS; ep++) {
			cap_rights_t got = cap_rights(actors[i].pid, ep);
			if (got != actors[i].rights[ep])
				return mismatch("rights", (int)got, (int)actors[i].rights[ep]);
		}
		for (uint32_t ep = 0; ep < CAP_ENDPOINTS; ep++) {
			if (cap_rights(actors[i].stale_pid, ep) != 0)
				return mismatch("rights of a dead pid", 1, 0);
		}
		if (atomic_load(&waits[i].w.delivered) != waits[i].delivered)
			return mismatch("a waiter's delivered flag", !waits[i].delivered,
					waits[i].delivered);
	}
	for (uint32_t e = 0; e < IPC_ENDPOINTS; e++) {
		kpid_t got_owner = 0, want_owner = 0;
		bool got = ipc_owner(e, &got_owner) == K_OK;
		bool want = live_owner(&endpoints[e], &want_owner);
		if (got != want || (got && got_owner != want_owner))
			return mismatch("endpoint owner", got, want);
		if (ipc_queued(e) != endpoints[e].count)
			return mismatch("queue length", (int)ipc_queued(e), (int)endpoints[e].count);
	}
	return 0;
}

int ipc_model_step(const uint8_t bytes[IPC_MODEL_OP_BYTES])
{
	const struct op o = decode(bytes);
	int (*const run[MODEL_KINDS])(const struct op *) = {
		[MODEL_SEND] = do_send,
		[MODEL_RECEIVE] = do_receive,
		[MODEL_RECEIVE_IDENTITY] = do_receive_identity,
		[MODEL_REGISTER] = do_register,
		[MODEL_UNREGISTER] = do_unregister,
		[MODEL_GRANT] = do_grant,
		[MODEL_DELEGATE] = do_delegate,
		[MODEL_REVOKE] = do_revoke,
		[MODEL_RESPAWN] = do_respawn,
		[MODEL_WAIT] = do_wait,
	};
	accepted = false;
	stats.ops[o.kind]++;
	if (run[o.kind](&o) != 0 || check_state() != 0) {
		fprintf(stderr, "ipc_model: in operation kind %d by pid %#llx on endpoint %u\n", o.kind,
			(unsigned long long)o.pid, o.endpoint);
		return -1;
	}
	stats.succeeded[o.kind] += accepted;
	return 0;
}

int ipc_model_run(const uint8_t *bytes, size_t len)
{
	for (size_t at = 0; at + IPC_MODEL_OP_BYTES <= len; at += IPC_MODEL_OP_BYTES) {
		if (ipc_model_step(bytes + at) != 0)
			return -1;
	}
	return 0;
}

const struct ipc_model_stats *ipc_model_stats(void)
{
	return &stats;
}
