/*
 * net_link_test: lib/net_link against honest and dishonest drivers -- a
 * NET_MSG_UP with the wrong size, geometry or MAC; a channel whose
 * ChannelInfo disagrees in state, role, creator, address or size; RX
 * slots out of range, too long, past the channel or handed over twice;
 * TX slots given back that were never taken; and the bookkeeping of an
 * honest exchange, including every slot taken and given back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <abi/channel.h>

#include "net_link.h"

#define GENERATION 9
#define ADDRESS 0x60000000ull
#define CHANNEL_BYTES ((uint64_t)NET_CHANNEL_PAGES * 4096)

static uint8_t channel[NET_CHANNEL_PAGES * 4096];

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* A NET_MSG_UP as the driver writes it, byte by byte. */
static void up_msg(uint8_t m[40])
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

	memset(m, 0, 40);
	put32(m, NET_MSG_UP);
	put32(m + 4, GENERATION);
	put64(m + 8, 0x1234);
	memcpy(m + 16, mac, 6);
	m[22] = 1500 & 0xff, m[23] = 1500 >> 8;
	put32(m + 24, NET_RX_SLOTS);
	put32(m + 28, NET_TX_SLOTS);
	put32(m + 32, NET_SLOT_SIZE);
}

static void info_record(uint8_t info[CHANNEL_INFO_LEN])
{
	memset(info, 0, CHANNEL_INFO_LEN);
	info[CHANNEL_INFO_STATE] = CHANNEL_STATE_ACTIVE;
	info[CHANNEL_INFO_ROLE] = CHANNEL_ROLE_BIDIRECTIONAL;
	put32(info + CHANNEL_INFO_PAGES, NET_CHANNEL_PAGES);
	put32(info + CHANNEL_INFO_CREATOR, GENERATION);
	put32(info + CHANNEL_INFO_PEER, 4);
	put64(info + CHANNEL_INFO_CREATOR_VA, ADDRESS);
	put64(info + CHANNEL_INFO_PEER_VA, ADDRESS);
}

static void an_honest_up_is_read_field_by_field(void **state)
{
	uint8_t m[41];
	struct net_up up;

	(void)state;
	up_msg(m);
	assert_int_equal(net_link_check_up(m, 40, &up), NET_LINK_OK);
	assert_int_equal(up.generation, GENERATION);
	assert_int_equal(up.channel, 0x1234);
	assert_int_equal(up.mtu, 1500);
	assert_int_equal(up.mac[5], 0x56);
	assert_int_equal(net_link_check_up(m, 39, &up), NET_LINK_MSG_SIZE);
	assert_int_equal(net_link_check_up(m, 41, &up), NET_LINK_MSG_SIZE);
}

static void a_dishonest_up_is_refused(void **state)
{
	static const struct {
		size_t at;
		uint32_t value;
		enum net_link_verdict verdict;
	} bad[] = {
		{ 24, NET_RX_SLOTS + 1, NET_LINK_GEOMETRY }, { 28, NET_TX_SLOTS * 2, NET_LINK_GEOMETRY },
		{ 32, NET_SLOT_SIZE * 2, NET_LINK_GEOMETRY }, { 32, 0, NET_LINK_GEOMETRY },
		{ 24, 0xffffffffu, NET_LINK_GEOMETRY },
	};
	uint8_t m[40];
	struct net_up up;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		up_msg(m);
		put32(m + bad[i].at, bad[i].value);
		assert_int_equal(net_link_check_up(m, sizeof(m), &up), bad[i].verdict);
	}
	up_msg(m);
	m[22] = 1501 & 0xff, m[23] = 1501 >> 8;
	assert_int_equal(net_link_check_up(m, sizeof(m), &up), NET_LINK_GEOMETRY);
	up_msg(m);
	m[22] = m[23] = 0;
	assert_int_equal(net_link_check_up(m, sizeof(m), &up), NET_LINK_GEOMETRY);
	up_msg(m);
	m[16] |= 1; /* multicast */
	assert_int_equal(net_link_check_up(m, sizeof(m), &up), NET_LINK_MAC);
	up_msg(m);
	memset(m + 16, 0, 6);
	assert_int_equal(net_link_check_up(m, sizeof(m), &up), NET_LINK_MAC);
}

