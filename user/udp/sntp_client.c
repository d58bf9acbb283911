/*
 * sntp_client: once the link is up, ask the configured server for the
 * time (lib/sntp), up to SNTP_TRIES requests SNTP_RETRY ticks apart, and
 * print the answer as "udp: sntp: time is YYYY-MM-DD HH:MM:SS UTC (from
 * a.b.c.d)", and set the kernel's wall clock to it (SetWallclock, 39). Only a reply from the server's address and port to the
 * client's own port, carrying back the transmit timestamp of the last
 * request, is believed; anything else there is dropped and counted.
 *
 * The transmit timestamp is not our clock (we have none to give): it is
 * a value the server must echo, drawn from the CPU's counter so that a
 * sender who did not see the request cannot guess it. Once answered (or
 * given up) the client asks no more; a later link-up after an outage
 * asks again only if it never got an answer.
 */
#include "stack.h"

#include "../../lib/sntp.h"

#define SNTP_TRIES 5u
#define SNTP_RETRY 200u /* 2 s */

static void ask(struct stack *s)
{
	uint8_t request[SNTP_PACKET_LEN];
	struct sntp_client *c = &s->sntp;

	c->sent = s->ops.nonce(s->ops.ctx);
	c->tries++;
	c->next_at = s->ops.now(s->ops.ctx) + SNTP_RETRY;
	sntp_request(request, c->sent);
	(void)stack_send_udp(s, s->config.sntp_server, STACK_SNTP_LOCAL_PORT, s->config.sntp_port,
			     request, sizeof(request));
}

void stack_sntp_start(struct stack *s)
{
	if (s->sntp.state == SNTP_DONE)
		return;
	s->sntp = (struct sntp_client){ .state = SNTP_ASKING };
	ask(s);
}

/* The client's timer: ask again, or give up after the last try. */
void stack_sntp_tick(struct stack *s)
{
	struct sntp_client *c = &s->sntp;
	const uint8_t *ip = s->config.sntp_server;

	if (c->state != SNTP_ASKING || s->ops.now(s->ops.ctx) < c->next_at)
		return;
	if (c->tries < SNTP_TRIES) {
		ask(s);
		return;
	}
	c->state = SNTP_GAVE_UP;
	stack_say(s, "udp: sntp: no answer from %u.%u.%u.%u port %u after %u requests", ip[0],
		  ip[1], ip[2], ip[3], s->config.sntp_port, c->tries);
}

/* The kernel's wall clock from the answer (it then runs on the kernel's
 * clock): one line either way. */
static void set_wallclock(struct stack *s, int64_t unix_seconds)
{
	int64_t r = s->ops.set_wallclock(s->ops.ctx, unix_seconds);

	if (r == 0)
		stack_say(s, "udp: sntp: the kernel's wall clock is set");
	else
		stack_say(s, "udp: sntp: the kernel's wall clock was not set (%lld)", (long long)r);
}

static void say_time(struct stack *s, uint32_t ntp_seconds)
{
	struct sntp_date d;
	char text[24];
	const uint8_t *ip = s->config.sntp_server;

	sntp_date(sntp_unix_seconds(ntp_seconds), &d);
	if (sntp_format(text, sizeof(text), &d) == 0) {
		stack_say(s, "udp: sntp: the server's year %lld has no four digits",
			  (long long)d.year);
		return;
	}
	stack_say(s, "udp: sntp: time is %s UTC (from %u.%u.%u.%u)", text, ip[0], ip[1], ip[2],
		  ip[3]);
}

void stack_sntp_reply(struct stack *s, const struct inet_frame *f)
{
	struct sntp_client *c = &s->sntp;
	uint32_t seconds;

	if (c->state != SNTP_ASKING || !stack_same_ip(f->ip.src, s->config.sntp_server) ||
	    f->src_port != s->config.sntp_port) {
		drops_count(&s->drops, DROP_SNTP);
		return;
	}
	enum sntp_verdict v = sntp_check_reply(f->payload, f->payload_len, c->sent, &seconds);
	if (v != SNTP_OK) {
		drops_count(&s->drops, DROP_SNTP);
		stack_say(s, "udp: sntp: reply refused (%s)", sntp_verdict_name(v));
		return;
	}
	c->state = SNTP_DONE;
	say_time(s, seconds);
	set_wallclock(s, sntp_unix_seconds(seconds));
}
