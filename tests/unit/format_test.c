/*
 * format_test: the printf engine (lib/format.c).
 *
 * Most conversions are checked against the host's vsnprintf over a sweep of
 * flags, widths, precisions (literal and '*'), length modifiers and edge
 * values; %p (which deliberately differs from glibc), unknown conversions,
 * truncation and the raw sink interface get their own tests.
 */
#include <inttypes.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <format.h>

#define OUT_MAX 512
#define MAX_REPORTED_MISMATCHES 20
#define CANARY 0x5a

/* The format strings below are built at run time or are deliberately
 * outside what printf checking accepts (unknown conversions, %p). */
#pragma clang diagnostic ignored "-Wformat-nonliteral"

static unsigned mismatches;
static unsigned comparisons;

/* Formats with both engines and records (and prints) any difference. */
static void compare(const char *fmt, ...)
{
	char want[OUT_MAX], got[OUT_MAX];
	va_list a, b;

	va_start(a, fmt);
	va_copy(b, a);
	int want_len = vsnprintf(want, sizeof(want), fmt, a);
	size_t got_len = format_vsnprintf(got, sizeof(got), fmt, b);
	va_end(b);
	va_end(a);
	comparisons++;
	if (want_len >= 0 && (size_t)want_len == got_len && !strcmp(want, got))
		return;
	if (mismatches++ < MAX_REPORTED_MISMATCHES)
		print_message("fmt \"%s\": libc \"%s\" (%d), format \"%s\" (%zu)\n", fmt, want,
			      want_len, got, got_len);
}

static void reset_counts(void)
{
	mismatches = 0;
	comparisons = 0;
}

/* ------------------------------------------------------------ sweeps */

enum len { L_NONE, L_HH, L_H, L_L, L_LL, L_Z, L_T, L_J, L_COUNT };
static const char *const len_text[L_COUNT] = { "", "hh", "h", "l", "ll", "z", "t", "j" };

/* A width or precision: literal text, or '*' with the int to pass. */
struct field {
	const char *text;
	bool star;
	int arg;
};

static const struct field widths[] = {
	{ "", false, 0 },  { "1", false, 0 }, { "7", false, 0 }, { "24", false, 0 },
	{ "*", true, 9 },  { "*", true, -9 }, { "*", true, 0 },
};
static const struct field precisions[] = {
	{ "", false, 0 },   { ".", false, 0 },  { ".0", false, 0 }, { ".1", false, 0 },
	{ ".5", false, 0 }, { ".22", false, 0 }, { ".*", true, 3 },  { ".*", true, -1 },
	{ ".*", true, 0 },
};

static const int64_t signed_values[] = {
	0, 1, -1, 7, -42, 127, -128, 200, 32767, -32768, 70000, INT_MAX, INT_MIN,
	(int64_t)UINT32_MAX, LLONG_MAX, LLONG_MIN,
};
static const uint64_t unsigned_values[] = {
	0, 1, 8, 0xff, 0x1ff, 0xffff, 0x12345, UINT32_MAX, 0x123456789abcdefULL, UINT64_MAX,
};

/* Calls compare() with the star arguments the field list asks for. */
#define COMPARE_STARS(fmt, w, p, value)                                              \
	((w)->star ? ((p)->star ? compare(fmt, (w)->arg, (p)->arg, value)            \
				: compare(fmt, (w)->arg, value))                     \
		   : ((p)->star ? compare(fmt, (p)->arg, value) : compare(fmt, value)))

static void compare_signed(const char *fmt, const struct field *w, const struct field *p,
			   enum len len, int64_t v)
{
	switch (len) {
	case L_NONE:
	case L_HH:
	case L_H: COMPARE_STARS(fmt, w, p, (int)v); break;
	case L_L: COMPARE_STARS(fmt, w, p, (long)v); break;
	case L_LL: COMPARE_STARS(fmt, w, p, (long long)v); break;
	case L_Z: COMPARE_STARS(fmt, w, p, (size_t)v); break;
	case L_T: COMPARE_STARS(fmt, w, p, (ptrdiff_t)v); break;
	case L_J: COMPARE_STARS(fmt, w, p, (intmax_t)v); break;
	default: fail();
	}
}