static void a_channel_must_be_what_was_announced(void **state)
{
	uint8_t m[40], info[CHANNEL_INFO_LEN];
	struct net_up up;
	uint64_t size = 0;

	(void)state;
	up_msg(m);
	assert_int_equal(net_link_check_up(m, sizeof(m), &up), NET_LINK_OK);
	info_record(info);
	assert_int_equal(net_link_check_channel(info, sizeof(info), &up, ADDRESS, &size), NET_LINK_OK);
	assert_int_equal(size, CHANNEL_BYTES);
	assert_int_equal(net_link_check_channel(info, sizeof(info) - 1, &up, ADDRESS, &size),
			 NET_LINK_CHANNEL);
	assert_int_equal(net_link_check_channel(info, sizeof(info), &up, ADDRESS + 4096, &size),
			 NET_LINK_CHANNEL);
	info[CHANNEL_INFO_STATE] = CHANNEL_STATE_REVOKED;
	assert_int_equal(net_link_check_channel(info, sizeof(info), &up, ADDRESS, &size),
			 NET_LINK_CHANNEL);
	info_record(info);
	info[CHANNEL_INFO_ROLE] = CHANNEL_ROLE_PRODUCER; /* we could not write TX slots */
	assert_int_equal(net_link_check_channel(info, sizeof(info), &up, ADDRESS, &size),
			 NET_LINK_CHANNEL);
	info_record(info);
	put32(info + CHANNEL_INFO_CREATOR, GENERATION + 1); /* another process's channel */
	assert_int_equal(net_link_check_channel(info, sizeof(info), &up, ADDRESS, &size),
			 NET_LINK_CHANNEL);
	info_record(info);
	put32(info + CHANNEL_INFO_PAGES, NET_CHANNEL_PAGES - 1); /* smaller than the slots */
	assert_int_equal(net_link_check_channel(info, sizeof(info), &up, ADDRESS, &size),
			 NET_LINK_CHANNEL);
	info_record(info);
	put32(info + CHANNEL_INFO_PAGES, NET_CHANNEL_PAGES + 1); /* larger: fine, the slots fit */
	assert_int_equal(net_link_check_channel(info, sizeof(info), &up, ADDRESS, &size), NET_LINK_OK);
	assert_int_equal(size, CHANNEL_BYTES + 4096);
	assert_int_equal(size % 4096, 0);
}

static void attached(struct net_link *l)
{
	uint8_t m[40];
	struct net_up up;

	up_msg(m);
	assert_int_equal(net_link_check_up(m, sizeof(m), &up), NET_LINK_OK);
	net_link_attach(l, &up, channel, CHANNEL_BYTES);
}

static void rx_slots_are_checked_and_held(void **state)
{
	struct net_link l;
	const uint8_t *frame = NULL;
	size_t len = 0;
	struct net_slot_msg m = { .type = NET_MSG_RX, .slot = 3, .length = 60 };

	(void)state;
	net_link_down(&l);
	assert_int_equal(net_link_rx(&l, &m, &frame, &len), NET_LINK_DOWN);
	attached(&l);
	assert_int_equal(net_link_rx(&l, &m, &frame, &len), NET_LINK_OK);
	assert_ptr_equal(frame, channel + 3 * NET_SLOT_SIZE);
	assert_int_equal(len, 60);
	assert_int_equal(net_link_rx(&l, &m, &frame, &len), NET_LINK_NOT_THEIRS);
	net_link_rx_done(&l, 3);
	assert_int_equal(net_link_rx(&l, &m, &frame, &len), NET_LINK_OK);
	m.slot = NET_RX_SLOTS;
	assert_int_equal(net_link_rx(&l, &m, &frame, &len), NET_LINK_SLOT);
	m.slot = 0xffffffffu;
	assert_int_equal(net_link_rx(&l, &m, &frame, &len), NET_LINK_SLOT);
	m.slot = 4;
	m.length = 0;
	assert_int_equal(net_link_rx(&l, &m, &frame, &len), NET_LINK_LENGTH);
	m.length = NET_FRAME_MAX + 1;
	assert_int_equal(net_link_rx(&l, &m, &frame, &len), NET_LINK_LENGTH);
	m.length = NET_FRAME_MAX;
	assert_int_equal(net_link_rx(&l, &m, &frame, &len), NET_LINK_OK);
	/* A channel the driver made too small for its last RX slot (had it
	 * passed the checks): the range check still holds. */
	l.size = (uint64_t)(NET_RX_SLOTS - 1) * NET_SLOT_SIZE + 100;
	m.slot = NET_RX_SLOTS - 1;
	m.length = 101;
	assert_int_equal(net_link_rx(&l, &m, &frame, &len), NET_LINK_LENGTH);
	m.length = 100;
	assert_int_equal(net_link_rx(&l, &m, &frame, &len), NET_LINK_OK);
}

