/*
 * netparse (verify harness): the network services' other checks on
 * what comes from outside -- the stack's link to the driver (lib/net_link:
 * a driver that says anything), its neighbour table (lib/arp_cache: any
 * address, any answer, any clock), the SNTP client's reply check and
 * calendar (lib/sntp: any reply, any time), and the virtio-net driver's
 * checks on the stack's messages and the device's lengths
 * (user/virtio-net/checks.c).
 *
 * Messages are unknown bytes of every length up to a buffer's room: the
 * IPC payload maximum (256 bytes, plus RecvMsg's 36-byte identity prefix
 * for the driver's messages) -- nothing longer can arrive, and each check
 * compares the length with its struct's size alone. The link and the
 * table are state machines: a loop of unknown length runs their
 * operations in any order, so every state a run can reach is analysed.
 */
#include <__fc_builtin.h>
#include <abi/channel.h>
#include <abi/ipc.h>
#include <arp_cache.h>
#include <net_link.h>
#include <sntp.h>

#include "../../user/virtio-net/checks.h"

#define MSG_ROOM (IPC_IDENTITY_PREFIX + IPC_PAYLOAD_MAX)
#define INFO_ROOM (CHANNEL_INFO_LEN + 16)
#define CHANNEL_BYTES ((uint64_t)NET_CHANNEL_PAGES * 4096)
#define UDP_ROOM 1472 /* INET_UDP_MAX: the most an SNTP reply can carry */

static uint8_t msg[MSG_ROOM];
static uint8_t info[INFO_ROOM];
static uint8_t channel[CHANNEL_BYTES];
static uint8_t reply[UDP_ROOM];
static struct net_link link;
static struct arp_cache cache;

static size_t unknown_len(size_t room)
{
	return Frama_C_size_t_interval(0, room);
}

static void unknown_msg(void)
{
	Frama_C_make_unknown((char *)msg, MSG_ROOM);
}

static uint32_t any_u32(void)
{
	return Frama_C_unsigned_int_interval(0, 0xffffffffu);
}

static uint64_t any_u64(void)
{
	return Frama_C_unsigned_long_interval(0, 0xffffffffffffffffu);
}

/* A driver's NET_MSG_UP and the ChannelInfo record of the channel it
 * names; a link attached when both pass (true: the analysis keeps an
 * attached link's state apart from the others). The mapping is as large
 * as the record says, up to the buffer here (the kernel maps what it
 * says). */
static bool link_up(void)
{
	struct net_up up;
	uint64_t size = 0;

	unknown_msg();
	if (net_link_check_up(msg, unknown_len(MSG_ROOM), &up) != NET_LINK_OK)
		return false;
	Frama_C_make_unknown((char *)info, INFO_ROOM);
	uint64_t address = Frama_C_nondet(0, 1) ? (uint64_t)(uintptr_t)channel : any_u64();
	if (net_link_check_channel(info, unknown_len(INFO_ROOM), &up, address, &size) != NET_LINK_OK)
		return false;
	net_link_attach(&link, &up, channel, size < CHANNEL_BYTES ? size : CHANNEL_BYTES);
	return true;
}

/* A driver's RX or TX_DONE; a received frame read to its last byte, then
 * handed back (or kept). */
static void link_slot_msg(void)
{
	struct net_slot_msg m;
	const uint8_t *frame;
	size_t len;

	unknown_msg();
	if (net_link_read_slot_msg(msg, unknown_len(MSG_ROOM), &m) != NET_LINK_OK)
		return;
	/* One state for the slot numbers in range, one for the rest: the
	 * analysis then sees the range check's verdict and the slot apart. */
	/*@ split m.slot < 32; */
	if (Frama_C_nondet(0, 1)) {
		(void)net_link_tx_done(&link, &m);
		return;
	}
	if (net_link_rx(&link, &m, &frame, &len) != NET_LINK_OK)
		return;
	volatile uint8_t first = frame[0], last = frame[len - 1];
	(void)first;
	(void)last;
	if (Frama_C_nondet(0, 1))
		net_link_rx_done(&link, m.slot);
}

