/*
 * span: a run of bytes that may lie in two pieces.
 *
 * A user buffer of up to a page, seen through the kernel's direct map, is
 * one piece or two (it can cross one page boundary): usercopy.h resolves
 * it into a span once, and the IPC paths then copy straight between spans
 * and their rings, or from one program's span into another's, with no
 * bounce through a kernel buffer. A kernel buffer is a span of one piece.
 */
#ifndef CAMBIOS_LIB_SPAN_H
#define CAMBIOS_LIB_SPAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kstring.h"

struct span {
	uint8_t *part[2];
	size_t len[2]; /* len[1] is 0 for a single piece */
};

/* A span whose every byte may be read and written: each piece valid for
 * its length, and the total representable (ACSL, for the contracts). */
/*@ predicate span_valid(struct span s) =
      \valid(s.part[0] + (0 .. s.len[0] - 1)) && \valid(s.part[1] + (0 .. s.len[1] - 1)) &&
      s.len[0] + s.len[1] <= SIZE_MAX;
    predicate span_apart(struct span s, char *p, integer n) =
      \separated(s.part[0] + (0 .. s.len[0] - 1), p + (0 .. n - 1)) &&
      \separated(s.part[1] + (0 .. s.len[1] - 1), p + (0 .. n - 1));
    predicate span_unaliased(struct span *s) =
      \separated(s, s->part[0] + (0 .. s->len[0] - 1)) &&
      \separated(s, s->part[1] + (0 .. s->len[1] - 1));
    predicate spans_apart(struct span a, struct span b) =
      span_apart(a, (char *)b.part[0], b.len[0]) && span_apart(a, (char *)b.part[1], b.len[1]);
*/

/* The span of one piece [p, p + len). */
static inline struct span span_of(void *p, size_t len)
{
	return (struct span){ .part = { p, NULL }, .len = { len, 0 } };
}

#ifndef VERIFY_EVA /* WP proves it; EVA, given the body, checks the code alone */
/*@ requires \valid_read(s);
    requires s->len[0] + s->len[1] <= SIZE_MAX;
    assigns \nothing;
    ensures \result == s->len[0] + s->len[1]; */
#endif
static inline size_t span_len(const struct span *s)
{
	return s->len[0] + s->len[1];
}

/*
 * The copies. Each checks its own range: it copies nothing and returns
 * false unless [offset, offset + n) lies inside the span (and, for
 * span_copy, n inside the source). Callers have checked their lengths
 * already; the check here costs a compare and keeps every copy in bounds
 * whatever a caller computed -- which is also what lets the analysis
 * (make verify) prove each copy on its own, without relating a caller's
 * sums of lengths.
 */
/*@ predicate span_fits(struct span s, integer offset, integer n) =
      offset + n <= s.len[0] + s.len[1]; */

/* The general forms of the three below, out of line, for ranges that
 * reach the second piece. */
/*@ requires \valid_read(s) && span_valid(*s);
    requires \valid_read((char *)src + (0 .. n - 1));
    requires span_apart(*s, (char *)src, n);
    requires span_unaliased(s);
    assigns s->part[0][0 .. s->len[0] - 1], s->part[1][0 .. s->len[1] - 1]
      \from ((char *)src)[0 .. n - 1], offset, n, *s;
    assigns \result \from offset, n, s->len[0], s->len[1];
    ensures \result == 0 || \result == 1;
    ensures \result <==> span_fits(*s, offset, n); */
bool span_write_pieces(const struct span *s, size_t offset, const void *src, size_t n);
/*@ requires \valid_read(s) && span_valid(*s);
    requires \valid((char *)dst + (0 .. n - 1));
    requires span_apart(*s, (char *)dst, n);
    requires \separated(s, (char *)dst + (0 .. n - 1));
    assigns ((char *)dst)[0 .. n - 1]
      \from s->part[0][0 .. s->len[0] - 1], s->part[1][0 .. s->len[1] - 1], offset, n, *s;
    assigns \result \from offset, n, s->len[0], s->len[1];
    ensures \result == 0 || \result == 1;
    ensures \result <==> span_fits(*s, offset, n); */
bool span_read_pieces(const struct span *s, size_t offset, void *dst, size_t n);
/*@ requires \valid_read(s) && span_valid(*s);
    requires span_unaliased(s);
    assigns s->part[0][0 .. s->len[0] - 1], s->part[1][0 .. s->len[1] - 1] \from offset, n, *s;
    assigns \result \from offset, n, s->len[0], s->len[1];
    ensures \result == 0 || \result == 1;
    ensures \result <==> span_fits(*s, offset, n); */
