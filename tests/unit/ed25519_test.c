/*
 * ed25519_test: SHA-512 (lib/crypto/sha512.c) and Ed25519
 * (lib/crypto/ed25519.c).
 *
 * Known answers: the FIPS 180-4 example digests and the five Ed25519 test
 * vectors of RFC 8032 section 7.1. Then differential testing against
 * OpenSSL's libcrypto: SHA-512 over random inputs split at random places,
 * and Ed25519 key pairs and signatures for thousands of seeded-random seeds
 * and messages, checked both ways (Ed25519 is deterministic, so the
 * signatures must be byte-identical). Then the rejection rules: every bit
 * flip of a signature and public key, sampled message bit flips,
 * non-canonical S, non-canonical y for A and R, points off the curve, and
 * the small-order / cofactor policy documented at the top of ed25519.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "crypto/ed25519.h"
#include "crypto/sha512.h"

#define CROSS_CHECK_KEYS 3000
#define CROSS_CHECK_MAX_MSG 300
#define SHA_RANDOM_CASES 600
#define SHA_MAX_LEN 1200
#define FLIP_KEYS 6
#define FLIP_MSG_LEN 48
#define MILLION 1000000

/* ---------------------------------------------------------------- helpers */

static uint64_t prng_state;

/* splitmix64: a fixed-seed generator, so failures reproduce. */
static uint64_t prng_next(void)
{
	uint64_t z = (prng_state += 0x9e3779b97f4a7c15);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
	return z ^ (z >> 31);
}

static void prng_fill(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)prng_next();
}

static size_t prng_below(size_t n)
{
	return (size_t)(prng_next() % n);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	fail_msg("bad hex digit '%c'", c);
	return 0;
}

/* Decodes hex into out and returns the byte count (checked against max). */
static size_t unhex(uint8_t *out, size_t max, const char *hex)
{
	size_t n = strlen(hex);

	assert_int_equal(n % 2, 0);
	assert_true(n / 2 <= max);
	for (size_t i = 0; i < n / 2; i++)
		out[i] = (uint8_t)(hex_digit(hex[2 * i]) << 4 | hex_digit(hex[2 * i + 1]));
	return n / 2;
}

static void openssl_public_key(const uint8_t seed[32], uint8_t pk[32])
{
	EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
	size_t len = 32;

	assert_non_null(key);
	assert_int_equal(EVP_PKEY_get_raw_public_key(key, pk, &len), 1);
	assert_int_equal(len, 32);
	EVP_PKEY_free(key);
}

static void openssl_sign(const uint8_t seed[32], const uint8_t *msg, size_t len,
			 uint8_t sig[64])
{
	EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t sig_len = 64;

	assert_non_null(key);
	assert_non_null(ctx);
	assert_int_equal(EVP_DigestSignInit(ctx, NULL, NULL, NULL, key), 1);
	assert_int_equal(EVP_DigestSign(ctx, sig, &sig_len, msg, len), 1);
	assert_int_equal(sig_len, 64);
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
}

static bool openssl_verify(const uint8_t pk[32], const uint8_t *msg, size_t len,
			   const uint8_t sig[64])
{
	EVP_PKEY *key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pk, 32);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	assert_non_null(key);
	assert_non_null(ctx);
	assert_int_equal(EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key), 1);
	ok = EVP_DigestVerify(ctx, sig, 64, msg, len);
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	return ok == 1;
}

/* L, the group order, little-endian. */
static const char L_HEX[] = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";

/* r = a + b over 32 little-endian bytes; returns the carry out. */
static unsigned add256(uint8_t r[32], const uint8_t a[32], const uint8_t b[32])
{
	unsigned carry = 0;

	for (int i = 0; i < 32; i++) {
		carry += (unsigned)a[i] + b[i];
		r[i] = (uint8_t)carry;
		carry >>= 8;
	}
	return carry;
}

/* ---------------------------------------------------------------- SHA-512 */

static void check_sha512(const void *data, size_t len, const char *want_hex)
{
	uint8_t want[SHA512_OUT_LEN], got[SHA512_OUT_LEN];

	unhex(want, sizeof(want), want_hex);
	sha512(data, len, got);
	assert_memory_equal(got, want, SHA512_OUT_LEN);
}

