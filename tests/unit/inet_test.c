/*
 * inet_test: lib/inet's frames -- a UDP datagram against one made by an
 * independent implementation (Python's struct, the frame below), what the
 * parser makes of every header it knows, and every reason it drops one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "inet.h"

/* 10.0.2.2:5555 -> 10.0.2.15:7, "hello, cambios", IPv4 id 0x1234, made
 * with Python's struct and an RFC 1071 sum written for it. */
static const uint8_t udp_frame[] = {
	0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x2a, 0x12, 0x34, 0x00, 0x00, 0x40, 0x11, 0x50, 0x7f, 0x0a, 0x00,
	0x02, 0x02, 0x0a, 0x00, 0x02, 0x0f, 0x15, 0xb3, 0x00, 0x07, 0x00, 0x16, 0x3a, 0x4c,
	0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x2c, 0x20, 0x63, 0x61, 0x6d, 0x62, 0x69, 0x6f, 0x73,
};
static const char hello[] = "hello, cambios";

#define IP 14 /* where the IPv4 header starts */
#define UDP (IP + 20)

static const struct inet_route host_to_guest = {
	.src_mac = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 },
	.dst_mac = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 },
	.src_ip = { 10, 0, 2, 2 },
	.dst_ip = { 10, 0, 2, 15 },
	.id = 0x1234,
};

static struct inet_frame parsed(const uint8_t *frame, size_t len)
{
	struct inet_frame f;

	inet_parse(frame, len, &f);
	return f;
}

static void the_ipv4_header_checksum_of_rfc_examples(void **state)
{
	/* The classic example header, its checksum 0xb861 in place. */
	static const uint8_t header[] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
					  0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };
	uint8_t zeroed[sizeof(header)];

	(void)state;
	assert_int_equal(inet_checksum(header, sizeof(header), 0), 0);
	memcpy(zeroed, header, sizeof(header));
	zeroed[10] = zeroed[11] = 0;
	assert_int_equal(inet_checksum(zeroed, sizeof(zeroed), 0), 0xb861);
	/* An odd length pads with a zero byte. */
	static const uint8_t odd[] = { 0x01, 0x02, 0x03 };
	assert_int_equal(inet_checksum(odd, 3, 0), (uint16_t)~(0x0102 + 0x0300));
}

static void a_udp_datagram_is_the_independent_one(void **state)
{
	uint8_t out[INET_FRAME_MAX];

	(void)state;
	size_t n = inet_udp(out, sizeof(out), &host_to_guest, 5555, 7, hello, strlen(hello));
	assert_int_equal(n, sizeof(udp_frame));
	assert_memory_equal(out, udp_frame, sizeof(udp_frame));
}

static void a_udp_datagram_parses(void **state)
{
	(void)state;
	struct inet_frame f = parsed(udp_frame, sizeof(udp_frame));
	assert_int_equal(f.kind, INET_UDP);
	assert_int_equal(f.drop, INET_DROP_NONE);
	assert_int_equal(f.src_port, 5555);
	assert_int_equal(f.dst_port, 7);
	assert_int_equal(f.ip.id, 0x1234);
	assert_int_equal(f.ip.ttl, 64);
	assert_memory_equal(f.ip.src, host_to_guest.src_ip, INET_IP_LEN);
	assert_memory_equal(f.ip.dst, host_to_guest.dst_ip, INET_IP_LEN);
	assert_memory_equal(f.src_mac, host_to_guest.src_mac, INET_MAC_LEN);
	assert_int_equal(f.payload_len, strlen(hello));
	assert_memory_equal(f.payload, hello, strlen(hello));
	assert_ptr_equal(f.payload, udp_frame + UDP + 8);
}

static void ethernet_padding_is_not_the_packets(void **state)
{
	uint8_t frame[64] = { 0 }; /* padded to the Ethernet minimum and past it */

	(void)state;
	memcpy(frame, udp_frame, sizeof(udp_frame));
	struct inet_frame f = parsed(frame, sizeof(frame));
	assert_int_equal(f.kind, INET_UDP);
	assert_int_equal(f.payload_len, strlen(hello));
}

static void sizes_from_empty_to_the_largest_round_trip(void **state)
{
	static uint8_t data[INET_UDP_MAX + 1], out[INET_FRAME_MAX + 16];

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	for (size_t len = 0; len <= INET_UDP_MAX; len += len < 64 ? 1 : 97) {
		size_t n = inet_udp(out, sizeof(out), &host_to_guest, 9, 10, data, len);
		assert_int_equal(n, 14 + 20 + 8 + len);
		struct inet_frame f = parsed(out, n);
		assert_int_equal(f.kind, INET_UDP);
		assert_int_equal(f.payload_len, len);
		assert_memory_equal(f.payload, data, len);
	}
	assert_int_equal(inet_udp(out, sizeof(out), &host_to_guest, 9, 10, data, INET_UDP_MAX), INET_FRAME_MAX);
	assert_int_equal(inet_udp(out, sizeof(out), &host_to_guest, 9, 10, data, INET_UDP_MAX + 1), 0);
	assert_int_equal(inet_udp(out, 14 + 20 + 8 + 4, &host_to_guest, 9, 10, data, 5), 0);
}

