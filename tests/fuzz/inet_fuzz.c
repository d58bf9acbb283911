/*
 * inet_fuzz: libFuzzer target for lib/inet's frame parser.
 *
 * Every frame a network device hands the UDP/IP service comes from
 * outside the machine. Whatever its bytes, inet_parse() must stay inside
 * them (the input is handed over as an exactly-sized copy, so a read past
 * its end trips ASan), a frame it accepts must have its payload inside
 * the frame, and the answers the service would send -- an ARP reply, an
 * echo reply, a UDP datagram carrying the payload back -- must parse as
 * what they are.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <inet.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct inet_route route = {
	.src_mac = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 },
	.dst_mac = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 },
	.src_ip = { 10, 0, 2, 15 },
	.dst_ip = { 10, 0, 2, 2 },
	.id = 7,
};

static void expect(const uint8_t *out, size_t n, enum inet_kind kind)
{
	struct inet_frame back;

	if (n == 0)
		return;
	inet_parse(out, n, &back);
	if (back.kind != kind)
		abort();
}

static void answer(const struct inet_frame *f)
{
	static uint8_t out[INET_FRAME_MAX];

	if (f->kind == INET_ARP)
		expect(out, inet_arp_reply(out, sizeof(out), route.src_mac, route.src_ip, &f->arp),
		       INET_ARP);
	else if (f->kind == INET_ICMP)
		expect(out, inet_icmp_echo_reply(out, sizeof(out), &route, f), INET_ICMP);
	else if (f->kind == INET_UDP)
		expect(out, inet_udp(out, sizeof(out), &route, f->dst_port, f->src_port, f->payload,
				     f->payload_len), INET_UDP);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *frame = malloc(size ? size : 1);
	struct inet_frame f;

	if (!frame)
		return 0;
	memcpy(frame, data, size);
	inet_parse(frame, size, &f);
	if (f.kind != INET_DROP && f.payload &&
	    (f.payload < frame || f.payload + f.payload_len > frame + size))
		abort();
	if ((f.kind == INET_DROP) != (f.drop != INET_DROP_NONE))
		abort();
	answer(&f);
	free(frame);
	return 0;
}
