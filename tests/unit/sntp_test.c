/*
 * sntp_test: lib/sntp -- the request's bytes, every reason a reply is
 * refused, and NTP seconds as dates against Python's datetime (the
 * table below was printed by datetime(1900, 1, 1) + timedelta, with the
 * era rule applied by hand), across both eras and the 2036 wrap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sntp.h"

static const uint64_t cookie = 0x0123456789abcdefull;

static void request_is_version_4_mode_3_with_our_timestamp(void **state)
{
	uint8_t p[SNTP_PACKET_LEN];
	static const uint8_t transmit[8] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };

	(void)state;
	memset(p, 0xaa, sizeof(p));
	sntp_request(p, cookie);
	assert_int_equal(p[0], 0x23); /* LI 0, VN 4, mode 3 */
	for (int i = 1; i < 40; i++)
		assert_int_equal(p[i], 0);
	assert_memory_equal(p + 40, transmit, 8);
}

/* A good reply: LI 0, VN 4, mode 4, stratum 2, origin = cookie, transmit
 * 0xecd62395.80000000. */
static void good_reply(uint8_t p[SNTP_PACKET_LEN])
{
	memset(p, 0, SNTP_PACKET_LEN);
	p[0] = 0x24;
	p[1] = 2;
	for (int i = 0; i < 8; i++)
		p[24 + i] = (uint8_t)(cookie >> (56 - 8 * i));
	p[40] = 0xec, p[41] = 0xd6, p[42] = 0x23, p[43] = 0x95, p[44] = 0x80;
}

static void a_good_reply_gives_the_servers_seconds(void **state)
{
	uint8_t p[SNTP_PACKET_LEN + 20]; /* authenticator bytes after are ignored */
	uint32_t seconds = 0;

	(void)state;
	good_reply(p);
	assert_int_equal(sntp_check_reply(p, SNTP_PACKET_LEN, cookie, &seconds), SNTP_OK);
	assert_int_equal(seconds, 0xecd62395u);
	p[0] = 0x1c; /* version 3 is answered too */
	assert_int_equal(sntp_check_reply(p, sizeof(p), cookie, &seconds), SNTP_OK);
}

static void every_bad_reply_is_refused_for_its_reason(void **state)
{
	uint8_t p[SNTP_PACKET_LEN];
	uint32_t seconds = 77;

	(void)state;
	good_reply(p);
	for (size_t len = 0; len < SNTP_PACKET_LEN; len++)
		assert_int_equal(sntp_check_reply(p, len, cookie, &seconds), SNTP_SHORT);
	p[0] = 0x23; /* mode 3: our own request reflected */
	assert_int_equal(sntp_check_reply(p, sizeof(p), cookie, &seconds), SNTP_MODE);
	p[0] = 0x25; /* mode 5: broadcast */
	assert_int_equal(sntp_check_reply(p, sizeof(p), cookie, &seconds), SNTP_MODE);
	p[0] = 0x14; /* version 2 */
	assert_int_equal(sntp_check_reply(p, sizeof(p), cookie, &seconds), SNTP_VERSION);
	p[0] = 0xe4; /* LI 3: not synchronised */
	assert_int_equal(sntp_check_reply(p, sizeof(p), cookie, &seconds), SNTP_UNSYNCHRONIZED);
	p[0] = 0x24;
	p[1] = 0; /* kiss-of-death */
	assert_int_equal(sntp_check_reply(p, sizeof(p), cookie, &seconds), SNTP_STRATUM);
	p[1] = 16;
	assert_int_equal(sntp_check_reply(p, sizeof(p), cookie, &seconds), SNTP_STRATUM);
	p[1] = 15;
	assert_int_equal(sntp_check_reply(p, sizeof(p), cookie + 1, &seconds), SNTP_ORIGIN);
	p[31] ^= 1;
	assert_int_equal(sntp_check_reply(p, sizeof(p), cookie, &seconds), SNTP_ORIGIN);
	p[31] ^= 1;
	memset(p + 40, 0, 8);
	assert_int_equal(sntp_check_reply(p, sizeof(p), cookie, &seconds), SNTP_NO_TIME);
	assert_int_equal(seconds, 77); /* untouched by every refusal */
	for (int v = 0; v <= SNTP_VERDICTS; v++)
		assert_non_null(sntp_verdict_name((enum sntp_verdict)v));
	assert_string_equal(sntp_verdict_name(SNTP_ORIGIN), "origin");
}

