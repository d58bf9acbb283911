/*
 * udp_stack_test: the UDP/IP service's core (user/udp without its system
 * calls) in a fake world -- a clock the test moves, a driver that records
 * every frame handed to it, programs that record every message -- so each
 * behaviour is checked from the frames on the wire: ARP answered and
 * learned, frames held until their next hop answers and dropped when it
 * never does, the echo service at every size, ICMP echo, every drop
 * counted under its reason, the program protocol (ports owned by their
 * binder, malformed messages refused), the SNTP client's request, its
 * checks and its retries, and an outage.
 *
 * Frames sent to the stack are built with lib/inet's builders (tested on
 * their own against independently made frames, inet_test.c) and then
 * broken by hand where a test needs a bad one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <abi/ipc.h>

#include "../../user/udp/stack.h"
#include "sntp.h"

#define FRAMES 64
#define MSGS 16
#define LINES 64

static struct world {
	uint64_t now;
	bool tx_full;
	size_t frames;
	uint8_t frame[FRAMES][INET_FRAME_MAX];
	size_t frame_len[FRAMES];
	size_t msgs;
	uint32_t msg_to[MSGS];
	uint8_t msg[MSGS][256];
	size_t msg_len[MSGS];
	size_t lines;
	char line[LINES][160];
	int64_t wallclock; /* what the stack set it to (0: never) */
} w;

static uint64_t now(void *ctx)
{
	(void)ctx;
	return w.now;
}

static uint64_t nonce(void *ctx)
{
	(void)ctx;
	return 0x1122334455667788ull + w.now;
}

static bool send_frame(void *ctx, const uint8_t *frame, size_t len)
{
	(void)ctx;
	if (w.tx_full || w.frames == FRAMES)
		return false;
	assert_true(len <= INET_FRAME_MAX);
	memcpy(w.frame[w.frames], frame, len);
	w.frame_len[w.frames++] = len;
	return true;
}

static int64_t send_msg(void *ctx, uint32_t endpoint, const void *msg, size_t len)
{
	(void)ctx;
	assert_true(len <= 256);
	if (w.msgs == MSGS)
		return SYS_ENOMEM;
	w.msg_to[w.msgs] = endpoint;
	memcpy(w.msg[w.msgs], msg, len);
	w.msg_len[w.msgs++] = len;
	return 0;
}

static void print(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	assert_true(len < 160);
	if (w.lines < LINES) {
		memcpy(w.line[w.lines], text, len);
		w.line[w.lines++][len] = '\0';
	}
}

static int64_t set_wallclock(void *ctx, int64_t unix_seconds)
{
	(void)ctx;
	w.wallclock = unix_seconds;
	return 0;
}

static const struct stack_ops ops = {
	.now = now, .nonce = nonce, .send_frame = send_frame, .send_msg = send_msg, .print = print,
	.set_wallclock = set_wallclock,
};

static const uint8_t our_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t gw_mac[6] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };
static const uint8_t our_ip[4] = { 10, 0, 2, 15 }, gw_ip[4] = { 10, 0, 2, 2 };
static const uint8_t far_ip[4] = { 192, 0, 2, 7 };
static struct stack s;

static struct stack_config config(void)
{
	return (struct stack_config){
		.address = { 10, 0, 2, 15 }, .netmask = { 255, 255, 255, 0 },
		.gateway = { 10, 0, 2, 2 }, .sntp_server = { 10, 0, 2, 2 }, .sntp_port = 12300,
	};
}

static int setup(void **state)
{
	struct stack_config c = config();

	(void)state;
	memset(&w, 0, sizeof(w));
	w.now = 1000;
	stack_init(&s, &ops, &c);
	return 0;
}

/* The stack up, with the SNTP client's first request (and the ARP request
 * it starts) taken off the wire. */
static void up(void)
{
	stack_link_up(&s, our_mac);
	w.frames = 0;
}

static struct inet_frame sent(size_t i)
{
	struct inet_frame f;

	assert_true(i < w.frames);
	inet_parse(w.frame[i], w.frame_len[i], &f);
	return f;
}

