/*
 * output: datagrams routed and sent. The next hop is the destination on
 * our subnet, else the gateway; its MAC comes from the ARP cache. While a
 * hop is unresolved its frames wait here (STACK_PENDING of them, whole,
 * with the destination MAC left to fill) and ARP asks for it; when the
 * answer comes they go out in order, and when ARP gives up (lib/arp_cache:
 * ARP_TRIES requests) they are dropped and counted. Holding a few frames
 * rather than dropping the first one matters: the first datagram to a
 * peer is the one that starts the resolution.
 */
#include "stack.h"

static const uint8_t broadcast_mac[INET_MAC_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void copy(uint8_t *dst, const uint8_t *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = src[i];
}

void stack_next_hop(const struct stack *s, const uint8_t dst[INET_IP_LEN], uint8_t hop[INET_IP_LEN])
{
	bool local = true;

	for (int i = 0; i < INET_IP_LEN; i++)
		local = local && (dst[i] & s->config.netmask[i]) ==
					 (s->config.address[i] & s->config.netmask[i]);
	copy(hop, local ? dst : s->config.gateway, INET_IP_LEN);
}

void stack_route(struct stack *s, struct inet_route *r, const uint8_t dst_mac[INET_MAC_LEN],
		 const uint8_t dst_ip[INET_IP_LEN])
{
	copy(r->src_mac, s->mac, INET_MAC_LEN);
	copy(r->dst_mac, dst_mac, INET_MAC_LEN);
	copy(r->src_ip, s->config.address, INET_IP_LEN);
	copy(r->dst_ip, dst_ip, INET_IP_LEN);
	r->id = s->ip_id++;
}

bool stack_transmit(struct stack *s, const uint8_t *frame, size_t len)
{
	if (!s->link_up || !s->ops.send_frame(s->ops.ctx, frame, len)) {
		drops_count(&s->drops, DROP_TX_BUSY);
		return false;
	}
	s->tx_frames++;
	return true;
}

static void ask(struct stack *s, const uint8_t hop[INET_IP_LEN])
{
	uint8_t out[INET_ETH_HEADER + INET_ARP_LEN];
	size_t n = inet_arp_request(out, sizeof(out), s->mac, s->config.address, hop);

	if (n)
		(void)stack_transmit(s, out, n);
}

/* Holds a frame for `hop`; false when every place is taken. */
static bool hold(struct stack *s, const uint8_t hop[INET_IP_LEN], const uint8_t *frame, size_t len)
{
	for (size_t i = 0; i < STACK_PENDING; i++) {
		struct pending *p = &s->pending[i];
		if (p->used)
			continue;
		p->used = true;
		copy(p->hop, hop, INET_IP_LEN);
		copy(p->frame, frame, len);
		p->len = len;
		return true;
	}
	return false;
}

int stack_send_ip_frame(struct stack *s, const uint8_t hop[INET_IP_LEN], uint8_t *frame,
			size_t len)
{
	uint8_t mac[INET_MAC_LEN];
	uint64_t now = s->ops.now(s->ops.ctx);

	if (!s->link_up)
		return SYS_ENOENT;
	if (stack_same_ip(hop, (const uint8_t[INET_IP_LEN]){ 255, 255, 255, 255 })) {
		copy(frame, broadcast_mac, INET_MAC_LEN);
		return stack_transmit(s, frame, len) ? 0 : SYS_ENOMEM;
	}
	if (arp_cache_lookup(&s->arp, hop, now, mac)) {
		copy(frame, mac, INET_MAC_LEN);
		return stack_transmit(s, frame, len) ? 0 : SYS_ENOMEM;
	}
	if (!hold(s, hop, frame, len)) {
		drops_count(&s->drops, DROP_ARP_QUEUE);
		return SYS_ENOMEM;
	}
	if (arp_cache_want(&s->arp, hop, now) == ARP_WANT_ASK)
		ask(s, hop);
	return 0;
}

int stack_send_udp(struct stack *s, const uint8_t dst[INET_IP_LEN], uint16_t src_port,
		   uint16_t dst_port, const void *data, size_t len)
{
	static const uint8_t unknown[INET_MAC_LEN] = { 0 };
	static uint8_t frame[INET_FRAME_MAX];
	struct inet_route r;
	uint8_t hop[INET_IP_LEN];

	if (len > INET_UDP_MAX)
		return SYS_EINVAL;
	stack_next_hop(s, dst, hop);
	stack_route(s, &r, unknown, dst);
	size_t n = inet_udp(frame, sizeof(frame), &r, src_port, dst_port, data, len);
	if (n == 0)
		return SYS_EINVAL;
	return stack_send_ip_frame(s, hop, frame, n);
}

void stack_resolved(struct stack *s, const uint8_t ip[INET_IP_LEN])
{
	uint8_t mac[INET_MAC_LEN];

	if (!arp_cache_lookup(&s->arp, ip, s->ops.now(s->ops.ctx), mac))
		return;
	for (size_t i = 0; i < STACK_PENDING; i++) {
		struct pending *p = &s->pending[i];
		if (!p->used || !stack_same_ip(p->hop, ip))
			continue;
		copy(p->frame, mac, INET_MAC_LEN);
		(void)stack_transmit(s, p->frame, p->len);
		p->used = false;
	}
}

/* Drops every frame held for `hop` (all of them when hop is NULL). */
void stack_drop_pending(struct stack *s, const uint8_t *hop, unsigned reason)
{
	for (size_t i = 0; i < STACK_PENDING; i++) {
		struct pending *p = &s->pending[i];
		if (p->used && (!hop || stack_same_ip(p->hop, hop))) {
			p->used = false;
			drops_count(&s->drops, reason);
		}
	}
}

/* ARP's timers: every hop still wanted is asked again or given up. */
void stack_arp_tick(struct stack *s)
{
	uint64_t now = s->ops.now(s->ops.ctx);

	for (size_t i = 0; i < STACK_PENDING; i++) {
		struct pending *p = &s->pending[i];
		if (!p->used)
			continue;
		uint8_t hop[INET_IP_LEN];
		copy(hop, p->hop, INET_IP_LEN);
		enum arp_want w = arp_cache_want(&s->arp, hop, now);
		if (w == ARP_WANT_ASK)
			ask(s, hop);
		else if (w == ARP_WANT_GIVE_UP)
			stack_drop_pending(s, hop, DROP_ARP_UNRESOLVED);
	}
}
