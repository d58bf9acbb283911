/*
 * frames: a received frame taken apart (lib/inet) and answered -- ARP
 * requests for our address, ICMP echo requests, UDP to the echo port, to
 * the SNTP client or to a bound program. Everything else is dropped and
 * counted by reason.
 *
 * ARP: a request for our address is answered, and its sender learned
 * (RFC 826's merge: the asker is about to talk to us); a reply teaches
 * the cache and releases what waited for it. Only our own address is
 * answered, never a gratuitous claim to another.
 */
#include "stack.h"

static const uint8_t broadcast_mac[INET_MAC_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t broadcast_ip[INET_IP_LEN] = { 255, 255, 255, 255 };

static bool same_mac(const uint8_t a[INET_MAC_LEN], const uint8_t b[INET_MAC_LEN])
{
	for (int i = 0; i < INET_MAC_LEN; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

bool stack_same_ip(const uint8_t a[INET_IP_LEN], const uint8_t b[INET_IP_LEN])
{
	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3];
}

/* Our subnet's broadcast address. */
static bool subnet_broadcast(const struct stack *s, const uint8_t ip[INET_IP_LEN])
{
	for (int i = 0; i < INET_IP_LEN; i++)
		if (ip[i] != (uint8_t)(s->config.address[i] | (uint8_t)~s->config.netmask[i]))
			return false;
	return true;
}

/* A sender address we may learn or answer: not zero, broadcast or multicast. */
static bool unicast(const uint8_t ip[INET_IP_LEN])
{
	return ip[0] != 0 && ip[0] < 224;
}

static void arp_in(struct stack *s, const struct inet_frame *f)
{
	const struct inet_arp *a = &f->arp;

	if (!stack_same_ip(a->target_ip, s->config.address) || !unicast(a->sender_ip)) {
		drops_count(&s->drops, DROP_ARP_NOT_OURS);
		return;
	}
	arp_cache_learn(&s->arp, a->sender_ip, a->sender_mac, s->ops.now(s->ops.ctx));
	if (a->op == INET_ARP_REQUEST) {
		uint8_t out[INET_ETH_HEADER + INET_ARP_LEN];
		size_t n = inet_arp_reply(out, sizeof(out), s->mac, s->config.address, a);
		if (n)
			(void)stack_transmit(s, out, n);
	}
	stack_resolved(s, a->sender_ip);
}

/* Echo replies go back the way the request came: to its sender's MAC,
 * without asking ARP (a host that pings us is on the link or behind the
 * router that handed us its frame). */
static void icmp_in(struct stack *s, const struct inet_frame *f)
{
	if (f->icmp_type != INET_ICMP_ECHO_REQUEST || f->icmp_code != 0) {
		drops_count(&s->drops, DROP_ICMP_TYPE);
		return;
	}
	static uint8_t out[INET_FRAME_MAX];
	struct inet_route r;
	stack_route(s, &r, f->src_mac, f->ip.src);
	size_t n = inet_icmp_echo_reply(out, sizeof(out), &r, f);
	if (n)
		(void)stack_transmit(s, out, n);
}

static void udp_in(struct stack *s, const struct inet_frame *f)
{
	if (f->dst_port == STACK_ECHO_PORT) {
		int err = stack_send_udp(s, f->ip.src, STACK_ECHO_PORT, f->src_port, f->payload,
					 f->payload_len);
		(void)err; /* counted where it failed */
		return;
	}
	if (f->dst_port == STACK_SNTP_LOCAL_PORT) {
		stack_sntp_reply(s, f);
		return;
	}
	if (!stack_deliver(s, f))
		drops_count(&s->drops, DROP_NO_PORT);
}

/* Whether an IPv4 packet is addressed to us; UDP may also come broadcast. */
static bool ip_for_us(const struct stack *s, const struct inet_frame *f)
{
	if (stack_same_ip(f->ip.dst, s->config.address))
		return true;
	return f->kind == INET_UDP &&
	       (stack_same_ip(f->ip.dst, broadcast_ip) || subnet_broadcast(s, f->ip.dst));
}

static void ip_in(struct stack *s, const struct inet_frame *f)
{
	if (!ip_for_us(s, f)) {
		drops_count(&s->drops, DROP_NOT_OUR_IP);
		return;
	}
	if (!unicast(f->ip.src) || subnet_broadcast(s, f->ip.src)) {
		drops_count(&s->drops, DROP_SOURCE);
		return;
	}
	if (f->ip.ttl == 0) {
		drops_count(&s->drops, DROP_TTL);
		return;
	}
	if (f->kind == INET_ICMP)
		icmp_in(s, f);
	else
		udp_in(s, f);
}

void stack_receive(struct stack *s, const uint8_t *frame, size_t len)
{
	struct inet_frame f;

	s->rx_frames++;
	if (!s->link_up) { /* a frame from no driver: nothing could answer it */
		drops_count(&s->drops, DROP_LINK_DOWN);
		return;
	}
	inet_parse(frame, len, &f);
	if (f.kind == INET_DROP) {
		drops_count(&s->drops, f.drop);
		return;
	}
	if (!same_mac(f.dst_mac, s->mac) && !same_mac(f.dst_mac, broadcast_mac)) {
		drops_count(&s->drops, DROP_NOT_OUR_MAC);
		return;
	}
	if (f.kind == INET_ARP)
		arp_in(s, &f);
	else
		ip_in(s, &f);
}
