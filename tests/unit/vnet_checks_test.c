/*
 * vnet_checks_test: the virtio-net driver's checks (user/virtio-net/
 * checks.c) on everything the stack may send it and every length the
 * device may report -- each bad one named, the good ones decoded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <abi/endpoints.h>
#include <abi/ipc.h>
#include <abi/net.h>

#include "../../user/virtio-net/checks.h"

static uint8_t msg[IPC_IDENTITY_PREFIX + IPC_PAYLOAD_MAX];

static void put32(uint8_t *p, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A message from `from` with the given words as its payload; its length. */
static int64_t message(uint32_t from, const uint32_t *words, unsigned count)
{
	memset(msg, 0xa5, sizeof(msg)); /* the Principal: anything */
	put32(msg + IPC_PREFIX_REPLY_ENDPOINT, from);
	for (unsigned i = 0; i < count; i++)
		put32(msg + IPC_IDENTITY_PREFIX + 4 * i, words[i]);
	return IPC_IDENTITY_PREFIX + 4 * (int64_t)count;
}

static enum stack_verdict check(uint32_t from, const uint32_t *words, unsigned count,
				struct stack_msg *out)
{
	return check_stack_msg(msg, message(from, words, count), out);
}

static void good_messages_decode(void **state)
{
	struct stack_msg m;
	const uint32_t hello[] = { NET_MSG_HELLO };
	const uint32_t rx_done[] = { NET_MSG_RX_DONE, NET_RX_SLOTS - 1, 0 };
	const uint32_t tx_small[] = { NET_MSG_TX, 0, 14 };
	const uint32_t tx_big[] = { NET_MSG_TX, NET_TX_SLOTS - 1, NET_FRAME_MAX };

	(void)state;
	assert_int_equal(check(ENDPOINT_UDP, hello, 1, &m), STACK_MSG_OK);
	assert_int_equal(m.type, NET_MSG_HELLO);
	assert_int_equal(check(ENDPOINT_UDP, rx_done, 3, &m), STACK_MSG_OK);
	assert_int_equal(m.slot, NET_RX_SLOTS - 1);
	assert_int_equal(check(ENDPOINT_UDP, tx_small, 3, &m), STACK_MSG_OK);
	assert_int_equal(m.length, 14);
	assert_int_equal(check(ENDPOINT_UDP, tx_big, 3, &m), STACK_MSG_OK);
	assert_int_equal(m.type, NET_MSG_TX);
	assert_int_equal(m.slot, NET_TX_SLOTS - 1);
	assert_int_equal(m.length, NET_FRAME_MAX);
}

static void only_the_stack_is_heard(void **state)
{
	struct stack_msg m;
	const uint32_t tx[] = { NET_MSG_TX, 0, 60 };

	(void)state;
	assert_int_equal(check(ENDPOINT_VIRTIO_NET, tx, 3, &m), STACK_MSG_SENDER);
	assert_int_equal(check(IPC_NO_ENDPOINT, tx, 3, &m), STACK_MSG_SENDER);
	assert_int_equal(check(ENDPOINT_UDP + 256, tx, 3, &m), STACK_MSG_SENDER);
	/* Shorter than the identity prefix: no sender to speak of. */
	assert_int_equal(check_stack_msg(msg, IPC_IDENTITY_PREFIX - 1, &m), STACK_MSG_SENDER);
	assert_int_equal(check_stack_msg(msg, -4, &m), STACK_MSG_SENDER);
}

