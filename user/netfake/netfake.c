/*
 * netfake: a stand-in for the virtio-net driver at endpoint 20, for
 * tests/boot/test_net.py's start-up checks of the UDP/IP service (udp)
 * while no real driver exists -- and a hostile one. It speaks abi/net.h's
 * driver side over a real channel and plays the network itself: the
 * gateway (10.0.2.2) answering ARP and SNTP, a peer sending datagrams to
 * the echo port at several sizes and an ICMP echo request, malformed
 * frames (bad IPv4 checksum, a fragment, a truncated header, a bad UDP
 * checksum) that must come to nothing, and driver messages that break
 * the protocol (a slot out of range, a length past the frame maximum, a
 * TX slot given back that was never taken). It also uses the program
 * protocol: BIND, a datagram delivered as RECVFROM, SENDTO, STATUS.
 *
 * Then it spawns a second copy of itself and, once the copy has said it
 * found endpoint 20 held (so it knows it is the second), ends: the kernel
 * ends the channel. The copy waits for the endpoint, announces a new
 * generation, and checks that the stack reported the outage, attached the
 * new channel and echoes again. Every check prints a line; a failed one
 * ends the program with its number as the exit code.
 */
#include <abi/channel.h>
#include <abi/endpoints.h>
#include <abi/net.h>
#include <kstring.h>

#include "../../lib/inet.h"
#include "../lib/line.h"
#include "../lib/module.h"
#include "../lib/sys.h"

CAMBIOS_MODULE_ROLE("netfake");

#define P(x) ((uint64_t)(uintptr_t)(x))
#define TX_QUEUE 8
#define SNTP_SECONDS 0xecd62395u /* 2025-11-30 01:59:49 UTC */
#define NETFAKE_SECOND 0x4e460002u  /* the copy to its parent: "I am the second" */

static const uint8_t our_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t gw_mac[6] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };
static const struct inet_route gw_to_stack = {
	.src_mac = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 },
	.dst_mac = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 },
	.src_ip = { 10, 0, 2, 2 },
	.dst_ip = { 10, 0, 2, 15 },
	.id = 1,
};

static uint8_t *channel;
static int64_t channel_id;
static uint32_t rx_busy, next_rx;
static uint8_t tx[TX_QUEUE][NET_FRAME_MAX];
static size_t tx_len[TX_QUEUE];
static unsigned tx_head, tx_count;
static uint8_t answer[IPC_PAYLOAD_MAX]; /* the last REPLY or RECVFROM */
static size_t answer_len;
static bool answered;
static bool second_started; /* the copy has found endpoint 20 held */

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void say_n(const char *what, int64_t n)
{
	struct line l = { .len = 0 };

	put(&l, "netfake: ");
	put(&l, what);
	put_dec(&l, n);
	say(&l);
}

static void slot_msg(uint32_t type, uint32_t slot, uint32_t length)
{
	struct net_slot_msg m = { .type = type, .slot = slot, .length = length };

	(void)sys_write(ENDPOINT_UDP, &m, sizeof(m));
}

/* A TX frame: checked, copied out of its slot, the slot given back. */
static void took_tx(uint32_t slot, uint32_t length)
{
	if (slot >= NET_TX_SLOTS || length > NET_FRAME_MAX || tx_count == TX_QUEUE) {
		say_n("bad NET_MSG_TX from the stack, slot ", slot);
		sys_exit(90);
	}
	unsigned at = (tx_head + tx_count++) % TX_QUEUE;
	__builtin_memcpy(tx[at], channel + (NET_RX_SLOTS + slot) * NET_SLOT_SIZE, length);
	tx_len[at] = length;
	slot_msg(NET_MSG_TX_DONE, slot, 0);
}

