/* channel: shared-memory channels between two processes, from user space.
 *
 * The first copy (it gets PARENT_ENDPOINT) creates a two-page producer
 * channel for its own Principal, fills it, and spawns this program again
 * as its peer. It checks the refusals on its side (bad sizes and role, a
 * bad pointer, attaching its own channel) and then offers the peer ranges
 * of the channel by message, each an (id, offset, length):
 *   1. a range inside: the peer attaches, checks every byte of it against
 *      the pattern, and answers with their sum;
 *   2. a range past the channel's end: the peer refuses it unread;
 *   3. after the parent has revoked the channel: the peer reads where it
 *      was mapped and must be killed by the fault (the parent's WaitTask
 *      says "ended by a fault"), the kernel reporting it.
 * On the way the peer checks that nobody attaches twice and that its side
 * is read-only (ChannelInfo), and the parent that the record is gone once
 * both sides have moved on.
 * Exits 0 when every answer was right, else the number of the first wrong
 * one (the parent's; the peer's failures come back as its answers). */
#include "hostile.h"

#include <abi/channel.h>
#include <abi/principal.h>
#include <stdbool.h>

CAMBIOS_MODULE_ROLE("channel");

#define PARENT_ENDPOINT 25
#define PEER_ENDPOINT 24
#define PAGES 2
#define SIZE (PAGES * 4096u)

/* An address as a system-call argument. */
#define P(x) ((uint64_t)(uintptr_t)(x))

enum step { STEP_READ = 1, STEP_PAST_END = 2, STEP_AFTER_REVOKE = 3 };

struct offer {
	uint64_t step, id, offset, length;
};

struct answer {
	int64_t result; /* the sum read, or a negative failure */
};

static uint8_t pattern(uint64_t i)
{
	return (uint8_t)(i * 7 + 3);
}

static int64_t info_field(uint64_t id, unsigned offset, unsigned bytes)
{
	static uint8_t info[CHANNEL_INFO_LEN];
	int64_t n = sys_call(SYS_CHANNEL_INFO, id, P(info), sizeof(info));
	uint64_t v = 0;

	if (n != CHANNEL_INFO_LEN)
		return n < 0 ? n : -100;
	for (unsigned i = 0; i < bytes; i++)
		v |= (uint64_t)info[offset + i] << (8 * i);
	return (int64_t)v;
}

/* ------------------------------------------------------------ the peer */

static int64_t sum_range(const volatile uint8_t *base, uint64_t offset, uint64_t length)
{
	int64_t sum = 0;

	for (uint64_t i = offset; i < offset + length; i++) {
		if (base[i] != pattern(i))
			return -3;
		sum += base[i];
	}
	return sum;
}

static int64_t serve(const struct offer *o, const volatile uint8_t **base)
{
	switch (o->step) {
	case STEP_READ: {
		int64_t va = sys_call(SYS_CHANNEL_ATTACH, o->id, 0, 0);
		if (va <= 0)
			return -1;
		if (sys_call(SYS_CHANNEL_ATTACH, o->id, 0, 0) != SYS_EPERM)
			return -2; /* exactly one peer: not even this one twice */
		if (info_field(o->id, CHANNEL_INFO_ROLE, 1) != CHANNEL_ROLE_PRODUCER ||
		    info_field(o->id, CHANNEL_INFO_PEER_VA, 8) != va)
			return -4;
		*base = (const volatile uint8_t *)(uintptr_t)va;
		if (!channel_range_ok(o->offset, o->length, SIZE))
			return -5;
		return sum_range(*base, o->offset, o->length);
	}
	case STEP_PAST_END: /* checked before a byte is read: refused */
		return channel_range_ok(o->offset, o->length, SIZE) ? -6 : 0;
	case STEP_AFTER_REVOKE: /* must fault: the channel is gone */
		return *base ? (*base)[o->offset] : -8;
	default:
		return -7;
	}
}

static int peer(void)
{
	static uint8_t in[SYS_MSG_PREFIX + sizeof(struct offer)];
	static const char ready[] = "ready";
	const volatile uint8_t *base = 0;
	struct offer o;
	struct answer a;

	if (sys_register_endpoint(PEER_ENDPOINT) != 0 ||
	    sys_write(PARENT_ENDPOINT, ready, sizeof(ready)) != sizeof(ready))
		return 1;
	for (;;) {
		if (sys_recv_msg(PEER_ENDPOINT, in, sizeof(in)) != (int64_t)sizeof(in))
			return 2;
		__builtin_memcpy(&o, in + SYS_MSG_PREFIX, sizeof(o));
		a.result = serve(&o, &base);
		if (sys_write(PARENT_ENDPOINT, &a, sizeof(a)) != sizeof(a))
			return 3;
	}
}