static void sizes_are_exact(void **state)
{
	struct stack_msg m;
	const uint32_t words[] = { NET_MSG_TX, 0, 60, 0 };
	const uint32_t hello[] = { NET_MSG_HELLO, 0 };

	(void)state;
	assert_int_equal(check(ENDPOINT_UDP, words, 0, &m), STACK_MSG_SIZE);
	assert_int_equal(check_stack_msg(msg, IPC_IDENTITY_PREFIX + 3, &m), STACK_MSG_SIZE);
	assert_int_equal(check(ENDPOINT_UDP, words, 1, &m), STACK_MSG_SIZE);
	assert_int_equal(check(ENDPOINT_UDP, words, 2, &m), STACK_MSG_SIZE);
	assert_int_equal(check(ENDPOINT_UDP, words, 4, &m), STACK_MSG_SIZE);
	assert_int_equal(check_stack_msg(msg, IPC_IDENTITY_PREFIX + 11, &m), STACK_MSG_SIZE);
	assert_int_equal(check(ENDPOINT_UDP, hello, 2, &m), STACK_MSG_SIZE);
}

static void only_the_stacks_types(void **state)
{
	struct stack_msg m;
	const uint32_t types[] = { 0, NET_MSG_UP, NET_MSG_RX, NET_MSG_TX_DONE, NET_MSG_BIND,
				   NET_MSG_REPLY, 0xffffffffu };

	(void)state;
	for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		const uint32_t words[] = { types[i], 0, 60 };
		assert_int_equal(check(ENDPOINT_UDP, words, 3, &m), STACK_MSG_TYPE);
		assert_int_equal(m.type, types[i]);
	}
}

static void slots_past_their_area(void **state)
{
	struct stack_msg m;
	const uint32_t rx_done[] = { NET_MSG_RX_DONE, NET_RX_SLOTS, 0 };
	const uint32_t tx[] = { NET_MSG_TX, NET_TX_SLOTS, 60 };
	const uint32_t huge[] = { NET_MSG_TX, 0xffffffffu, 60 };

	(void)state;
	assert_int_equal(check(ENDPOINT_UDP, rx_done, 3, &m), STACK_MSG_SLOT);
	assert_int_equal(m.slot, NET_RX_SLOTS);
	assert_int_equal(check(ENDPOINT_UDP, tx, 3, &m), STACK_MSG_SLOT);
	assert_int_equal(check(ENDPOINT_UDP, huge, 3, &m), STACK_MSG_SLOT);
}

static void tx_lengths_that_are_no_frame(void **state)
{
	struct stack_msg m;
	const uint32_t lengths[] = { 0, 13, NET_FRAME_MAX + 1, NET_SLOT_SIZE, 0xffffffffu };

	(void)state;
	for (unsigned i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		const uint32_t words[] = { NET_MSG_TX, 3, lengths[i] };
		assert_int_equal(check(ENDPOINT_UDP, words, 3, &m), STACK_MSG_LENGTH);
		/* The slot is in range and reported, so it can be given back. */
		assert_int_equal(m.slot, 3);
	}
	/* RX_DONE's length means nothing: never refused for it. */
	const uint32_t rx_done[] = { NET_MSG_RX_DONE, 3, 0xffffffffu };
	assert_int_equal(check(ENDPOINT_UDP, rx_done, 3, &m), STACK_MSG_OK);
}

static void device_lengths(void **state)
{
	(void)state;
	assert_int_equal(check_rx_used(0), 0);
	assert_int_equal(check_rx_used(12), 0);              /* a header alone */
	assert_int_equal(check_rx_used(12 + 13), 0);         /* shorter than Ethernet's header */
	assert_int_equal(check_rx_used(12 + 14), 14);
	assert_int_equal(check_rx_used(12 + 60), 60);
	assert_int_equal(check_rx_used(12 + NET_FRAME_MAX), NET_FRAME_MAX);
	assert_int_equal(check_rx_used(12 + NET_FRAME_MAX + 1), 0);
	assert_int_equal(check_rx_used(0xffffffffu), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_messages_decode),
		cmocka_unit_test(only_the_stack_is_heard),
		cmocka_unit_test(sizes_are_exact),
		cmocka_unit_test(only_the_stacks_types),
		cmocka_unit_test(slots_past_their_area),
		cmocka_unit_test(tx_lengths_that_are_no_frame),
		cmocka_unit_test(device_lengths),
	};

	return cmocka_run_group_tests_name("vnet_checks", tests, NULL, NULL);
}
