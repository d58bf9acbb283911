/*
 * shell_words_test: reading a command line -- words and the rest of the
 * line, numbers in decimal and hex within bounds, dotted quads in their
 * one accepted spelling, and hex output that never overruns.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "shell_words.h"

static void words_split_at_runs_of_spaces(void **state)
{
	static const char line[] = "  udp  send 10.0.2.2 5000 hello  there  ";
	struct shell_words w;

	(void)state;
	shell_split(line, strlen(line), &w);
	assert_int_equal(w.count, 6);
	assert_int_equal(w.total, 6);
	assert_true(shell_word_is(line, &w, 0, "udp"));
	assert_true(shell_word_is(line, &w, 1, "send"));
	assert_false(shell_word_is(line, &w, 1, "sen"));
	assert_false(shell_word_is(line, &w, 1, "sendto"));
	assert_false(shell_word_is(line, &w, 6, "anything"));
	/* The rest of the line from word 4 keeps inner spaces, not trailing ones. */
	assert_int_equal(w.end - w.start[4], strlen("hello  there"));
	assert_memory_equal(line + w.start[4], "hello  there", w.end - w.start[4]);
}

static void an_empty_or_blank_line_has_no_words(void **state)
{
	struct shell_words w;

	(void)state;
	shell_split("", 0, &w);
	assert_int_equal(w.total, 0);
	shell_split("    ", 4, &w);
	assert_int_equal(w.total, 0);
	assert_int_equal(w.count, 0);
}

static void words_past_the_limit_are_counted_not_kept(void **state)
{
	static const char line[] = "a b c d e f g h i j";
	struct shell_words w;

	(void)state;
	shell_split(line, strlen(line), &w);
	assert_int_equal(w.count, SHELL_WORDS_MAX);
	assert_int_equal(w.total, 10);
	assert_int_equal(w.end, strlen(line)); /* the rest still reaches the end */
}

static void the_length_bounds_every_read(void **state)
{
	static const char line[] = "ps junk";
	struct shell_words w;

	(void)state;
	shell_split(line, 2, &w); /* only "ps" */
	assert_int_equal(w.total, 1);
	assert_int_equal(w.len[0], 2);
}

static void numbers_in_decimal_and_hex_within_bounds(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(shell_parse_number("42", 2, 0, 100, &v), SHELL_PARSE_OK);
	assert_int_equal(v, 42);
	assert_int_equal(shell_parse_number("0x1f", 4, 0, 100, &v), SHELL_PARSE_OK);
	assert_int_equal(v, 31);
	assert_int_equal(shell_parse_number("0XFF", 4, 0, 255, &v), SHELL_PARSE_OK);
	assert_int_equal(v, 255);
	assert_int_equal(shell_parse_number("18446744073709551615", 20, 0, UINT64_MAX, &v),
			 SHELL_PARSE_OK);
	assert_true(v == UINT64_MAX);
}

static void numbers_are_refused_with_a_reason(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_int_equal(shell_parse_number("", 0, 0, 10, &v), SHELL_PARSE_EMPTY);
	assert_int_equal(shell_parse_number("0x", 2, 0, 10, &v), SHELL_PARSE_NOT_NUMBER);
	assert_int_equal(shell_parse_number("-1", 2, 0, 10, &v), SHELL_PARSE_NOT_NUMBER);
	assert_int_equal(shell_parse_number("12a", 3, 0, 1000, &v), SHELL_PARSE_NOT_NUMBER);
	assert_int_equal(shell_parse_number("0x1g", 4, 0, 1000, &v), SHELL_PARSE_NOT_NUMBER);
	assert_int_equal(shell_parse_number("65536", 5, 1, 65535, &v), SHELL_PARSE_TOO_BIG);
	assert_int_equal(shell_parse_number("0", 1, 1, 65535, &v), SHELL_PARSE_TOO_SMALL);
	assert_int_equal(shell_parse_number("18446744073709551616", 20, 0, UINT64_MAX, &v),
			 SHELL_PARSE_TOO_BIG);
	assert_int_equal(shell_parse_number("9", 1, 0, 5, &v), SHELL_PARSE_TOO_BIG);
	assert_int_equal(v, 7); /* untouched by a refusal */
	assert_string_equal(shell_parse_reason(SHELL_PARSE_TOO_BIG), "too big");
}