/* FIPS 180-4 / NIST example digests. */
static void test_sha512_fips_vectors(void **state)
{
	(void)state;
	check_sha512("", 0,
		     "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
		     "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
	check_sha512("abc", 3,
		     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
		     "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
	static const char msg896[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
				     "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	assert_int_equal(strlen(msg896) * 8, 896);
	check_sha512(msg896, strlen(msg896),
		     "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
		     "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");

	/* One million 'a', fed in uneven pieces through the streaming API. */
	static uint8_t a[1000];
	struct sha512_ctx c;
	uint8_t want[SHA512_OUT_LEN], got[SHA512_OUT_LEN];
	size_t done = 0, piece = 1;

	memset(a, 'a', sizeof(a));
	sha512_init(&c);
	while (done < MILLION) {
		size_t n = MILLION - done < piece ? MILLION - done : piece;

		sha512_update(&c, a, n);
		done += n;
		piece = piece % 991 + 7; /* uneven, at most 997 */
	}
	sha512_final(&c, got);
	unhex(want, sizeof(want),
	      "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
	      "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
	assert_memory_equal(got, want, SHA512_OUT_LEN);
}

/* Padding boundaries (111/112/127/128 bytes...) and random lengths, hashed
 * one-shot and in up to four random pieces, against OpenSSL. */
static void test_sha512_vs_openssl(void **state)
{
	static uint8_t buf[SHA_MAX_LEN];
	uint8_t want[SHA512_OUT_LEN], got[SHA512_OUT_LEN];

	(void)state;
	prng_state = 512;
	for (unsigned i = 0; i < SHA_RANDOM_CASES; i++) {
		size_t len = i < 300 ? i : prng_below(SHA_MAX_LEN + 1);
		struct sha512_ctx c;
		size_t at = 0;

		prng_fill(buf, len);
		SHA512(buf, len, want);
		sha512(buf, len, got);
		assert_memory_equal(got, want, SHA512_OUT_LEN);

		sha512_init(&c);
		for (unsigned piece = 0; piece < 3; piece++) {
			size_t n = prng_below(len - at + 1);

			sha512_update(&c, buf + at, n);
			at += n;
		}
		sha512_update(&c, buf + at, len - at);
		sha512_final(&c, got);
		assert_memory_equal(got, want, SHA512_OUT_LEN);
	}
}

/* ---------------------------------------------------------------- RFC 8032 */

struct rfc_vector {
	const char *name, *seed, *public_key, *msg, *signature;
};

/* RFC 8032 section 7.1, TEST 1024: the 1023-byte message. */
static const char rfc_msg_1023[] =
	"08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98"
	"fa6e264bf09efe12ee50f8f54e9f77b1e355f6c50544e23fb1433ddf73be84d8"
	"79de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d"
	"658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc"
	"1a858efcb8550ee3a5e1998bd177e93a7363c344fe6b199ee5d02e82d522c4fe"
	"ba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e"
	"06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbef"
	"efd75499da96bd68a8a97b928a8bbc103b6621fcde2beca1231d206be6cd9ec7"
	"aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1"
	"85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2"
	"d17ba70eb6248e594e1a2297acbbb39d502f1a8c6eb6f1ce22b3de1a1f40cc24"
	"554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270"
	"88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc"
	"2732e69485bbc9c90bfbd62481d9089beccf80cfe2df16a2cf65bd92dd597b07"
	"07e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba"
	"b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51a"
	"ddd3b75a2b1ae0784504df543af8969be3ea7082ff7fc9888c144da2af58429e"
	"c96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7"
	"51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c"
	"42f58c30c04aafdb038dda0847dd988dcda6f3bfd15c4b4c4525004aa06eeff8"
	"ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df"
	"f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08"
	"d78ff4ef5d63653a65040cf9bfd4aca7984a74d37145986780fc0b16ac451649"
	"de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4"
	"88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a3"
	"2ef5b52a1ecc820e308aa342721aac0943bf6686b64b2579376504ccc493d97e"
	"6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f"
	"b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b5"
	"0d334ba77c225bc307ba537152f3f1610e4eafe595f6d9d90d11faa933a15ef1"
	"369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d"
	"b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c"
	"0618983f8741c5ef68d3a101e8a3b8cac60c905c15fc910840b94c00a0b9d0";

static const struct rfc_vector rfc_vectors[] = {
	{"TEST 1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
	 "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
	 "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
	 "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
	{"TEST 2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
	 "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
	 "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
	 "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
	{"TEST 3", "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
	 "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
	 "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
	 "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
	{"TEST 1024", "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
	 "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e", rfc_msg_1023,
	 "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350"
	 "aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03"},
	{"TEST SHA(abc)", "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
	 "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
	 "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	 "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
	 "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
	 "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"},
};

static void test_rfc8032_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rfc_vectors) / sizeof(rfc_vectors[0]); i++) {
		const struct rfc_vector *v = &rfc_vectors[i];
		uint8_t seed[32], want_pk[32], pk[32], want_sig[64], sig[64], msg[1024];
		size_t len;

		unhex(seed, sizeof(seed), v->seed);
		unhex(want_pk, sizeof(want_pk), v->public_key);
		len = unhex(msg, sizeof(msg), v->msg);
		unhex(want_sig, sizeof(want_sig), v->signature);
		if (i == 3)
			assert_int_equal(len, 1023);

		ed25519_public_key(seed, pk);
		assert_memory_equal(pk, want_pk, 32);
		ed25519_sign(seed, pk, msg, len, sig);
		assert_memory_equal(sig, want_sig, 64);
		assert_int_equal(ed25519_verify(pk, msg, len, sig), ED25519_OK);
		/* And the vector itself is what OpenSSL computes. */
		assert_true(openssl_verify(pk, msg, len, sig));
	}
}

/* ---------------------------------------------------- OpenSSL cross-check */

/* Random seeds and messages of length 0..300: the same public keys, the
 * same signatures, and each side accepts the other's. */
static void test_cross_check_openssl(void **state)
{
	static uint8_t msg[CROSS_CHECK_MAX_MSG];

	(void)state;
	prng_state = 25519;
	for (unsigned i = 0; i < CROSS_CHECK_KEYS; i++) {
		uint8_t seed[32], pk[32], ossl_pk[32], sig[64], ossl_sig[64];
		size_t len = i <= CROSS_CHECK_MAX_MSG ? i : prng_below(CROSS_CHECK_MAX_MSG + 1);

		prng_fill(seed, sizeof(seed));
		prng_fill(msg, len);
		ed25519_public_key(seed, pk);
		openssl_public_key(seed, ossl_pk);
		assert_memory_equal(pk, ossl_pk, 32);

		ed25519_sign(seed, pk, msg, len, sig);
		openssl_sign(seed, msg, len, ossl_sig);
		assert_memory_equal(sig, ossl_sig, 64);

		assert_true(openssl_verify(pk, msg, len, sig));
		assert_int_equal(ed25519_verify(ossl_pk, msg, len, ossl_sig), ED25519_OK);
	}
}

/* ------------------------------------------------------------- rejections */

/* Every bit of the signature and of the public key, and every bit of a
 * 48-byte message, flipped one at a time: never accepted, by us or by
 * OpenSSL. */
static void test_bit_flips_rejected(void **state)
{
	uint8_t seed[32], pk[32], sig[64], msg[FLIP_MSG_LEN];

	(void)state;
	prng_state = 0xf11b;
	for (unsigned k = 0; k < FLIP_KEYS; k++) {
		prng_fill(seed, sizeof(seed));
		prng_fill(msg, sizeof(msg));
		ed25519_public_key(seed, pk);
		ed25519_sign(seed, pk, msg, sizeof(msg), sig);
		assert_int_equal(ed25519_verify(pk, msg, sizeof(msg), sig), ED25519_OK);

		for (unsigned bit = 0; bit < 8 * sizeof(sig); bit++) {
			sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			enum ed25519_verdict v = ed25519_verify(pk, msg, sizeof(msg), sig);

			assert_int_not_equal(v, ED25519_OK);
			if (bit >= 256 + 253) /* S's top bits: S >= 2^253 > L */
				assert_int_equal(v, ED25519_NONCANONICAL_S);
			if (k == 0)
				assert_false(openssl_verify(pk, msg, sizeof(msg), sig));
			sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		}
		for (unsigned bit = 0; bit < 8 * sizeof(pk); bit++) {
			pk[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			enum ed25519_verdict v = ed25519_verify(pk, msg, sizeof(msg), sig);

			assert_true(v == ED25519_BAD_SIGNATURE || v == ED25519_BAD_PUBLIC_KEY);
			if (k == 0)
				assert_false(openssl_verify(pk, msg, sizeof(msg), sig));
			pk[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		}
		for (unsigned bit = 0; bit < 8 * sizeof(msg); bit++) {
			msg[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			assert_int_equal(ed25519_verify(pk, msg, sizeof(msg), sig),
					 ED25519_BAD_SIGNATURE);
			msg[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		}
		/* A shorter or longer message. */
		assert_int_equal(ed25519_verify(pk, msg, sizeof(msg) - 1, sig),
				 ED25519_BAD_SIGNATURE);
		assert_int_equal(ed25519_verify(pk, msg, 0, sig), ED25519_BAD_SIGNATURE);
	}
}

/* RFC 8032 5.1.7 step 1: S in [L, 2^256) is refused, in particular S + L
 * (which would otherwise verify: [S + L]B = [S]B) and S = L exactly. */
static void test_noncanonical_s(void **state)
{
	uint8_t seed[32], pk[32], sig[64], bad[64], l[32], zero[32] = {0};
	static const uint8_t msg[] = "non-canonical S";

	(void)state;
	unhex(l, sizeof(l), L_HEX);
	prng_state = 7;
	for (unsigned k = 0; k < 16; k++) {
		prng_fill(seed, sizeof(seed));
		ed25519_public_key(seed, pk);
		ed25519_sign(seed, pk, msg, sizeof(msg), sig);

		memcpy(bad, sig, 64);
		assert_int_equal(add256(bad + 32, sig + 32, l), 0);
		assert_int_equal(ed25519_verify(pk, msg, sizeof(msg), bad), ED25519_NONCANONICAL_S);
		assert_false(openssl_verify(pk, msg, sizeof(msg), bad));

		memcpy(bad + 32, l, 32);
		assert_int_equal(ed25519_verify(pk, msg, sizeof(msg), bad), ED25519_NONCANONICAL_S);
		assert_false(openssl_verify(pk, msg, sizeof(msg), bad));

		/* L - 1 is canonical: only the equation fails. */
		memcpy(bad + 32, l, 32);
		bad[32] -= 1;
		assert_int_equal(ed25519_verify(pk, msg, sizeof(msg), bad), ED25519_BAD_SIGNATURE);
		memset(bad + 32, 0xff, 32);
		assert_int_equal(ed25519_verify(pk, msg, sizeof(msg), bad), ED25519_NONCANONICAL_S);
	}
	/* S = 0 is canonical. */
	memcpy(bad, sig, 32);
	memcpy(bad + 32, zero, 32);
	assert_int_equal(ed25519_verify(pk, msg, sizeof(msg), bad), ED25519_BAD_SIGNATURE);
}

/* y = p + k (k = 0..18) with either sign bit: the 38 non-canonical
 * encodings, as A and as R. y = p + 1 with x = 0 is even a valid point (the
 * identity, spelled non-canonically). */
static void test_noncanonical_y(void **state)
{
	uint8_t seed[32], pk[32], sig[64], enc[32], bad[64];
	static const uint8_t msg[] = "non-canonical y";

	(void)state;
	memset(seed, 0x42, sizeof(seed));
	ed25519_public_key(seed, pk);
	ed25519_sign(seed, pk, msg, sizeof(msg), sig);
	for (unsigned k = 0; k < 19; k++) {
		for (unsigned sign = 0; sign < 2; sign++) {
			/* p + k = 2^255 - 19 + k: ed+k, then 0xff..., top byte 0x7f. */
			memset(enc, 0xff, sizeof(enc));
			enc[0] = (uint8_t)(0xed + k);
			enc[31] = (uint8_t)(0x7f | sign << 7);
			assert_int_equal(ed25519_verify(enc, msg, sizeof(msg), sig),
					 ED25519_BAD_PUBLIC_KEY);
			memcpy(bad, sig, 64);
			memcpy(bad, enc, 32);
			assert_int_equal(ed25519_verify(pk, msg, sizeof(msg), bad), ED25519_BAD_R);
			assert_false(openssl_verify(pk, msg, sizeof(msg), bad));
		}
	}
	/* p - 1 (y = -1, the point of order 2) is canonical: as R it is a
	 * point, so the verdict is a plain mismatch. */
	memset(enc, 0xff, sizeof(enc));
	enc[0] = 0xec;
	enc[31] = 0x7f;
	memcpy(bad, sig, 64);
	memcpy(bad, enc, 32);
	assert_int_equal(ed25519_verify(pk, msg, sizeof(msg), bad), ED25519_BAD_SIGNATURE);
	/* "-0": y = 1 (x = 0) with the sign bit set (RFC 8032 5.1.3 step 4). */
	memset(enc, 0, sizeof(enc));
	enc[0] = 1;
	enc[31] = 0x80;
	memcpy(bad, enc, 32);
	assert_int_equal(ed25519_verify(pk, msg, sizeof(msg), bad), ED25519_BAD_R);
	assert_int_equal(ed25519_verify(enc, msg, sizeof(msg), sig), ED25519_BAD_PUBLIC_KEY);
}

/* y = 2 and y = 7 give x^2 = (y^2 - 1)/(d y^2 + 1) a non-square: no point
 * has them (computed with the curve equation of RFC 8032 5.1). */
static void test_not_on_curve(void **state)
{
	static const uint8_t ys[] = {2, 7, 8, 11, 12};
	uint8_t seed[32], pk[32], sig[64], enc[32], bad[64];
	static const uint8_t msg[] = "off the curve";

	(void)state;
	memset(seed, 0x17, sizeof(seed));
	ed25519_public_key(seed, pk);
	ed25519_sign(seed, pk, msg, sizeof(msg), sig);
	for (size_t i = 0; i < sizeof(ys); i++) {
		for (unsigned sign = 0; sign < 2; sign++) {
			memset(enc, 0, sizeof(enc));
			enc[0] = ys[i];
			enc[31] = (uint8_t)(sign << 7);
			assert_int_equal(ed25519_verify(enc, msg, sizeof(msg), sig),
					 ED25519_BAD_PUBLIC_KEY);
			assert_false(openssl_verify(enc, msg, sizeof(msg), sig));
			memcpy(bad, sig, 64);
			memcpy(bad, enc, 32);
			assert_int_equal(ed25519_verify(pk, msg, sizeof(msg), bad), ED25519_BAD_R);
		}
	}
	/* Among random encodings about half are off the curve: each is
	 * refused as A by both implementations. */
	prng_state = 99;
	for (unsigned i = 0; i < 200; i++) {
		prng_fill(enc, sizeof(enc));
		enum ed25519_verdict v = ed25519_verify(enc, msg, sizeof(msg), sig);

		assert_true(v == ED25519_BAD_PUBLIC_KEY || v == ED25519_BAD_SIGNATURE);
		assert_false(openssl_verify(enc, msg, sizeof(msg), sig));
	}
}

/* The 8 points of small order (the torsion subgroup), canonically encoded:
 * the identity, (0, -1), the two points with y = 0, and four of order 8.
 * Computed as multiples of [L]P for a point P of full order. */
static const char *const small_order_points[] = {
	"0100000000000000000000000000000000000000000000000000000000000000",
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"0000000000000000000000000000000000000000000000000000000000000000",
	"0000000000000000000000000000000000000000000000000000000000000080",
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
};

/*
 * Policy: small-order public keys are rejected, whatever the signature.
 * Why: with A = identity, (R, S) = (B, 1) satisfies the cofactorless
 * equation [1]B = B + [k]A for every message. OpenSSL accepts it; we
 * refuse the key.
 */
static void test_small_order_public_keys(void **state)
{
	uint8_t pk[32], sig[64], seed[32];
	static const uint8_t msg[] = "small order";

	(void)state;
	memset(seed, 0x5a, sizeof(seed));
	for (size_t i = 0; i < sizeof(small_order_points) / sizeof(small_order_points[0]); i++) {
		unhex(pk, sizeof(pk), small_order_points[i]);
		ed25519_sign(seed, pk, msg, sizeof(msg), sig);
		assert_int_equal(ed25519_verify(pk, msg, sizeof(msg), sig), ED25519_BAD_PUBLIC_KEY);
	}

	/* A = identity, R = B (encoded), S = 1: [1]B = B + [k]O for any k. */
	static const char base_hex[] =
		"5866666666666666666666666666666666666666666666666666666666666666";
	uint8_t forged[64] = {0};

	unhex(pk, sizeof(pk), small_order_points[0]);
	unhex(forged, 32, base_hex);
	forged[32] = 1;
	for (unsigned m = 0; m < 4; m++) {
		uint8_t any_msg[8] = {(uint8_t)m, 1, 2, 3};

		assert_true(openssl_verify(pk, any_msg, sizeof(any_msg), forged));
		assert_int_equal(ed25519_verify(pk, any_msg, sizeof(any_msg), forged),
				 ED25519_BAD_PUBLIC_KEY);
	}
	/* The same R and S with B itself as the key is simply wrong. */
	unhex(pk, sizeof(pk), base_hex);
	assert_int_not_equal(ed25519_verify(pk, msg, sizeof(msg), forged), ED25519_OK);
}

/* (x, y) -> (-x, -y), i.e. A + (0, -1): a mixed-order key. */
static void add_order2_point(uint8_t out[32], const uint8_t in[32])
{
	/* -y = p - y over 255 bits; p is canonical-checked y < p. */
	static const char p_hex[] = "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f";
	uint8_t p[32];
	int borrow = 0;

	unhex(p, sizeof(p), p_hex);
	for (int i = 0; i < 32; i++) {
		int v = p[i] - (i == 31 ? in[i] & 0x7f : in[i]) - borrow;

		borrow = v < 0;
		out[i] = (uint8_t)v;
	}
	out[31] |= (uint8_t)((in[31] ^ 0x80) & 0x80); /* x -> -x flips the sign */
}

/*
 * Policy: mixed-order keys are decided by the cofactorless equation, like
 * OpenSSL. With A' = A + T (T of order 2) and a signature made by the
 * holder of s over k = H(R || A' || M), [S]B = R + [k]A' holds exactly
 * when k is even; a cofactored verifier would accept every one. Ours and
 * OpenSSL's verdicts must agree message by message, and both outcomes
 * must occur.
 */
static void test_mixed_order_public_key(void **state)
{
	uint8_t seed[32], pk[32], mixed[32], sig[64], msg[16];
	unsigned accepted = 0, rejected = 0;

	(void)state;
	memset(seed, 0x33, sizeof(seed));
	ed25519_public_key(seed, pk);
	add_order2_point(mixed, pk);
	assert_memory_not_equal(mixed, pk, 32);
	prng_state = 0x3e;
	for (unsigned i = 0; i < 64; i++) {
		prng_fill(msg, sizeof(msg));
		ed25519_sign(seed, mixed, msg, sizeof(msg), sig);
		enum ed25519_verdict v = ed25519_verify(mixed, msg, sizeof(msg), sig);
		bool ossl = openssl_verify(mixed, msg, sizeof(msg), sig);

		assert_true(v == ED25519_OK || v == ED25519_BAD_SIGNATURE);
		assert_int_equal(v == ED25519_OK, ossl);
		if (ossl)
			accepted++;
		else
			rejected++;
	}
	assert_true(accepted > 0);
	assert_true(rejected > 0);
}

/* The secret scalar of a seed: SHA-512(seed), first half, clamped
 * (RFC 8032 5.1.5), as a number. */
static BIGNUM *clamped_scalar(const uint8_t seed[32])
{
	uint8_t h[64];
	BIGNUM *v;

	SHA512(seed, 32, h);
	h[0] &= 0xf8;
	h[31] &= 0x7f;
	h[31] |= 0x40;
	v = BN_lebin2bn(h, 32, NULL);
	assert_non_null(v);
	return v;
}

/* sig = (R, (r + SHA-512(R || A || M) * s) mod L): a signature with a
 * chosen R (only [r]B = R makes it verify). */
static void sign_with_r(uint8_t sig[64], const uint8_t r_bytes[32], const BIGNUM *r,
			const BIGNUM *s, const uint8_t pk[32], const uint8_t *msg, size_t len)
{
	uint8_t l_bytes[32], h[64], hashed[64 + 64];
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *l, *k, *S = BN_new();

	assert_true(len <= sizeof(hashed) - 64);
	unhex(l_bytes, sizeof(l_bytes), L_HEX);
	l = BN_lebin2bn(l_bytes, 32, NULL);
	memcpy(hashed, r_bytes, 32);
	memcpy(hashed + 32, pk, 32);
	memcpy(hashed + 64, msg, len);
	SHA512(hashed, 64 + len, h);
	k = BN_lebin2bn(h, 64, NULL);
	assert_true(ctx && l && k && S);
	assert_int_equal(BN_mod_mul(S, k, s, l, ctx), 1);
	assert_int_equal(BN_mod_add(S, S, r, l, ctx), 1);
	memcpy(sig, r_bytes, 32);
	assert_int_equal(BN_bn2lebinpad(S, sig + 32, 32), 32);
	BN_free(S);
	BN_free(k);
	BN_free(l);
	BN_CTX_free(ctx);
}

/*
 * Policy: R is decided by the cofactorless equation too. With R' = R + T
 * (T of order 2) and S fitted to it, S = r + k' * s for k' = H(R' || A ||
 * M), [S]B - [k']A = R = R' - T: cofactorless verifiers (ours, OpenSSL)
 * reject it, a cofactored one would accept it. Our verification checks
 * the equation multiplied by a c1 of its choosing (see ge_verify_vartime)
 * and is exact only because c1 is odd; an even c1 would let about half of
 * these through. The same signatures with R itself must verify.
 */
static void test_mixed_order_r(void **state)
{
	uint8_t seed[32], nonce_seed[32], pk[32], r_bytes[32], mixed_r[32], msg[16], sig[64];
	BIGNUM *s, *r;

	(void)state;
	memset(seed, 0x5a, sizeof(seed));
	ed25519_public_key(seed, pk);
	s = clamped_scalar(seed);
	prng_state = 0x0dd;
	for (unsigned i = 0; i < 64; i++) {
		prng_fill(nonce_seed, sizeof(nonce_seed));
		prng_fill(msg, sizeof(msg));
		ed25519_public_key(nonce_seed, r_bytes); /* R = [r]B */
		r = clamped_scalar(nonce_seed);

		sign_with_r(sig, r_bytes, r, s, pk, msg, sizeof(msg));
		assert_int_equal(ed25519_verify(pk, msg, sizeof(msg), sig), ED25519_OK);
		assert_true(openssl_verify(pk, msg, sizeof(msg), sig));

		add_order2_point(mixed_r, r_bytes);
		sign_with_r(sig, mixed_r, r, s, pk, msg, sizeof(msg));
		assert_int_equal(ed25519_verify(pk, msg, sizeof(msg), sig), ED25519_BAD_SIGNATURE);
		assert_false(openssl_verify(pk, msg, sizeof(msg), sig));
		BN_free(r);
	}
	BN_free(s);
}

static void test_verdict_reasons(void **state)
{
	static const enum ed25519_verdict all[] = {
		ED25519_OK, ED25519_BAD_SIGNATURE, ED25519_NONCANONICAL_S,
		ED25519_BAD_PUBLIC_KEY, ED25519_BAD_R,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		assert_non_null(ed25519_verdict_reason(all[i]));
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(ed25519_verdict_reason(all[i]),
						ed25519_verdict_reason(all[j]));
	}
	assert_string_equal(ed25519_verdict_reason(ED25519_NONCANONICAL_S),
			    "S is not canonical (S >= L)");
}

static void test_crypto_wipe(void **state)
{
	uint8_t buf[37];

	(void)state;
	memset(buf, 0xa5, sizeof(buf));
	crypto_wipe(buf + 1, sizeof(buf) - 2);
	assert_int_equal(buf[0], 0xa5);
	assert_int_equal(buf[sizeof(buf) - 1], 0xa5);
	for (size_t i = 1; i < sizeof(buf) - 1; i++)
		assert_int_equal(buf[i], 0);
	crypto_wipe(buf, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha512_fips_vectors),
		cmocka_unit_test(test_sha512_vs_openssl),
		cmocka_unit_test(test_rfc8032_vectors),
		cmocka_unit_test(test_cross_check_openssl),
		cmocka_unit_test(test_bit_flips_rejected),
		cmocka_unit_test(test_noncanonical_s),
		cmocka_unit_test(test_noncanonical_y),
		cmocka_unit_test(test_not_on_curve),
		cmocka_unit_test(test_small_order_public_keys),
		cmocka_unit_test(test_mixed_order_public_key),
		cmocka_unit_test(test_mixed_order_r),
		cmocka_unit_test(test_verdict_reasons),
		cmocka_unit_test(test_crypto_wipe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
