/*
 * udp: the UDP/IP service (ENDPOINT_UDP, 21). It speaks Ethernet, ARP,
 * IPv4, ICMP echo and UDP through the virtio-net driver (endpoint 20,
 * abi/net.h), runs a UDP echo service on port 7 and an SNTP client, and
 * serves programs the socket-like messages of abi/net.h.
 *
 * This file is the loop and the real world under the stack: the clock,
 * the console, messages to programs. It sleeps in RecvMsg whenever no
 * timer is due; while one is (an ARP request or SNTP retry outstanding:
 * a few seconds at most, bounded by their tries) it polls with
 * TryRecvMsg and yields between polls, as the kernel has no receive with
 * a timeout.
 */
#include <abi/endpoints.h>
#include <abi/ipc.h>

#include "../../include/counter.h"
#include "../lib/module.h"
#include "../lib/sys.h"
#include "driver.h"
#include "stack.h"

CAMBIOS_MODULE_ROLE("udp");

static struct stack stack;
static struct driver driver;

static uint64_t now(void *ctx)
{
	(void)ctx;
	int64_t t = sys_gettime();

	return t > 0 ? (uint64_t)t : 0;
}

/* splitmix64 over the CPU counter and the clock: unguessable enough for
 * an SNTP origin timestamp from off the path. */
static uint64_t nonce(void *ctx)
{
	static uint64_t state;
	uint64_t z = (state += 0x9e3779b97f4a7c15ull) ^ counter_read() ^ now(ctx) << 48;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static bool send_frame(void *ctx, const uint8_t *frame, size_t len)
{
	return driver_send_frame(ctx, frame, len);
}

static int64_t send_msg(void *ctx, uint32_t endpoint, const void *msg, size_t len)
{
	(void)ctx;
	int64_t r = sys_write(endpoint, msg, len);

	return r < 0 ? r : 0;
}

static void print(void *ctx, const char *text, size_t len)
{
	char line[SYS_PRINT_MAX];

	(void)ctx;
	if (len > sizeof(line) - 1)
		len = sizeof(line) - 1;
	__builtin_memcpy(line, text, len);
	line[len] = '\n';
	(void)sys_print(line, len + 1);
}

/* The next message, or 0 once `deadline` (a tick; 0: none) has come. */
static int64_t next_message(uint8_t *buf, size_t cap, uint64_t deadline)
{
	if (deadline == 0)
		return sys_recv_msg(ENDPOINT_UDP, buf, cap);
	for (;;) {
		int64_t n = sys_call(SYS_TRY_RECV_MSG, ENDPOINT_UDP, (uint64_t)(uintptr_t)buf, cap);
		if (n != 0 || now(NULL) >= deadline)
			return n;
		(void)sys_yield();
	}
}

static void dispatch(const uint8_t *msg, size_t len)
{
	uint32_t from = sys_msg_from(msg);
	const uint8_t *body = msg + SYS_MSG_PREFIX;
	size_t n = len - SYS_MSG_PREFIX;
	uint32_t type = n >= 4 ? (uint32_t)body[0] | (uint32_t)body[1] << 8 |
					 (uint32_t)body[2] << 16 | (uint32_t)body[3] << 24 : 0;

	if (type >= NET_MSG_BIND) {
		stack_program_message(&stack, from, body, n);
		return;
	}
	if (from != ENDPOINT_VIRTIO_NET) { /* only the driver speaks the frame messages */
		drops_count(&stack.drops, DROP_DRIVER);
		return;
	}
	driver_message(&driver, body, n);
}

static void say_start(bool driver_there)
{
	const struct stack_config *c = &stack.config;

	stack_say(&stack, "udp: serving endpoint 21 as %u.%u.%u.%u, gateway %u.%u.%u.%u, "
		  "echo on port 7, sntp %u.%u.%u.%u:%u; %s",
		  c->address[0], c->address[1], c->address[2], c->address[3], c->gateway[0],
		  c->gateway[1], c->gateway[2], c->gateway[3], c->sntp_server[0],
		  c->sntp_server[1], c->sntp_server[2], c->sntp_server[3], c->sntp_port,
		  driver_there ? "NET_MSG_HELLO sent to endpoint 20, waiting for the network driver" :
				 "the network driver has ended, waiting for a new one");
}

static int64_t set_wallclock(void *ctx, int64_t unix_seconds)
{
	(void)ctx;
	return sys_call(SYS_SET_WALLCLOCK, (uint64_t)unix_seconds, 0, 0);
}

int main(void)
{
	static uint8_t msg[SYS_MSG_PREFIX + IPC_PAYLOAD_MAX];
	static const struct stack_ops ops = {
		.now = now, .nonce = nonce, .send_frame = send_frame, .send_msg = send_msg,
		.print = print, .set_wallclock = set_wallclock, .ctx = &driver,
	};
	struct stack_config config;

	if (sys_register_endpoint(ENDPOINT_UDP) != 0) {
		print(NULL, "udp: endpoint 21 is taken", 25);
		return 1;
	}
	config_get(&config);
	stack_init(&stack, &ops, &config);
	driver.stack = &stack;
	say_start(driver_hello(&driver));
	for (;;) {
		int64_t n = next_message(msg, sizeof(msg), stack_next_deadline(&stack));
		if (n >= SYS_MSG_PREFIX)
			dispatch(msg, (size_t)n);
		else if (n < 0)
			return 2;
		stack_tick(&stack);
	}
}
