/*
 * ipc: endpoint queues (see ipc.h).
 *
 * A fixed array of IPC_ENDPOINTS rings under one lock. Every operation
 * decides first -- interceptor, capability, ownership, room -- and changes
 * a ring only when every check has passed, so a refused call leaves no
 * trace. Payloads are copied under the lock straight into the ring slot
 * and straight out of it: one copy in, one copy out, of the payload's
 * length only.
 *
 * Hand-off. A receiver that finds its queue empty may leave a waiter
 * (ipc.h) on the endpoint: where its message should go. The next send to
 * that endpoint, having passed every check, and the receive side's check
 * still standing for the waiter (still_may_receive), writes the message
 * straight into the waiter's buffer -- one copy, from the sender's bytes to the receiver's
 * -- instead of queueing it for the receiver to dequeue after it wakes.
 * FIFO order holds: a waiter is only left on an empty queue, and a send
 * that finds a waiter finds the queue empty.
 */
#include <ipc.h>

#include <cap.h>
#include <interceptor.h>
#include <kstring.h>
#include <printk.h>
#include <spinlock.h>

struct endpoint {
	bool owned;
	kpid_t owner;      /* valid if owned; may have died since */
	/* The owner's program has ended (ipc_owner_ended): dead to IPC from
	 * then on, before the reaper destroys the process. */
	bool owner_ended;
	unsigned head;    /* index of the oldest message */
	unsigned count;   /* messages waiting */
	struct ipc_waiter *waiter; /* the owner waits here for the next message */
};

static struct spinlock ipc_lock = SPINLOCK_INIT("ipc", LOCK_IPC);
static struct endpoint endpoints[IPC_ENDPOINTS]; /* guarded by ipc_lock */
/* A queued message's header: everything of it but the payload. */
struct queued {
	uint32_t reply_endpoint;
	uint32_t length; /* payload bytes, at most IPC_PAYLOAD_MAX */
	bool has_principal;
	struct principal sender;
};

/* Endpoint e's ring: the headers, and the payloads in an array of their
 * own. Each is apart from the bookkeeping above and from the other, so
 * that the analysis (make verify), which cannot always name the exact
 * slot a copy goes to, sees every payload copy land among payload bytes
 * and never in a length, an owner or a waiter. Guarded by ipc_lock. */
static struct queued ring_heads[IPC_ENDPOINTS][IPC_QUEUE_DEPTH];
static uint8_t ring_payloads[IPC_ENDPOINTS][IPC_QUEUE_DEPTH][IPC_PAYLOAD_MAX]
	__attribute__((aligned(8))); /* copies in and out move words */

/* A slot of a ring: its header and its payload. */
struct slot {
	struct queued *head;
	uint8_t *payload;
};

/*@ requires endpoint < IPC_ENDPOINTS && index < IPC_QUEUE_DEPTH;
    assigns \nothing; */
static struct slot slot_at(uint32_t endpoint, unsigned index)
{
	return (struct slot){ &ring_heads[endpoint][index], ring_payloads[endpoint][index] };
}

/* Whether `pid` owns the endpoint (alive or not). */
/*@ requires \valid_read(ep);
    assigns \nothing; */
static bool owned_by(const struct endpoint *ep, kpid_t pid)
{
	return ep->owned && ep->owner == pid;
}

/* True, with *owner set, if the endpoint has an owner that still lives. */
/*@ requires \valid_read(ep);
    requires \valid(owner);
    assigns *owner; */
static bool live_owner(const struct endpoint *ep, kpid_t *owner)
{
	if (!ep->owned || ep->owner_ended || !process_alive(ep->owner))
		return false;
	*owner = ep->owner;
	return true;
}

/* Forgets every queued message, payloads included: a ring that changes
 * hands keeps nothing of its past. */
/*@ requires endpoint < IPC_ENDPOINTS;
    assigns ring_heads[endpoint][0 .. IPC_QUEUE_DEPTH - 1],
            ring_payloads[endpoint][0 .. IPC_QUEUE_DEPTH - 1][0 .. IPC_PAYLOAD_MAX - 1],
            endpoints[endpoint]; */
static void purge(uint32_t endpoint)
{
	struct endpoint *ep = &endpoints[endpoint];

	memset(ring_heads[endpoint], 0, sizeof(ring_heads[endpoint]));
	memset(ring_payloads[endpoint], 0, sizeof(ring_payloads[endpoint]));
	ep->head = 0;
	ep->count = 0;
	ep->waiter = NULL;
}

