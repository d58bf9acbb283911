/*
 * span_test: lib/span against a flat model, over every small shape.
 *
 * For every pair of piece lengths up to MAX_PIECE, every offset and every
 * length up to past the span's end, each copy must either do exactly
 * what a copy into one flat buffer would (and say so) or, when the range
 * does not fit, say so and touch nothing. The pieces are allocated at
 * exactly their lengths, so ASan reports any byte read or written past a
 * piece.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "span.h"

#define MAX_PIECE 6
#define MAX_RANGE (2 * MAX_PIECE + 2)

/* A span of two heap pieces of exactly len0 and len1 bytes (NULL for a
 * piece of 0, as span_of leaves the second piece), filled from `seed`. */
static struct span make_span(size_t len0, size_t len1, uint8_t seed)
{
	struct span s = { .len = { len0, len1 } };

	for (unsigned i = 0; i < 2; i++) {
		s.part[i] = s.len[i] ? malloc(s.len[i]) : NULL;
		for (size_t b = 0; b < s.len[i]; b++)
			s.part[i][b] = (uint8_t)(seed + 16 * i + b);
	}
	return s;
}

static void free_span(struct span *s)
{
	free(s->part[0]);
	free(s->part[1]);
}

/* The span's bytes in order, into flat[] (at least span_len bytes). */
static void flatten(const struct span *s, uint8_t *flat)
{
	if (s->len[0])
		memcpy(flat, s->part[0], s->len[0]);
	if (s->len[1])
		memcpy(flat + s->len[0], s->part[1], s->len[1]);
}

static bool in_range(size_t len, size_t offset, size_t n)
{
	return offset + n <= len;
}

enum op { WRITE, READ, ZERO };

/* One operation on one shape, checked against the flat model. */
static void check(size_t len0, size_t len1, size_t offset, size_t n, enum op op)
{
	struct span s = make_span(len0, len1, 1);
	size_t len = len0 + len1;
	uint8_t before[2 * MAX_PIECE], after[2 * MAX_PIECE], expect[2 * MAX_PIECE];
	uint8_t *kernel = malloc(n ? n : 1);
	uint8_t kernel_before[MAX_RANGE];
	bool fits = in_range(len, offset, n), ok;

	for (size_t b = 0; b < n; b++)
		kernel[b] = kernel_before[b] = (uint8_t)(0xa0 + b);
	flatten(&s, before);
	memcpy(expect, before, len);
	switch (op) {
	case WRITE:
		ok = span_write(&s, offset, kernel, n);
		if (fits)
			memcpy(expect + offset, kernel, n);
		break;
	case READ:
		ok = span_read(&s, offset, kernel, n);
		break;
	default:
		ok = span_zero(&s, offset, n);
		if (fits)
			memset(expect + offset, 0, n);
		break;
	}
	assert_int_equal(ok, fits);
	flatten(&s, after);
	assert_memory_equal(after, expect, len);
	if (op == READ && fits && n)
		assert_memory_equal(kernel, before + offset, n);
	else if (n)
		assert_memory_equal(kernel, kernel_before, n); /* untouched */
	free(kernel);
	free_span(&s);
}

static void every_shape(enum op op)
{
	for (size_t len0 = 0; len0 <= MAX_PIECE; len0++)
		for (size_t len1 = 0; len1 <= MAX_PIECE; len1++)
			for (size_t offset = 0; offset <= MAX_RANGE; offset++)
				for (size_t n = 0; n <= MAX_RANGE; n++)
					check(len0, len1, offset, n, op);
}

static void writes_match_the_flat_model(void **state)
{
	(void)state;
	every_shape(WRITE);
}

static void reads_match_the_flat_model(void **state)
{
	(void)state;
	every_shape(READ);
}

static void zeroing_matches_the_flat_model(void **state)
{
	(void)state;
	every_shape(ZERO);
}

/* span_copy: every source shape into every destination shape, at every
 * offset, for every length; refused (nothing written) unless the length
 * fits both the source and the destination from the offset. */
static void copies_between_spans_match_the_flat_model(void **state)
{
	(void)state;
	for (size_t d0 = 0; d0 <= 4; d0++)
		for (size_t d1 = 0; d1 <= 4; d1++)
			for (size_t s0 = 0; s0 <= 4; s0++)
				for (size_t s1 = 0; s1 <= 4; s1++)
					for (size_t offset = 0; offset <= 9; offset++)
						for (size_t n = 0; n <= 9; n++) {
							struct span dst = make_span(d0, d1, 1);
							struct span src = make_span(s0, s1, 0x80);
							uint8_t want[8], got[8], from[8];
							bool fits = in_range(d0 + d1, offset, n) &&
								    n <= s0 + s1;

							flatten(&dst, want);
							flatten(&src, from);
							if (fits)
								memcpy(want + offset, from, n);
							assert_int_equal(span_copy(&dst, offset, &src, n), fits);
							flatten(&dst, got);
							assert_memory_equal(got, want, d0 + d1);
							free_span(&dst);
							free_span(&src);
						}
}

/* An offset or length near SIZE_MAX must be refused, not wrap into the
 * span. */
static void ranges_that_wrap_are_refused(void **state)
{
	struct span s = make_span(4, 4, 1);
	uint8_t byte = 0;

	(void)state;
	assert_false(span_write(&s, SIZE_MAX, &byte, 1));
	assert_false(span_zero(&s, 2, SIZE_MAX));
	assert_false(span_zero(&s, SIZE_MAX - 1, 4));
	assert_false(span_read(&s, 7, &byte, SIZE_MAX));
	assert_true(span_read(&s, 7, &byte, 1));
	assert_int_equal(byte, 1 + 16 + 3);
	free_span(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(writes_match_the_flat_model),
		cmocka_unit_test(reads_match_the_flat_model),
		cmocka_unit_test(zeroing_matches_the_flat_model),
		cmocka_unit_test(copies_between_spans_match_the_flat_model),
		cmocka_unit_test(ranges_that_wrap_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