/* One message from the stack. */
static void pump(void)
{
	static uint8_t msg[SYS_MSG_PREFIX + IPC_PAYLOAD_MAX];
	int64_t n = sys_recv_msg(ENDPOINT_VIRTIO_NET, msg, sizeof(msg));

	if (n < SYS_MSG_PREFIX + 4)
		return;
	const uint8_t *body = msg + SYS_MSG_PREFIX;
	size_t len = (size_t)n - SYS_MSG_PREFIX;
	uint32_t type = get32(body);
	if (type == NET_MSG_TX && len == sizeof(struct net_slot_msg))
		took_tx(get32(body + 4), get32(body + 8));
	else if (type == NET_MSG_RX_DONE && len == sizeof(struct net_slot_msg) &&
		 get32(body + 4) < NET_RX_SLOTS)
		rx_busy &= ~(1u << get32(body + 4));
	else if (type == NETFAKE_SECOND)
		second_started = true;
	else if (type == NET_MSG_REPLY || type == NET_MSG_RECVFROM) {
		__builtin_memcpy(answer, body, len);
		answer_len = len;
		answered = true;
	}
}

static void inject(const uint8_t *frame, size_t len);

/* Once the gateway has answered the first time, a later ARP request for
 * it (the stack's entry expired under a slow host) is answered here and
 * not taken for the frame a check waits for. */
static bool gateway_answers;

static bool arp_for_gateway_answered(const uint8_t *frame, size_t len)
{
	static uint8_t out[64];
	struct inet_frame f;

	inet_parse(frame, len, &f);
	if (!gateway_answers || f.kind != INET_ARP || f.arp.op != INET_ARP_REQUEST ||
	    f.arp.target_ip[3] != gw_to_stack.src_ip[3])
		return false;
	inject(out, inet_arp_reply(out, sizeof(out), gw_mac, gw_to_stack.src_ip, &f.arp));
	return true;
}

/* The next frame the stack sends. */
static size_t next_tx(uint8_t *out)
{
	for (;;) {
		while (tx_count == 0)
			pump();
		size_t len = tx_len[tx_head];
		__builtin_memcpy(out, tx[tx_head], len);
		tx_head = (tx_head + 1) % TX_QUEUE;
		tx_count--;
		if (!arp_for_gateway_answered(out, len))
			return len;
	}
}

static void next_answer(void)
{
	answered = false;
	while (!answered)
		pump();
}

/* A frame handed to the stack through a free RX slot. */
static void inject(const uint8_t *frame, size_t len)
{
	while (rx_busy & (1u << next_rx))
		pump();
	uint32_t slot = next_rx;
	next_rx = (next_rx + 1) % NET_RX_SLOTS;
	__builtin_memcpy(channel + slot * NET_SLOT_SIZE, frame, len);
	rx_busy |= 1u << slot;
	slot_msg(NET_MSG_RX, slot, (uint32_t)len);
}

static bool check(bool ok, const char *what, int code)
{
	struct line l = { .len = 0 };

	put(&l, "netfake: ");
	put(&l, what);
	put(&l, ok ? ": ok" : ": FAILED");
	say(&l);
	if (!ok)
		sys_exit(code);
	return ok;
}

/* A channel and NET_MSG_UP announcing it. */
static void come_up(void)
{
	static uint8_t me[PRINCIPAL_LEN];
	uint64_t va = 0;

	if (sys_call(SYS_GET_PRINCIPAL, P(me), sizeof(me), 0) != PRINCIPAL_LEN)
		sys_exit(80);
	channel_id = sys_call4(SYS_CHANNEL_CREATE, NET_CHANNEL_PAGES, P(me),
			       CHANNEL_ROLE_BIDIRECTIONAL, P(&va));
	if (channel_id <= 0 || va == 0)
		sys_exit(81);
	channel = (uint8_t *)(uintptr_t)va;
	struct net_up up = {
		.type = NET_MSG_UP, .generation = (uint32_t)sys_getpid(),
		.channel = (uint64_t)channel_id, .mtu = 1500,
		.rx_slots = NET_RX_SLOTS, .tx_slots = NET_TX_SLOTS, .slot_size = NET_SLOT_SIZE,
	};
	__builtin_memcpy(up.mac, our_mac, 6);
	if (sys_write(ENDPOINT_UDP, &up, sizeof(up)) != sizeof(up))
		sys_exit(82);
	say_n("announced generation ", up.generation);
}