void ipc_init(void)
{
	arch_irqflags_t flags = spin_lock_irqsave(&ipc_lock);

	memset(endpoints, 0, sizeof(endpoints));
	memset(ring_heads, 0, sizeof(ring_heads));
	memset(ring_payloads, 0, sizeof(ring_payloads));
	spin_unlock_irqrestore(&ipc_lock, flags);
	interceptor_install(NULL);
	println("ipc: %d endpoints x %d messages of up to %d bytes; interceptor: %s", IPC_ENDPOINTS,
		IPC_QUEUE_DEPTH, IPC_PAYLOAD_MAX, interceptor_current()->name);
}

kerr_t ipc_register(kpid_t owner, uint32_t endpoint)
{
	kpid_t holder;

	if (endpoint >= IPC_ENDPOINTS)
		return K_EINVAL;
	kerr_t err = cap_check(owner, endpoint, CAP_RECEIVE);
	if (err != K_OK)
		return err;
	arch_irqflags_t flags = spin_lock_irqsave(&ipc_lock);
	struct endpoint *ep = &endpoints[endpoint];
	if (live_owner(ep, &holder)) {
		err = holder == owner ? K_OK : K_EEXIST;
	} else {
		if (ep->owned)
			purge(endpoint); /* mail for a dead predecessor */
		ep->owned = true;
		ep->owner = owner;
		ep->owner_ended = false;
	}
	spin_unlock_irqrestore(&ipc_lock, flags);
	return err;
}

kerr_t ipc_unregister(kpid_t owner, uint32_t endpoint)
{
	kerr_t err = K_EPERM;

	if (endpoint >= IPC_ENDPOINTS)
		return K_EINVAL;
	arch_irqflags_t flags = spin_lock_irqsave(&ipc_lock);
	struct endpoint *ep = &endpoints[endpoint];
	if (owned_by(ep, owner)) {
		purge(endpoint);
		ep->owned = false;
		err = K_OK;
	}
	spin_unlock_irqrestore(&ipc_lock, flags);
	return err;
}

kerr_t ipc_owner(uint32_t endpoint, kpid_t *owner)
{
	kerr_t err = K_ENOENT;

	if (endpoint >= IPC_ENDPOINTS)
		return K_EINVAL;
	arch_irqflags_t flags = spin_lock_irqsave(&ipc_lock);
	if (live_owner(&endpoints[endpoint], owner))
		err = K_OK;
	spin_unlock_irqrestore(&ipc_lock, flags);
	return err;
}

/* The reply endpoint must be the sender's own. Caller holds ipc_lock. */
static kerr_t check_reply(kpid_t sender, uint32_t reply)
{
	if (reply == IPC_NO_ENDPOINT)
		return K_OK;
	if (reply >= IPC_ENDPOINTS)
		return K_EINVAL;
	return owned_by(&endpoints[reply], sender) ? K_OK : K_EPERM;
}

/* Appends a stamped copy of the payload. Caller holds ipc_lock and has
 * checked the request (deliver()). */
static kerr_t enqueue(const struct ipc_send_request *r, const struct principal *stamp,
		      const struct span *payload)
{
	struct endpoint *ep = &endpoints[r->to_endpoint];

	if (ep->count == IPC_QUEUE_DEPTH)
		return K_EFULL;
	const struct slot m = slot_at(r->to_endpoint, (ep->head + ep->count) % IPC_QUEUE_DEPTH);
	/* The payload first: a copy that does not fit (deliver() has made
	 * sure it does) leaves the slot unused. */
	if (!span_read(payload, 0, m.payload, r->length))
		return K_EINVAL;
	m.head->reply_endpoint = r->reply_endpoint;
	m.head->length = (uint32_t)r->length;
	m.head->has_principal = stamp != NULL;
	if (stamp)
		m.head->sender = *stamp;
	else
		memset(&m.head->sender, 0, sizeof(m.head->sender));
	ep->count++;
	return K_OK;
}

/* Whether `receiver` may take a message from `endpoint` now: the
 * interceptor `icpt`, then the capability, then ownership. Caller holds
 * ipc_lock. */
