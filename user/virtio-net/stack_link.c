/*
 * stack_link: the channel and the slot messages between the driver and
 * the UDP/IP stack (see stack_link.h and include/abi/net.h).
 */
#include "stack_link.h"

#include <abi/channel.h>
#include <abi/endpoints.h>

#include "../../lib/kstring.h"
#include "../lib/line.h"
#include "../lib/sys.h"
#include "checks.h"

#define MSG_MAX (SYS_MSG_PREFIX + IPC_PAYLOAD_MAX)
#define TX_AREA (NET_RX_SLOTS * NET_SLOT_SIZE)

static void report(const char *what, int64_t n, const char *why)
{
	struct line l;

	l.len = 0;
	put(&l, "virtio-net: ");
	put(&l, what);
	put_dec(&l, n);
	put(&l, why);
	say(&l);
}

static void refuse(struct stack_link *s, const char *what, int64_t n, const char *why)
{
	s->violations++;
	report(what, n, why);
}

static const char *create_channel(struct stack_link *s)
{
	uint8_t me[PRINCIPAL_LEN];
	uint64_t va = 0;

	if (sys_call(SYS_GET_PRINCIPAL, (uint64_t)(uintptr_t)me, sizeof(me), 0) != PRINCIPAL_LEN)
		return "GetPrincipal failed";
	s->channel = sys_call4(SYS_CHANNEL_CREATE, NET_CHANNEL_PAGES, (uint64_t)(uintptr_t)me,
			       CHANNEL_ROLE_BIDIRECTIONAL, (uint64_t)(uintptr_t)&va);
	if (s->channel < 0 || va == 0)
		return "ChannelCreate refused the stack's channel";
	s->base = (uint8_t *)(uintptr_t)va;
	for (unsigned i = 0; i < NET_RX_SLOTS; i++)
		s->rx_lent[i] = false;
	slot_outbox_clear(&s->out); /* messages about the old channel's slots */
	return 0;
}

/* Still mapped for us: waiting for the stack to attach, or attached. A
 * stack that ended took the channel with it (abi/channel.h). */
static bool channel_alive(const struct stack_link *s)
{
	uint8_t rec[CHANNEL_INFO_LEN];

	if (s->channel < 0 ||
	    sys_call(SYS_CHANNEL_INFO, (uint64_t)s->channel, (uint64_t)(uintptr_t)rec, sizeof(rec)) !=
		    CHANNEL_INFO_LEN)
		return false;
	return rec[CHANNEL_INFO_STATE] == CHANNEL_STATE_AWAITING_ATTACH ||
	       rec[CHANNEL_INFO_STATE] == CHANNEL_STATE_ACTIVE;
}

static void announce(struct stack_link *s)
{
	struct net_up up = {
		.type = NET_MSG_UP, .generation = (uint32_t)sys_getpid(),
		.channel = (uint64_t)s->channel, .mtu = 1500, .rx_slots = NET_RX_SLOTS,
		.tx_slots = NET_TX_SLOTS, .slot_size = NET_SLOT_SIZE,
	};

	memcpy(up.mac, s->dev->mac, sizeof(up.mac));
	int64_t sent = sys_write(ENDPOINT_UDP, &up, sizeof(up));
	s->announced = sent == (int64_t)sizeof(up);
	if (s->announced)
		report("NET_MSG_UP sent to endpoint 21: channel ", s->channel, "");
	else if (sent == SYS_ENOENT)
		say1("virtio-net: no stack at endpoint 21 yet; waiting for its NET_MSG_HELLO");
	else
		report("NET_MSG_UP to endpoint 21 failed: ", sent, "");
}

const char *stack_link_start(struct stack_link *s, struct net_dev *dev)
{
	s->dev = dev;
	s->violations = 0;
	s->announced = false;
	slot_outbox_clear(&s->out);
	s->out.held = 0;
	const char *why = create_channel(s);
	if (why)
		return why;
	announce(s);
	return 0;
}

static int free_rx_slot(const struct stack_link *s)
{
	for (unsigned i = 0; i < NET_RX_SLOTS; i++) {
		if (!s->rx_lent[i])
			return (int)i;
	}
	return -1;
}

/* The stack is gone: nothing waiting for it is worth sending, and its
 * next HELLO brings it back (with a new channel). */
static void stack_gone(struct stack_link *s)
{
	s->announced = false;
	slot_outbox_clear(&s->out);
}

static enum slot_send write_to_stack(void *ctx, const struct net_slot_msg *m)
{
	(void)ctx;
	int64_t sent = sys_write(ENDPOINT_UDP, m, sizeof(*m));

	return sent == SYS_ENOMEM ? SLOT_QUEUE_FULL : sent == SYS_ENOENT ? SLOT_PEER_GONE : SLOT_SENT;
}

static void flush_outbox(struct stack_link *s)
{
	if (slot_outbox_flush(&s->out, write_to_stack, s) == SLOT_PEER_GONE)
		stack_gone(s);
}

/* A slot message for the stack, after any that wait: never reordered,
 * never lost to a full queue. */