/* ---------------------------------------------------------- the parent */

static int64_t ask(uint64_t step, uint64_t id, uint64_t offset, uint64_t length)
{
	static uint8_t in[SYS_MSG_PREFIX + sizeof(struct answer)];
	const struct offer o = { step, id, offset, length };
	struct answer a;

	if (sys_write(PEER_ENDPOINT, &o, sizeof(o)) != sizeof(o))
		return -1000;
	if (sys_recv_msg(PARENT_ENDPOINT, in, sizeof(in)) != (int64_t)sizeof(in))
		return -1001;
	__builtin_memcpy(&a, in + SYS_MSG_PREFIX, sizeof(a));
	return a.result;
}

static int64_t create(uint64_t pages, const uint8_t *principal, uint64_t role, uint64_t *va)
{
	return sys_call4(SYS_CHANNEL_CREATE, pages, P(principal), role, P(va));
}

/* The refusals on the creator's side. */
static bool refusals_hold(const uint8_t *me, uint64_t *va)
{
	return create(0, me, CHANNEL_ROLE_PRODUCER, va) == SYS_EINVAL &&
	       create(CHANNEL_PAGES_ABI_MAX + 1, me, CHANNEL_ROLE_PRODUCER, va) == SYS_EINVAL &&
	       create(CHANNEL_PAGES_MAX + 1, me, CHANNEL_ROLE_PRODUCER, va) == SYS_ENOMEM &&
	       create(1, me, 3, va) == SYS_EINVAL &&
	       create(1, (const uint8_t *)0x10, CHANNEL_ROLE_PRODUCER, va) == SYS_EFAULT;
}

static int64_t expected_sum(uint64_t offset, uint64_t length)
{
	int64_t sum = 0;

	for (uint64_t i = offset; i < offset + length; i++)
		sum += pattern(i);
	return sum;
}

static int parent(void)
{
	static uint8_t me[PRINCIPAL_LEN], in[SYS_MSG_PREFIX + 8];
	uint64_t va = 0;

	if (sys_call(SYS_GET_PRINCIPAL, P(me), sizeof(me), 0) != PRINCIPAL_LEN)
		return 1;
	if (!refusals_hold(me, &va))
		return 2;
	int64_t id = create(PAGES, me, CHANNEL_ROLE_PRODUCER, &va);
	if (id <= 0 || va == 0)
		return 3;
	volatile uint8_t *channel = (volatile uint8_t *)(uintptr_t)va;
	for (uint64_t i = 0; i < SIZE; i++)
		channel[i] = pattern(i);
	if (sys_call(SYS_CHANNEL_ATTACH, (uint64_t)id, 0, 0) != SYS_EPERM ||
	    info_field((uint64_t)id, CHANNEL_INFO_STATE, 1) != CHANNEL_STATE_AWAITING_ATTACH)
		return 4;
	int64_t child = sys_call(SYS_SPAWN, P("channel"), 7, 0);
	if (child < 0 || sys_recv_msg(PARENT_ENDPOINT, in, sizeof(in)) < SYS_MSG_PREFIX)
		return 5;
	if (ask(STEP_READ, (uint64_t)id, 100, 5000) != expected_sum(100, 5000))
		return 6;
	if (info_field((uint64_t)id, CHANNEL_INFO_STATE, 1) != CHANNEL_STATE_ACTIVE ||
	    info_field((uint64_t)id, CHANNEL_INFO_PEER, 4) != child)
		return 7;
	if (ask(STEP_PAST_END, (uint64_t)id, SIZE - 100, 101) != 0 ||
	    ask(STEP_PAST_END, (uint64_t)id, 8, UINT64_MAX - 4) != 0)
		return 8;
	if (sys_call(SYS_CHANNEL_REVOKE, (uint64_t)id, 0, 0) != 0)
		return 9;
	/* The peer's answer never comes: its read faults, and it ends. */
	static const struct offer last = { STEP_AFTER_REVOKE, 0, 0, 0 };
	if (sys_write(PEER_ENDPOINT, &last, sizeof(last)) != sizeof(last) ||
	    sys_call(SYS_WAIT_TASK, (uint64_t)child, 0, 0) != SYS_EINTR)
		return 10;
	/* Both sides have moved on: the revoker at once, the peer by ending. */
	if (info_field((uint64_t)id, CHANNEL_INFO_STATE, 1) != SYS_ENOENT)
		return 11;
	return 0;
}

int main(void)
{
	if (sys_register_endpoint(PARENT_ENDPOINT) == 0)
		return parent();
	return peer();
}
