/*
 * stack: the state's life -- start, link up and down -- its timers, and
 * what it says (the drop report, the status answer). See stack.h.
 */
#include "stack.h"

#include <stdarg.h>

#include "../../lib/format.h"

void stack_init(struct stack *s, const struct stack_ops *ops, const struct stack_config *config)
{
	*s = (struct stack){ .ops = *ops, .config = *config,
			     .next_ephemeral = STACK_EPHEMERAL_FIRST };
	arp_cache_init(&s->arp);
}

void stack_link_up(struct stack *s, const uint8_t mac[INET_MAC_LEN])
{
	for (int i = 0; i < INET_MAC_LEN; i++)
		s->mac[i] = mac[i];
	s->link_up = true;
	stack_sntp_start(s);
}

/* What was learned about the wire stays (the neighbours are the same);
 * what waited to be sent is lost with the driver's slots. */
void stack_link_down(struct stack *s)
{
	s->link_up = false;
	s->outages++;
	stack_drop_pending(s, NULL, DROP_LINK_DOWN);
}

void stack_tick(struct stack *s)
{
	uint64_t now = s->ops.now(s->ops.ctx);

	stack_arp_tick(s);
	stack_sntp_tick(s);
	if (s->drops.total != s->reported_total && now >= s->reported_at + STACK_REPORT_PERIOD)
		stack_report(s, false);
}

static uint64_t earliest(uint64_t a, uint64_t b)
{
	if (a == 0)
		return b;
	return b == 0 || a < b ? a : b;
}

uint64_t stack_next_deadline(const struct stack *s)
{
	uint64_t next = 0;

	for (size_t i = 0; i < STACK_PENDING; i++)
		if (s->pending[i].used)
			next = earliest(next, arp_cache_next_retry(&s->arp));
	if (s->sntp.state == SNTP_ASKING)
		next = earliest(next, s->sntp.next_at);
	return next;
}

void stack_say(struct stack *s, const char *fmt, ...)
{
	char text[160];
	va_list ap;

	va_start(ap, fmt);
	size_t n = format_vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	s->ops.print(s->ops.ctx, text, n < sizeof(text) ? n : sizeof(text) - 1);
}

void stack_report(struct stack *s, bool every_reason)
{
	uint64_t now = s->ops.now(s->ops.ctx);

	stack_say(s, "udp: status: link %s, %llu frames in, %llu out, %llu dropped, "
		  "%zu arp entries, %llu outages",
		  s->link_up ? "up" : "down", (unsigned long long)s->rx_frames,
		  (unsigned long long)s->tx_frames, (unsigned long long)s->drops.total,
		  arp_cache_live(&s->arp, now), (unsigned long long)s->outages);
	for (unsigned r = 1; r < DROP_REASONS; r++)
		if (every_reason || s->drops.count[r])
			stack_say(s, "udp: drop %s: %llu", drops_name(r),
			  (unsigned long long)s->drops.count[r]);
	s->reported_total = s->drops.total;
	s->reported_at = now;
}

void stack_status(const struct stack *s, struct net_status *out)
{
	*out = (struct net_status){
		.type = NET_MSG_REPLY, .link_up = s->link_up,
		.rx_frames = s->rx_frames, .tx_frames = s->tx_frames,
		.dropped = s->drops.total, .outages = s->outages,
		.arp_entries = arp_cache_live(&s->arp, s->ops.now(s->ops.ctx)),
	};
	for (int i = 0; i < INET_MAC_LEN; i++)
		out->mac[i] = s->mac[i];
	__builtin_memcpy(&out->address, s->config.address, 4);
	__builtin_memcpy(&out->netmask, s->config.netmask, 4);
	__builtin_memcpy(&out->gateway, s->config.gateway, 4);
}
