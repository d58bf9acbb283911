/*
 * kstring_test: lib/kstring.c's word loops -- the code the AArch64 kernel
 * and loader run -- against byte-by-byte expectations.
 *
 * The host has its own libc, so the file is built here with its functions
 * renamed (kstring_memcpy, ...) and its portable loops forced
 * (KSTRING_WORD_LOOPS; on x86_64 the kernel's memcpy is rep movs). Every
 * buffer is exactly as long as the call may touch, so ASan reports any
 * load or store past either end; every pair of alignments mod 16 is tried.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

void *kstring_memcpy(void *restrict dst, const void *restrict src, size_t n);
void *kstring_memmove(void *dst, const void *src, size_t n);
void *kstring_memset(void *dst, int c, size_t n);
int kstring_memcmp(const void *a, const void *b, size_t n);

static const size_t lengths[] = { 0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 36, 63, 64, 65, 71, 72, 127,
				       128, 129, 255, 256, 257, 1000 };

#define LENGTHS (sizeof(lengths) / sizeof(lengths[0]))
#define OFFSETS 16

static uint8_t pattern(size_t i)
{
	return (uint8_t)(i * 7 + 3);
}

/* A heap block of exactly `n` bytes (at least 1, for malloc), filled. */
static uint8_t *block(size_t n, uint8_t fill)
{
	uint8_t *p = malloc(n ? n : 1);

	assert_non_null(p);
	memset(p, fill, n ? n : 1);
	return p;
}

static void memcpy_every_alignment_and_length(void **state)
{
	(void)state;
	for (size_t l = 0; l < LENGTHS; l++) {
		size_t n = lengths[l];
		for (size_t so = 0; so < OFFSETS; so++) {
			for (size_t dof = 0; dof < OFFSETS; dof++) {
				uint8_t *src = block(so + n, 0);
				uint8_t *dst = block(dof + n, 0xee);
				for (size_t i = 0; i < n; i++)
					src[so + i] = pattern(i);
				assert_ptr_equal(kstring_memcpy(dst + dof, src + so, n), dst + dof);
				for (size_t i = 0; i < dof; i++)
					assert_int_equal(dst[i], 0xee);
				for (size_t i = 0; i < n; i++)
					assert_int_equal(dst[dof + i], pattern(i));
				free(src);
				free(dst);
			}
		}
	}
}

static void memset_every_alignment_and_length(void **state)
{
	(void)state;
	for (size_t l = 0; l < LENGTHS; l++) {
		size_t n = lengths[l];
		for (size_t off = 0; off < OFFSETS; off++) {
			uint8_t *dst = block(off + n, 0xee);
			assert_ptr_equal(kstring_memset(dst + off, 0x1a5, n), dst + off);
			for (size_t i = 0; i < off; i++)
				assert_int_equal(dst[i], 0xee);
			for (size_t i = 0; i < n; i++)
				assert_int_equal(dst[off + i], 0xa5); /* the value as an unsigned char */
			free(dst);
		}
	}
}

static void memmove_overlaps_both_ways(void **state)
{
	(void)state;
	for (size_t l = 0; l < LENGTHS; l++) {
		size_t n = lengths[l];
		for (size_t shift = 0; shift < OFFSETS; shift++) {
			uint8_t *buf = block(n + shift, 0);
			for (size_t i = 0; i < n + shift; i++)
				buf[i] = pattern(i);
			kstring_memmove(buf + shift, buf, n); /* up */
			for (size_t i = 0; i < n; i++)
				assert_int_equal(buf[shift + i], pattern(i));
			for (size_t i = 0; i < n + shift; i++)
				buf[i] = pattern(i);
			kstring_memmove(buf, buf + shift, n); /* down */
			for (size_t i = 0; i < n; i++)
				assert_int_equal(buf[i], pattern(shift + i));
			free(buf);
		}
	}
}

static void memcmp_orders_by_the_first_difference(void **state)
{
	uint8_t a[40], b[40];

	(void)state;
	for (size_t i = 0; i < sizeof(a); i++)
		a[i] = b[i] = pattern(i);
	assert_int_equal(kstring_memcmp(a, b, sizeof(a)), 0);
	b[17] = (uint8_t)(a[17] + 1);
	assert_true(kstring_memcmp(a, b, sizeof(a)) < 0);
	assert_true(kstring_memcmp(b, a, sizeof(a)) > 0);
	assert_int_equal(kstring_memcmp(a, b, 17), 0);
	b[3] = 0xff; /* bytes compare unsigned */
	a[3] = 0x01;
	assert_true(kstring_memcmp(a, b, sizeof(a)) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memcpy_every_alignment_and_length),
		cmocka_unit_test(memset_every_alignment_and_length),
		cmocka_unit_test(memmove_overlaps_both_ways),
		cmocka_unit_test(memcmp_orders_by_the_first_difference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
