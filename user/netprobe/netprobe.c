/*
 * netprobe: a stand-in for the UDP/IP stack that tests the virtio-net
 * driver (user/virtio-net) from the stack's side of include/abi/net.h.
 * Not part of any image: tests/boot/test_virtio_net.py gives it as a
 * module to a machine with a virtio-net device on QEMU's user network.
 *
 * It takes ENDPOINT_UDP, asks the driver to announce itself (HELLO),
 * attaches the channel NET_MSG_UP names and checks the announcement. Then
 * it sends ARP requests for the user network's gateway, 10.0.2.2, in
 * batches through the TX slots, and expects each batch's TX_DONEs and the
 * gateway's ARP replies back through distinct RX slots, which it holds
 * until the batch is complete and then gives back -- more requests than
 * there are slots or queue entries, so both are recycled. Last, it sends
 * what the driver must refuse (slots it does not hold or that do not
 * exist, a length that is no frame, a short message, an unknown type) and
 * a HELLO, whose answer must come after the one TX_DONE the refusals
 * earn: the driver handles messages in order, so anything it wrongly
 * answered would show up before it. The driver prints each refusal.
 *
 * Every step prints one line; exits 0 when all held, else the number of
 * the first that failed.
 */
#include <abi/channel.h>
#include <abi/endpoints.h>
#include <abi/net.h>
#include <stdbool.h>

#include "../../lib/inet.h"
#include "../../lib/kstring.h"
#include "../lib/line.h"
#include "../lib/module.h"
#include "../lib/sys.h"

CAMBIOS_MODULE_ROLE("netprobe");

#define BATCH 8
#define BATCHES 5 /* 40 requests: past the 32 slots and queue entries */
#define TX_AREA (NET_RX_SLOTS * NET_SLOT_SIZE)
#define BAD_TYPE 77

static const uint8_t our_ip[INET_IP_LEN] = { 10, 0, 2, 15 };
static const uint8_t gateway[INET_IP_LEN] = { 10, 0, 2, 2 };

struct probe {
	uint64_t channel;
	uint8_t *chan;
	uint8_t mac[INET_MAC_LEN];
	uint8_t gateway_mac[INET_MAC_LEN];
	bool held[NET_RX_SLOTS];   /* RX slots lent to us */
	uint32_t tx_done, replies; /* in the current batch */
	uint32_t other_frames;
};

/* The last message taken: its payload and size. */
static uint8_t msg[SYS_MSG_PREFIX + IPC_PAYLOAD_MAX];

static void say_mac(struct line *l, const uint8_t *mac)
{
	for (unsigned i = 0; i < INET_MAC_LEN; i++) {
		if (i)
			put(l, ":");
		put_byte(l, mac[i]);
	}
}

static void fail_line(const char *what, int64_t n)
{
	struct line l;

	l.len = 0;
	put(&l, "netprobe: FAILED: ");
	put(&l, what);
	put_dec(&l, n);
	say(&l);
}

/* The next message from the driver: its type, or 0 for one from anyone
 * else or too short to have one. */
static uint32_t next(int64_t *payload)
{
	int64_t len = sys_recv_msg(ENDPOINT_UDP, msg, sizeof(msg));
	uint32_t type;

	*payload = len - SYS_MSG_PREFIX;
	if (len < SYS_MSG_PREFIX + (int64_t)sizeof(type) || sys_msg_from(msg) != ENDPOINT_VIRTIO_NET)
		return 0;
	memcpy(&type, msg + SYS_MSG_PREFIX, sizeof(type));
	return type;
}

static bool send_slot(uint32_t type, uint32_t slot, uint32_t length)
{
	const struct net_slot_msg m = { type, slot, length };

	return sys_write(ENDPOINT_VIRTIO_NET, &m, sizeof(m)) == (int64_t)sizeof(m);
}

/* Waits for NET_MSG_UP (with `channel`, unless it is 0) and checks it. */
static int wait_up(struct probe *p, uint64_t channel)
{
	struct net_up up;
	int64_t payload;

	for (;;) {
		if (next(&payload) == NET_MSG_UP && payload == (int64_t)sizeof(up))
			break;
	}
	memcpy(&up, msg + SYS_MSG_PREFIX, sizeof(up));
	if (up.rx_slots != NET_RX_SLOTS || up.tx_slots != NET_TX_SLOTS ||
	    up.slot_size != NET_SLOT_SIZE || up.mtu != 1500)
		return 10;
	if (channel && up.channel != channel)
		return 11;
	p->channel = up.channel;
	memcpy(p->mac, up.mac, sizeof(p->mac));
	return 0;
}

static int start(struct probe *p)
{
	static const struct net_msg hello = { NET_MSG_HELLO };
	struct line l;

	if (sys_register_endpoint(ENDPOINT_UDP) != 0)
		return 1;
	/* The driver may not be there yet; then its own UP comes when it is. */
	(void)sys_write(ENDPOINT_VIRTIO_NET, &hello, sizeof(hello));
	int err = wait_up(p, 0);
	if (err)
		return err;
	int64_t va = sys_call(SYS_CHANNEL_ATTACH, p->channel, 0, 0);
	if (va <= 0)
		return 12;
	p->chan = (uint8_t *)(uintptr_t)va;
	l.len = 0;
	put(&l, "netprobe: NET_MSG_UP: MAC ");
	say_mac(&l, p->mac);
	put(&l, ", 32 RX and 32 TX slots of 2048 bytes, mtu 1500; channel attached");
	say(&l);
	return 0;
}

