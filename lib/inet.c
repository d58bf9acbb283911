/*
 * inet: frames checked and made (see inet.h).
 */
#include "inet.h"

#define ARP_HTYPE_ETHERNET 1
#define IP_FLAG_MORE_FRAGMENTS 0x2000u
#define IP_FRAGMENT_OFFSET 0x1fffu
#define ICMP_TYPE_CODE_CHECKSUM 4 /* the part of an ICMP header every type has */

static const uint8_t broadcast_mac[INET_MAC_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

#ifndef VERIFY_EVA /* WP proves it (tests/verify/inet.mk); EVA checks the code alone */
/*@ requires \valid_read(p + (0 .. 1));
    assigns \nothing; */
#endif
static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

#ifndef VERIFY_EVA /* WP proves it (tests/verify/inet.mk); EVA checks the code alone */
/*@ requires \valid(p + (0 .. 1));
    assigns p[0 .. 1]; */
#endif
static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

#ifndef VERIFY_EVA /* WP proves it (tests/verify/inet.mk); EVA checks the code alone */
/*@ requires \valid(dst + (0 .. n - 1));
    requires \valid_read(src + (0 .. n - 1));
    assigns dst[0 .. n - 1]; */
#endif
static void copy(uint8_t *dst, const uint8_t *src, size_t n)
{
#ifndef VERIFY_EVA /* WP proves it (tests/verify/inet.mk); EVA checks the code alone */
	/*@ loop invariant 0 <= i <= n;
	    loop assigns i, dst[0 .. n - 1];
	    loop variant n - i; */
#endif
	for (size_t i = 0; i < n; i++)
		dst[i] = src[i];
}

/* ------------------------------------------------------------ checksums */

/* The running 32-bit sum of big-endian 16-bit words (no folding yet). */
#ifndef VERIFY_EVA /* WP proves it (tests/verify/inet.mk); EVA checks the code alone */
/*@ requires \valid_read(p + (0 .. len - 1));
    assigns \nothing; */
#endif
static uint32_t sum_words(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i = 0;

#ifndef VERIFY_EVA /* WP proves it (tests/verify/inet.mk); EVA checks the code alone */
	/*@ loop invariant 0 <= i <= len && i % 2 == 0; // even: i + 1 cannot wrap
	    loop assigns i, sum;
	    loop variant len - i; */
#endif
	for (; i + 1 < len; i += 2) {
		sum += get16(p + i);
		sum = (sum & 0xffff) + (sum >> 16); /* folded as it goes: never overflows */
	}
	if (i < len)
		sum += (uint32_t)p[i] << 8;
	return sum;
}

uint16_t inet_checksum(const uint8_t *p, size_t len, uint32_t sum)
{
	sum = sum_words(p, len, sum);
#ifndef VERIFY_EVA /* WP proves it (tests/verify/inet.mk); EVA checks the code alone */
	/*@ loop assigns sum; */
#endif
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The UDP pseudo-header's sum: addresses, protocol, UDP length. */
#ifndef VERIFY_EVA /* WP proves it (tests/verify/inet.mk); EVA checks the code alone */
/*@ requires \valid_read(src + (0 .. INET_IP_LEN - 1));
    requires \valid_read(dst + (0 .. INET_IP_LEN - 1));
    assigns \nothing; */
#endif
static uint32_t pseudo_header(const uint8_t src[INET_IP_LEN], const uint8_t dst[INET_IP_LEN],
			      uint16_t udp_len)
{
	uint32_t sum = sum_words(src, INET_IP_LEN, 0);

	sum = sum_words(dst, INET_IP_LEN, sum);
	return sum + INET_PROTO_UDP + udp_len;
}

/* -------------------------------------------------------------- parsing */

#ifndef VERIFY_EVA /* WP proves it (tests/verify/inet.mk); EVA checks the code alone */
/*@ requires \valid_read(p + (0 .. len - 1));
    requires \valid(f);
    assigns f->kind, f->arp; */
#endif
static enum inet_drop parse_arp(const uint8_t *p, size_t len, struct inet_frame *f)
{
	if (len < INET_ARP_LEN)
		return INET_DROP_SHORT;
	uint16_t op = get16(p + 6);
	if (get16(p) != ARP_HTYPE_ETHERNET || get16(p + 2) != INET_ETHERTYPE_IPV4 ||
	    p[4] != INET_MAC_LEN || p[5] != INET_IP_LEN ||
	    (op != INET_ARP_REQUEST && op != INET_ARP_REPLY))
		return INET_DROP_ARP_FORMAT;
	f->kind = INET_ARP;
	f->arp.op = op;
	copy(f->arp.sender_mac, p + 8, INET_MAC_LEN);
	copy(f->arp.sender_ip, p + 14, INET_IP_LEN);
	copy(f->arp.target_mac, p + 18, INET_MAC_LEN);
	copy(f->arp.target_ip, p + 24, INET_IP_LEN);
	return INET_DROP_NONE;
}

#ifndef VERIFY_EVA /* WP proves it (tests/verify/inet.mk); EVA checks the code alone */
/*@ requires \valid_read(p + (0 .. len - 1));
    requires \valid(f);
    assigns f->kind, f->icmp_type, f->icmp_code, f->payload, f->payload_len; */
#endif
static enum inet_drop parse_icmp(const uint8_t *p, size_t len, struct inet_frame *f)
{
	if (len < INET_ICMP_HEADER)
		return INET_DROP_SHORT;
	if (inet_checksum(p, len, 0) != 0)
		return INET_DROP_ICMP_CHECKSUM;
	f->kind = INET_ICMP;
	f->icmp_type = p[0];
	f->icmp_code = p[1];
	f->payload = p + ICMP_TYPE_CODE_CHECKSUM;
	f->payload_len = len - ICMP_TYPE_CODE_CHECKSUM;
	return INET_DROP_NONE;
}

#ifndef VERIFY_EVA /* WP proves it (tests/verify/inet.mk); EVA checks the code alone */
/*@ requires \valid_read(p + (0 .. len - 1));
    requires \valid(f);
    requires \separated(f, p + (0 .. len - 1));
    assigns f->kind, f->src_port, f->dst_port, f->payload, f->payload_len; */
#endif
static enum inet_drop parse_udp(const uint8_t *p, size_t len, struct inet_frame *f)
{
	if (len < INET_UDP_HEADER)
		return INET_DROP_SHORT;
	uint16_t udp_len = get16(p + 4);
	if (udp_len < INET_UDP_HEADER || udp_len > len)
		return INET_DROP_UDP_LENGTH;
	/* 0: the sender computed none (RFC 768). */
	if (get16(p + 6) != 0 &&
	    inet_checksum(p, udp_len, pseudo_header(f->ip.src, f->ip.dst, udp_len)) != 0)
		return INET_DROP_UDP_CHECKSUM;
	f->kind = INET_UDP;
	f->src_port = get16(p);
	f->dst_port = get16(p + 2);
	f->payload = p + INET_UDP_HEADER;
	f->payload_len = udp_len - INET_UDP_HEADER;
	return INET_DROP_NONE;
}

#ifndef VERIFY_EVA /* WP proves it (tests/verify/inet.mk); EVA checks the code alone */
/*@ requires \valid_read(p + (0 .. len - 1));
    requires \valid(f);
    requires \separated(f, p + (0 .. len - 1));
    assigns f->ip, f->kind, f->icmp_type, f->icmp_code, f->src_port, f->dst_port,
	    f->payload, f->payload_len; */
#endif
static enum inet_drop parse_ipv4(const uint8_t *p, size_t len, struct inet_frame *f)
{
	if (len < INET_IP_HEADER)
		return INET_DROP_SHORT;
	size_t header = (size_t)(p[0] & 0xf) * 4;
	if (p[0] >> 4 != 4 || header < INET_IP_HEADER)
		return INET_DROP_IP_VERSION;
	size_t total = get16(p + 2);
	/* For the analysis (make verify): one state per header length, so
	 * that it sees the payload's start and length as the same header's. */
	/*@ split header; */
	if (total < header || total > len)
		return INET_DROP_IP_LENGTH;
	if (inet_checksum(p, header, 0) != 0)
		return INET_DROP_IP_CHECKSUM;
	if (get16(p + 6) & (IP_FLAG_MORE_FRAGMENTS | IP_FRAGMENT_OFFSET))
		return INET_DROP_FRAGMENT;
	f->ip.id = get16(p + 4);
	f->ip.ttl = p[8];
	f->ip.protocol = p[9];
	copy(f->ip.src, p + 12, INET_IP_LEN);
	copy(f->ip.dst, p + 16, INET_IP_LEN);
	/* Bytes past `total` are the Ethernet frame's padding: not the packet's. */
	enum inet_drop why = INET_DROP_PROTOCOL;
	if (f->ip.protocol == INET_PROTO_ICMP)
		why = parse_icmp(p + header, total - header, f);
	else if (f->ip.protocol == INET_PROTO_UDP)
		why = parse_udp(p + header, total - header, f);
	/* For the analysis: ICMP's and UDP's payloads kept apart as far as
	 * inet_parse's caller (with -eva-interprocedural-splits). */
	/*@ split f->kind; */
	return why;
}

/* The frame's headers in order; each layer says what it found or why
 * it stops. */
#ifndef VERIFY_EVA /* WP proves it (tests/verify/inet.mk); EVA checks the code alone */
/*@ requires \valid_read(frame + (0 .. len - 1));
    requires \valid(f);
    requires \separated(f, frame + (0 .. len - 1));
    assigns *f; */
#endif
static enum inet_drop parse_ethernet(const uint8_t *frame, size_t len, struct inet_frame *f)
{
	if (len < INET_ETH_HEADER)
		return INET_DROP_SHORT;
	copy(f->dst_mac, frame, INET_MAC_LEN);
	copy(f->src_mac, frame + INET_MAC_LEN, INET_MAC_LEN);
	uint16_t type = get16(frame + 2 * INET_MAC_LEN);
	if (type == INET_ETHERTYPE_ARP)
		return parse_arp(frame + INET_ETH_HEADER, len - INET_ETH_HEADER, f);
	if (type == INET_ETHERTYPE_IPV4)
		return parse_ipv4(frame + INET_ETH_HEADER, len - INET_ETH_HEADER, f);
	return INET_DROP_ETHERTYPE;
}

void inet_parse(const uint8_t *frame, size_t len, struct inet_frame *out)
{
	*out = (struct inet_frame){ .kind = INET_DROP };
	out->drop = parse_ethernet(frame, len, out);
	if (out->drop != INET_DROP_NONE) {
		out->kind = INET_DROP;
		out->payload = NULL;
		out->payload_len = 0;
	}
}

const char *inet_drop_name(enum inet_drop why)
{
	static const char *const names[INET_DROP_REASONS] = {
		[INET_DROP_NONE] = "none", [INET_DROP_SHORT] = "short",
		[INET_DROP_ETHERTYPE] = "ethertype", [INET_DROP_ARP_FORMAT] = "arp format",
		[INET_DROP_IP_VERSION] = "ip version", [INET_DROP_IP_LENGTH] = "ip length",
		[INET_DROP_IP_CHECKSUM] = "ip checksum", [INET_DROP_FRAGMENT] = "fragment",
		[INET_DROP_PROTOCOL] = "protocol", [INET_DROP_ICMP_CHECKSUM] = "icmp checksum",
		[INET_DROP_UDP_LENGTH] = "udp length", [INET_DROP_UDP_CHECKSUM] = "udp checksum",
	};

	return (unsigned)why < INET_DROP_REASONS ? names[why] : "unknown";
}

/* --------------------------------------------------------------- making */

static uint8_t *ethernet(uint8_t *out, const uint8_t dst[INET_MAC_LEN],
			 const uint8_t src[INET_MAC_LEN], uint16_t type)
{
	copy(out, dst, INET_MAC_LEN);
	copy(out + INET_MAC_LEN, src, INET_MAC_LEN);
	put16(out + 2 * INET_MAC_LEN, type);
	return out + INET_ETH_HEADER;
}

static size_t arp(uint8_t *out, size_t cap, uint16_t op, const uint8_t *dst_mac,
		  const uint8_t mac[INET_MAC_LEN], const uint8_t ip[INET_IP_LEN],
		  const uint8_t target_mac[INET_MAC_LEN], const uint8_t target_ip[INET_IP_LEN])
{
	if (cap < INET_ETH_HEADER + INET_ARP_LEN)
		return 0;
	uint8_t *p = ethernet(out, dst_mac, mac, INET_ETHERTYPE_ARP);
	put16(p, ARP_HTYPE_ETHERNET);
	put16(p + 2, INET_ETHERTYPE_IPV4);
	p[4] = INET_MAC_LEN;
	p[5] = INET_IP_LEN;
	put16(p + 6, op);
	copy(p + 8, mac, INET_MAC_LEN);
	copy(p + 14, ip, INET_IP_LEN);
	copy(p + 18, target_mac, INET_MAC_LEN);
	copy(p + 24, target_ip, INET_IP_LEN);
	return INET_ETH_HEADER + INET_ARP_LEN;
}

size_t inet_arp_reply(uint8_t *out, size_t cap, const uint8_t mac[INET_MAC_LEN],
		      const uint8_t ip[INET_IP_LEN], const struct inet_arp *request)
{
	return arp(out, cap, INET_ARP_REPLY, request->sender_mac, mac, ip, request->sender_mac,
		   request->sender_ip);
}

size_t inet_arp_request(uint8_t *out, size_t cap, const uint8_t mac[INET_MAC_LEN],
			const uint8_t ip[INET_IP_LEN], const uint8_t wanted[INET_IP_LEN])
{
	static const uint8_t unknown[INET_MAC_LEN] = { 0 };

	return arp(out, cap, INET_ARP_REQUEST, broadcast_mac, mac, ip, unknown, wanted);
}

/* Ethernet and IPv4 headers for `payload` bytes of `protocol`; returns
 * where the payload goes. The caller checked the room. */
static uint8_t *ipv4(uint8_t *out, const struct inet_route *r, uint8_t protocol, size_t payload)
{
	uint8_t *p = ethernet(out, r->dst_mac, r->src_mac, INET_ETHERTYPE_IPV4);

	p[0] = 0x45; /* version 4, 5 words of header */
	p[1] = 0;
	put16(p + 2, (uint16_t)(INET_IP_HEADER + payload));
	put16(p + 4, r->id);
	put16(p + 6, 0); /* not fragmented */
	p[8] = INET_TTL;
	p[9] = protocol;
	put16(p + 10, 0);
	copy(p + 12, r->src_ip, INET_IP_LEN);
	copy(p + 16, r->dst_ip, INET_IP_LEN);
	put16(p + 10, inet_checksum(p, INET_IP_HEADER, 0));
	return p + INET_IP_HEADER;
}

size_t inet_icmp_echo_reply(uint8_t *out, size_t cap, const struct inet_route *r,
			    const struct inet_frame *request)
{
	if (request->kind != INET_ICMP || request->icmp_type != INET_ICMP_ECHO_REQUEST ||
	    request->icmp_code != 0 || request->payload_len > INET_MTU - INET_IP_HEADER - 4)
		return 0;
	size_t icmp = ICMP_TYPE_CODE_CHECKSUM + request->payload_len;
	size_t total = INET_ETH_HEADER + INET_IP_HEADER + icmp;
	if (cap < total)
		return 0;
	uint8_t *p = ipv4(out, r, INET_PROTO_ICMP, icmp);
	p[0] = INET_ICMP_ECHO_REPLY;
	p[1] = 0;
	put16(p + 2, 0);
	copy(p + ICMP_TYPE_CODE_CHECKSUM, request->payload, request->payload_len);
	put16(p + 2, inet_checksum(p, icmp, 0));
	return total;
}

size_t inet_udp(uint8_t *out, size_t cap, const struct inet_route *r, uint16_t src_port,
		uint16_t dst_port, const void *data, size_t len)
{
	size_t udp = INET_UDP_HEADER + len;
	size_t total = INET_ETH_HEADER + INET_IP_HEADER + udp;

	if (len > INET_UDP_MAX || cap < total)
		return 0;
	uint8_t *p = ipv4(out, r, INET_PROTO_UDP, udp);
	put16(p, src_port);
	put16(p + 2, dst_port);
	put16(p + 4, (uint16_t)udp);
	put16(p + 6, 0);
	copy(p + INET_UDP_HEADER, data, len);
	uint16_t sum = inet_checksum(p, udp, pseudo_header(r->src_ip, r->dst_ip, (uint16_t)udp));
	put16(p + 6, sum ? sum : 0xffff); /* 0 would mean "none": RFC 768 sends all ones */
	return total;
}