/* One datagram of `len` bytes to the echo port, and its echo checked. */
static bool echoes(size_t len)
{
	static uint8_t frame[NET_FRAME_MAX], data[INET_UDP_MAX], back[NET_FRAME_MAX];
	struct inet_frame f;

	for (size_t i = 0; i < len; i++)
		data[i] = (uint8_t)(i * 13 + len);
	size_t n = inet_udp(frame, sizeof(frame), &gw_to_stack, (uint16_t)(40000 + len), 7, data, len);
	inject(frame, n);
	n = next_tx(back);
	inet_parse(back, n, &f);
	return f.kind == INET_UDP && f.src_port == 7 && f.dst_port == 40000 + len &&
	       memcmp(f.dst_mac, gw_mac, 6) == 0 && f.payload_len == len && memcmp(f.payload, data, len) == 0;
}

/* The gateway: the stack's ARP request for it answered, then its SNTP
 * request answered with SNTP_SECONDS. */
static void be_the_gateway(void)
{
	static uint8_t frame[NET_FRAME_MAX];
	struct inet_frame f;
	size_t n = next_tx(frame);

	inet_parse(frame, n, &f);
	check(f.kind == INET_ARP && f.arp.op == INET_ARP_REQUEST && f.arp.target_ip[3] == 2 &&
		      memcmp(f.src_mac, our_mac, 6) == 0, "the stack asks ARP for the gateway", 1);
	n = inet_arp_reply(frame, sizeof(frame), gw_mac, gw_to_stack.src_ip, &f.arp);
	inject(frame, n);
	gateway_answers = true;
	n = next_tx(frame);
	inet_parse(frame, n, &f);
	check(f.kind == INET_UDP && f.payload_len == 48 && f.payload[0] == 0x23 &&
		      f.dst_port == 123, "its SNTP request (version 4, mode 3) follows", 2);
	uint8_t reply[48] = { 0x24, 2 };
	for (int i = 0; i < 8; i++)
		reply[24 + i] = f.payload[40 + i];
	reply[40] = SNTP_SECONDS >> 24, reply[41] = (uint8_t)(SNTP_SECONDS >> 16);
	reply[42] = (uint8_t)(SNTP_SECONDS >> 8), reply[43] = (uint8_t)SNTP_SECONDS;
	n = inet_udp(frame, sizeof(frame), &gw_to_stack, 123, f.src_port, reply, sizeof(reply));
	inject(frame, n);
}

static void icmp_echo(void)
{
	static uint8_t frame[NET_FRAME_MAX];
	static const uint8_t body[] = { 0x12, 0x34, 0, 1, 'p', 'i', 'n', 'g' };
	struct inet_frame req = { .kind = INET_ICMP, .icmp_type = INET_ICMP_ECHO_REQUEST,
				  .payload = body, .payload_len = sizeof(body) }, f;
	size_t n = inet_icmp_echo_reply(frame, sizeof(frame), &gw_to_stack, &req);

	/* An echo reply turned into the request: type 8, checksum again. */
	frame[34] = INET_ICMP_ECHO_REQUEST;
	frame[36] = frame[37] = 0;
	uint16_t sum = inet_checksum(frame + 34, n - 34, 0);
	frame[36] = (uint8_t)(sum >> 8), frame[37] = (uint8_t)sum;
	inject(frame, n);
	n = next_tx(frame);
	inet_parse(frame, n, &f);
	check(f.kind == INET_ICMP && f.icmp_type == INET_ICMP_ECHO_REPLY &&
		      f.payload_len == sizeof(body) && memcmp(f.payload, body, sizeof(body)) == 0,
	      "an ICMP echo request is answered", 4);
}

static void refill_ip_checksum(uint8_t *frame)
{
	frame[24] = frame[25] = 0;
	uint16_t sum = inet_checksum(frame + 14, 20, 0);
	frame[24] = (uint8_t)(sum >> 8), frame[25] = (uint8_t)sum;
}

/* Four bad frames and three protocol violations; none may be answered:
 * the next frame out must be the echo sent after them. */
static void malformed(void)
{
	static uint8_t good[NET_FRAME_MAX], bad[NET_FRAME_MAX];
	size_t n = inet_udp(good, sizeof(good), &gw_to_stack, 40001, 7, "0123456789", 10);

	__builtin_memcpy(bad, good, n);
	bad[24] ^= 0x55; /* IPv4 header checksum */
	inject(bad, n);
	__builtin_memcpy(bad, good, n);
	bad[20] = 0x20; /* more fragments */
	refill_ip_checksum(bad);
	inject(bad, n);
	inject(good, 14 + 12); /* a truncated IPv4 header */
	__builtin_memcpy(bad, good, n);
	bad[n - 1] ^= 1; /* UDP checksum */
	inject(bad, n);
	slot_msg(NET_MSG_RX, 99, 60);                /* a slot past the RX area */
	slot_msg(NET_MSG_RX, 5, NET_FRAME_MAX + 1);  /* longer than a frame */
	slot_msg(NET_MSG_TX_DONE, 7, 0);             /* a TX slot the stack holds */
	check(echoes(33), "malformed frames and messages are not answered, the echo goes on", 5);
}