static void compare_unsigned(const char *fmt, const struct field *w, const struct field *p,
			     enum len len, uint64_t v)
{
	switch (len) {
	case L_NONE:
	case L_HH:
	case L_H: COMPARE_STARS(fmt, w, p, (unsigned)v); break;
	case L_L: COMPARE_STARS(fmt, w, p, (unsigned long)v); break;
	case L_LL: COMPARE_STARS(fmt, w, p, (unsigned long long)v); break;
	case L_Z: COMPARE_STARS(fmt, w, p, (size_t)v); break;
	case L_T: COMPARE_STARS(fmt, w, p, (ptrdiff_t)v); break;
	case L_J: COMPARE_STARS(fmt, w, p, (uintmax_t)v); break;
	default: fail();
	}
}

/* Builds "%<flags><width><precision><length><conv>" from a flag bitmask. */
static void build_spec(char *fmt, size_t size, unsigned flag_mask, const char *flag_chars,
		       const struct field *w, const struct field *p, enum len len, char conv)
{
	char flags[8];
	size_t n = 0;

	for (unsigned i = 0; flag_chars[i]; i++) {
		if (flag_mask & (1u << i))
			flags[n++] = flag_chars[i];
	}
	flags[n] = '\0';
	snprintf(fmt, size, "[%%%s%s%s%s%c]", flags, w->text, p->text, len_text[len], conv);
}

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Sweeps every flag combination (from flag_chars) x width x precision x
 * length for one conversion. */
static void sweep_integers(char conv, const char *flag_chars)
{
	unsigned flag_combos = 1u << strlen(flag_chars);
	char fmt[64];

	for (unsigned f = 0; f < flag_combos; f++) {
		for (size_t wi = 0; wi < ARRAY_LEN(widths); wi++) {
			for (size_t pi = 0; pi < ARRAY_LEN(precisions); pi++) {
				const struct field *w = &widths[wi], *p = &precisions[pi];
				for (enum len len = 0; len < L_COUNT; len++) {
					build_spec(fmt, sizeof(fmt), f, flag_chars, w, p, len, conv);
					if (conv == 'd' || conv == 'i') {
						for (size_t v = 0; v < ARRAY_LEN(signed_values); v++)
							compare_signed(fmt, w, p, len, signed_values[v]);
					} else {
						for (size_t v = 0; v < ARRAY_LEN(unsigned_values); v++)
							compare_unsigned(fmt, w, p, len,
									 unsigned_values[v]);
					}
				}
			}
		}
	}
}

static void signed_conversions_match_libc(void **state)
{
	(void)state;
	reset_counts();
	sweep_integers('d', "-0+ ");
	sweep_integers('i', "-0+ ");
	assert_true(comparisons > 0);
	assert_int_equal(mismatches, 0);
}

static void unsigned_decimal_matches_libc(void **state)
{
	(void)state;
	reset_counts();
	sweep_integers('u', "-0+ ");
	assert_int_equal(mismatches, 0);
}

static void hex_conversions_match_libc(void **state)
{
	(void)state;
	reset_counts();
	sweep_integers('x', "-0#");
	sweep_integers('X', "-0#");
	assert_int_equal(mismatches, 0);
}

static void octal_matches_libc(void **state)
{
	(void)state;
	reset_counts();
	sweep_integers('o', "-0#");
	assert_int_equal(mismatches, 0);
}

/* C17 7.21.6.1: '#' with o "increases the precision, if and only if
 * necessary, to force the first digit of the result to be a zero". */
static void octal_alt_with_precision_adds_no_extra_zero(void **state)
{
	char buf[OUT_MAX];

	(void)state;
	format_snprintf(buf, sizeof(buf), "[%#.3o]", 8u);
	assert_string_equal(buf, "[010]");
	format_snprintf(buf, sizeof(buf), "[%#.5o]", 0u);
	assert_string_equal(buf, "[00000]");
	format_snprintf(buf, sizeof(buf), "[%#.2o]", 1u);
	assert_string_equal(buf, "[01]");
	format_snprintf(buf, sizeof(buf), "[%#.3o]", 0777u);
	assert_string_equal(buf, "[0777]");
}

