/*
 * kstring: the routines in kstring.h, for freestanding code.
 *
 * memcpy and memset move eight bytes at a time, four words per loop turn,
 * whenever source and destination share their alignment mod 8 (the common
 * case: structs, ring slots, page frames and most user buffers); the bytes
 * before the first aligned word and after the last are moved one at a
 * time. A pair that differs in alignment still moves words: the
 * destination is aligned first, then each aligned source word is split
 * between two destination words by shifts (both arches run little-endian),
 * and only whole source words that lie inside the source range are loaded.
 * No access is ever unaligned -- AArch64 then depends neither on alignment
 * checking being off nor on the memory type allowing unaligned accesses.
 * (x86_64's memcpy is its string instructions instead; see there.)
 * They were byte loops first, and the kernel's copies (IPC payloads, user
 * copies, zeroed frames) spent most of their instructions in them; the
 * shifted loop came when a user buffer 4 bytes off alignment (a reply
 * sent from just after RecvMsg's 36-byte prefix) made every copy of it go
 * byte by byte.
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

#if defined(__x86_64__)
/*
 * x86_64 copies with the string instructions instead: eight bytes per
 * MOVSQ whatever the alignment (x86 allows unaligned accesses in ring 0,
 * and fast-string microcode makes them cheap), then MOVSB for the last
 * 0-7. A 256-byte IPC payload is then 32 iterations, where the word loop
 * below (the other architectures') spends over a hundred instructions and
 * its shifted variant twice that. Every kernel entry clears DF (SFMASK,
 * trap_common, the entry point) and UEFI guarantees it clear, as the ABI
 * requires of this code, so the copies run upwards.
 */
void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	void *d = dst;
	size_t words = n / WORD, bytes = n % WORD;

	__asm__ volatile("rep movsq" : "+D"(d), "+S"(src), "+c"(words) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(bytes) : : "memory");
	return dst;
}
#else
/* Whether a and b can both be stepped through in whole, aligned words. */
static bool same_alignment(uintptr_t a, uintptr_t b)
{
	return ((a ^ b) & WORD_MASK) == 0;
}

/* Copies n bytes to a word-aligned d from an s that is `off` (1..7) bytes
 * past an aligned address; returns how many bytes it moved (the rest are
 * left to the caller's byte loop). The first 8 - off source bytes are
 * gathered one at a time, so the aligned word holding s[0] -- which starts
 * before the source range -- is never loaded; after that every load is an
 * aligned word wholly inside the range. */
static size_t copy_shifted(unsigned char *d, const unsigned char *s, size_t n, unsigned off)
{
	unsigned head = (unsigned)WORD - off, lo = 8 * head, hi = 8 * off;
	uint64_t carry = 0;
	size_t done = 0;

	for (unsigned i = 0; i < head; i++)
		carry |= (uint64_t)s[i] << (8 * i);
	const word_t *sw = (const word_t *)(const void *)(s + head);
	word_t *dw = (word_t *)(void *)d;
	/* Word j of the destination is the carry (bytes already loaded) and
	 * the low `off` bytes of the next source word; its high bytes carry. */
	for (; head + done + WORD <= n; done += WORD) {
		uint64_t w = *sw++;
		*dw++ = carry | w << lo;
		carry = w >> hi;
	}
	return done;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (n >= 4 * WORD && !same_alignment((uintptr_t)d, (uintptr_t)s)) {
		while ((uintptr_t)d & WORD_MASK) {
			*d++ = *s++;
			n--;
		}
		size_t done = copy_shifted(d, s, n, (unsigned)((uintptr_t)s & WORD_MASK));
		d += done;
		s += done;
		n -= done;
	}
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
#endif

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
