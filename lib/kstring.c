/*
 * kstring: the routines in kstring.h, for freestanding code.
 *
 * memcpy and memset move eight bytes at a time, four words per loop turn,
 * whenever source and destination share their alignment mod 8 (the common
 * case: structs, ring slots, page frames and most user buffers); the bytes
 * before the first aligned word and after the last are moved one at a
 * time. A pair that differs in alignment is copied a byte at a time, so no
 * access is ever unaligned -- neither arch then depends on alignment
 * checking being off, nor on the memory type allowing unaligned accesses.
 * They were byte loops first, and the kernel's copies (IPC payloads, user
 * copies, zeroed frames) spent most of their instructions in them.
 *
 * The word type may alias anything, so callers' buffers of any type may be
 * moved through it. The loops are written so the compiler cannot turn them
 * back into calls to themselves (clang recognises memcpy idioms);
 * -fno-builtin on freestanding builds guarantees that.
 */
#include "kstring.h"

#include <stdbool.h>
#include <stdint.h>

typedef uint64_t __attribute__((may_alias)) word_t;

#define WORD sizeof(word_t)
#define WORD_MASK (WORD - 1)

/* Whether a and b can both be stepped through in whole, aligned words. */
static bool same_alignment(uintptr_t a, uintptr_t b)
{
	return ((a ^ b) & WORD_MASK) == 0;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (n >= 2 * WORD && same_alignment((uintptr_t)d, (uintptr_t)s)) {
		while ((uintptr_t)d & WORD_MASK) {
			*d++ = *s++;
			n--;
		}
		word_t *dw = (word_t *)(void *)d;
		const word_t *sw = (const word_t *)(const void *)s;
		for (; n >= 4 * WORD; n -= 4 * WORD, dw += 4, sw += 4) {
			dw[0] = sw[0];
			dw[1] = sw[1];
			dw[2] = sw[2];
			dw[3] = sw[3];
		}
		for (; n >= WORD; n -= WORD)
			*dw++ = *sw++;
		d = (unsigned char *)dw;
		s = (const unsigned char *)sw;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((uintptr_t)d < (uintptr_t)s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	unsigned char byte = (unsigned char)c;

	if (n >= 2 * WORD) {
		/* The byte in every lane of a word. */
		word_t pattern = (word_t)byte * 0x0101010101010101ULL;
		while ((uintptr_t)d & WORD_MASK) {
			*d++ = byte;
			n--;
		}
		word_t *dw = (word_t *)(void *)d;
		for (; n >= 4 * WORD; n -= 4 * WORD, dw += 4) {
			dw[0] = pattern;
			dw[1] = pattern;
			dw[2] = pattern;
			dw[3] = pattern;
		}
		for (; n >= WORD; n -= WORD)
			*dw++ = pattern;
		d = (unsigned char *)dw;
	}
	while (n--)
		*d++ = byte;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x < *y ? -1 : 1;
	}
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		if (*a == '\0')
			return 0;
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, SIZE_MAX);
}
