/*
 * arcsig_test: the ARCSIG trailer (lib/arcsig.c) -- a signed file must
 * verify, and every way of breaking one must be refused with its reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <arcsig.h>
#include <crypto/blake3.h>
#include <crypto/ed25519.h>

#define BODY_LEN 300

static const uint8_t seed[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
				  17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };
static uint8_t public_key[32];

/* body || signature(BLAKE3(body)) || "ARCSIG" 1 0, in a fresh buffer. */
static uint8_t *signed_file(size_t body_len, const uint8_t *key_seed, size_t *len)
{
	uint8_t *f = malloc(body_len + ARCSIG_TRAILER_LEN), hash[BLAKE3_OUT_LEN], pub[32];

	for (size_t i = 0; i < body_len; i++)
		f[i] = (uint8_t)(i * 7 + 1);
	blake3_hash(f, body_len, hash);
	ed25519_public_key(key_seed, pub);
	ed25519_sign(key_seed, pub, hash, sizeof(hash), f + body_len);
	memcpy(f + body_len + 64, "ARCSIG", 6);
	f[body_len + 70] = ARCSIG_VERSION;
	f[body_len + 71] = ARCSIG_ALGORITHM_ED25519;
	*len = body_len + ARCSIG_TRAILER_LEN;
	return f;
}

static int setup(void **state)
{
	(void)state;
	ed25519_public_key(seed, public_key);
	return 0;
}

static enum arcsig_status verify(const uint8_t *f, size_t len)
{
	return arcsig_verify(f, len, public_key, NULL);
}

static void a_signed_file_verifies(void **state)
{
	size_t len, body = 0;
	uint8_t *f = signed_file(BODY_LEN, seed, &len);

	(void)state;
	assert_int_equal(arcsig_verify(f, len, public_key, &body), ARCSIG_OK);
	assert_int_equal(body, BODY_LEN);
	free(f);
}

static void an_empty_body_can_be_signed(void **state)
{
	size_t len;
	uint8_t *f = signed_file(0, seed, &len);

	(void)state;
	assert_int_equal(verify(f, len), ARCSIG_OK);
	free(f);
}

static void a_file_without_trailer_is_unsigned(void **state)
{
	size_t len;
	uint8_t *f = signed_file(BODY_LEN, seed, &len);

	(void)state;
	assert_int_equal(verify(f, BODY_LEN), ARCSIG_UNSIGNED);
	assert_int_equal(verify(f, 0), ARCSIG_UNSIGNED);
	assert_int_equal(verify(f, 5), ARCSIG_UNSIGNED);
	free(f);
}

static void a_cut_trailer_is_truncated(void **state)
{
	size_t len;
	uint8_t *f = signed_file(BODY_LEN, seed, &len);

	(void)state;
	for (size_t cut = 1; cut <= 4; cut++)
		assert_int_equal(verify(f, len - cut), ARCSIG_TRUNCATED);
	/* The full tail on a file too short to hold a signature. */
	assert_int_equal(verify(f + len - 40, 40), ARCSIG_TRUNCATED);
	free(f);
}

static void unknown_version_and_algorithm_are_named(void **state)
{
	size_t len;
	uint8_t *f = signed_file(BODY_LEN, seed, &len);

	(void)state;
	f[len - 2] = 2;
	assert_int_equal(verify(f, len), ARCSIG_UNKNOWN_VERSION);
	f[len - 2] = ARCSIG_VERSION;
	f[len - 1] = 1;
	assert_int_equal(verify(f, len), ARCSIG_UNKNOWN_ALGORITHM);
	free(f);
}

static void any_flipped_bit_is_a_bad_signature(void **state)
{
	size_t len;
	uint8_t *f = signed_file(BODY_LEN, seed, &len);

	(void)state;
	for (size_t i = 0; i < BODY_LEN + 64; i += 7) {
		f[i] ^= 0x10;
		assert_int_equal(verify(f, len), ARCSIG_BAD_SIGNATURE);
		f[i] ^= 0x10;
	}
	assert_int_equal(verify(f, len), ARCSIG_OK);
	free(f);
}

static void another_key_is_a_bad_signature(void **state)
{
	uint8_t other_seed[32];
	size_t len;

	(void)state;
	memset(other_seed, 0x42, sizeof(other_seed));
	uint8_t *f = signed_file(BODY_LEN, other_seed, &len);
	assert_int_equal(verify(f, len), ARCSIG_BAD_SIGNATURE);
	free(f);
}

static void reasons_are_the_boot_words(void **state)
{
	(void)state;
	assert_string_equal(arcsig_status_reason(ARCSIG_UNSIGNED), "unsigned");
	assert_string_equal(arcsig_status_reason(ARCSIG_TRUNCATED), "truncated");
	assert_string_equal(arcsig_status_reason(ARCSIG_UNKNOWN_VERSION), "unknown version");
	assert_string_equal(arcsig_status_reason(ARCSIG_UNKNOWN_ALGORITHM), "unknown algorithm");
	assert_string_equal(arcsig_status_reason(ARCSIG_BAD_SIGNATURE), "bad signature");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_signed_file_verifies),
		cmocka_unit_test(an_empty_body_can_be_signed),
		cmocka_unit_test(a_file_without_trailer_is_unsigned),
		cmocka_unit_test(a_cut_trailer_is_truncated),
		cmocka_unit_test(unknown_version_and_algorithm_are_named),
		cmocka_unit_test(any_flipped_bit_is_a_bad_signature),
		cmocka_unit_test(another_key_is_a_bad_signature),
		cmocka_unit_test(reasons_are_the_boot_words),
	};

	return cmocka_run_group_tests_name("arcsig", tests, setup, NULL);
}