static void send_slot(struct stack_link *s, uint32_t type, uint32_t slot, uint32_t length)
{
	const struct net_slot_msg m = { .type = type, .slot = slot, .length = length };

	if (slot_outbox_send(&s->out, &m, write_to_stack, s) == SLOT_PEER_GONE)
		stack_gone(s);
}

void stack_link_deliver(void *ctx, const uint8_t *frame, uint32_t len)
{
	struct stack_link *s = ctx;
	int slot = s->announced ? free_rx_slot(s) : -1;

	if (slot < 0 || !channel_alive(s)) {
		s->dev->count.dropped++;
		return;
	}
	memcpy(s->base + (uint32_t)slot * NET_SLOT_SIZE, frame, len);
	s->rx_lent[slot] = true; /* the stack's from now on, whenever the message goes */
	send_slot(s, NET_MSG_RX, (uint32_t)slot, len);
}

static void print_counters(const struct stack_link *s)
{
	const struct net_counters *c = &s->dev->count;
	struct line l;

	l.len = 0;
	put(&l, "virtio-net: rx ");
	put_dec(&l, (int64_t)c->rx_frames);
	put(&l, " frames ");
	put_dec(&l, (int64_t)c->rx_bytes);
	put(&l, " bytes, tx ");
	put_dec(&l, (int64_t)c->tx_frames);
	put(&l, " frames ");
	put_dec(&l, (int64_t)c->tx_bytes);
	put(&l, " bytes, ");
	put_dec(&l, (int64_t)c->dropped);
	put(&l, " dropped, ");
	put_dec(&l, (int64_t)s->violations);
	put(&l, " refused from the stack, ");
	put_dec(&l, (int64_t)s->out.held);
	put(&l, " held for a full queue, ");
	put_dec(&l, (int64_t)c->interrupts);
	put(&l, " interrupts");
	say(&l);
}

/* HELLO: the stack (maybe a new one) asks to be told again. */
static void hello(struct stack_link *s)
{
	print_counters(s);
	if (!channel_alive(s)) {
		const char *why = create_channel(s);
		if (why) {
			report(why, s->channel, "");
			return;
		}
	}
	announce(s);
}

static void rx_done(struct stack_link *s, const struct stack_msg *m)
{
	if (!s->rx_lent[m->slot]) {
		refuse(s, "refused RX_DONE for slot ", m->slot, ": not lent to the stack");
		return;
	}
	s->rx_lent[m->slot] = false;
}

/* A TX whose slot and length passed: copied out unless the channel has
 * gone with its stack, then the slot is the stack's again. */
static void tx(struct stack_link *s, const struct stack_msg *m)
{
	if (channel_alive(s))
		(void)net_dev_send(s->dev, s->base + TX_AREA + m->slot * NET_SLOT_SIZE, m->length);
	else
		s->dev->count.dropped++;
	send_slot(s, NET_MSG_TX_DONE, m->slot, 0);
}

/* One line for a message refused, naming what was wrong with it. */
static void refuse_msg(struct stack_link *s, enum stack_verdict v, const struct stack_msg *m,
		       const uint8_t *msg)
{
	if (v == STACK_MSG_SENDER)
		refuse(s, "refused a message from endpoint ", sys_msg_from(msg), " (not the stack's 21)");
	else if (v == STACK_MSG_SIZE)
		refuse(s, "refused a message of type ", m->type, " and the wrong size");
	else if (v == STACK_MSG_TYPE)
		refuse(s, "refused message type ", m->type, "");
	else if (v == STACK_MSG_SLOT && m->type == NET_MSG_TX)
		refuse(s, "refused TX of slot ", m->slot, ": past the TX slots");
	else if (v == STACK_MSG_SLOT)
		refuse(s, "refused RX_DONE for slot ", m->slot, ": past the RX slots");
	else
		refuse(s, "refused TX of length ", m->length, ": not a frame (dropped, slot given back)");
}

/* One message (RecvMsg's prefix, then its payload). */
static void handle(struct stack_link *s, const uint8_t *msg, int64_t len)
{
	struct stack_msg m;
	enum stack_verdict v = check_stack_msg(msg, len, &m);

	if (v != STACK_MSG_OK) {
		refuse_msg(s, v, &m, msg);
		if (v == STACK_MSG_LENGTH) {
			s->dev->count.dropped++;
			send_slot(s, NET_MSG_TX_DONE, m.slot, 0); /* its slot was valid */
		}
		return;
	}
	if (m.type == NET_MSG_HELLO)
		hello(s);
	else if (m.type == NET_MSG_RX_DONE)
		rx_done(s, &m);
	else
		tx(s, &m);
}

void stack_link_drain(struct stack_link *s)
{
	static uint8_t msg[MSG_MAX];
	int64_t len;

	while ((len = sys_call(SYS_TRY_RECV_MSG, ENDPOINT_VIRTIO_NET, (uint64_t)(uintptr_t)msg,
			       sizeof(msg))) > 0)
		handle(s, msg, len);
	flush_outbox(s);
}
