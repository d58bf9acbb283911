/*
 * stack: the UDP/IP service's state and its portable core -- frames in,
 * frames and program messages out -- with no system call of its own.
 * Everything the outside world does for it goes through struct stack_ops
 * (the clock, handing a frame to the driver, a message to a program, a
 * line to the console), so the host tests drive the same code with a
 * fake world (tests/unit/udp_stack_test.c); main.c and driver.c give it
 * the real one.
 *
 * Its jobs, one file each: frames.c takes a frame apart and answers ARP,
 * ICMP echo and UDP (the echo service on port 7 among it); output.c
 * routes and sends, holding a few frames while their next hop is being
 * resolved; sockets.c is the protocol programs speak (abi/net.h);
 * sntp_client.c asks the configured server for the time; drops.c counts
 * every drop by reason and prints them.
 */
#ifndef CAMBIOS_UDP_STACK_H
#define CAMBIOS_UDP_STACK_H

#include <abi/errors.h>
#include <abi/net.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../lib/arp_cache.h"
#include "../../lib/inet.h"
#include "config.h"
#include "drops.h"

#define STACK_ECHO_PORT 7
#define STACK_SNTP_LOCAL_PORT 49152 /* the SNTP client's own port: not for programs */
#define STACK_EPHEMERAL_FIRST 49153
#define STACK_BINDS 16
#define STACK_PENDING 4        /* frames held while their next hop is resolved */
#define STACK_REPORT_PERIOD 500u /* ticks between drop reports when drops change */

struct stack_ops {
	uint64_t (*now)(void *ctx);            /* 10 ms ticks (GetTime) */
	uint64_t (*nonce)(void *ctx);          /* a value an outsider cannot guess well */
	/* Hands one Ethernet frame to the driver; false if it could not. */
	bool (*send_frame)(void *ctx, const uint8_t *frame, size_t len);
	/* A message to a program's endpoint: 0 or a SYS_E* value. */
	int64_t (*send_msg)(void *ctx, uint32_t endpoint, const void *msg, size_t len);
	void (*print)(void *ctx, const char *text, size_t len); /* one line, no newline */
	/* Sets the kernel's wall clock (SetWallclock): 0 or a SYS_E* value. */
	int64_t (*set_wallclock)(void *ctx, int64_t unix_seconds);
	void *ctx;
};

struct binding {
	bool used, ephemeral;
	uint16_t port;
	uint32_t endpoint; /* the reply endpoint that bound it */
};

struct pending {
	bool used;
	uint8_t hop[INET_IP_LEN];
	size_t len;
	uint8_t frame[INET_FRAME_MAX];
};

enum sntp_state { SNTP_IDLE, SNTP_ASKING, SNTP_DONE, SNTP_GAVE_UP };

struct sntp_client {
	enum sntp_state state;
	unsigned tries;
	uint64_t sent;    /* the transmit timestamp of the last request */
	uint64_t next_at; /* when to ask again */
};

struct stack {
	struct stack_ops ops;
	struct stack_config config;
	bool link_up;
	uint8_t mac[INET_MAC_LEN];
	uint16_t ip_id;
	uint16_t next_ephemeral;
	struct arp_cache arp;
	struct pending pending[STACK_PENDING];
	struct binding binds[STACK_BINDS];
	struct sntp_client sntp;
	struct drops drops;
	uint64_t rx_frames, tx_frames, outages;
	uint64_t reported_total, reported_at; /* the drop report last printed */
};

void stack_init(struct stack *s, const struct stack_ops *ops, const struct stack_config *config);

/* The driver is up with this MAC / has gone away (pending frames dropped). */
void stack_link_up(struct stack *s, const uint8_t mac[INET_MAC_LEN]);
void stack_link_down(struct stack *s);

/* frames.c: one received frame (a private copy: the driver's slot may change). */
void stack_receive(struct stack *s, const uint8_t *frame, size_t len);

/* output.c: one finished frame to the driver; false (and counted as
 * "tx busy") when the link is down or the driver could not take it. */
bool stack_transmit(struct stack *s, const uint8_t *frame, size_t len);
/* output.c: a UDP datagram to dst; 0, or SYS_ENOENT (link down), SYS_ENOMEM
 * (no room to send or hold it), SYS_EINVAL (too long). Held frames count
 * as sent; one whose hop never answers is dropped and counted later. */
int stack_send_udp(struct stack *s, const uint8_t dst[INET_IP_LEN], uint16_t src_port,
		   uint16_t dst_port, const void *data, size_t len);
/* output.c: a whole frame built for `hop` (its destination MAC is filled in here). */
int stack_send_ip_frame(struct stack *s, const uint8_t hop[INET_IP_LEN], uint8_t *frame,
			size_t len);
/* output.c: an address whose MAC is now known: send what waited for it. */
void stack_resolved(struct stack *s, const uint8_t ip[INET_IP_LEN]);
/* output.c: drops every frame held for `hop` (all of them when NULL), counted as `reason`. */
void stack_drop_pending(struct stack *s, const uint8_t *hop, unsigned reason);
/* output.c: ARP's timers: each hop still wanted is asked again or given up. */
void stack_arp_tick(struct stack *s);
/* output.c: the next hop for dst (dst itself on our subnet, else the gateway). */
void stack_next_hop(const struct stack *s, const uint8_t dst[INET_IP_LEN], uint8_t hop[INET_IP_LEN]);
/* output.c: a route from us to `dst_mac`/`dst_ip`, with a fresh IPv4 id. */
void stack_route(struct stack *s, struct inet_route *r, const uint8_t dst_mac[INET_MAC_LEN],
		 const uint8_t dst_ip[INET_IP_LEN]);

/* sockets.c: a program's message (after RecvMsg's prefix) from reply
 * endpoint `from` (IPC_NO_ENDPOINT: none). */
void stack_program_message(struct stack *s, uint32_t from, const uint8_t *msg, size_t len);
/* sockets.c: a datagram for a bound port; false if nobody bound it. */
bool stack_deliver(struct stack *s, const struct inet_frame *f);
/* sockets.c: whether `port` is one of the stack's own. */
bool stack_port_reserved(uint16_t port);

/* sntp_client.c */
void stack_sntp_start(struct stack *s);
void stack_sntp_reply(struct stack *s, const struct inet_frame *f);
void stack_sntp_tick(struct stack *s);

/* The timers: ARP retries and give-ups, SNTP retries, and the drop report
 * (printed when drops changed and STACK_REPORT_PERIOD has passed since the
 * last: checked as the stack wakes, never a reason to wake it). */
void stack_tick(struct stack *s);
/* The earliest tick something is due, or 0 when nothing waits on time. */
uint64_t stack_next_deadline(const struct stack *s);

/* Prints the status line and a line per drop reason ("udp: drop ip
 * checksum: 3"): every reason, or only those that happened. */
void stack_report(struct stack *s, bool every_reason);
/* Fills a NET_MSG_STATUS answer. */
void stack_status(const struct stack *s, struct net_status *out);

/* A line of text, formatted (lib/format), to ops->print. */
void stack_say(struct stack *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Whether two addresses are the same. */
bool stack_same_ip(const uint8_t a[INET_IP_LEN], const uint8_t b[INET_IP_LEN]);

#endif