/* A copy of the UDP frame with `fix` applied, then the IPv4 header
 * checksum made right again (so only the intended fault remains). */
static size_t broken(uint8_t *frame, void (*fix)(uint8_t *frame), bool refix_ip)
{
	memcpy(frame, udp_frame, sizeof(udp_frame));
	fix(frame);
	if (refix_ip) {
		frame[IP + 10] = frame[IP + 11] = 0;
		uint16_t sum = inet_checksum(frame + IP, 20, 0);
		frame[IP + 10] = (uint8_t)(sum >> 8);
		frame[IP + 11] = (uint8_t)sum;
	}
	return sizeof(udp_frame);
}

static void other_ethertype(uint8_t *f) { f[12] = 0x86; f[13] = 0xdd; } /* IPv6 */
static void version_6(uint8_t *f) { f[IP] = 0x65; }
static void header_too_short(uint8_t *f) { f[IP] = 0x44; }
static void total_past_frame(uint8_t *f) { f[IP + 3] = 0x2b; }
static void total_under_header(uint8_t *f) { f[IP + 3] = 19; }
static void ip_checksum_off(uint8_t *f) { f[IP + 11] ^= 1; }
static void more_fragments(uint8_t *f) { f[IP + 6] = 0x20; }
static void fragment_offset(uint8_t *f) { f[IP + 7] = 0x01; }
static void tcp(uint8_t *f) { f[IP + 9] = 6; }
static void udp_length_short(uint8_t *f) { f[UDP + 5] = 7; }
static void udp_length_past_ip(uint8_t *f) { f[UDP + 5] = 0x17; }
static void udp_checksum_off(uint8_t *f) { f[UDP + 7] ^= 0x10; }
static void payload_changed(uint8_t *f) { f[UDP + 8] = 'H'; }
static void no_udp_checksum(uint8_t *f) { f[UDP + 6] = f[UDP + 7] = 0; }

static void every_bad_header_is_dropped_for_its_reason(void **state)
{
	static const struct {
		void (*fix)(uint8_t *frame);
		bool refix_ip;
		enum inet_drop why;
	} cases[] = {
		{ other_ethertype, false, INET_DROP_ETHERTYPE },
		{ version_6, true, INET_DROP_IP_VERSION },
		{ header_too_short, true, INET_DROP_IP_VERSION },
		{ total_past_frame, true, INET_DROP_IP_LENGTH },
		{ total_under_header, true, INET_DROP_IP_LENGTH },
		{ ip_checksum_off, false, INET_DROP_IP_CHECKSUM },
		{ more_fragments, true, INET_DROP_FRAGMENT },
		{ fragment_offset, true, INET_DROP_FRAGMENT },
		{ tcp, true, INET_DROP_PROTOCOL },
		{ udp_length_short, false, INET_DROP_UDP_LENGTH },
		{ udp_length_past_ip, false, INET_DROP_UDP_LENGTH },
		{ udp_checksum_off, false, INET_DROP_UDP_CHECKSUM },
		{ payload_changed, false, INET_DROP_UDP_CHECKSUM },
	};
	uint8_t frame[sizeof(udp_frame)];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct inet_frame f = parsed(frame, broken(frame, cases[i].fix, cases[i].refix_ip));
		assert_int_equal(f.kind, INET_DROP);
		assert_int_equal(f.drop, cases[i].why);
		assert_null(f.payload);
		assert_int_equal(f.payload_len, 0);
		assert_string_not_equal(inet_drop_name(f.drop), "unknown");
	}
	/* A checksum of 0 is "none" and accepted. */
	struct inet_frame f = parsed(frame, broken(frame, no_udp_checksum, false));
	assert_int_equal(f.kind, INET_UDP);
}

static void every_truncation_is_short_and_reads_nothing_past_it(void **state)
{
	(void)state;
	for (size_t len = 0; len < sizeof(udp_frame); len++) {
		/* A copy of exactly len bytes: ASan catches any read past it. */
		uint8_t *copy = len ? malloc(len) : NULL;
		if (len)
			memcpy(copy, udp_frame, len);
		struct inet_frame f = parsed(copy, len);
		assert_int_equal(f.kind, INET_DROP);
		assert_true(f.drop == INET_DROP_SHORT || f.drop == INET_DROP_IP_LENGTH);
		free(copy);
	}
}

static const uint8_t guest_mac[INET_MAC_LEN] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t guest_ip[INET_IP_LEN] = { 10, 0, 2, 15 };
static const uint8_t gateway_ip[INET_IP_LEN] = { 10, 0, 2, 2 };

