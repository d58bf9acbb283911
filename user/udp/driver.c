/*
 * driver: the link to the virtio-net driver, with its system calls (see
 * driver.h).
 */
#include "driver.h"

#include <abi/channel.h>
#include <abi/endpoints.h>

#include "../lib/sys.h"

#define COMPLAINTS_MAX 8 /* refused driver messages printed; all are counted */

static enum slot_send write_to_driver(void *ctx, const struct net_slot_msg *m)
{
	(void)ctx;
	int64_t sent = sys_write(ENDPOINT_VIRTIO_NET, m, sizeof(*m));

	return sent == SYS_ENOMEM ? SLOT_QUEUE_FULL : sent == SYS_ENOENT ? SLOT_PEER_GONE : SLOT_SENT;
}

static void complain(struct driver *d, const char *what, enum net_link_verdict v)
{
	drops_count(&d->stack->drops, DROP_DRIVER);
	if (d->complaints++ < COMPLAINTS_MAX)
		stack_say(d->stack, "udp: driver's %s refused (%s)", what, net_link_verdict_name(v));
}

static void outage(struct driver *d, const char *why)
{
	if (!d->link.up)
		return;
	stack_say(d->stack, "udp: network driver (generation %u) went away (%s); "
		  "waiting for it to come back", d->link.generation, why);
	net_link_down(&d->link);
	slot_outbox_clear(&d->out); /* about slots of a channel that is gone */
	stack_link_down(d->stack);
}

/* A slot message for the driver: after any that wait for room in its
 * queue, never reordered, never lost to a full queue (slot_outbox.h). */
static enum slot_send send_slot_msg(struct driver *d, uint32_t type, uint32_t slot,
				    uint32_t length)
{
	const struct net_slot_msg m = { .type = type, .slot = slot, .length = length };

	return slot_outbox_send(&d->out, &m, write_to_driver, d);
}

/* Whether the channel is still there to touch: the kernel unmaps it as
 * the driver ends, so a slot is never read or written without asking. */
static bool channel_live(struct driver *d)
{
	uint8_t info[CHANNEL_INFO_LEN];

	if (sys_call(SYS_CHANNEL_INFO, d->link.channel, (uint64_t)(uintptr_t)info, sizeof(info)) !=
		    CHANNEL_INFO_LEN ||
	    info[CHANNEL_INFO_STATE] != CHANNEL_STATE_ACTIVE) {
		outage(d, "its channel is gone");
		return false;
	}
	return true;
}

bool driver_hello(struct driver *d)
{
	(void)d;
	struct net_msg hello = { .type = NET_MSG_HELLO };

	return sys_write(ENDPOINT_VIRTIO_NET, &hello, sizeof(hello)) >= 0;
}

/* Attaches and checks the channel `up` names; false (and nothing kept) if
 * it is not what was announced. */
static bool attach(struct driver *d, const struct net_up *up)
{
	uint8_t info[CHANNEL_INFO_LEN];
	uint64_t size;
	int64_t va = sys_call(SYS_CHANNEL_ATTACH, up->channel, 0, 0);

	if (va < 0) {
		stack_say(d->stack, "udp: driver's channel %llu cannot be attached (%lld)",
			  (unsigned long long)up->channel, (long long)va);
		return false;
	}
	int64_t n = sys_call(SYS_CHANNEL_INFO, up->channel, (uint64_t)(uintptr_t)info, sizeof(info));
	enum net_link_verdict v = n == CHANNEL_INFO_LEN ?
		net_link_check_channel(info, sizeof(info), up, (uint64_t)va, &size) : NET_LINK_CHANNEL;
	if (v != NET_LINK_OK) {
		complain(d, "channel", v);
		(void)sys_call(SYS_CHANNEL_CLOSE, up->channel, 0, 0);
		return false;
	}
	net_link_attach(&d->link, up, (uint8_t *)(uintptr_t)va, size);
	return true;
}

