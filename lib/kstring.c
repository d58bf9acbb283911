/*
 * kstring: the routines in kstring.h, for freestanding code.
 *
 * memcpy and memset move eight bytes at a time. memset's bytes before the
 * first aligned word and after the last are stored one at a time; memcpy
 * moves up to 64 bytes as two overlapping blocks of whole words, and
 * longer buffers as their first word and last 64 bytes whole wherever
 * they fall with, between them, aligned words stored (64 bytes a loop
 * turn) that are loaded wherever the source falls, so a pair that
 * differs in alignment (a reply sent from just after RecvMsg's 36-byte
 * prefix, say) moves words too. AArch64
 * allows that on normal memory with alignment checking off, which the
 * kernel makes sure of at entry (an earlier version split aligned source
 * words by shifts instead, at about three times the instructions).
 * (x86_64's memcpy is its string instructions instead; see there. The
 * host tests build the word loops with KSTRING_WORD_LOOPS on any host.)
 * They were byte loops first, and the kernel's copies (IPC payloads, user
 * copies, zeroed frames) spent most of their instructions in them.
 *
 * The word type may alias anything, so callers' buffers of any type may be
 * moved through it. The loops are written so the compiler cannot turn them
 * back into calls to themselves (clang recognises memcpy idioms);
 * -fno-builtin on freestanding builds guarantees that.
 */
#include "kstring.h"

#include <stdint.h>

typedef uint64_t __attribute__((may_alias)) word_t;

#define WORD sizeof(word_t)
#define WORD_MASK (WORD - 1)

#if defined(__x86_64__) && !defined(KSTRING_WORD_LOOPS)
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
/* A word at any address. AArch64 loads one whole from normal memory with
 * alignment checking off (SCTLR_EL1.A = 0: UEFI requires it of the
 * firmware, and the kernel clears it at entry on every CPU); so do the
 * hosts the tests run on. Device memory would fault, and memcpy is never
 * used on it: registers are reached through their own accessors. */
typedef uint64_t __attribute__((aligned(1), may_alias)) loose_word_t;

/* `words` words from s to d, both at any address (a constant count:
 * the loop unrolls into loads and stores of pairs). */
static inline void move_loose_words(unsigned char *restrict d, const unsigned char *restrict s,
				    size_t words)
{
	for (size_t i = 0; i < words; i++)
		((loose_word_t *)(void *)d)[i] = ((const loose_word_t *)(const void *)s)[i];
}

/* 8 to 64 bytes: the first and the last 8, 16 or 32 -- whichever halves
 * cover n -- moved whole, overlapping in the middle as they may (with the
 * same values: the buffers do not overlap). No loop, no alignment step:
 * a 32-byte Principal or a short reply costs a handful of instructions. */
static inline void move_ends(unsigned char *restrict d, const unsigned char *restrict s, size_t n,
			     size_t words)
{
	size_t tail = n - words * WORD;

	move_loose_words(d, s, words);
	move_loose_words(d + tail, s + tail, words);
}

static void memcpy_short(unsigned char *restrict d, const unsigned char *restrict s, size_t n)
{
	/* Each with its own constant count, so that each unrolls. */
	if (n <= 2 * WORD)
		move_ends(d, s, n, 1);
	else if (n <= 4 * WORD)
		move_ends(d, s, n, 2);
	else
		move_ends(d, s, n, 4);
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (n < WORD) {
		while (n--)
			*d++ = *s++;
		return dst;
	}
	if (n <= 8 * WORD) {
		memcpy_short(d, s, n);
		return dst;
	}
	/* Over 64 bytes: the first word is moved whole wherever it falls;
	 * then aligned words are stored, loaded wherever the source falls,
	 * 64 bytes a turn; what that leaves (fewer than 64 bytes) is done by
	 * moving the buffer's last 64 whole, over bytes already moved. A
	 * buffer 4 bytes off (a payload after RecvMsg's 36-byte prefix) then
	 * costs no more than an aligned one, and no byte is moved alone. */
	*(loose_word_t *)(void *)d = *(const loose_word_t *)(const void *)s;
	size_t head = WORD - ((uintptr_t)d & WORD_MASK); /* 1..8: to the next aligned word */
	word_t *dw = (word_t *)(void *)(d + head);
	const loose_word_t *sw = (const loose_word_t *)(const void *)(s + head);

	for (size_t left = n - head; left >= 8 * WORD; left -= 8 * WORD, dw += 8, sw += 8) {
		dw[0] = sw[0];
		dw[1] = sw[1];
		dw[2] = sw[2];
		dw[3] = sw[3];
		dw[4] = sw[4];
		dw[5] = sw[5];
		dw[6] = sw[6];
		dw[7] = sw[7];
	}
	move_loose_words(d + n - 8 * WORD, s + n - 8 * WORD, 8);
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