static void tx_slots_go_round(void **state)
{
	struct net_link l;
	uint32_t slot, taken[NET_TX_SLOTS];
	uint8_t *where;
	struct net_slot_msg m = { .type = NET_MSG_TX_DONE, .slot = 0, .length = 0 };

	(void)state;
	attached(&l);
	assert_int_equal(net_link_tx_done(&l, &m), NET_LINK_NOT_THEIRS); /* never taken */
	for (unsigned i = 0; i < NET_TX_SLOTS; i++) {
		assert_true(net_link_tx_take(&l, &taken[i], &where));
		assert_ptr_equal(where, channel + (NET_RX_SLOTS + taken[i]) * NET_SLOT_SIZE);
		for (unsigned j = 0; j < i; j++)
			assert_int_not_equal(taken[i], taken[j]);
	}
	assert_false(net_link_tx_take(&l, &slot, &where));
	assert_int_equal(net_link_tx_free(&l), 0);
	m.slot = 5;
	m.length = 1;
	assert_int_equal(net_link_tx_done(&l, &m), NET_LINK_LENGTH);
	m.length = 0;
	m.slot = NET_TX_SLOTS;
	assert_int_equal(net_link_tx_done(&l, &m), NET_LINK_SLOT);
	m.slot = 5;
	assert_int_equal(net_link_tx_done(&l, &m), NET_LINK_OK);
	assert_int_equal(net_link_tx_done(&l, &m), NET_LINK_NOT_THEIRS); /* twice */
	assert_true(net_link_tx_take(&l, &slot, &where));
	assert_int_equal(slot, 5);
	net_link_tx_untake(&l, slot);
	assert_int_equal(net_link_tx_free(&l), 1);
	net_link_down(&l);
	assert_false(net_link_tx_take(&l, &slot, &where));
	assert_int_equal(net_link_tx_done(&l, &m), NET_LINK_DOWN);
	net_link_tx_untake(&l, 3); /* after the outage: nothing comes back */
	assert_int_equal(net_link_tx_free(&l), 0);
}

static void slot_messages_must_be_their_size(void **state)
{
	uint8_t raw[13] = { 0 };
	struct net_slot_msg m;

	(void)state;
	put32(raw, NET_MSG_RX);
	put32(raw + 4, 7);
	put32(raw + 8, 99);
	assert_int_equal(net_link_read_slot_msg(raw, 12, &m), NET_LINK_OK);
	assert_int_equal(m.slot, 7);
	assert_int_equal(m.length, 99);
	assert_int_equal(net_link_read_slot_msg(raw, 11, &m), NET_LINK_MSG_SIZE);
	assert_int_equal(net_link_read_slot_msg(raw, 13, &m), NET_LINK_MSG_SIZE);
	for (int v = 0; v <= NET_LINK_VERDICTS; v++)
		assert_non_null(net_link_verdict_name((enum net_link_verdict)v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_honest_up_is_read_field_by_field),
		cmocka_unit_test(a_dishonest_up_is_refused),
		cmocka_unit_test(a_channel_must_be_what_was_announced),
		cmocka_unit_test(rx_slots_are_checked_and_held),
		cmocka_unit_test(tx_slots_go_round),
		cmocka_unit_test(slot_messages_must_be_their_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
