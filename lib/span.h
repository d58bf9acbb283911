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

struct span {
	uint8_t *part[2];
	size_t len[2]; /* len[1] is 0 for a single piece */
};

/* The span of one piece [p, p + len). */
struct span span_of(void *p, size_t len);

static inline size_t span_len(const struct span *s)
{
	return s->len[0] + s->len[1];
}

/* Copy n bytes into, out of, or zeros into a span from byte `offset` on.
 * The caller has checked offset + n <= span_len(). */
void span_write(const struct span *s, size_t offset, const void *src, size_t n);
void span_read(const struct span *s, size_t offset, void *dst, size_t n);
void span_zero(const struct span *s, size_t offset, size_t n);

/* Copies the first n bytes of `src` into `dst` from byte `offset` on. */
void span_copy(const struct span *dst, size_t offset, const struct span *src, size_t n);

#endif
