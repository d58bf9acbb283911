/*
 * arp_cache_test: lib/arp_cache -- entries learned and found, expired at
 * exactly their lifetime, the oldest evicted from a full table, and an
 * unresolved address asked for ARP_TRIES times, ARP_RETRY apart, then
 * given up (and asked afresh after that).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arp_cache.h"

static const uint8_t gw[4] = { 10, 0, 2, 2 }, peer[4] = { 10, 0, 2, 3 };
static const uint8_t gw_mac[6] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };
static const uint8_t peer_mac[6] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x03 };

static void learned_entries_are_found_until_they_expire(void **state)
{
	struct arp_cache c;
	uint8_t mac[6] = { 0 };

	(void)state;
	arp_cache_init(&c);
	assert_false(arp_cache_lookup(&c, gw, 10, mac));
	arp_cache_learn(&c, gw, gw_mac, 10);
	arp_cache_learn(&c, peer, peer_mac, 20);
	assert_true(arp_cache_lookup(&c, gw, 10 + ARP_CACHE_TTL - 1, mac));
	assert_memory_equal(mac, gw_mac, 6);
	assert_int_equal(arp_cache_live(&c, 20), 2);
	assert_int_equal(arp_cache_live(&c, 10 + ARP_CACHE_TTL), 1);
	assert_false(arp_cache_lookup(&c, gw, 10 + ARP_CACHE_TTL, mac));
	assert_true(arp_cache_lookup(&c, peer, 10 + ARP_CACHE_TTL, mac));
	assert_memory_equal(mac, peer_mac, 6);
	/* Learning again starts the lifetime anew, with the new address. */
	arp_cache_learn(&c, peer, gw_mac, 10 + ARP_CACHE_TTL);
	assert_true(arp_cache_lookup(&c, peer, 9 + 2 * ARP_CACHE_TTL, mac));
	assert_false(arp_cache_lookup(&c, peer, 10 + 2 * ARP_CACHE_TTL, mac));
	assert_memory_equal(mac, gw_mac, 6);
}

static void a_full_table_evicts_the_oldest(void **state)
{
	struct arp_cache c;
	uint8_t mac[6];

	(void)state;
	arp_cache_init(&c);
	for (unsigned i = 0; i < ARP_CACHE_ENTRIES; i++) {
		uint8_t ip[4] = { 10, 0, 2, (uint8_t)(100 + i) };
		arp_cache_learn(&c, ip, peer_mac, 100 + (i == 5 ? 0 : 10 + i));
	}
	assert_int_equal(arp_cache_live(&c, 200), ARP_CACHE_ENTRIES);
	arp_cache_learn(&c, gw, gw_mac, 300);
	assert_int_equal(arp_cache_live(&c, 300), ARP_CACHE_ENTRIES);
	assert_true(arp_cache_lookup(&c, gw, 300, mac));
	assert_false(arp_cache_lookup(&c, (const uint8_t[4]){ 10, 0, 2, 105 }, 300, mac));
	assert_true(arp_cache_lookup(&c, (const uint8_t[4]){ 10, 0, 2, 104 }, 300, mac));
}

static void an_unresolved_address_is_asked_a_bounded_number_of_times(void **state)
{
	struct arp_cache c;
	uint8_t mac[6];
	uint64_t t = 1000;

	(void)state;
	arp_cache_init(&c);
	assert_int_equal(arp_cache_next_retry(&c), 0);
	assert_int_equal(arp_cache_want(&c, gw, t), ARP_WANT_ASK);
	assert_int_equal(arp_cache_next_retry(&c), t + ARP_RETRY);
	assert_int_equal(arp_cache_want(&c, gw, t + ARP_RETRY - 1), ARP_WANT_WAIT);
	assert_false(arp_cache_lookup(&c, gw, t + 1, mac));
	for (unsigned i = 1; i < ARP_TRIES; i++) {
		t += ARP_RETRY;
		assert_int_equal(arp_cache_want(&c, gw, t), ARP_WANT_ASK);
		assert_int_equal(arp_cache_want(&c, gw, t), ARP_WANT_WAIT);
	}
	t += ARP_RETRY;
	assert_int_equal(arp_cache_want(&c, gw, t), ARP_WANT_GIVE_UP);
	assert_int_equal(arp_cache_next_retry(&c), 0);
	assert_int_equal(arp_cache_want(&c, gw, t), ARP_WANT_ASK); /* a fresh start */
	assert_int_equal(arp_cache_live(&c, t), 0);
}

static void an_answer_ends_the_asking(void **state)
{
	struct arp_cache c;
	uint8_t mac[6];

	(void)state;
	arp_cache_init(&c);
	assert_int_equal(arp_cache_want(&c, gw, 5), ARP_WANT_ASK);
	arp_cache_learn(&c, gw, gw_mac, 6);
	assert_int_equal(arp_cache_next_retry(&c), 0);
	assert_true(arp_cache_lookup(&c, gw, 7, mac));
	assert_memory_equal(mac, gw_mac, 6);
	assert_int_equal(arp_cache_want(&c, gw, 7), ARP_WANT_WAIT); /* resolved: look again */
	/* Once expired, it is wanted afresh. */
	assert_int_equal(arp_cache_want(&c, gw, 6 + ARP_CACHE_TTL), ARP_WANT_ASK);
	assert_false(arp_cache_lookup(&c, gw, 6 + ARP_CACHE_TTL, mac));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(learned_entries_are_found_until_they_expire),
		cmocka_unit_test(a_full_table_evicts_the_oldest),
		cmocka_unit_test(an_unresolved_address_is_asked_a_bounded_number_of_times),
		cmocka_unit_test(an_answer_ends_the_asking),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