static const struct {
	uint32_t ntp;
	const char *text;
} dates[] = {
	{ 0x83aa7e80u, "1970-01-01 00:00:00" },
	{ 0xffffffffu, "2036-02-07 06:28:15" },
	{ 0x00000000u, "2036-02-07 06:28:16" },
	{ 0x80000000u, "1968-01-20 03:14:08" },
	{ 0xecd62395u, "2025-11-30 01:59:49" },
	{ 0xbc663b70u, "2000-02-29 12:34:56" },
	{ 0x7fffffffu, "2104-02-26 09:42:23" },
};

static void ntp_seconds_become_the_dates_python_gives(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		struct sntp_date d;
		char text[20];
		sntp_date(sntp_unix_seconds(dates[i].ntp), &d);
		assert_int_equal(sntp_format(text, sizeof(text), &d), 19);
		assert_string_equal(text, dates[i].text);
	}
	assert_int_equal(sntp_unix_seconds(0x83aa7e80u), 0);
	assert_int_equal(sntp_unix_seconds(0), 2085978496ll);
}

/* Every day from 1900 to 2200 follows the one before: the calendar walks
 * one day at a time, months and leap years included. */
static void consecutive_days_are_consecutive_dates(void **state)
{
	static const unsigned month_days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	struct sntp_date d, prev;

	(void)state;
	sntp_date(-2208988800ll, &prev);
	assert_int_equal(prev.year, 1900);
	assert_int_equal(prev.month, 1);
	assert_int_equal(prev.day, 1);
	for (int64_t day = 1; day < 300 * 366; day++) {
		sntp_date(-2208988800ll + day * 86400 + 86399, &d);
		assert_int_equal(d.hour, 23);
		assert_int_equal(d.minute, 59);
		assert_int_equal(d.second, 59);
		bool leap = (prev.year % 4 == 0 && prev.year % 100 != 0) || prev.year % 400 == 0;
		unsigned last = month_days[prev.month - 1] + (prev.month == 2 && leap);
		if (prev.day < last) {
			assert_true(d.year == prev.year && d.month == prev.month && d.day == prev.day + 1);
		} else if (prev.month < 12) {
			assert_true(d.year == prev.year && d.month == prev.month + 1 && d.day == 1);
		} else {
			assert_true(d.year == prev.year + 1 && d.month == 1 && d.day == 1);
		}
		prev = d;
	}
}

static void format_refuses_what_does_not_fit(void **state)
{
	struct sntp_date d = { .year = 2026, .month = 12, .day = 1, .hour = 1, .minute = 2, .second = 3 };
	char text[20];

	(void)state;
	assert_int_equal(sntp_format(text, 19, &d), 0);
	d.year = 10000;
	assert_int_equal(sntp_format(text, sizeof(text), &d), 0);
	d.year = -1;
	assert_int_equal(sntp_format(text, sizeof(text), &d), 0);
	d.year = 2026;
	assert_int_equal(sntp_format(text, sizeof(text), &d), 19);
	assert_string_equal(text, "2026-12-01 01:02:03");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_is_version_4_mode_3_with_our_timestamp),
		cmocka_unit_test(a_good_reply_gives_the_servers_seconds),
		cmocka_unit_test(every_bad_reply_is_refused_for_its_reason),
		cmocka_unit_test(ntp_seconds_become_the_dates_python_gives),
		cmocka_unit_test(consecutive_days_are_consecutive_dates),
		cmocka_unit_test(format_refuses_what_does_not_fit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