bool span_zero_pieces(const struct span *s, size_t offset, size_t n);

/* Copy n bytes into, out of, or zeros into a span from byte `offset` on
 * (false, nothing copied, if the range is not inside it). Inline for the
 * usual case, a range within the first piece: one memcpy or memset. */
#ifndef VERIFY_EVA /* WP proves it; EVA, given the body, checks the code alone */
/*@ requires \valid_read(s) && span_valid(*s);
    requires \valid_read((char *)src + (0 .. n - 1));
    requires span_apart(*s, (char *)src, n);
    requires span_unaliased(s);
    assigns s->part[0][0 .. s->len[0] - 1], s->part[1][0 .. s->len[1] - 1]
      \from ((char *)src)[0 .. n - 1], offset, n, *s;
    assigns \result \from offset, n, s->len[0], s->len[1];
    ensures \result <==> span_fits(*s, offset, n); */
#endif
static inline bool span_write(const struct span *s, size_t offset, const void *src, size_t n)
{
	if (n <= s->len[0] && offset <= s->len[0] - n) {
		if (n > 0) /* an empty span's piece may be NULL */
			memcpy(s->part[0] + offset, src, n);
		return true;
	}
	return span_write_pieces(s, offset, src, n);
}

#ifndef VERIFY_EVA /* WP proves it; EVA, given the body, checks the code alone */
/*@ requires \valid_read(s) && span_valid(*s);
    requires \valid((char *)dst + (0 .. n - 1));
    requires span_apart(*s, (char *)dst, n);
    requires \separated(s, (char *)dst + (0 .. n - 1));
    assigns ((char *)dst)[0 .. n - 1]
      \from s->part[0][0 .. s->len[0] - 1], s->part[1][0 .. s->len[1] - 1], offset, n, *s;
    assigns \result \from offset, n, s->len[0], s->len[1];
    ensures \result <==> span_fits(*s, offset, n); */
#endif
static inline bool span_read(const struct span *s, size_t offset, void *dst, size_t n)
{
	if (n <= s->len[0] && offset <= s->len[0] - n) {
		if (n > 0)
			memcpy(dst, s->part[0] + offset, n);
		return true;
	}
	return span_read_pieces(s, offset, dst, n);
}

#ifndef VERIFY_EVA /* WP proves it; EVA, given the body, checks the code alone */
/*@ requires \valid_read(s) && span_valid(*s);
    requires span_unaliased(s);
    assigns s->part[0][0 .. s->len[0] - 1], s->part[1][0 .. s->len[1] - 1] \from offset, n, *s;
    assigns \result \from offset, n, s->len[0], s->len[1];
    ensures \result <==> span_fits(*s, offset, n); */
#endif
static inline bool span_zero(const struct span *s, size_t offset, size_t n)
{
	if (n <= s->len[0] && offset <= s->len[0] - n) {
		if (n > 0) /* a message that filled its buffer: the usual receive */
			memset(s->part[0] + offset, 0, n);
		return true;
	}
	return span_zero_pieces(s, offset, n);
}

/* Copies the first n bytes of `src` into `dst` from byte `offset` on;
 * false, nothing copied, unless both ranges fit. */
/*@ requires \valid_read(dst) && span_valid(*dst);
    requires \valid_read(src) && span_valid(*src);
    requires spans_apart(*dst, *src);
    requires span_unaliased(dst);
    requires \separated(src, dst->part[0] + (0 .. dst->len[0] - 1));
    requires \separated(src, dst->part[1] + (0 .. dst->len[1] - 1));
    assigns dst->part[0][0 .. dst->len[0] - 1], dst->part[1][0 .. dst->len[1] - 1]
      \from src->part[0][0 .. src->len[0] - 1], src->part[1][0 .. src->len[1] - 1],
            offset, n, *dst, *src;
    assigns \result \from offset, n, dst->len[0], dst->len[1], src->len[0], src->len[1];
    ensures \result == 0 || \result == 1;
    ensures \result <==> span_fits(*dst, offset, n) && span_fits(*src, 0, n); */
bool span_copy(const struct span *dst, size_t offset, const struct span *src, size_t n);

#endif
