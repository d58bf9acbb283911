/*
 * net: the UDP/IP stack (ENDPOINT_UDP, abi/net.h) from the shell --
 * its status, and one datagram sent from the shell's own port.
 *
 * A datagram goes from SHELL_UDP_PORT, bound first (NET_MSG_BIND; the
 * stack answers 0 again to the endpoint that holds it, so binding before
 * every send costs one round trip and survives nothing being
 * remembered). Every answer must be exactly its struct with type
 * NET_MSG_REPLY; the stack's refusals are said in words.
 */
#include <abi/net.h>
#include <kstring.h>

#include "shell.h"

static struct answer a;

_Static_assert(SHELL_UDP_PORT == 4018, "a failed bind is said as port 4018");

/* The stack's net_reply status for a request; 1 (said) when the answer
 * is malformed or none came. */
static int32_t udp_ask(const void *request, size_t len)
{
	struct net_reply r;

	if (!ask(&SERVICE_UDP, request, len, &a))
		return 1;
	if (a.len != sizeof(r)) {
		say1("shell: udp's answer has the wrong size; ignored");
		return 1;
	}
	memcpy(&r, a.bytes, sizeof(r));
	if (r.type != NET_MSG_REPLY) {
		say1("shell: udp's answer is not a reply; ignored");
		return 1;
	}
	return r.status;
}

static void put_mac(struct line *l, const uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		if (i > 0)
			put(l, ":");
		put_byte(l, mac[i]);
	}
}

/* A u32 address field as the bytes a.b.c.d it holds. */
static void put_address(struct line *l, uint32_t field)
{
	uint8_t ip[4];

	memcpy(ip, &field, sizeof(ip));
	out_put_quad(l, ip);
}

static void say_status(const struct net_status *st)
{
	struct line l = { .len = 0 };

	put(&l, "net: link ");
	put(&l, st->link_up ? "up" : "down (no driver)");
	put(&l, ", address ");
	put_address(&l, st->address);
	put(&l, " netmask ");
	put_address(&l, st->netmask);
	put(&l, ", gateway ");
	put_address(&l, st->gateway);
	put(&l, ", mac ");
	put_mac(&l, st->mac);
	say(&l);
	l.len = 0;
	put(&l, "net: ");
	put_dec(&l, (int64_t)st->rx_frames);
	put(&l, " frames in, ");
	put_dec(&l, (int64_t)st->tx_frames);
	put(&l, " out, ");
	put_dec(&l, (int64_t)st->dropped);
	put(&l, " dropped, ");
	put_dec(&l, (int64_t)st->arp_entries);
	put(&l, " ARP entries, ");
	put_dec(&l, (int64_t)st->outages);
	put(&l, " driver outages");
	say(&l);
}

/* The stack's status into *st: false (said) when no good answer came. */
static bool get_status(struct net_status *st)
{
	const struct net_msg req = { .type = NET_MSG_STATUS };

	if (!ask(&SERVICE_UDP, &req, sizeof(req), &a))
		return false;
	if (a.len != sizeof(*st)) {
		say1("shell: net: udp's status answer has the wrong size; ignored");
		return false;
	}
	memcpy(st, a.bytes, sizeof(*st));
	if (st->type != NET_MSG_REPLY) {
		say1("shell: net: udp's status answer is not a reply; ignored");
		return false;
	}
	return true;
}

void cmd_net(const struct shell_line *cl)
{
	struct net_status st;

	(void)cl;
	if (get_status(&st))
		say_status(&st);
}

/* A refused send: the stack says only what failed (no room for the
 * frame, say), so ask whether its driver is there, the likely cause. */
static void say_send_failed(int32_t status)
{
	struct net_status st;

	if (status != SYS_ENOENT && get_status(&st) && st.link_up)
		out_say_error("udp send", status);
	else
		say1("shell: udp send: the network is down (no driver); nothing sent");
}

/* "shell: udp send: <what> "<word>": <why>" */
static void say_bad(const char *what, const char *word, size_t len, enum shell_parse why)
{
	struct line l = { .len = 0 };

	put(&l, "shell: udp send: ");
	put(&l, what);
	put(&l, " \"");
	out_put_n(&l, word, len);
	put(&l, "\": ");
	put(&l, shell_parse_reason(why));
	say(&l);
}

/* Reads HOST and PORT: false (said) when either is refused. */
static bool read_target(const struct shell_line *cl, uint8_t ip[4], uint16_t *port)
{
	size_t len;
	const char *word = shell_arg(cl, 2, &len);
	uint64_t v;
	enum shell_parse r = shell_parse_quad(word, len, ip);

	if (r != SHELL_PARSE_OK) {
		say_bad("HOST", word, len, r);
		return false;
	}
	word = shell_arg(cl, 3, &len);
	r = shell_parse_number(word, len, 1, 65535, &v);
	if (r != SHELL_PARSE_OK) {
		say_bad("PORT", word, len, r);
		return false;
	}
	*port = (uint16_t)v;
	return true;
}

static bool bind_own_port(void)
{
	const struct net_bind req = { .type = NET_MSG_BIND, .port = SHELL_UDP_PORT };
	int32_t status = udp_ask(&req, sizeof(req));

	if (status < 0)
		out_say_error("udp send: binding port 4018", status);
	return status == 0;
}

static void say_sent(size_t len, const uint8_t ip[4], uint16_t port)
{
	struct line l = { .len = 0 };

	put(&l, "udp: sent ");
	put_dec(&l, (int64_t)len);
	put(&l, " bytes to ");
	out_put_quad(&l, ip);
	put(&l, ":");
	put_dec(&l, port);
	put(&l, " from port ");
	put_dec(&l, SHELL_UDP_PORT);
	say(&l);
}

void cmd_udp(const struct shell_line *cl)
{
	static uint8_t msg[sizeof(struct net_datagram) + NET_INLINE_MAX];
	struct net_datagram d = { .type = NET_MSG_SENDTO, .local = SHELL_UDP_PORT };
	uint8_t ip[4];
	size_t len;
	const char *text = shell_rest(cl, 4, &len);

	if (!shell_word_is(cl->text, &cl->words, 1, "send")) {
		say1("shell: usage: udp send HOST PORT TEXT");
		return;
	}
	if (!read_target(cl, ip, &d.port) || !bind_own_port())
		return;
	memcpy(&d.address, ip, sizeof(ip));
	d.length = (uint32_t)len; /* a line is shorter than NET_INLINE_MAX */
	memcpy(msg, &d, sizeof(d));
	memcpy(msg + sizeof(d), text, len);
	int32_t status = udp_ask(msg, sizeof(d) + len);
	if (status < 0)
		say_send_failed(status);
	else if (status == 0)
		say_sent(len, ip, d.port);
}
