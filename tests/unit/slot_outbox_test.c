/*
 * slot_outbox: messages that wait for room are never lost or reordered,
 * a gone peer empties the outbox, and a full one refuses without harm.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "../../lib/slot_outbox.h"

/* A peer's queue: `room` more messages fit; `gone` once it has ended. */
struct peer {
	unsigned room;
	bool gone;
	struct net_slot_msg got[4 * SLOT_OUTBOX_MAX];
	unsigned received;
};

static enum slot_send peer_send(void *ctx, const struct net_slot_msg *m)
{
	struct peer *p = ctx;

	if (p->gone)
		return SLOT_PEER_GONE;
	if (p->room == 0)
		return SLOT_QUEUE_FULL;
	p->room--;
	p->got[p->received++] = *m;
	return SLOT_SENT;
}

static struct net_slot_msg msg(uint32_t n)
{
	return (struct net_slot_msg){ .type = NET_MSG_RX, .slot = n % NET_RX_SLOTS, .length = n };
}

static void room_sends_at_once(void **state)
{
	struct slot_outbox o = { .head = 0 };
	struct peer p = { .room = 3 };
	const struct net_slot_msg m = msg(1);

	(void)state;
	assert_int_equal(slot_outbox_send(&o, &m, peer_send, &p), SLOT_SENT);
	assert_int_equal(p.received, 1);
	assert_int_equal(o.count, 0);
	assert_int_equal(o.held, 0);
}

/* A full queue: messages wait, in order, and go as room comes, before
 * any newer one -- across the ring's wrap. */
static void full_queue_holds_in_order(void **state)
{
	struct slot_outbox o = { .head = 0 };
	struct peer p = { .room = 5 };
	uint32_t next = 0;

	(void)state;
	for (unsigned round = 0; round < 6; round++) {
		for (unsigned i = 0; i < SLOT_OUTBOX_MAX - o.count && i < 40; i++) {
			const struct net_slot_msg m = msg(next++);
			(void)slot_outbox_send(&o, &m, peer_send, &p);
		}
		p.room = 7;
		(void)slot_outbox_flush(&o, peer_send, &p);
	}
	p.room = 4 * SLOT_OUTBOX_MAX;
	assert_int_equal(slot_outbox_flush(&o, peer_send, &p), SLOT_SENT);
	/* Everything arrived, each once, in the order made. */
	assert_true(next <= 4 * SLOT_OUTBOX_MAX);
	assert_int_equal(p.received, next);
	for (unsigned i = 0; i < p.received; i++)
		assert_int_equal(p.got[i].length, i);
	assert_true(o.held > 0);
}

static void a_full_outbox_refuses_and_keeps_what_it_has(void **state)
{
	struct slot_outbox o = { .head = 0 };
	struct peer p = { .room = 0 };

	(void)state;
	for (uint32_t i = 0; i < SLOT_OUTBOX_MAX; i++) {
		const struct net_slot_msg m = msg(i);
		assert_int_equal(slot_outbox_send(&o, &m, peer_send, &p), SLOT_QUEUE_FULL);
	}
	const struct net_slot_msg extra = msg(999);
	assert_int_equal(slot_outbox_send(&o, &extra, peer_send, &p), SLOT_QUEUE_FULL);
	assert_int_equal(o.count, SLOT_OUTBOX_MAX);
	p.room = SLOT_OUTBOX_MAX;
	assert_int_equal(slot_outbox_flush(&o, peer_send, &p), SLOT_SENT);
	assert_int_equal(p.received, SLOT_OUTBOX_MAX);
	for (unsigned i = 0; i < SLOT_OUTBOX_MAX; i++)
		assert_int_equal(p.got[i].length, i);
}

static void a_gone_peer_empties_it(void **state)
{
	struct slot_outbox o = { .head = 0 };
	struct peer p = { .room = 0 };
	const struct net_slot_msg m = msg(1);

	(void)state;
	(void)slot_outbox_send(&o, &m, peer_send, &p);
	(void)slot_outbox_send(&o, &m, peer_send, &p);
	p.gone = true;
	assert_int_equal(slot_outbox_flush(&o, peer_send, &p), SLOT_PEER_GONE);
	assert_int_equal(o.count, 0);
	assert_int_equal(slot_outbox_send(&o, &m, peer_send, &p), SLOT_PEER_GONE);
	assert_int_equal(o.count, 0);
	assert_int_equal(p.received, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(room_sends_at_once),
		cmocka_unit_test(full_queue_holds_in_order),
		cmocka_unit_test(a_full_outbox_refuses_and_keeps_what_it_has),
		cmocka_unit_test(a_gone_peer_empties_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