static kerr_t may_receive(kpid_t receiver, uint32_t endpoint, const struct interceptor *icpt)
{
	const struct ipc_receive_request req = { .receiver = receiver, .endpoint = endpoint };
	kerr_t err = icpt->on_receive(&req);

	if (err == K_OK)
		err = cap_check(receiver, endpoint, CAP_RECEIVE);
	if (err != K_OK)
		return err;
	if (endpoint >= IPC_ENDPOINTS)
		return K_EINVAL;
	return owned_by(&endpoints[endpoint], receiver) ? K_OK : K_EPERM;
}

/* The reply endpoint as the prefix stores it: little-endian. */
static void reply_bytes(uint32_t reply, uint8_t out[4])
{
	for (unsigned i = 0; i < 4; i++)
		out[i] = (uint8_t)(reply >> (8 * i));
}

/* write_prefix() for a prefix that crosses from the span's first piece
 * into its second (a buffer that crosses a page within its first 36
 * bytes): out of line, so the usual case stays small enough to inline. */
static __attribute__((noinline)) bool write_prefix_split(const struct span *dst,
							 const struct principal *sender,
							 uint32_t reply)
{
	uint8_t reply_le[4];

	reply_bytes(reply, reply_le);
	return span_write(dst, 0, sender->key, PRINCIPAL_LEN) &&
	       span_write(dst, PRINCIPAL_LEN, reply_le, sizeof(reply_le));
}

/* The identity prefix: the sender's Principal (zeros when it had none),
 * then the reply endpoint, little-endian. False if dst is too short to
 * hold it (its callers have made sure it is not). */
static bool write_prefix(const struct span *dst, const struct principal *sender,
			 uint32_t reply)
{
	if (dst->len[0] < IPC_IDENTITY_PREFIX)
		return write_prefix_split(dst, sender, reply);
	/* The usual case, the whole prefix in the first piece: stored in
	 * place, the reply endpoint without a copy call of its own. */
	uint8_t *prefix = dst->part[0];

	memcpy(prefix, sender->key, PRINCIPAL_LEN);
	reply_bytes(reply, prefix + PRINCIPAL_LEN);
	return true;
}

/* How much of a `length`-byte payload fits after the prefix in dst. */
static size_t payload_room(const struct span *dst, size_t length)
{
	size_t room = span_len(dst) - IPC_IDENTITY_PREFIX;

	return length < room ? length : room;
}

/* Whether the waiter's receiver may still take the message `r` sends:
 * its own check stands if nothing has happened since that could change
 * the answer -- no right taken away anywhere, the same interceptor, the
 * receiver alive and still the owner -- else the check is made again.
 * Alive and the owner is what the send found of the target under this
 * same hold of ipc_lock (r->to_owned, r->to_owner), not looked up again.
 * Caller holds ipc_lock. */
static bool still_may_receive(const struct ipc_waiter *w, const struct ipc_send_request *r)
{
	const struct interceptor *icpt = interceptor_current();

	if (w->revocations == cap_revocations() && w->interceptor == icpt && r->to_owned &&
	    r->to_owner == w->receiver)
		return true;
	return may_receive(w->receiver, r->to_endpoint, icpt) == K_OK;
}

/* Hands the message straight to the endpoint's waiter, if it has one and
 * may receive it now; false leaves the message to be queued. Caller holds
 * ipc_lock. */
static bool hand_off(const struct ipc_send_request *r, const struct principal *stamp,
		     const struct span *payload, struct thread **handed_to)
{
	struct endpoint *ep = &endpoints[r->to_endpoint];
	struct ipc_waiter *w = ep->waiter;
	static const struct principal none;

	if (!w || ep->count != 0 || !still_may_receive(w, r))
		return false;
	size_t n = payload_room(&w->dst, r->length);
	/* The waiter's span holds the prefix (ipc_receive_span checked it)
	 * and the payload fits in the sender's (deliver): neither copy can
	 * fail, and if one did the message would be queued instead. */
	if (!write_prefix(&w->dst, stamp ? stamp : &none, r->reply_endpoint) ||
	    !span_copy(&w->dst, IPC_IDENTITY_PREFIX, payload, n))
		return false;
	w->written = IPC_IDENTITY_PREFIX + n;
	ep->waiter = NULL;
	*handed_to = w->thread;
	atomic_store_explicit(&w->delivered, true, memory_order_release);
	return true;
}

