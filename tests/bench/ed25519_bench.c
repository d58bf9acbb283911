/*
 * ed25519_bench: Ed25519 (lib/crypto/ed25519.c) next to OpenSSL's
 * libcrypto, on the host, in the same run.
 *
 * Workloads: public-key derivation, signing and verification of a 64-byte
 * message (the size of a hash, which is what ARCSIG signs), each over a
 * ring of seeded-random keys so that neither side benefits from a single
 * hot key. OpenSSL is called through EVP with the keys set up in advance
 * (key objects are created outside the timed loop, as a long-lived signer
 * or verifier would hold them). The figures are operations per second and
 * the ratio ours / OpenSSL; nothing here asserts anything about time.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "crypto/ed25519.h"
#include "bench_clock.h"

#define KEYS 64
#define MSG_LEN 64
#define MIN_SECONDS 0.5

struct key {
	uint8_t seed[32], pk[32], msg[MSG_LEN], sig[64];
	EVP_PKEY *ossl_private, *ossl_public;
};

static struct key keys[KEYS];
static volatile uint64_t sink; /* keeps results alive */

static void die(const char *what)
{
	fprintf(stderr, "ed25519_bench: %s failed\n", what);
	exit(1);
}

static void ours_public_key(struct key *k)
{
	uint8_t pk[32];

	ed25519_public_key(k->seed, pk);
	sink += pk[0];
}

static void ours_sign(struct key *k)
{
	uint8_t sig[64];

	ed25519_sign(k->seed, k->pk, k->msg, MSG_LEN, sig);
	sink += sig[0];
}

static void ours_verify(struct key *k)
{
	if (ed25519_verify(k->pk, k->msg, MSG_LEN, k->sig) != ED25519_OK)
		die("our verify");
}

/* OpenSSL derives the public key when the private key object is made. */
static void ossl_public_key(struct key *k)
{
	EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, k->seed, 32);

	if (!key)
		die("EVP_PKEY_new_raw_private_key");
	EVP_PKEY_free(key);
}

static void ossl_sign(struct key *k)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t sig[64];
	size_t len = sizeof(sig);

	if (!ctx || EVP_DigestSignInit(ctx, NULL, NULL, NULL, k->ossl_private) != 1 ||
	    EVP_DigestSign(ctx, sig, &len, k->msg, MSG_LEN) != 1)
		die("OpenSSL sign");
	EVP_MD_CTX_free(ctx);
	sink += sig[0];
}

static void ossl_verify(struct key *k)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (!ctx || EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k->ossl_public) != 1 ||
	    EVP_DigestVerify(ctx, k->sig, 64, k->msg, MSG_LEN) != 1)
		die("OpenSSL verify");
	EVP_MD_CTX_free(ctx);
}

/* Operations per second of op, run over the key ring for MIN_SECONDS. */
static double rate(void (*op)(struct key *k))
{
	uint64_t n = 0;
	double start = bench_now(), elapsed;

	for (unsigned i = 0; i < KEYS; i++) /* warm up */
		op(&keys[i]);
	start = bench_now();
	do {
		for (unsigned i = 0; i < KEYS; i++)
			op(&keys[i]);
		n += KEYS;
		elapsed = bench_now() - start;
	} while (elapsed < MIN_SECONDS);
	return (double)n / elapsed;
}

static void setup(void)
{
	uint64_t x = 0x2551925519;

	for (unsigned i = 0; i < KEYS; i++) {
		struct key *k = &keys[i];

		for (unsigned j = 0; j < 32; j++)
			k->seed[j] = (uint8_t)((x = x * 6364136223846793005u + 1442695040888963407u) >> 56);
		for (unsigned j = 0; j < MSG_LEN; j++)
			k->msg[j] = (uint8_t)((x = x * 6364136223846793005u + 1442695040888963407u) >> 56);
		ed25519_public_key(k->seed, k->pk);
		ed25519_sign(k->seed, k->pk, k->msg, MSG_LEN, k->sig);
		k->ossl_private = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, k->seed, 32);
		k->ossl_public = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, k->pk, 32);
		if (!k->ossl_private || !k->ossl_public)
			die("OpenSSL key setup");
	}
}

int main(void)
{
	static const struct {
		const char *name;
		void (*ours)(struct key *k);
		void (*ossl)(struct key *k);
	} rows[] = {
		{"public key from seed", ours_public_key, ossl_public_key},
		{"sign (64-byte message)", ours_sign, ossl_sign},
		{"verify (64-byte message)", ours_verify, ossl_verify},
	};

	setup();
	printf("ed25519_bench: %s; ops/s, higher is better\n", OpenSSL_version(OPENSSL_VERSION));
	printf("%-28s %14s %14s %12s\n", "operation", "ours ops/s", "OpenSSL ops/s", "ours/OpenSSL");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		double ours = rate(rows[i].ours), ossl = rate(rows[i].ossl);

		printf("%-28s %14.0f %14.0f %12.2f\n", rows[i].name, ours, ossl, ours / ossl);
	}
	for (unsigned i = 0; i < KEYS; i++) {
		EVP_PKEY_free(keys[i].ossl_private);
		EVP_PKEY_free(keys[i].ossl_public);
	}
	return 0;
}