static void arp_request_and_reply(void **state)
{
	uint8_t ask[64], answer[64];

	(void)state;
	/* The host asks who has the guest's address. */
	size_t n = inet_arp_request(ask, sizeof(ask), host_to_guest.src_mac, gateway_ip, guest_ip);
	assert_int_equal(n, 42);
	struct inet_frame f = parsed(ask, n);
	assert_int_equal(f.kind, INET_ARP);
	assert_int_equal(f.arp.op, INET_ARP_REQUEST);
	assert_memory_equal(f.dst_mac, "\xff\xff\xff\xff\xff\xff", INET_MAC_LEN);
	assert_memory_equal(f.arp.target_ip, guest_ip, INET_IP_LEN);
	assert_memory_equal(f.arp.sender_mac, host_to_guest.src_mac, INET_MAC_LEN);

	n = inet_arp_reply(answer, sizeof(answer), guest_mac, guest_ip, &f.arp);
	struct inet_frame r = parsed(answer, n);
	assert_int_equal(r.kind, INET_ARP);
	assert_int_equal(r.arp.op, INET_ARP_REPLY);
	assert_memory_equal(r.dst_mac, host_to_guest.src_mac, INET_MAC_LEN);
	assert_memory_equal(r.arp.sender_mac, guest_mac, INET_MAC_LEN);
	assert_memory_equal(r.arp.sender_ip, guest_ip, INET_IP_LEN);
	assert_memory_equal(r.arp.target_ip, gateway_ip, INET_IP_LEN);
	assert_int_equal(inet_arp_reply(answer, 41, guest_mac, guest_ip, &f.arp), 0);

	/* Not Ethernet/IPv4, or an unknown operation. */
	ask[14 + 5] = 16;
	assert_int_equal(parsed(ask, 42).drop, INET_DROP_ARP_FORMAT);
	ask[14 + 5] = 4;
	ask[14 + 7] = 3;
	assert_int_equal(parsed(ask, 42).drop, INET_DROP_ARP_FORMAT);
	assert_int_equal(parsed(ask, 41).drop, INET_DROP_SHORT);
}

/* An echo request as ping sends it: identifier, sequence, data. */
static size_t echo_request(uint8_t *out, const uint8_t *data, size_t len)
{
	struct inet_frame fake = { .kind = INET_ICMP, .icmp_type = INET_ICMP_ECHO_REQUEST };
	uint8_t body[4 + 64];

	body[0] = 0x12; body[1] = 0x34; /* identifier */
	body[2] = 0x00; body[3] = 0x09; /* sequence */
	memcpy(body + 4, data, len);
	fake.payload = body;
	fake.payload_len = 4 + len;
	/* Made with the reply builder, then turned into a request. */
	size_t n = inet_icmp_echo_reply(out, INET_FRAME_MAX, &host_to_guest, &fake);
	uint8_t *icmp = out + UDP;
	icmp[0] = INET_ICMP_ECHO_REQUEST;
	icmp[2] = icmp[3] = 0;
	uint16_t sum = inet_checksum(icmp, n - UDP, 0);
	icmp[2] = (uint8_t)(sum >> 8);
	icmp[3] = (uint8_t)sum;
	return n;
}

static void an_echo_request_gets_its_reply(void **state)
{
	static uint8_t request[INET_FRAME_MAX], reply[INET_FRAME_MAX];
	const struct inet_route back = {
		.src_mac = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 },
		.dst_mac = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 },
		.src_ip = { 10, 0, 2, 15 },
		.dst_ip = { 10, 0, 2, 2 },
		.id = 1,
	};

	(void)state;
	size_t n = echo_request(request, (const uint8_t *)"abcdefgh", 8);
	struct inet_frame f = parsed(request, n);
	assert_int_equal(f.kind, INET_ICMP);
	assert_int_equal(f.icmp_type, INET_ICMP_ECHO_REQUEST);
	assert_int_equal(f.payload_len, 12);

	size_t m = inet_icmp_echo_reply(reply, sizeof(reply), &back, &f);
	assert_int_equal(m, n);
	struct inet_frame r = parsed(reply, m);
	assert_int_equal(r.kind, INET_ICMP);
	assert_int_equal(r.icmp_type, INET_ICMP_ECHO_REPLY);
	assert_memory_equal(r.payload, f.payload, f.payload_len); /* identifier, sequence, data */
	assert_memory_equal(r.ip.dst, gateway_ip, INET_IP_LEN);

	/* A reply is not answered; a bad checksum is dropped. */
	assert_int_equal(inet_icmp_echo_reply(reply, sizeof(reply), &back, &r), 0);
	request[n - 1] ^= 0xff;
	assert_int_equal(parsed(request, n).drop, INET_DROP_ICMP_CHECKSUM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_ipv4_header_checksum_of_rfc_examples),
		cmocka_unit_test(a_udp_datagram_is_the_independent_one),
		cmocka_unit_test(a_udp_datagram_parses),
		cmocka_unit_test(ethernet_padding_is_not_the_packets),
		cmocka_unit_test(sizes_from_empty_to_the_largest_round_trip),
		cmocka_unit_test(every_bad_header_is_dropped_for_its_reason),
		cmocka_unit_test(every_truncation_is_short_and_reads_nothing_past_it),
		cmocka_unit_test(arp_request_and_reply),
		cmocka_unit_test(an_echo_request_gets_its_reply),
	};

	return cmocka_run_group_tests_name("inet", tests, NULL, NULL);
}