static void link_up(struct driver *d, const uint8_t *msg, size_t len)
{
	struct net_up up;
	enum net_link_verdict v = net_link_check_up(msg, len, &up);

	if (v != NET_LINK_OK) {
		complain(d, "NET_MSG_UP", v);
		return;
	}
	if (d->link.up && up.generation == d->link.generation && up.channel == d->link.channel)
		return; /* the same announcement again (our HELLO crossed its UP) */
	if (d->link.up)
		outage(d, "a new driver announced itself");
	if (!attach(d, &up))
		return;
	const struct stack_config *c = &d->stack->config;
	stack_say(d->stack, "udp: link up: driver generation %u, mac "
		  "%02x:%02x:%02x:%02x:%02x:%02x, %u.%u.%u.%u, gateway %u.%u.%u.%u",
		  up.generation, up.mac[0], up.mac[1], up.mac[2], up.mac[3], up.mac[4], up.mac[5],
		  c->address[0], c->address[1], c->address[2], c->address[3], c->gateway[0],
		  c->gateway[1], c->gateway[2], c->gateway[3]);
	stack_link_up(d->stack, up.mac);
}

static void received(struct driver *d, const struct net_slot_msg *m)
{
	static uint8_t frame[NET_FRAME_MAX];
	const uint8_t *slot;
	size_t len;
	enum net_link_verdict v = net_link_rx(&d->link, m, &slot, &len);

	if (v != NET_LINK_OK) {
		complain(d, "NET_MSG_RX", v);
		return;
	}
	if (!channel_live(d))
		return;
	/* A private copy: the driver can write its slot while we parse. */
	__builtin_memcpy(frame, slot, len);
	net_link_rx_done(&d->link, m->slot);
	if (send_slot_msg(d, NET_MSG_RX_DONE, m->slot, 0) == SLOT_PEER_GONE)
		outage(d, "NET_MSG_RX_DONE found nobody at endpoint 20");
	stack_receive(d->stack, frame, len);
}

void driver_message(struct driver *d, const uint8_t *msg, size_t len)
{
	uint32_t type = len >= 4 ? (uint32_t)msg[0] | (uint32_t)msg[1] << 8 |
					   (uint32_t)msg[2] << 16 | (uint32_t)msg[3] << 24 : 0;
	struct net_slot_msg m;
	enum net_link_verdict v;

	if (type == NET_MSG_UP) {
		link_up(d, msg, len);
		return;
	}
	/* The driver took messages from its queue to send this one: room,
	 * maybe, for what waits (before this one's answer, in order). */
	if (slot_outbox_flush(&d->out, write_to_driver, d) == SLOT_PEER_GONE)
		outage(d, "a held message found nobody at endpoint 20");
	if (type != NET_MSG_RX && type != NET_MSG_TX_DONE) {
		complain(d, "message", NET_LINK_MSG_SIZE);
		return;
	}
	v = net_link_read_slot_msg(msg, len, &m);
	if (v != NET_LINK_OK) {
		complain(d, type == NET_MSG_RX ? "NET_MSG_RX" : "NET_MSG_TX_DONE", v);
		return;
	}
	if (type == NET_MSG_RX) {
		received(d, &m);
		return;
	}
	v = net_link_tx_done(&d->link, &m);
	if (v != NET_LINK_OK)
		complain(d, "NET_MSG_TX_DONE", v);
}

bool driver_send_frame(struct driver *d, const uint8_t *frame, size_t len)
{
	uint32_t slot;
	uint8_t *where;

	if (len > NET_FRAME_MAX || !net_link_tx_take(&d->link, &slot, &where))
		return false;
	if (!channel_live(d))
		return false;
	__builtin_memcpy(where, frame, len);
	/* Sent now or held until the driver's queue has room: the slot is
	 * the driver's until its TX_DONE either way. */
	if (send_slot_msg(d, NET_MSG_TX, slot, (uint32_t)len) == SLOT_PEER_GONE) {
		outage(d, "NET_MSG_TX found nobody at endpoint 20");
		return false;
	}
	return true;
}