/* Delivers to the waiter or queues; bounds are checked again here: the
 * interceptor is policy and may be replaced, memory safety is ours.
 * Caller holds ipc_lock. */
static kerr_t deliver(const struct ipc_send_request *r, const struct principal *stamp,
		      const struct span *payload, struct thread **handed_to)
{
	if (r->to_endpoint >= IPC_ENDPOINTS || r->length > IPC_PAYLOAD_MAX ||
	    r->length > span_len(payload))
		return K_EINVAL;
	if (endpoints[r->to_endpoint].owned && !r->to_owned)
		return K_ENOENT; /* the owner has died */
	if (hand_off(r, stamp, payload, handed_to))
		return K_OK;
	return enqueue(r, stamp, payload);
}

kerr_t ipc_send(kpid_t sender, uint32_t reply, uint32_t to, const void *payload, size_t len)
{
	if (len && !payload)
		return K_EINVAL;
	const struct span bytes = span_of((void *)(uintptr_t)payload, len);
	return ipc_send_span(sender, reply, to, &bytes);
}

kerr_t ipc_send_span(kpid_t sender, uint32_t reply, uint32_t to, const struct span *payload)
{
	struct thread *handed_to;

	return ipc_send_span_to(sender, reply, to, payload, &handed_to);
}

kerr_t ipc_send_span_to(kpid_t sender, uint32_t reply, uint32_t to, const struct span *payload,
			struct thread **handed_to)
{
	struct ipc_send_request req = {
		.sender = sender, .reply_endpoint = reply, .to_endpoint = to,
		.length = span_len(payload),
	};
	/* The stamp comes from the process table, never from the caller. */
	const struct principal *stamp = process_principal_ref(sender);

	*handed_to = NULL;

	arch_irqflags_t flags = spin_lock_irqsave(&ipc_lock);
	req.to_owned = to < IPC_ENDPOINTS && live_owner(&endpoints[to], &req.to_owner);
	kerr_t err = interceptor_current()->on_send(&req);
	if (err == K_OK)
		err = cap_check(sender, to, CAP_SEND);
	if (err == K_OK)
		err = check_reply(sender, reply);
	if (err == K_OK)
		err = deliver(&req, stamp, payload, handed_to);
	spin_unlock_irqrestore(&ipc_lock, flags);
	return err;
}

/* The oldest message on `endpoint`, if `receiver` may take it. Caller
 * holds ipc_lock. */
static kerr_t oldest(kpid_t receiver, uint32_t endpoint, const struct interceptor *icpt,
		     struct slot *out)
{
	kerr_t err = may_receive(receiver, endpoint, icpt);

	if (err != K_OK)
		return err;
	struct endpoint *ep = &endpoints[endpoint];
	if (ep->count == 0)
		return K_EAGAIN;
	*out = slot_at(endpoint, ep->head);
	return K_OK;
}

/* Removes the oldest message, `m`, wiping its slot. Caller holds
 * ipc_lock. */
static void drop_oldest(uint32_t endpoint, const struct slot *m)
{
	struct endpoint *ep = &endpoints[endpoint];

	memset(m->payload, 0, m->head->length);
	memset(m->head, 0, sizeof(*m->head));
	ep->head = (ep->head + 1) % IPC_QUEUE_DEPTH;
	ep->count--;
}

kerr_t ipc_receive(kpid_t receiver, uint32_t endpoint, struct ipc_message *out)
{
	struct slot m;
	arch_irqflags_t flags = spin_lock_irqsave(&ipc_lock);
	kerr_t err = oldest(receiver, endpoint, interceptor_current(), &m);

	if (err == K_OK) {
		out->to_endpoint = endpoint;
		out->reply_endpoint = m.head->reply_endpoint;
		out->length = m.head->length;
		out->has_principal = m.head->has_principal;
		out->sender = m.head->sender;
		memcpy(out->payload, m.payload, m.head->length);
		drop_oldest(endpoint, &m);
	}
	spin_unlock_irqrestore(&ipc_lock, flags);
	return err;
}

/* Writes the identity prefix and as much payload as fits, and sets
 * *written to the bytes written; false if dst cannot hold the prefix. */