static void strings_match_libc(void **state)
{
	static const char *const strings[] = { "", "a", "hello", "a longer string of text" };
	char fmt[64];

	(void)state;
	reset_counts();
	for (unsigned f = 0; f < 2; f++) {
		for (size_t wi = 0; wi < ARRAY_LEN(widths); wi++) {
			for (size_t pi = 0; pi < ARRAY_LEN(precisions); pi++) {
				const struct field *w = &widths[wi], *p = &precisions[pi];
				build_spec(fmt, sizeof(fmt), f, "-", w, p, L_NONE, 's');
				for (size_t s = 0; s < ARRAY_LEN(strings); s++)
					COMPARE_STARS(fmt, w, p, strings[s]);
			}
		}
	}
	assert_int_equal(mismatches, 0);
}

static void chars_match_libc(void **state)
{
	static const int chars[] = { 'a', 'Z', ' ', '%', 0x7f, -1 };
	static const struct field no_precision = { "", false, 0 };
	char fmt[64];

	(void)state;
	reset_counts();
	for (unsigned f = 0; f < 2; f++) {
		for (size_t wi = 0; wi < ARRAY_LEN(widths); wi++) {
			const struct field *w = &widths[wi];
			build_spec(fmt, sizeof(fmt), f, "-", w, &no_precision, L_NONE, 'c');
			for (size_t c = 0; c < ARRAY_LEN(chars); c++)
				COMPARE_STARS(fmt, w, &no_precision, chars[c]);
		}
	}
	assert_int_equal(mismatches, 0);
}

static void percent_and_plain_text_match_libc(void **state)
{
	(void)state;
	reset_counts();
	compare("%%");
	compare("100%% sure");
	compare("%%%d%%", 5);
	compare("no conversions at all");
	compare("");
	compare("%s=%d, %s=%x", "a", -3, "b", 255u);
	assert_int_equal(mismatches, 0);
}

/* ------------------------------------------------------------ explicit cases */

static void check(const char *want, const char *fmt, ...)
{
	char got[OUT_MAX];
	va_list ap;

	va_start(ap, fmt);
	size_t n = format_vsnprintf(got, sizeof(got), fmt, ap);
	va_end(ap);
	assert_string_equal(got, want);
	assert_int_equal(n, strlen(want));
}

