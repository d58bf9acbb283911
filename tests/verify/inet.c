/*
 * inet (verify harness): the Ethernet/ARP/IPv4/ICMP/UDP parser over a
 * frame of unknown bytes and every length up to FRAME_CAP, and the frames
 * a host answers with, made from what the parser found and from unknown
 * addresses, ports, data and room.
 *
 * The frame lies at the start of a FRAME_CAP buffer, its length one
 * interval: EVA shows no read outside the buffer and no other run-time
 * error for any length and any bytes. That no read goes past `len`
 * itself -- for every length, not only the buffer's -- is WP's part:
 * inet_parse's contract (inet.h) asks only \valid_read(frame + (0 ..
 * len - 1)) and WP proves every access under it (tests/verify/inet.mk).
 * FRAME_CAP only sizes the analysis's buffer: the driver hands the stack
 * at most NET_FRAME_MAX (1,514) bytes, and the parser compares every
 * length it reads from the frame with `len` alone, so the 86 bytes past
 * that cover every branch a longer frame could take (an IPv4 total or UDP
 * length past the frame included).
 */
#include <__fc_builtin.h>
#include <inet.h>

#define FRAME_CAP (INET_FRAME_MAX + 86)
#define OUT_CAP (INET_FRAME_MAX + 64)
#define DATA_CAP (INET_UDP_MAX + 64)

static uint8_t frame[FRAME_CAP];
static uint8_t out[OUT_CAP];
static uint8_t data[DATA_CAP];

/* Unknown addresses, as the stack's configuration and ARP cache give them. */
static void unknown_route(struct inet_route *r)
{
	Frama_C_make_unknown((char *)r, sizeof(*r));
}

/* Every answer the stack makes to a parsed frame, into any room. */
static void answer(const struct inet_frame *f)
{
	struct inet_route r;
	uint8_t mac[INET_MAC_LEN], ip[INET_IP_LEN];
	size_t cap = Frama_C_size_t_interval(0, OUT_CAP);

	unknown_route(&r);
	Frama_C_make_unknown((char *)mac, sizeof(mac));
	Frama_C_make_unknown((char *)ip, sizeof(ip));
	if (f->kind == INET_ARP)
		(void)inet_arp_reply(out, cap, mac, ip, &f->arp);
	if (f->kind == INET_ICMP)
		(void)inet_icmp_echo_reply(out, cap, &r, f);
	if (f->kind == INET_UDP)
		(void)inet_udp(out, cap, &r, f->dst_port, f->src_port, f->payload, f->payload_len);
}

int main(void)
{
	struct inet_frame f;
	size_t len = Frama_C_size_t_interval(0, FRAME_CAP);

	Frama_C_make_unknown((char *)frame, FRAME_CAP);
	inet_parse(frame, len, &f);
	answer(&f);

	/* The makers on their own: unknown room, route, ports, data, length
	 * (a program's datagram may ask for more than fits). */
	struct inet_route r;
	uint8_t mac[INET_MAC_LEN], ip[INET_IP_LEN], wanted[INET_IP_LEN];
	size_t cap = Frama_C_size_t_interval(0, OUT_CAP);
	size_t data_len = Frama_C_size_t_interval(0, DATA_CAP);

	unknown_route(&r);
	Frama_C_make_unknown((char *)data, DATA_CAP);
	Frama_C_make_unknown((char *)mac, sizeof(mac));
	Frama_C_make_unknown((char *)ip, sizeof(ip));
	Frama_C_make_unknown((char *)wanted, sizeof(wanted));
	(void)inet_arp_request(out, cap, mac, ip, wanted);
	(void)inet_udp(out, cap, &r, (uint16_t)Frama_C_unsigned_int_interval(0, 65535),
		       (uint16_t)Frama_C_unsigned_int_interval(0, 65535), data, data_len);
	(void)inet_checksum(data, data_len, Frama_C_unsigned_int_interval(0, 0xffffffffu));
	(void)inet_drop_name((enum inet_drop)Frama_C_int_interval(-1, INET_DROP_REASONS + 1));
	return 0;
}
