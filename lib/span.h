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

static inline size_t span_len(const struct span *s)
{
	return s->len[0] + s->len[1];
}

/* The general forms of the three below, for ranges that reach the
 * second piece. */
/*@ requires \valid_read(s) && span_valid(*s);
    requires offset + n <= s->len[0] + s->len[1];
    requires \valid_read((char *)src + (0 .. n - 1));
    requires span_apart(*s, (char *)src, n);
    requires span_unaliased(s);
    assigns s->part[0][0 .. s->len[0] - 1], s->part[1][0 .. s->len[1] - 1]
      \from ((char *)src)[0 .. n - 1], offset, n, *s; */
void span_write_pieces(const struct span *s, size_t offset, const void *src, size_t n);
/*@ requires \valid_read(s) && span_valid(*s);
    requires offset + n <= s->len[0] + s->len[1];
    requires \valid((char *)dst + (0 .. n - 1));
    requires span_apart(*s, (char *)dst, n);
    requires \separated(s, (char *)dst + (0 .. n - 1));
    assigns ((char *)dst)[0 .. n - 1]
      \from s->part[0][0 .. s->len[0] - 1], s->part[1][0 .. s->len[1] - 1], offset, n, *s; */
void span_read_pieces(const struct span *s, size_t offset, void *dst, size_t n);
/*@ requires \valid_read(s) && span_valid(*s);
    requires offset + n <= s->len[0] + s->len[1];
    requires span_unaliased(s);
    assigns s->part[0][0 .. s->len[0] - 1], s->part[1][0 .. s->len[1] - 1] \from offset, n, *s; */
void span_zero_pieces(const struct span *s, size_t offset, size_t n);

/* Copy n bytes into, out of, or zeros into a span from byte `offset` on.
 * The caller has checked offset + n <= span_len(). Inline for the usual
 * case, a range within the first piece: one memcpy or memset. */
/*@ requires \valid_read(s) && span_valid(*s);
    requires offset + n <= s->len[0] + s->len[1];
    requires \valid_read((char *)src + (0 .. n - 1));
    requires span_apart(*s, (char *)src, n);
    requires span_unaliased(s);
    assigns s->part[0][0 .. s->len[0] - 1], s->part[1][0 .. s->len[1] - 1]
      \from ((char *)src)[0 .. n - 1], offset, n, *s; */
static inline void span_write(const struct span *s, size_t offset, const void *src, size_t n)
{
	if (n == 0)
		return; /* no piece to touch (an empty span's may be NULL) */
	if (n <= s->len[0] && offset <= s->len[0] - n)
		memcpy(s->part[0] + offset, src, n);
	else
		span_write_pieces(s, offset, src, n);
}

/*@ requires \valid_read(s) && span_valid(*s);
    requires offset + n <= s->len[0] + s->len[1];
    requires \valid((char *)dst + (0 .. n - 1));
    requires span_apart(*s, (char *)dst, n);
    requires \separated(s, (char *)dst + (0 .. n - 1));
    assigns ((char *)dst)[0 .. n - 1]
      \from s->part[0][0 .. s->len[0] - 1], s->part[1][0 .. s->len[1] - 1], offset, n, *s; */
static inline void span_read(const struct span *s, size_t offset, void *dst, size_t n)
{
	if (n == 0)
		return; /* no piece to touch (an empty span's may be NULL) */
	if (n <= s->len[0] && offset <= s->len[0] - n)
		memcpy(dst, s->part[0] + offset, n);
	else
		span_read_pieces(s, offset, dst, n);
}

/*@ requires \valid_read(s) && span_valid(*s);
    requires offset + n <= s->len[0] + s->len[1];
    requires span_unaliased(s);
    assigns s->part[0][0 .. s->len[0] - 1], s->part[1][0 .. s->len[1] - 1] \from offset, n, *s; */
static inline void span_zero(const struct span *s, size_t offset, size_t n)
{
	if (n == 0)
		return; /* a message that filled its buffer: the usual receive */
	if (n <= s->len[0] && offset <= s->len[0] - n)
		memset(s->part[0] + offset, 0, n);
	else
		span_zero_pieces(s, offset, n);
}

/* Copies the first n bytes of `src` into `dst` from byte `offset` on. */
/*@ requires \valid_read(dst) && span_valid(*dst);
    requires \valid_read(src) && span_valid(*src);
    requires offset + n <= dst->len[0] + dst->len[1];
    requires n <= src->len[0] + src->len[1];
    requires spans_apart(*dst, *src);
    requires span_unaliased(dst) && \separated(src, dst->part[0] + (0 .. dst->len[0] - 1),
                                                 dst->part[1] + (0 .. dst->len[1] - 1));
    assigns dst->part[0][0 .. dst->len[0] - 1], dst->part[1][0 .. dst->len[1] - 1]
      \from src->part[0][0 .. src->len[0] - 1], src->part[1][0 .. src->len[1] - 1],
            offset, n, *dst, *src; */
void span_copy(const struct span *dst, size_t offset, const struct span *src, size_t n);

#endif