static void extreme_values_print_exactly(void **state)
{
	(void)state;
	check("-2147483648", "%d", INT_MIN);
	check("2147483647", "%i", INT_MAX);
	check("-9223372036854775808", "%lld", LLONG_MIN);
	check("-9223372036854775808", "%jd", INTMAX_MIN);
	check("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
	check("ffffffffffffffff", "%lx", (unsigned long)UINT64_MAX);
	check("1777777777777777777777", "%llo", (unsigned long long)UINT64_MAX);
	check("0X8000000000000000", "%#llX", 1ULL << 63);
	check("-128", "%hhd", 128);
	check("255", "%hhu", -1);
	check("-1", "%hd", 0xffff);
	check("ffff", "%hx", -1);
}

static void null_string_prints_null(void **state)
{
	(void)state;
	check("(null)", "%s", (const char *)NULL);
	check("  (null)", "%8s", (const char *)NULL);
	check("(nu", "%.3s", (const char *)NULL);
}

static void pointer_prints_0x_and_16_digits(void **state)
{
	(void)state;
	check("0x0000000000000000", "%p", (void *)NULL);
	check("0x00000000deadbeef", "%p", (void *)(uintptr_t)0xdeadbeef);
	check("0xffffffff80001000", "%p", (void *)(uintptr_t)0xffffffff80001000ULL);
}

static void pointer_honours_width_and_left_flag(void **state)
{
	(void)state;
	check("  0x0000000000000010", "%20p", (void *)(uintptr_t)0x10);
	check("0x0000000000000010  |", "%-20p|", (void *)(uintptr_t)0x10);
	check("0x0000000000000010", "%5p", (void *)(uintptr_t)0x10);
	check("   0x0000000000000010", "%*p", 21, (void *)(uintptr_t)0x10);
	check("0x0000000000000010   |", "%*p|", -21, (void *)(uintptr_t)0x10);
}

static void unknown_conversion_is_printed_verbatim(void **state)
{
	(void)state;
	check("%y", "%y");
	check("a %y b", "a %y b");
	check("%-08.3y", "%-08.3y");
	check("%lly", "%lly");
	/* An unknown conversion consumes no argument. */
	check("%y 5", "%y %d", 5);
}

static void lone_percent_at_end_is_printed(void **state)
{
	(void)state;
	check("abc%", "abc%");
	check("abc%5", "abc%5");
	check("%-", "%-");
}

static void nul_char_is_emitted(void **state)
{
	char buf[OUT_MAX];

	(void)state;
	memset(buf, CANARY, sizeof(buf));
	size_t n = format_snprintf(buf, sizeof(buf), "a%cb", 0);
	assert_int_equal(n, 3);
	assert_memory_equal(buf, "a\0b", 4);
	n = format_snprintf(buf, sizeof(buf), "[%3c]", 0);
	assert_int_equal(n, 5);
	assert_memory_equal(buf, "[  \0]", 6);
	n = format_snprintf(buf, sizeof(buf), "[%-3c]", 0);
	assert_int_equal(n, 5);
	assert_memory_equal(buf, "[\0  ]", 6);
}

static void huge_width_is_clamped_not_crashing(void **state)
{
	char buf[8];

	(void)state;
	size_t n = format_snprintf(buf, sizeof(buf), "%99999999999d", 1);
	assert_true(n > sizeof(buf));
	assert_int_equal(strlen(buf), sizeof(buf) - 1);
}

/* ------------------------------------------------------------ truncation */

static void truncation_returns_full_length_and_terminates(void **state)
{
	const char *full = "value=-12345 name=cambios";
	size_t len = strlen(full);
	char buf[64];

	(void)state;
	for (size_t size = 1; size <= len + 2; size++) {
		memset(buf, CANARY, sizeof(buf));
		size_t n = format_snprintf(buf, size, "value=%d name=%s", -12345, "cambios");
		assert_int_equal(n, len);
		size_t kept = size - 1 < len ? size - 1 : len;
		assert_memory_equal(buf, full, kept);
		assert_int_equal(buf[kept], '\0');
		for (size_t i = size; i < sizeof(buf); i++)
			assert_int_equal((unsigned char)buf[i], CANARY);
	}
}

static void size_zero_writes_nothing(void **state)
{
	char buf[4];

	(void)state;
	memset(buf, CANARY, sizeof(buf));
	assert_int_equal(format_snprintf(buf, 0, "%s", "hello"), 5);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal((unsigned char)buf[i], CANARY);
	assert_int_equal(format_snprintf(NULL, 0, "%d", 1234), 4);
}

/* ------------------------------------------------------------ sink */

struct capture {
	char text[OUT_MAX];
	size_t len;
};

static void capture_sink(char c, void *ctx)
{
	struct capture *cap = ctx;

	if (cap->len < sizeof(cap->text))
		cap->text[cap->len++] = c;
}

static size_t emit(struct capture *cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	size_t n = format_emit(capture_sink, cap, fmt, ap);
	va_end(ap);
	return n;
}

static void emit_sends_every_character_to_sink(void **state)
{
	struct capture cap = { .len = 0 };

	(void)state;
	size_t n = emit(&cap, "x=%04x %s%c", 0xbeu, "ok", '!');
	assert_int_equal(n, cap.len);
	assert_int_equal(n, strlen("x=00be ok!"));
	assert_memory_equal(cap.text, "x=00be ok!", n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(signed_conversions_match_libc),
		cmocka_unit_test(unsigned_decimal_matches_libc),
		cmocka_unit_test(hex_conversions_match_libc),
		cmocka_unit_test(octal_matches_libc),
		cmocka_unit_test(octal_alt_with_precision_adds_no_extra_zero),
		cmocka_unit_test(strings_match_libc),
		cmocka_unit_test(chars_match_libc),
		cmocka_unit_test(percent_and_plain_text_match_libc),
		cmocka_unit_test(extreme_values_print_exactly),
		cmocka_unit_test(null_string_prints_null),
		cmocka_unit_test(pointer_prints_0x_and_16_digits),
		cmocka_unit_test(pointer_honours_width_and_left_flag),
		cmocka_unit_test(unknown_conversion_is_printed_verbatim),
		cmocka_unit_test(lone_percent_at_end_is_printed),
		cmocka_unit_test(nul_char_is_emitted),
		cmocka_unit_test(huge_width_is_clamped_not_crashing),
		cmocka_unit_test(truncation_returns_full_length_and_terminates),
		cmocka_unit_test(size_zero_writes_nothing),
		cmocka_unit_test(emit_sends_every_character_to_sink),
	};

	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
