/*
 * churn: one stress worker (stress.h). For a short, random while it
 * allocates regions and checks them, asks the echo service for its own
 * bytes back and checks them, burns CPU time and yields; then it ends
 * as its fate says -- exit 0, an exit code of its own, or a fault.
 * A failed check exits 1-9 at once.
 */
#include <abi/endpoints.h>

#include "../../lib/xorshift.h"
#include "../lib/line.h"
#include "../lib/module.h"
#include "../lib/stress.h"

CAMBIOS_MODULE_ROLE("churn");

#define PAGE 4096
#define MAX_PAGES 16
#define NO_REPLY_ENDPOINT 0xffffffffu

static uint64_t seed;

static uint64_t next(uint64_t bound)
{
	return xorshift64(&seed) % bound;
}

/* A region of 1-16 pages, filled and read back; freed unless it is kept
 * for the exit to reclaim. */
static int use_memory(void)
{
	uint64_t size = (1 + next(MAX_PAGES)) * PAGE - next(PAGE);
	int64_t at = sys_allocate(size);

	if (at < 0)
		return at == SYS_ENOMEM ? 0 : 1; /* a full machine is not a failure */
	volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)at;
	for (uint64_t i = 0; i < size; i += 64)
		p[i] = (uint8_t)(i / 64 + seed);
	for (uint64_t i = 0; i < size; i += 64) {
		if (p[i] != (uint8_t)(i / 64 + seed))
			return 2;
	}
	if (next(8) == 0)
		return 0; /* kept: the exit reclaims it */
	return sys_free(at) == 0 ? 0 : 3;
}

/* One message to the echo service and its answer, on our endpoint. */
static int ask_echo(uint32_t endpoint)
{
	static uint8_t msg[SYS_MSG_PREFIX + 64];
	uint64_t words[8];
	size_t len = (1 + next(8)) * sizeof(uint64_t);

	for (unsigned i = 0; i < 8; i++)
		words[i] = xorshift64(&seed);
	if (sys_write(ENDPOINT_ECHO, words, len) != (int64_t)len)
		return 0; /* its queue is full: others are asking too */
	int64_t n = sys_recv_msg(endpoint, msg, sizeof(msg));
	if (n != (int64_t)(SYS_MSG_PREFIX + len))
		return 4;
	const uint8_t *bytes = (const uint8_t *)words;
	for (size_t i = 0; i < len; i++) {
		if (msg[SYS_MSG_PREFIX + i] != bytes[i])
			return 5;
	}
	return 0;
}

static void spin(uint64_t rounds)
{
	for (volatile uint64_t i = 0; i < rounds; i++)
		;
}

int main(void)
{
	int64_t slot = sys_getpid();
	uint32_t endpoint = NO_REPLY_ENDPOINT;
	int64_t until;
	int failed = 0;

	seed = (uint64_t)(slot * 0x9e3779b97f4a7c15ULL) ^ (uint64_t)sys_gettime() ^ 1;
	until = sys_gettime() + 20 + (int64_t)next(180);
	for (unsigned i = 0; i < CHURN_ENDPOINTS && endpoint == NO_REPLY_ENDPOINT; i++) {
		uint32_t e = CHURN_FIRST_ENDPOINT + (uint32_t)((slot + i) % CHURN_ENDPOINTS);
		if (sys_register_endpoint(e) == 0)
			endpoint = e;
	}
	while (!failed && sys_gettime() < until) {
		switch (next(4)) {
		case 0: failed = use_memory(); break;
		case 1: failed = endpoint != NO_REPLY_ENDPOINT ? ask_echo(endpoint) : 0; break;
		case 2: spin(10000 + next(200000)); break;
		default: (void)sys_yield(); break;
		}
	}
	if (failed)
		return failed;
	if (churn_fate(slot) == CHURN_FAULTS)
		*(volatile uint64_t *)(uintptr_t)8 = 1; /* page 0 is never mapped */
	return churn_fate(slot) == CHURN_CODE ? (int)(CHURN_CODE_BASE + slot) : 0; /* slot < 64 */
}