/* BIND, a datagram delivered to us, SENDTO, STATUS. */
static void be_a_program(void)
{
	static uint8_t frame[NET_FRAME_MAX];
	struct net_bind b = { .type = NET_MSG_BIND, .port = 5000 };
	struct inet_frame f;

	(void)sys_write(ENDPOINT_UDP, &b, sizeof(b));
	next_answer();
	check(answer_len == 8 && get32(answer) == NET_MSG_REPLY && get32(answer + 4) == 0,
	      "BIND 5000", 6);
	size_t n = inet_udp(frame, sizeof(frame), &gw_to_stack, 6000, 5000, "to a program", 12);
	inject(frame, n);
	next_answer();
	check(get32(answer) == NET_MSG_RECVFROM && answer_len == 16 + 12 &&
		      memcmp(answer + 16, "to a program", 12) == 0 && answer[4] == 10 &&
		      answer[7] == 2, "a datagram to 5000 arrives as RECVFROM", 7);
	uint8_t out[16 + 2] = { NET_MSG_SENDTO, 0, 0, 0, 10, 0, 2, 2, 0x70, 0x17, 0x88, 0x13, 2,
				0, 0, 0, 'h', 'i' }; /* to 10.0.2.2:6000 from 5000 */
	(void)sys_write(ENDPOINT_UDP, out, sizeof(out));
	next_answer();
	check(get32(answer) == NET_MSG_REPLY && get32(answer + 4) == 0, "SENDTO answered 0", 8);
	n = next_tx(frame);
	inet_parse(frame, n, &f);
	check(f.kind == INET_UDP && f.src_port == 5000 && f.dst_port == 6000 &&
		      f.payload_len == 2 && memcmp(f.payload, "hi", 2) == 0,
	      "and its datagram goes out", 9);
}

static uint64_t status_field(size_t at)
{
	struct net_msg m = { .type = NET_MSG_STATUS };

	(void)sys_write(ENDPOINT_UDP, &m, sizeof(m));
	next_answer();
	if (answer_len != sizeof(struct net_status))
		sys_exit(10);
	return (uint64_t)get32(answer + at) | (uint64_t)get32(answer + at + 4) << 32;
}

static int first(void)
{
	static const size_t sizes[] = { 1, 2, 100, 200, 1000, 1471, 1472 };

	come_up();
	be_the_gateway();
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (!echoes(sizes[i])) {
			say_n("echo FAILED at size ", (int64_t)sizes[i]);
			return 3;
		}
	say_n("every echo came back intact, sizes up to ", 1472);
	icmp_echo();
	malformed();
	be_a_program();
	say_n("the stack counts drops: ", (int64_t)status_field(40));
	/* The copy must find endpoint 20 still ours to know it is the second. */
	if (sys_spawn("netfake", 7) < 0)
		return 11;
	while (!second_started)
		pump();
	say1("netfake: first driver ends");
	return 0;
}

/* The second copy: the first still holds endpoint 20 when this starts. */
static int second(void)
{
	static const uint32_t marker = NETFAKE_SECOND;

	if (sys_write(ENDPOINT_VIRTIO_NET, &marker, sizeof(marker)) != sizeof(marker))
		return 19;
	for (unsigned i = 0; sys_register_endpoint(ENDPOINT_VIRTIO_NET) != 0; i++) {
		if (i == 100000)
			return 20;
		(void)sys_yield();
	}
	come_up();
	check(echoes(64), "the stack echoes through the second driver", 21);
	check(status_field(56) == 1, "the stack counted one outage", 22);
	say1("netfake: second driver done");
	return 0;
}

int main(void)
{
	if (sys_register_endpoint(ENDPOINT_VIRTIO_NET) == 0)
		return first();
	return second();
}