static const struct inet_route gw_to_us = {
	.src_mac = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 },
	.dst_mac = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 },
	.src_ip = { 10, 0, 2, 2 },
	.dst_ip = { 10, 0, 2, 15 },
	.id = 99,
};

static size_t udp_to_us(uint8_t *out, uint16_t src_port, uint16_t dst_port, const void *data,
			size_t len)
{
	size_t n = inet_udp(out, INET_FRAME_MAX, &gw_to_us, src_port, dst_port, data, len);

	assert_int_not_equal(n, 0);
	return n;
}

static void arp_from_gateway(uint16_t op)
{
	uint8_t out[64];
	struct inet_arp a = { .op = INET_ARP_REQUEST };
	size_t n;

	memcpy(a.sender_mac, our_mac, 6);
	memcpy(a.sender_ip, our_ip, 4);
	if (op == INET_ARP_REQUEST) {
		n = inet_arp_request(out, sizeof(out), gw_mac, gw_ip, our_ip);
	} else {
		n = inet_arp_reply(out, sizeof(out), gw_mac, gw_ip, &a);
	}
	stack_receive(&s, out, n);
}

static bool said(const char *text)
{
	for (size_t i = 0; i < w.lines; i++)
		if (strcmp(w.line[i], text) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------------ ARP */

static void an_arp_request_for_us_is_answered_and_its_sender_learned(void **state)
{
	(void)state;
	up();
	arp_from_gateway(INET_ARP_REQUEST);
	assert_int_equal(w.frames, 2); /* our reply, then the SNTP request held for the gateway */
	struct inet_frame f = sent(0);
	assert_int_equal(f.kind, INET_ARP);
	assert_int_equal(f.arp.op, INET_ARP_REPLY);
	assert_memory_equal(f.dst_mac, gw_mac, 6);
	assert_memory_equal(f.arp.sender_mac, our_mac, 6);
	assert_memory_equal(f.arp.sender_ip, our_ip, 4);
	assert_memory_equal(f.arp.target_ip, gw_ip, 4);
	f = sent(1);
	assert_int_equal(f.kind, INET_UDP);
	assert_memory_equal(f.dst_mac, gw_mac, 6);
	assert_int_equal(f.dst_port, 12300);
	assert_int_equal(s.drops.total, 0);
}

static void nothing_is_answered_without_a_link(void **state)
{
	(void)state;
	arp_from_gateway(INET_ARP_REQUEST);
	assert_int_equal(w.frames, 0);
	assert_int_equal(s.drops.count[DROP_LINK_DOWN], 1);
	assert_int_equal(stack_send_udp(&s, gw_ip, 1, 2, "x", 1), SYS_ENOENT);
}

static void an_arp_request_for_another_is_not_answered(void **state)
{
	uint8_t out[64];
	static const uint8_t other[4] = { 10, 0, 2, 99 };

	(void)state;
	up();
	size_t n = inet_arp_request(out, sizeof(out), gw_mac, gw_ip, other);
	stack_receive(&s, out, n);
	assert_int_equal(w.frames, 0);
	assert_int_equal(s.drops.count[DROP_ARP_NOT_OURS], 1);
}

static void a_frame_waits_for_its_hop_then_goes(void **state)
{
	uint8_t frame[INET_FRAME_MAX];

	(void)state;
	up();
	size_t n = udp_to_us(frame, 5555, STACK_ECHO_PORT, "ping", 4);
	stack_receive(&s, frame, n);
	assert_int_equal(w.frames, 0); /* the gateway is already being asked for (SNTP) */
	assert_int_not_equal(stack_next_deadline(&s), 0);
	arp_from_gateway(INET_ARP_REPLY);
	assert_int_equal(w.frames, 2); /* the SNTP request, then the echo */
	struct inet_frame f = sent(1);
	assert_int_equal(f.kind, INET_UDP);
	assert_memory_equal(f.dst_mac, gw_mac, 6);
	assert_int_equal(f.payload_len, 4);
	assert_memory_equal(f.payload, "ping", 4);
	assert_int_equal(f.dst_port, 5555);
	assert_int_equal(f.src_port, STACK_ECHO_PORT);
}

static void a_hop_that_never_answers_costs_three_requests_and_a_count(void **state)
{
	uint8_t frame[INET_FRAME_MAX];
	struct stack_config c = config();

	(void)state;
	c.sntp_port = 0; /* the test's own traffic only */
	stack_init(&s, &ops, &c);
	s.sntp.state = SNTP_DONE;
	up();
	assert_int_equal(stack_send_udp(&s, far_ip, 4000, 4001, "x", 1), 0);
	assert_int_equal(w.frames, 1);
	struct inet_frame f = sent(0);
	assert_int_equal(f.kind, INET_ARP);
	assert_memory_equal(f.arp.target_ip, gw_ip, 4); /* off our subnet: via the gateway */
	for (int i = 0; i < 10; i++) {
		w.now += ARP_RETRY;
		stack_tick(&s);
	}
	assert_int_equal(w.frames, ARP_TRIES);
	for (size_t i = 0; i < w.frames; i++)
		assert_int_equal(sent(i).kind, INET_ARP);
	assert_int_equal(s.drops.count[DROP_ARP_UNRESOLVED], 1);
	assert_int_equal(stack_next_deadline(&s), 0);
	/* Past STACK_PENDING held frames, the rest are refused. */
	for (int i = 0; i < STACK_PENDING; i++)
		assert_int_equal(stack_send_udp(&s, far_ip, 4000, 4001, "x", 1), 0);
	assert_int_equal(stack_send_udp(&s, far_ip, 4000, 4001, "x", 1), SYS_ENOMEM);
	assert_int_equal(s.drops.count[DROP_ARP_QUEUE], 1);
	(void)frame;
}

/* ----------------------------------------------------------------- echo */

static void every_size_is_echoed_intact(void **state)
{
	static uint8_t frame[INET_FRAME_MAX], data[INET_UDP_MAX];

	(void)state;
	up();
	arp_from_gateway(INET_ARP_REQUEST);
	for (size_t len = 0; len <= INET_UDP_MAX; len++) {
		for (size_t i = 0; i < len; i++)
			data[i] = (uint8_t)(len * 7 + i);
		w.frames = 0;
		size_t n = udp_to_us(frame, (uint16_t)(40000 + len % 1000), STACK_ECHO_PORT, data, len);
		stack_receive(&s, frame, n);
		assert_int_equal(w.frames, 1);
		struct inet_frame f = sent(0);
		assert_int_equal(f.kind, INET_UDP); /* checksums right, or it would not parse */
		assert_memory_equal(f.ip.src, our_ip, 4);
		assert_memory_equal(f.ip.dst, gw_ip, 4);
		assert_int_equal(f.dst_port, 40000 + len % 1000);
		assert_int_equal(f.payload_len, len);
		if (len)
			assert_memory_equal(f.payload, data, len);
		/* The UDP checksum was generated (not left 0). */
		assert_true(w.frame[0][14 + 20 + 6] != 0 || w.frame[0][14 + 20 + 7] != 0);
	}
	assert_int_equal(s.drops.total, 0);
}

static void an_icmp_echo_request_is_answered(void **state)
{
	uint8_t frame[128];

	(void)state;
	up();
	/* An echo request, made from a reply with its type and checksum changed. */
	struct inet_frame req = { .kind = INET_ICMP, .icmp_type = INET_ICMP_ECHO_REQUEST,
				  .payload = (const uint8_t *)"\x12\x34\x00\x01" "abcdef",
				  .payload_len = 10 };
	size_t n = inet_icmp_echo_reply(frame, sizeof(frame), &gw_to_us, &req);
	assert_int_not_equal(n, 0);
	frame[34] = INET_ICMP_ECHO_REQUEST;
	frame[36] = frame[37] = 0;
	uint16_t sum = inet_checksum(frame + 34, n - 34, 0);
	frame[36] = (uint8_t)(sum >> 8), frame[37] = (uint8_t)sum;
	stack_receive(&s, frame, n);
	assert_int_equal(w.frames, 1);
	struct inet_frame f = sent(0);
	assert_int_equal(f.kind, INET_ICMP);
	assert_int_equal(f.icmp_type, INET_ICMP_ECHO_REPLY);
	assert_memory_equal(f.dst_mac, gw_mac, 6);
	assert_int_equal(f.payload_len, 10);
	assert_memory_equal(f.payload, "\x12\x34\x00\x01" "abcdef", 10);
	frame[34] = 13; /* a timestamp request: not answered */
	frame[36] = frame[37] = 0;
	sum = inet_checksum(frame + 34, n - 34, 0);
	frame[36] = (uint8_t)(sum >> 8), frame[37] = (uint8_t)sum;
	stack_receive(&s, frame, n);
	assert_int_equal(w.frames, 1);
	assert_int_equal(s.drops.count[DROP_ICMP_TYPE], 1);
}

/* ---------------------------------------------------------------- drops */

static void refill_ip_checksum(uint8_t *frame)
{
	frame[24] = frame[25] = 0;
	uint16_t sum = inet_checksum(frame + 14, 20, 0);
	frame[24] = (uint8_t)(sum >> 8), frame[25] = (uint8_t)sum;
}

static void every_bad_frame_is_counted_under_its_reason(void **state)
{
	uint8_t good[INET_FRAME_MAX], bad[INET_FRAME_MAX];
	size_t n;

	(void)state;
	up();
	arp_from_gateway(INET_ARP_REQUEST);
	w.frames = 0;
	n = udp_to_us(good, 5555, STACK_ECHO_PORT, "twelve bytes", 12);

#define TRY(len, reason)                                          \
	do {                                                      \
		uint64_t before = s.drops.count[reason];          \
		stack_receive(&s, bad, (len));                    \
		assert_int_equal(s.drops.count[reason], before + 1); \
		memcpy(bad, good, n);                             \
	} while (0)

	memcpy(bad, good, n);
	TRY(10, INET_DROP_SHORT);
	TRY(14 + 19, INET_DROP_SHORT);
	bad[12] = 0x86, bad[13] = 0xdd; /* IPv6 */
	TRY(n, INET_DROP_ETHERTYPE);
	bad[24] ^= 0xff;
	TRY(n, INET_DROP_IP_CHECKSUM);
	bad[20] = 0x20; /* more fragments */
	refill_ip_checksum(bad);
	TRY(n, INET_DROP_FRAGMENT);
	bad[21] = 0x08; /* an offset */
	refill_ip_checksum(bad);
	TRY(n, INET_DROP_FRAGMENT);
	bad[17] = (uint8_t)(n - 14 + 1); /* total length past the frame */
	refill_ip_checksum(bad);
	TRY(n, INET_DROP_IP_LENGTH);
	bad[14 + 20 + 5] = 100; /* UDP length past the packet */
	TRY(n, INET_DROP_UDP_LENGTH);
	bad[n - 1] ^= 1;
	TRY(n, INET_DROP_UDP_CHECKSUM);
	bad[22] = 0; /* TTL 0 */
	refill_ip_checksum(bad);
	TRY(n, DROP_TTL);
	bad[33] = 16; /* to 10.0.2.16 */
	refill_ip_checksum(bad);
	bad[14 + 20 + 6] = bad[14 + 20 + 7] = 0; /* (no UDP checksum: its pseudo-header changed) */
	TRY(n, DROP_NOT_OUR_IP);
	bad[29] = 255; /* from 10.0.2.255, our subnet's broadcast */
	refill_ip_checksum(bad);
	bad[14 + 20 + 6] = bad[14 + 20 + 7] = 0;
	TRY(n, DROP_SOURCE);
	bad[0] = 0x02; /* another host's MAC */
	TRY(n, DROP_NOT_OUR_MAC);
	bad[14 + 20 + 2] = 0x13, bad[14 + 20 + 3] = 0x88; /* port 5000: nobody bound it */
	bad[14 + 20 + 6] = bad[14 + 20 + 7] = 0;
	TRY(n, DROP_NO_PORT);
	bad[23] = 6; /* TCP */
	refill_ip_checksum(bad);
	TRY(n, INET_DROP_PROTOCOL);
#undef TRY
	assert_int_equal(w.frames, 0); /* nothing answered any of them */
	stack_receive(&s, good, n);
	assert_int_equal(w.frames, 1); /* and the echo goes on */

	/* The report: a line per reason with its count. */
	w.lines = 0;
	stack_report(&s, true);
	assert_int_equal(w.lines, DROP_REASONS);
	assert_true(said("udp: drop fragment: 2"));
	assert_true(said("udp: drop ip checksum: 1"));
	assert_true(said("udp: drop short: 2"));
	assert_true(said("udp: drop ttl: 1"));
	assert_true(said("udp: drop arp unresolved: 0"));
	for (unsigned r = 1; r < DROP_REASONS; r++)
		assert_string_not_equal(drops_name(r), "unknown");
}

static void the_report_comes_when_drops_changed_at_most_once_a_period(void **state)
{
	uint8_t junk[20] = { 0 };

	(void)state;
	up();
	stack_receive(&s, junk, 5);
	stack_tick(&s);
	assert_true(said("udp: drop short: 1"));
	w.lines = 0;
	stack_receive(&s, junk, 5);
	w.now += STACK_REPORT_PERIOD - 1;
	stack_tick(&s);
	assert_int_equal(w.lines, 0);
	w.now += 1;
	stack_tick(&s);
	assert_true(said("udp: drop short: 2"));
	assert_false(said("udp: drop ttl: 0")); /* only the reasons that happened */
	w.lines = 0;
	w.now += 10 * STACK_REPORT_PERIOD;
	stack_tick(&s);
	assert_int_equal(w.lines, 0); /* nothing new */
}

/* -------------------------------------------------------------- programs */

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static int32_t status_of(size_t i)
{
	assert_true(i < w.msgs);
	assert_int_equal(w.msg_len[i], sizeof(struct net_reply));
	struct net_reply r;
	memcpy(&r, w.msg[i], sizeof(r));
	assert_int_equal(r.type, NET_MSG_REPLY);
	return r.status;
}

static int32_t bind(uint32_t from, uint16_t port)
{
	struct net_bind b = { .type = NET_MSG_BIND, .port = port };

	w.msgs = 0;
	stack_program_message(&s, from, (const uint8_t *)&b, sizeof(b));
	assert_int_equal(w.msgs, 1);
	assert_int_equal(w.msg_to[0], from);
	return status_of(0);
}

static int32_t sendto(uint32_t from, const uint8_t ip[4], uint16_t port, uint16_t local,
		      const char *data, size_t len, size_t extra)
{
	uint8_t m[256] = { 0 };
	struct net_datagram d = { .type = NET_MSG_SENDTO, .port = port, .local = local,
				  .length = (uint32_t)len };

	memcpy(&d.address, ip, 4);
	memcpy(m, &d, sizeof(d));
	memcpy(m + sizeof(d), data, len);
	w.msgs = 0;
	stack_program_message(&s, from, m, sizeof(d) + len + extra);
	assert_int_equal(w.msgs, 1);
	return status_of(0);
}

static void a_port_belongs_to_its_binder(void **state)
{
	uint8_t frame[INET_FRAME_MAX];

	(void)state;
	up();
	arp_from_gateway(INET_ARP_REQUEST);
	w.frames = 0;
	assert_int_equal(bind(9, 5000), 0);
	assert_int_equal(bind(9, 5000), 0);
	assert_int_equal(bind(10, 5000), SYS_EPERM);
	assert_int_equal(bind(10, STACK_ECHO_PORT), SYS_EPERM);
	assert_int_equal(bind(10, STACK_SNTP_LOCAL_PORT), SYS_EPERM);
	assert_int_equal(bind(10, 0), SYS_EINVAL);

	/* A datagram to 5000 reaches endpoint 9, with where it came from. */
	w.msgs = 0;
	size_t n = udp_to_us(frame, 6000, 5000, "for nine", 8);
	stack_receive(&s, frame, n);
	assert_int_equal(w.msgs, 1);
	assert_int_equal(w.msg_to[0], 9);
	assert_int_equal(w.msg_len[0], sizeof(struct net_datagram) + 8);
	struct net_datagram d;
	memcpy(&d, w.msg[0], sizeof(d));
	assert_int_equal(d.type, NET_MSG_RECVFROM);
	assert_memory_equal(&d.address, gw_ip, 4);
	assert_int_equal(d.port, 6000);
	assert_int_equal(d.local, 5000);
	assert_int_equal(d.length, 8);
	assert_memory_equal(w.msg[0] + sizeof(d), "for nine", 8);

	/* Sending from 5000 is 9's alone. */
	assert_int_equal(sendto(10, gw_ip, 6000, 5000, "no", 2, 0), SYS_EPERM);
	assert_int_equal(sendto(9, gw_ip, 6000, 5000, "yes", 3, 0), 0);
	assert_int_equal(w.frames, 1);
	struct inet_frame f = sent(0);
	assert_int_equal(f.src_port, 5000);
	assert_int_equal(f.dst_port, 6000);
	assert_memory_equal(f.payload, "yes", 3);

	/* Port 0: an ephemeral port, the same one next time, and answers reach it. */
	assert_int_equal(sendto(10, gw_ip, 6000, 0, "a", 1, 0), 0);
	assert_int_equal(sendto(10, gw_ip, 6000, 0, "b", 1, 0), 0);
	uint16_t port = sent(1).src_port;
	assert_true(port >= STACK_EPHEMERAL_FIRST);
	assert_int_equal(sent(2).src_port, port);
	w.msgs = 0;
	n = udp_to_us(frame, 6000, port, "back", 4);
	stack_receive(&s, frame, n);
	assert_int_equal(w.msgs, 1);
	assert_int_equal(w.msg_to[0], 10);
}

static void malformed_program_messages_are_refused(void **state)
{
	static const uint8_t big[NET_INLINE_MAX + 1] = { 0 };
	uint8_t m[8] = { 0 };

	(void)state;
	up();
	assert_int_equal(sendto(9, gw_ip, 6000, 0, "abc", 3, 1), SYS_EINVAL); /* a byte too many */
	assert_int_equal(sendto(9, gw_ip, 0, 0, "abc", 3, 0), SYS_EINVAL);    /* to port 0 */
	assert_int_equal(sendto(9, gw_ip, 6000, 0, (const char *)big, NET_INLINE_MAX - 16, 0), 0);
	/* A length field past NET_INLINE_MAX. */
	uint8_t d[256] = { 0 };
	put32(d, NET_MSG_SENDTO);
	put32(d + 12, NET_INLINE_MAX + 1);
	w.msgs = 0;
	stack_program_message(&s, 9, d, 16 + NET_INLINE_MAX);
	assert_int_equal(status_of(0), SYS_EINVAL);
	put32(d + 12, 0xfffffff0u); /* and one that would wrap a sum */
	w.msgs = 0;
	stack_program_message(&s, 9, d, 16);
	assert_int_equal(status_of(0), SYS_EINVAL);
	put32(m, NET_MSG_BIND);
	w.msgs = 0;
	stack_program_message(&s, 9, m, 7);
	assert_int_equal(status_of(0), SYS_EINVAL);
	put32(m, 99);
	w.msgs = 0;
	stack_program_message(&s, 9, m, 8);
	assert_int_equal(status_of(0), SYS_EINVAL);
	w.msgs = 0;
	stack_program_message(&s, 9, m, 2);
	assert_int_equal(status_of(0), SYS_EINVAL);
	/* Without a reply endpoint: no answer, no port. */
	put32(m, NET_MSG_BIND);
	m[4] = 0x88, m[5] = 0x13;
	w.msgs = 0;
	stack_program_message(&s, IPC_NO_ENDPOINT, m, 8);
	assert_int_equal(w.msgs, 0);
	assert_int_equal(s.drops.count[DROP_MESSAGE], 8);
	(void)big;
}

static void a_datagram_too_long_for_a_message_is_dropped_not_cut(void **state)
{
	static uint8_t frame[INET_FRAME_MAX], data[NET_INLINE_MAX + 1];

	(void)state;
	up();
	assert_int_equal(bind(9, 5000), 0);
	w.msgs = 0;
	size_t n = udp_to_us(frame, 6000, 5000, data, NET_INLINE_MAX + 1);
	stack_receive(&s, frame, n);
	assert_int_equal(w.msgs, 0);
	assert_int_equal(s.drops.count[DROP_PROGRAM_SIZE], 1);
	n = udp_to_us(frame, 6000, 5000, data, NET_INLINE_MAX);
	stack_receive(&s, frame, n);
	assert_int_equal(w.msgs, 1);
	assert_int_equal(w.msg_len[0], sizeof(struct net_datagram) + NET_INLINE_MAX);
}

static void status_answers_and_prints(void **state)
{
	struct net_msg m = { .type = NET_MSG_STATUS };
	struct net_status st;

	(void)state;
	up();
	arp_from_gateway(INET_ARP_REQUEST);
	w.msgs = 0;
	w.lines = 0;
	stack_program_message(&s, 9, (const uint8_t *)&m, sizeof(m));
	assert_int_equal(w.msgs, 1);
	assert_int_equal(w.msg_len[0], sizeof(st));
	memcpy(&st, w.msg[0], sizeof(st));
	assert_int_equal(st.type, NET_MSG_REPLY);
	assert_int_equal(st.link_up, 1);
	assert_memory_equal(st.mac, our_mac, 6);
	assert_memory_equal(&st.address, our_ip, 4);
	assert_memory_equal(&st.gateway, gw_ip, 4);
	assert_int_equal(st.arp_entries, 1);
	assert_int_equal(st.rx_frames, 1);
	assert_int_equal(st.tx_frames, 3); /* ARP request and reply, the SNTP request */
	assert_int_equal(w.lines, DROP_REASONS);
	assert_true(said("udp: status: link up, 1 frames in, 3 out, 0 dropped, 1 arp entries, "
			 "0 outages"));
}

/* ----------------------------------------------------------------- SNTP */

/* The server's answer to the request in frame i, with `origin` echoed. */
static size_t sntp_answer(uint8_t *out, uint64_t origin, uint32_t seconds, uint16_t from_port)
{
	uint8_t p[SNTP_PACKET_LEN] = { 0x24, 1 };

	for (int i = 0; i < 8; i++)
		p[24 + i] = (uint8_t)(origin >> (56 - 8 * i));
	p[40] = (uint8_t)(seconds >> 24), p[41] = (uint8_t)(seconds >> 16);
	p[42] = (uint8_t)(seconds >> 8), p[43] = (uint8_t)seconds;
	return udp_to_us(out, from_port, STACK_SNTP_LOCAL_PORT, p, sizeof(p));
}

static uint64_t request_timestamp(size_t i)
{
	struct inet_frame f = sent(i);
	uint64_t t = 0;

	assert_int_equal(f.kind, INET_UDP);
	assert_int_equal(f.payload_len, SNTP_PACKET_LEN);
	assert_int_equal(f.payload[0], 0x23);
	assert_memory_equal(f.ip.dst, gw_ip, 4);
	assert_int_equal(f.dst_port, 12300);
	for (int b = 0; b < 8; b++)
		t = t << 8 | f.payload[40 + b];
	return t;
}

static void the_sntp_client_believes_only_its_answer(void **state)
{
	uint8_t frame[INET_FRAME_MAX];

	(void)state;
	arp_cache_learn(&s.arp, gw_ip, gw_mac, w.now); /* the gateway known before the client asks */
	stack_link_up(&s, our_mac);
	assert_int_equal(w.frames, 1);
	uint64_t t = request_timestamp(0);
	stack_receive(&s, frame, sntp_answer(frame, t + 1, 0xecd62395u, 12300));
	assert_true(said("udp: sntp: reply refused (origin)"));
	stack_receive(&s, frame, sntp_answer(frame, t, 0xecd62395u, 12301)); /* wrong port */
	assert_int_equal(s.drops.count[DROP_SNTP], 2);
	stack_receive(&s, frame, sntp_answer(frame, t, 0xecd62395u, 12300));
	assert_true(said("udp: sntp: time is 2025-11-30 01:59:49 UTC (from 10.0.2.2)"));
	assert_true(said("udp: sntp: the kernel's wall clock is set"));
	assert_int_equal(w.wallclock, 1764467989); /* 2025-11-30 01:59:49 UTC */
	stack_receive(&s, frame, sntp_answer(frame, t, 0xecd62395u, 12300)); /* once only */
	assert_int_equal(s.drops.count[DROP_SNTP], 3);
	assert_int_equal(stack_next_deadline(&s), 0);
	/* An outage and a new link do not ask again. */
	stack_link_down(&s);
	w.frames = 0;
	stack_link_up(&s, our_mac);
	assert_int_equal(w.frames, 0);
}

static void the_sntp_client_retries_then_gives_up(void **state)
{
	(void)state;
	arp_cache_learn(&s.arp, gw_ip, gw_mac, w.now);
	stack_link_up(&s, our_mac);
	for (int i = 0; i < 20; i++) {
		w.now += 100;
		stack_tick(&s);
	}
	assert_int_equal(w.frames, 5);
	uint64_t first = request_timestamp(0);
	for (size_t i = 1; i < w.frames; i++)
		assert_true(request_timestamp(i) != first); /* a fresh timestamp each time */
	assert_true(said("udp: sntp: no answer from 10.0.2.2 port 12300 after 5 requests"));
	assert_int_equal(stack_next_deadline(&s), 0);
}

/* --------------------------------------------------------------- outage */

static void an_outage_drops_what_waited_and_is_counted(void **state)
{
	(void)state;
	up();
	assert_int_equal(stack_send_udp(&s, gw_ip, 4000, 4001, "x", 1), 0); /* held for ARP */
	stack_link_down(&s);
	assert_int_equal(s.outages, 1);
	assert_int_equal(s.drops.count[DROP_LINK_DOWN], 2); /* that and the SNTP request */
	assert_int_equal(stack_send_udp(&s, gw_ip, 4000, 4001, "x", 1), SYS_ENOENT);
	w.tx_full = true;
	stack_link_up(&s, our_mac);
	arp_from_gateway(INET_ARP_REQUEST);
	assert_true(s.drops.count[DROP_TX_BUSY] >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(an_arp_request_for_us_is_answered_and_its_sender_learned, setup),
		cmocka_unit_test_setup(an_arp_request_for_another_is_not_answered, setup),
		cmocka_unit_test_setup(nothing_is_answered_without_a_link, setup),
		cmocka_unit_test_setup(a_frame_waits_for_its_hop_then_goes, setup),
		cmocka_unit_test_setup(a_hop_that_never_answers_costs_three_requests_and_a_count, setup),
		cmocka_unit_test_setup(every_size_is_echoed_intact, setup),
		cmocka_unit_test_setup(an_icmp_echo_request_is_answered, setup),
		cmocka_unit_test_setup(every_bad_frame_is_counted_under_its_reason, setup),
		cmocka_unit_test_setup(the_report_comes_when_drops_changed_at_most_once_a_period, setup),
		cmocka_unit_test_setup(a_port_belongs_to_its_binder, setup),
		cmocka_unit_test_setup(malformed_program_messages_are_refused, setup),
		cmocka_unit_test_setup(a_datagram_too_long_for_a_message_is_dropped_not_cut, setup),
		cmocka_unit_test_setup(status_answers_and_prints, setup),
		cmocka_unit_test_setup(the_sntp_client_believes_only_its_answer, setup),
		cmocka_unit_test_setup(the_sntp_client_retries_then_gives_up, setup),
		cmocka_unit_test_setup(an_outage_drops_what_waited_and_is_counted, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
