/*
 * span: copies into and out of two-piece byte runs (span.h).
 *
 * Every routine hands each piece's share of the range to memcpy or
 * memset: a span costs one call per piece it touches, never a byte loop.
 */
#include "span.h"

enum span_op { SPAN_WRITE, SPAN_READ, SPAN_ZERO };

/* Applies `op` to [offset, offset + n) of s; `k` is the kernel side of a
 * write or read (NULL for zeroing). */
static void apply(const struct span *s, size_t offset, uint8_t *k, size_t n, enum span_op op)
{
	for (unsigned i = 0; i < 2 && n > 0; i++) {
		if (offset >= s->len[i]) {
			offset -= s->len[i];
			continue;
		}
		uint8_t *at = s->part[i] + offset;
		size_t take = s->len[i] - offset < n ? s->len[i] - offset : n;

		if (op == SPAN_WRITE)
			memcpy(at, k, take);
		else if (op == SPAN_READ)
			memcpy(k, at, take);
		else
			memset(at, 0, take);
		k = k ? k + take : NULL;
		n -= take;
		offset = 0;
	}
}

void span_write_pieces(const struct span *s, size_t offset, const void *src, size_t n)
{
	apply(s, offset, (uint8_t *)(uintptr_t)src, n, SPAN_WRITE);
}

void span_read_pieces(const struct span *s, size_t offset, void *dst, size_t n)
{
	apply(s, offset, dst, n, SPAN_READ);
}

void span_zero_pieces(const struct span *s, size_t offset, size_t n)
{
	apply(s, offset, NULL, n, SPAN_ZERO);
}

void span_copy(const struct span *dst, size_t offset, const struct span *src, size_t n)
{
	for (unsigned i = 0; i < 2 && n > 0; i++) {
		size_t take = src->len[i] < n ? src->len[i] : n;

		span_write(dst, offset, src->part[i], take);
		offset += take;
		n -= take;
	}
}