/* A frame to send: the whole slot written. */
static void link_send(void)
{
	uint32_t slot;
	uint8_t *where;

	if (!net_link_tx_take(&link, &slot, &where))
		return;
	where[0] = 0;
	where[NET_SLOT_SIZE - 1] = 0;
	if (Frama_C_nondet(0, 1))
		net_link_tx_untake(&link, slot);
}

/* One operation of the link's, any of them but the driver's arrival
 * (link_up) and departure (net_link_down). */
static void link_step(void)
{
	switch (Frama_C_int_interval(0, 4)) {
	case 0: link_slot_msg(); break;
	case 1: link_send(); break;
	case 2: net_link_rx_done(&link, any_u32()); break;
	case 3: net_link_tx_untake(&link, any_u32()); break;
	default: (void)net_link_tx_free(&link); break;
	}
}

/* The link's states are the one down state and whatever the operations
 * make of a fresh attach: net_link_down and net_link_attach each write
 * the whole link, so an attach after any history is a fresh attach, and
 * a departure after any history is the down state. The runs below visit
 * both in turn, which keeps a down link's NULL base out of an attached
 * link's state. */
static void net_link_run(void)
{
	net_link_down(&link);
	while (Frama_C_nondet(0, 1))
		link_step();
	if (link_up()) {
		/* A link's slot numbers stay under 32. */
		/*@ widen_hints link, 31; */
		while (Frama_C_nondet(0, 1)) {
			if (Frama_C_nondet(0, 1))
				(void)link_up(); /* the driver again: a restart, or refused */
			else
				link_step();
		}
	}
	net_link_down(&link);
	(void)net_link_verdict_name((enum net_link_verdict)Frama_C_int_interval(-1, NET_LINK_VERDICTS + 1));
}

static void arp_cache_run(void)
{
	uint8_t ip[4], mac[6];

	arp_cache_init(&cache);
	while (Frama_C_nondet(0, 1)) {
		uint64_t now = any_u64();
		Frama_C_make_unknown((char *)ip, sizeof(ip));
		Frama_C_make_unknown((char *)mac, sizeof(mac));
		switch (Frama_C_int_interval(0, 5)) {
		case 0: (void)arp_cache_lookup(&cache, ip, now, mac); break;
		case 1: arp_cache_learn(&cache, ip, mac, now); break;
		case 2: (void)arp_cache_want(&cache, ip, now); break;
		case 3: (void)arp_cache_live(&cache, now); break;
		case 4: (void)arp_cache_next_retry(&cache); break;
		default: arp_cache_init(&cache); break;
		}
	}
}

static void sntp_run(void)
{
	uint8_t request[SNTP_PACKET_LEN];
	uint32_t seconds;
	struct sntp_date d;
	char text[24];

	sntp_request(request, any_u64());
	Frama_C_make_unknown((char *)reply, UDP_ROOM);
	(void)sntp_check_reply(reply, unknown_len(UDP_ROOM), any_u64(), &seconds);
	(void)sntp_verdict_name((enum sntp_verdict)Frama_C_int_interval(-1, SNTP_VERDICTS + 1));
	/* The client's path: a server's seconds, its date, its text. */
	sntp_date(sntp_unix_seconds(any_u32()), &d);
	(void)sntp_format(text, unknown_len(sizeof(text)), &d);
	/* And any time, any date the callers could hand in. */
	sntp_date(Frama_C_long_interval(-0x7fffffffffffffffL - 1, 0x7fffffffffffffffL), &d);
	(void)sntp_format(text, unknown_len(sizeof(text)), &d);
	Frama_C_make_unknown((char *)&d, sizeof(d));
	(void)sntp_format(text, unknown_len(sizeof(text)), &d);
}

static void vnet_checks_run(void)
{
	struct stack_msg m;

	unknown_msg();
	/* RecvMsg's result: a length up to the buffer, or a negative error. */
	(void)check_stack_msg(msg, Frama_C_long_interval(-0x7fffffffffffffffL - 1, MSG_ROOM), &m);
	(void)check_rx_used(any_u32());
}

int main(void)
{
	net_link_run();
	arp_cache_run();
	sntp_run();
	vnet_checks_run();
	return 0;
}