/* An RX: the slot must be one the driver holds, the length a frame's. */
static int take_rx(struct probe *p, const struct net_slot_msg *m)
{
	struct inet_frame f;

	if (m->slot >= NET_RX_SLOTS || p->held[m->slot]) {
		fail_line("RX names a slot the driver does not hold: ", m->slot);
		return 20;
	}
	if (m->length < INET_ETH_HEADER || m->length > NET_FRAME_MAX) {
		fail_line("RX of a length that is no frame: ", m->length);
		return 21;
	}
	p->held[m->slot] = true;
	inet_parse(p->chan + m->slot * NET_SLOT_SIZE, m->length, &f);
	if (f.kind == INET_ARP && f.arp.op == INET_ARP_REPLY &&
	    memcmp(f.arp.sender_ip, gateway, INET_IP_LEN) == 0 &&
	    memcmp(f.arp.target_mac, p->mac, INET_MAC_LEN) == 0) {
		memcpy(p->gateway_mac, f.arp.sender_mac, INET_MAC_LEN);
		p->replies++;
	} else {
		p->other_frames++;
	}
	return 0;
}

static int send_requests(struct probe *p)
{
	for (uint32_t slot = 0; slot < BATCH; slot++) {
		uint8_t *frame = p->chan + TX_AREA + slot * NET_SLOT_SIZE;
		size_t len = inet_arp_request(frame, NET_SLOT_SIZE, p->mac, our_ip, gateway);
		if (len == 0 || !send_slot(NET_MSG_TX, slot, (uint32_t)len))
			return 30;
	}
	return 0;
}

/* Gives back every RX slot held; how many there were. */
static uint32_t give_back(struct probe *p)
{
	uint32_t n = 0;

	for (uint32_t s = 0; s < NET_RX_SLOTS; s++) {
		if (p->held[s] && send_slot(NET_MSG_RX_DONE, s, 0)) {
			p->held[s] = false;
			n++;
		}
	}
	return n;
}

/* One batch: its TX_DONEs and the gateway's replies, slots held. */
static int batch(struct probe *p)
{
	struct net_slot_msg m;
	int64_t payload;

	p->tx_done = p->replies = 0;
	int err = send_requests(p);
	while (!err && (p->tx_done < BATCH || p->replies < BATCH)) {
		uint32_t type = next(&payload);
		if ((type != NET_MSG_RX && type != NET_MSG_TX_DONE) || payload != (int64_t)sizeof(m))
			continue; /* a repeated UP, or not from the driver */
		memcpy(&m, msg + SYS_MSG_PREFIX, sizeof(m));
		if (type == NET_MSG_RX)
			err = take_rx(p, &m);
		else if (m.slot >= BATCH)
			err = 31; /* a TX_DONE for a slot we never sent */
		else
			p->tx_done++;
	}
	if (!err && give_back(p) < BATCH)
		err = 32;
	return err;
}

static int exchange(struct probe *p)
{
	struct line l;

	for (unsigned b = 0; b < BATCHES; b++) {
		int err = batch(p);
		if (err)
			return err;
	}
	l.len = 0;
	put(&l, "netprobe: ");
	put_dec(&l, BATCHES * BATCH);
	put(&l, " ARP requests sent in batches of ");
	put_dec(&l, BATCH);
	put(&l, ", every TX_DONE and reply back in distinct RX slots; 10.0.2.2 is at ");
	say_mac(&l, p->gateway_mac);
	say(&l);
	return 0;
}

/* What the driver must refuse, then a HELLO: the only answers before its
 * UP may be the TX_DONE for slot 1 (its slot is ours, its length is no
 * frame: dropped, the slot given back). */
static int refusals(struct probe *p)
{
	static const struct net_msg hello = { NET_MSG_HELLO };
	static const uint32_t bad_type = BAD_TYPE;
	static const uint32_t short_tx = NET_MSG_TX;

	if (!send_slot(NET_MSG_RX_DONE, NET_RX_SLOTS + 67, 0) || /* slot 99: none */
	    !send_slot(NET_MSG_RX_DONE, 0, 0) ||                 /* given back already */
	    !send_slot(NET_MSG_TX, NET_TX_SLOTS, 60) ||          /* past the TX slots */
	    !send_slot(NET_MSG_TX, 1, 5000) ||                   /* no frame */
	    sys_write(ENDPOINT_VIRTIO_NET, &short_tx, sizeof(short_tx)) != sizeof(short_tx) ||
	    sys_write(ENDPOINT_VIRTIO_NET, &bad_type, sizeof(bad_type)) != sizeof(bad_type) ||
	    sys_write(ENDPOINT_VIRTIO_NET, &hello, sizeof(hello)) != sizeof(hello))
		return 40;
	struct net_slot_msg m;
	int64_t payload;
	uint32_t type;
	while ((type = next(&payload)) == NET_MSG_RX && payload == (int64_t)sizeof(m)) {
		memcpy(&m, msg + SYS_MSG_PREFIX, sizeof(m)); /* a frame nobody asked for */
		if (take_rx(p, &m) || give_back(p) != 1)
			return 42;
	}
	memcpy(&m, msg + SYS_MSG_PREFIX, sizeof(m));
	if (type != NET_MSG_TX_DONE || payload != (int64_t)sizeof(m) || m.slot != 1) {
		fail_line("the first answer after the refusals is not TX_DONE for slot 1: type ", type);
		return 41;
	}
	int err = wait_up(p, p->channel); /* the same channel: it is still there */
	if (err)
		return err;
	say1("netprobe: the driver refused what it must and answered HELLO with the same channel");
	return 0;
}

int main(void)
{
	static struct probe p;

	int err = start(&p);
	if (!err)
		err = exchange(&p);
	if (!err)
		err = refusals(&p);
	if (err)
		return err;
	say1("netprobe: all checks passed");
	return 0;
}