static bool flatten(const struct slot *m, const struct span *dst, size_t *written)
{
	size_t n = payload_room(dst, m->head->length);

	/* The prefix is zeros when the sender had no Principal. */
	if (!write_prefix(dst, &m->head->sender, m->head->reply_endpoint) ||
	    !span_write(dst, IPC_IDENTITY_PREFIX, m->payload, n))
		return false;
	*written = IPC_IDENTITY_PREFIX + n;
	return true;
}

kerr_t ipc_receive_with_identity(kpid_t receiver, uint32_t endpoint, uint8_t *buf, size_t buf_len,
				 size_t *written)
{
	if (!buf)
		return K_EINVAL;
	const struct span dst = span_of(buf, buf_len);
	return ipc_receive_span(receiver, endpoint, &dst, written, NULL);
}

kerr_t ipc_receive_span(kpid_t receiver, uint32_t endpoint, const struct span *dst,
			size_t *written, struct ipc_waiter *wait)
{
	struct slot m;

	if (span_len(dst) < IPC_IDENTITY_PREFIX)
		return K_EINVAL;
	arch_irqflags_t flags = spin_lock_irqsave(&ipc_lock);
	/* Handed a message since the caller last looked (another CPU's send,
	 * between the caller's check of `delivered` and this lock): that is
	 * this receive's message. Waiting again would clear `delivered` and
	 * lose it. */
	if (wait && atomic_load_explicit(&wait->delivered, memory_order_acquire)) {
		*written = wait->written;
		spin_unlock_irqrestore(&ipc_lock, flags);
		return K_OK;
	}
	uint64_t revocations = cap_revocations(); /* before the check: see ipc_waiter */
	const struct interceptor *icpt = interceptor_current();
	kerr_t err = oldest(receiver, endpoint, icpt, &m);
	struct endpoint *ep = endpoint < IPC_ENDPOINTS ? &endpoints[endpoint] : NULL;
	if (err == K_OK && flatten(&m, dst, written))
		drop_oldest(endpoint, &m);
	else if (err == K_OK)
		err = K_EINVAL; /* dst cannot hold the prefix: checked above, never met */
	if (ep && wait && ep->waiter == wait)
		ep->waiter = NULL; /* a new look at the queue replaces the old wait */
	/* ep is checked, not implied by K_EAGAIN: an installed interceptor may
	 * deny any endpoint, one out of range included, with any error. */
	if (err == K_EAGAIN && wait && ep && !ep->waiter) {
		wait->receiver = receiver;
		wait->dst = *dst;
		wait->written = 0;
		wait->revocations = revocations;
		wait->interceptor = icpt;
		atomic_store_explicit(&wait->delivered, false, memory_order_relaxed);
		ep->waiter = wait;
	}
	spin_unlock_irqrestore(&ipc_lock, flags);
	return err;
}

void ipc_cancel_wait(uint32_t endpoint, const struct ipc_waiter *wait)
{
	if (endpoint >= IPC_ENDPOINTS)
		return;
	arch_irqflags_t flags = spin_lock_irqsave(&ipc_lock);
	if (endpoints[endpoint].waiter == wait)
		endpoints[endpoint].waiter = NULL;
	spin_unlock_irqrestore(&ipc_lock, flags);
}

unsigned ipc_queued(uint32_t endpoint)
{
	unsigned n = 0;

	if (endpoint >= IPC_ENDPOINTS)
		return 0;
	arch_irqflags_t flags = spin_lock_irqsave(&ipc_lock);
	n = endpoints[endpoint].count;
	spin_unlock_irqrestore(&ipc_lock, flags);
	return n;
}

void ipc_owner_ended(kpid_t pid)
{
	arch_irqflags_t flags = spin_lock_irqsave(&ipc_lock);

	for (uint32_t e = 0; e < IPC_ENDPOINTS; e++) {
		if (owned_by(&endpoints[e], pid))
			endpoints[e].owner_ended = true;
	}
	spin_unlock_irqrestore(&ipc_lock, flags);
}

void ipc_cancel_waits_of(kpid_t receiver)
{
	arch_irqflags_t flags = spin_lock_irqsave(&ipc_lock);

	for (uint32_t e = 0; e < IPC_ENDPOINTS; e++) {
		if (endpoints[e].waiter && endpoints[e].waiter->receiver == receiver)
			endpoints[e].waiter = NULL;
	}
	spin_unlock_irqrestore(&ipc_lock, flags);
}
