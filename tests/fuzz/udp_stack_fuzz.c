/*
 * udp_stack_fuzz: libFuzzer target for the UDP/IP service's core
 * (user/udp without its system calls) -- frames from the network and
 * messages from programs, neither trusted.
 *
 * The input is a script of records, each a command byte, a length byte
 * pair (little-endian) and that many bytes:
 *   0  a frame, handed over as an exactly-sized copy (ASan sees any read
 *      past it)
 *   1  a program message from the endpoint in its first byte
 *   2  the clock moves on by the first byte times 10 ticks, then the timers run
 *   3  the link goes down, or comes up again
 * The stack starts up with the gateway learned. Whatever comes, every
 * frame it sends parses as ARP, ICMP or UDP from our MAC (from our
 * address, for IPv4), every message it sends fits IPC's payload, the drop
 * counts add up to their total, and nothing is sent while the link is down.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <abi/ipc.h>

#include "../../user/udp/stack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t clock_now;
static struct stack s;
static const uint8_t our_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t our_ip[4] = { 10, 0, 2, 15 };

static uint64_t now(void *ctx)
{
	(void)ctx;
	return clock_now;
}

static uint64_t nonce(void *ctx)
{
	(void)ctx;
	return 0x5eed5eed5eed5eedull ^ clock_now;
}

static bool send_frame(void *ctx, const uint8_t *frame, size_t len)
{
	struct inet_frame f;

	(void)ctx;
	if (!s.link_up || len > INET_FRAME_MAX)
		abort();
	inet_parse(frame, len, &f);
	if (f.kind == INET_DROP || memcmp(f.src_mac, our_mac, 6) != 0)
		abort();
	if (f.kind != INET_ARP && memcmp(f.ip.src, our_ip, 4) != 0)
		abort();
	return true;
}

static int64_t send_msg(void *ctx, uint32_t endpoint, const void *msg, size_t len)
{
	(void)ctx;
	(void)msg;
	if (len > 256 || endpoint == IPC_NO_ENDPOINT)
		abort();
	return 0;
}

static void print(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	if (len >= 160 || memchr(text, '\n', len))
		abort();
}

static int64_t set_wallclock(void *ctx, int64_t unix_seconds)
{
	(void)ctx;
	if (unix_seconds < 0)
		abort(); /* an NTP time is never before 1970 */
	return 0;
}

static const struct stack_ops ops = {
	.now = now, .nonce = nonce, .send_frame = send_frame, .send_msg = send_msg, .print = print,
	.set_wallclock = set_wallclock,
};

static void start(void)
{
	static const uint8_t gw_mac[6] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };
	const struct stack_config c = {
		.address = { 10, 0, 2, 15 }, .netmask = { 255, 255, 255, 0 },
		.gateway = { 10, 0, 2, 2 }, .sntp_server = { 10, 0, 2, 2 }, .sntp_port = 123,
	};

	clock_now = 100;
	stack_init(&s, &ops, &c);
	arp_cache_learn(&s.arp, c.gateway, gw_mac, clock_now);
	stack_link_up(&s, our_mac);
}

static void play(uint8_t command, const uint8_t *bytes, size_t len)
{
	switch (command % 4) {
	case 0:
		stack_receive(&s, bytes, len);
		break;
	case 1:
		if (len >= 1)
			stack_program_message(&s, bytes[0], bytes + 1, len - 1);
		break;
	case 2:
		clock_now += len ? (uint64_t)bytes[0] * 10 : 1;
		stack_tick(&s);
		break;
	default:
		if (s.link_up)
			stack_link_down(&s);
		else
			stack_link_up(&s, our_mac);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	start();
	for (size_t at = 0; at + 3 <= size;) {
		uint8_t command = data[at];
		size_t len = (size_t)data[at + 1] | (size_t)data[at + 2] << 8;
		at += 3;
		if (len > size - at)
			len = size - at;
		uint8_t *bytes = malloc(len ? len : 1);
		if (!bytes)
			return 0;
		memcpy(bytes, data + at, len);
		at += len;
		play(command, bytes, len);
		free(bytes);
		uint64_t sum = 0;
		for (unsigned r = 0; r < DROP_REASONS; r++)
			sum += s.drops.count[r];
		if (sum != s.drops.total)
			abort();
	}
	return 0;
}
