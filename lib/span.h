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
void span_write_pieces(const struct span *s, size_t offset, const void *src, size_t n);
void span_read_pieces(const struct span *s, size_t offset, void *dst, size_t n);
void span_zero_pieces(const struct span *s, size_t offset, size_t n);

/* Copy n bytes into, out of, or zeros into a span from byte `offset` on.
 * The caller has checked offset + n <= span_len(). Inline for the usual
 * case, a range within the first piece: one memcpy or memset. */
static inline void span_write(const struct span *s, size_t offset, const void *src, size_t n)
{
	if (n <= s->len[0] && offset <= s->len[0] - n)
		memcpy(s->part[0] + offset, src, n);
	else
		span_write_pieces(s, offset, src, n);
}

static inline void span_read(const struct span *s, size_t offset, void *dst, size_t n)
{
	if (n <= s->len[0] && offset <= s->len[0] - n)
		memcpy(dst, s->part[0] + offset, n);
	else
		span_read_pieces(s, offset, dst, n);
}

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
void span_copy(const struct span *dst, size_t offset, const struct span *src, size_t n);

#endif
