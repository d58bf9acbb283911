/*
 * ipc: endpoint queues (see ipc.h).
 *
 * A fixed array of IPC_ENDPOINTS rings under one lock. Every operation
 * decides first -- interceptor, capability, ownership, room -- and changes
 * a ring only when every check has passed, so a refused call leaves no
 * trace. Payloads are copied under the lock straight into the ring slot
 * and straight out of it: one copy in, one copy out, of the payload's
 * length only.
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
	unsigned head;    /* index of the oldest message */
	unsigned count;   /* messages waiting */
	struct ipc_message ring[IPC_QUEUE_DEPTH];
};

static struct spinlock ipc_lock = SPINLOCK_INIT("ipc", LOCK_IPC);
static struct endpoint endpoints[IPC_ENDPOINTS]; /* guarded by ipc_lock */

/* True, with *owner set, if the endpoint has an owner that still lives. */
static bool live_owner(const struct endpoint *ep, kpid_t *owner)
{
	if (!ep->owned || !process_alive(ep->owner))
		return false;
	*owner = ep->owner;
	return true;
}

/* Forgets every queued message, payloads included: a ring that changes
 * hands keeps nothing of its past. */
static void purge(struct endpoint *ep)
{
	memset(ep->ring, 0, sizeof(ep->ring));
	ep->head = 0;
	ep->count = 0;
}

void ipc_init(void)
{
	arch_irqflags_t flags = spin_lock_irqsave(&ipc_lock);

	memset(endpoints, 0, sizeof(endpoints));
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
			purge(ep); /* mail for a dead predecessor */
		ep->owned = true;
		ep->owner = owner;
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
	if (ep->owned && ep->owner == owner) {
		purge(ep);
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
	const struct endpoint *ep = &endpoints[reply];
	return ep->owned && ep->owner == sender ? K_OK : K_EPERM;
}

/* Appends a stamped copy of the payload. Bounds are checked again here:
 * the interceptor is policy and may be replaced, memory safety is ours.
 * Caller holds ipc_lock. */
static kerr_t enqueue(const struct ipc_send_request *r, const struct principal *stamp,
		      const void *payload)
{
	if (r->to_endpoint >= IPC_ENDPOINTS || r->length > IPC_PAYLOAD_MAX)
		return K_EINVAL;
	struct endpoint *ep = &endpoints[r->to_endpoint];
	if (ep->owned && !r->to_owned)
		return K_ENOENT; /* the owner has died */
	if (ep->count == IPC_QUEUE_DEPTH)
		return K_EFULL;
	struct ipc_message *m = &ep->ring[(ep->head + ep->count) % IPC_QUEUE_DEPTH];
	m->to_endpoint = r->to_endpoint;
	m->reply_endpoint = r->reply_endpoint;
	m->length = (uint32_t)r->length;
	m->has_principal = stamp != NULL;
	if (stamp)
		m->sender = *stamp;
	else
		memset(&m->sender, 0, sizeof(m->sender));
	if (r->length)
		memcpy(m->payload, payload, r->length);
	ep->count++;
	return K_OK;
}

kerr_t ipc_send(kpid_t sender, uint32_t reply, uint32_t to, const void *payload, size_t len)
{
	struct ipc_send_request req = {
		.sender = sender, .reply_endpoint = reply, .to_endpoint = to, .length = len,
	};
	struct principal principal;
	/* The stamp comes from the process table, never from the caller. */
	const struct principal *stamp =
		process_principal(sender, &principal) == K_OK ? &principal : NULL;

	if (len && !payload)
		return K_EINVAL;
	arch_irqflags_t flags = spin_lock_irqsave(&ipc_lock);
	req.to_owned = to < IPC_ENDPOINTS && live_owner(&endpoints[to], &req.to_owner);
	kerr_t err = interceptor_current()->on_send(&req);
	if (err == K_OK)
		err = cap_check(sender, to, CAP_SEND);
	if (err == K_OK)
		err = check_reply(sender, reply);
	if (err == K_OK)
		err = enqueue(&req, stamp, payload);
	spin_unlock_irqrestore(&ipc_lock, flags);
	return err;
}

/* The oldest message on `endpoint`, if `receiver` may take it. Caller
 * holds ipc_lock. */
static kerr_t oldest(kpid_t receiver, uint32_t endpoint, struct ipc_message **out)
{
	const struct ipc_receive_request req = { .receiver = receiver, .endpoint = endpoint };
	kerr_t err = interceptor_current()->on_receive(&req);

	if (err == K_OK)
		err = cap_check(receiver, endpoint, CAP_RECEIVE);
	if (err != K_OK)
		return err;
	if (endpoint >= IPC_ENDPOINTS)
		return K_EINVAL;
	struct endpoint *ep = &endpoints[endpoint];
	if (!ep->owned || ep->owner != receiver)
		return K_EPERM;
	if (ep->count == 0)
		return K_EAGAIN;
	*out = &ep->ring[ep->head];
	return K_OK;
}

/* Removes the oldest message, wiping its slot. Caller holds ipc_lock. */
static void drop_oldest(uint32_t endpoint)
{
	struct endpoint *ep = &endpoints[endpoint];
	struct ipc_message *m = &ep->ring[ep->head];

	memset(m->payload, 0, m->length);
	memset(m, 0, offsetof(struct ipc_message, payload));
	ep->head = (ep->head + 1) % IPC_QUEUE_DEPTH;
	ep->count--;
}

kerr_t ipc_receive(kpid_t receiver, uint32_t endpoint, struct ipc_message *out)
{
	struct ipc_message *m;
	arch_irqflags_t flags = spin_lock_irqsave(&ipc_lock);
	kerr_t err = oldest(receiver, endpoint, &m);

	if (err == K_OK) {
		memcpy(out, m, offsetof(struct ipc_message, payload));
		memcpy(out->payload, m->payload, m->length);
		drop_oldest(endpoint);
	}
	spin_unlock_irqrestore(&ipc_lock, flags);
	return err;
}

/* Writes the identity prefix and as much payload as fits. */
static size_t flatten(const struct ipc_message *m, uint8_t *buf, size_t buf_len)
{
	size_t room = buf_len - IPC_IDENTITY_PREFIX;
	size_t n = m->length < room ? m->length : room;

	memcpy(buf, m->sender.key, PRINCIPAL_LEN); /* zeros when there was none */
	for (unsigned i = 0; i < 4; i++)
		buf[PRINCIPAL_LEN + i] = (uint8_t)(m->reply_endpoint >> (8 * i));
	memcpy(buf + IPC_IDENTITY_PREFIX, m->payload, n);
	return IPC_IDENTITY_PREFIX + n;
}

kerr_t ipc_receive_with_identity(kpid_t receiver, uint32_t endpoint, uint8_t *buf, size_t buf_len,
				 size_t *written)
{
	struct ipc_message *m;

	if (!buf || buf_len < IPC_IDENTITY_PREFIX)
		return K_EINVAL;
	arch_irqflags_t flags = spin_lock_irqsave(&ipc_lock);
	kerr_t err = oldest(receiver, endpoint, &m);
	if (err == K_OK) {
		*written = flatten(m, buf, buf_len);
		drop_oldest(endpoint);
	}
	spin_unlock_irqrestore(&ipc_lock, flags);
	return err;
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