static void quads_in_their_one_spelling(void **state)
{
	uint8_t ip[4] = { 0 };

	(void)state;
	assert_int_equal(shell_parse_quad("10.0.2.2", 8, ip), SHELL_PARSE_OK);
	assert_int_equal(ip[0], 10);
	assert_int_equal(ip[1], 0);
	assert_int_equal(ip[2], 2);
	assert_int_equal(ip[3], 2);
	assert_int_equal(shell_parse_quad("255.255.255.255", 15, ip), SHELL_PARSE_OK);
	assert_int_equal(ip[3], 255);
}

static void quads_are_refused_with_a_reason(void **state)
{
	uint8_t ip[4] = { 9, 9, 9, 9 };

	(void)state;
	assert_int_equal(shell_parse_quad("", 0, ip), SHELL_PARSE_EMPTY);
	assert_int_equal(shell_parse_quad("10.0.2", 6, ip), SHELL_PARSE_NOT_QUAD);
	assert_int_equal(shell_parse_quad("10.0.2.2.", 9, ip), SHELL_PARSE_NOT_QUAD);
	assert_int_equal(shell_parse_quad("10.0.2.2.1", 10, ip), SHELL_PARSE_NOT_QUAD);
	assert_int_equal(shell_parse_quad("10..2.2", 7, ip), SHELL_PARSE_NOT_QUAD);
	assert_int_equal(shell_parse_quad(".0.2.2", 6, ip), SHELL_PARSE_NOT_QUAD);
	assert_int_equal(shell_parse_quad("10.0.2.256", 10, ip), SHELL_PARSE_TOO_BIG);
	assert_int_equal(shell_parse_quad("10.0.2.1000", 11, ip), SHELL_PARSE_NOT_QUAD);
	assert_int_equal(shell_parse_quad("10.0.02.2", 9, ip), SHELL_PARSE_LEADING_ZERO);
	assert_int_equal(shell_parse_quad("10.0.x.2", 8, ip), SHELL_PARSE_NOT_NUMBER);
	/* The length bounds the read: "10.0.2.2" cut to "10.0.2." has an empty part. */
	assert_int_equal(shell_parse_quad("10.0.2.2", 7, ip), SHELL_PARSE_NOT_QUAD);
	assert_int_equal(ip[0], 9); /* untouched by a refusal */
}

static void hex_fits_or_is_refused(void **state)
{
	static const uint8_t bytes[] = { 0x00, 0xab, 0x7f, 0xff };
	char out[9];
	char small[8] = "unused";

	(void)state;
	assert_true(shell_hex(bytes, sizeof(bytes), out, sizeof(out)));
	assert_string_equal(out, "00ab7fff");
	assert_false(shell_hex(bytes, sizeof(bytes), small, sizeof(small)));
	assert_string_equal(small, "unused");
	assert_false(shell_hex(bytes, 0, small, 0));
	assert_true(shell_hex(bytes, 0, small, 1));
	assert_string_equal(small, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(words_split_at_runs_of_spaces),
		cmocka_unit_test(an_empty_or_blank_line_has_no_words),
		cmocka_unit_test(words_past_the_limit_are_counted_not_kept),
		cmocka_unit_test(the_length_bounds_every_read),
		cmocka_unit_test(numbers_in_decimal_and_hex_within_bounds),
		cmocka_unit_test(numbers_are_refused_with_a_reason),
		cmocka_unit_test(quads_in_their_one_spelling),
		cmocka_unit_test(quads_are_refused_with_a_reason),
		cmocka_unit_test(hex_fits_or_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
