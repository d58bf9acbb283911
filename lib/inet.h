/*
 * inet: Ethernet, ARP, IPv4, ICMP and UDP as bytes on the wire -- what a
 * frame from a network device says, checked, and the frames an IPv4 host
 * answers with. Portable and freestanding: the UDP/IP service (user
 * space) is built on it, and the host tests and a fuzz target drive it
 * with every shape of frame.
 *
 * Nothing here trusts a length: inet_parse() reads a frame of `len` bytes
 * and says what it is or why it is dropped, never reading past `len`, and
 * points into the frame for the payload. Checksums are RFC 1071's one's
 * complement sum; IPv4's header checksum must be right, as must UDP's
 * unless the sender left it 0 ("none", which IPv4 allows). Fragments are
 * recognised and dropped (INET_DROP_FRAGMENT): reassembly is not done.
 *
 * Numbers in the structs are host order; addresses are kept as bytes in
 * network order, as they travel.
 */
#ifndef CAMBIOS_LIB_INET_H
#define CAMBIOS_LIB_INET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define INET_MAC_LEN 6
#define INET_IP_LEN 4
#define INET_ETH_HEADER 14
#define INET_ARP_LEN 28
#define INET_IP_HEADER 20 /* without options; longer headers are read, never written */
#define INET_ICMP_HEADER 8
#define INET_UDP_HEADER 8
#define INET_MTU 1500     /* the largest IPv4 packet an Ethernet frame carries */
#define INET_FRAME_MAX (INET_ETH_HEADER + INET_MTU)
#define INET_UDP_MAX (INET_MTU - INET_IP_HEADER - INET_UDP_HEADER) /* 1472 */

#define INET_ETHERTYPE_IPV4 0x0800
#define INET_ETHERTYPE_ARP 0x0806
#define INET_PROTO_ICMP 1
#define INET_PROTO_UDP 17
#define INET_ARP_REQUEST 1
#define INET_ARP_REPLY 2
#define INET_ICMP_ECHO_REPLY 0
#define INET_ICMP_ECHO_REQUEST 8
#define INET_TTL 64

/* What a frame is, once parsed. */
enum inet_kind {
	INET_ARP,  /* .arp */
	INET_ICMP, /* .ip, .icmp_type, .icmp_code, .payload: the message after type, code, checksum */
	INET_UDP,  /* .ip, .src_port, .dst_port, .payload: the datagram's data */
	INET_DROP, /* .drop says why */
};

/* Why a frame is dropped (each counted by the stack). */
enum inet_drop {
	INET_DROP_NONE = 0,
	INET_DROP_SHORT,        /* shorter than the headers it claims */
	INET_DROP_ETHERTYPE,    /* neither IPv4 nor ARP */
	INET_DROP_ARP_FORMAT,   /* not Ethernet/IPv4 ARP, or an unknown operation */
	INET_DROP_IP_VERSION,   /* not version 4, or a header length under 20 */
	INET_DROP_IP_LENGTH,    /* total length under the header, or past the frame */
	INET_DROP_IP_CHECKSUM,
	INET_DROP_FRAGMENT,     /* more fragments, or an offset: reassembly is not done */
	INET_DROP_PROTOCOL,     /* neither ICMP nor UDP */
	INET_DROP_ICMP_CHECKSUM,
	INET_DROP_UDP_LENGTH,   /* under 8, or past the IPv4 payload */
	INET_DROP_UDP_CHECKSUM,
	INET_DROP_REASONS,
};

struct inet_arp {
	uint16_t op;
	uint8_t sender_mac[INET_MAC_LEN], sender_ip[INET_IP_LEN];
	uint8_t target_mac[INET_MAC_LEN], target_ip[INET_IP_LEN];
};

struct inet_ip {
	uint8_t src[INET_IP_LEN], dst[INET_IP_LEN];
	uint8_t protocol, ttl;
	uint16_t id;
};

struct inet_frame {
	enum inet_kind kind;
	enum inet_drop drop;
	uint8_t dst_mac[INET_MAC_LEN], src_mac[INET_MAC_LEN];
	struct inet_arp arp;
	struct inet_ip ip;
	uint8_t icmp_type, icmp_code;
	uint16_t src_port, dst_port;
	const uint8_t *payload; /* inside the frame */
	size_t payload_len;
};

/* What the frame [frame, frame + len) is; never reads outside it. */
#ifndef VERIFY_EVA /* WP proves it (tests/verify/inet.mk); EVA checks the code alone */
/*@ requires \valid_read(frame + (0 .. len - 1));
    requires \valid(out);
    requires \separated(out, frame + (0 .. len - 1));
    assigns *out; */
#endif
void inet_parse(const uint8_t *frame, size_t len, struct inet_frame *out);

/* A short name for a drop reason ("ip checksum"), for counters. */
#ifndef VERIFY_EVA /* WP proves it (tests/verify/inet.mk); EVA checks the code alone */
/*@ assigns \nothing;
    ensures \result != \null; */
#endif
const char *inet_drop_name(enum inet_drop why);

/* RFC 1071: the one's complement of the one's complement sum of
 * [p, p + len) (an odd last byte padded with zero), starting from `sum`
 * (a partial sum, e.g. of a pseudo-header; 0 for none). A buffer whose
 * checksum field is right sums to 0. */
#ifndef VERIFY_EVA /* WP proves it (tests/verify/inet.mk); EVA checks the code alone */
/*@ requires \valid_read(p + (0 .. len - 1));
    assigns \nothing; */
#endif
uint16_t inet_checksum(const uint8_t *p, size_t len, uint32_t sum);

/* The frames a host sends. Each writes into `out` (room for `cap` bytes)
 * and returns the frame's length, or 0 when it does not fit (nothing
 * meaningful is left in `out` then). */

/* An ARP reply from (mac, ip) to the asker of `request`. */
size_t inet_arp_reply(uint8_t *out, size_t cap, const uint8_t mac[INET_MAC_LEN],
		      const uint8_t ip[INET_IP_LEN], const struct inet_arp *request);

/* An ARP request from (mac, ip) for `wanted`, broadcast. */
size_t inet_arp_request(uint8_t *out, size_t cap, const uint8_t mac[INET_MAC_LEN],
			const uint8_t ip[INET_IP_LEN], const uint8_t wanted[INET_IP_LEN]);

/* The addresses a packet goes between. */
struct inet_route {
	uint8_t src_mac[INET_MAC_LEN], dst_mac[INET_MAC_LEN];
	uint8_t src_ip[INET_IP_LEN], dst_ip[INET_IP_LEN];
	uint16_t id; /* the IPv4 identification */
};

/* The echo reply to a parsed echo request (same identifier, sequence and
 * data); 0 if `request` is no echo request. */
size_t inet_icmp_echo_reply(uint8_t *out, size_t cap, const struct inet_route *r,
			    const struct inet_frame *request);

/* A UDP datagram of `len` data bytes (at most INET_UDP_MAX), its checksum
 * computed. */
size_t inet_udp(uint8_t *out, size_t cap, const struct inet_route *r, uint16_t src_port,
		uint16_t dst_port, const void *data, size_t len);

#endif
