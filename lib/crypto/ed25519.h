/*
 * ed25519: Ed25519 signatures (RFC 8032, pure Ed25519).
 *
 * Portable, freestanding C: no heap, no libc, no SIMD. Key generation and
 * signing are constant-time with respect to the secret seed and scalar.
 * Verification rejects a non-canonical S (S >= L), a public key or R that
 * does not decode to a curve point or is non-canonically encoded, and
 * documents its policy for small-order points in ed25519.c.
 */
#ifndef CAMBIOS_CRYPTO_ED25519_H
#define CAMBIOS_CRYPTO_ED25519_H

#include <stddef.h>
#include <stdint.h>

#define ED25519_SEED_LEN 32
#define ED25519_PUBLIC_KEY_LEN 32
#define ED25519_SIGNATURE_LEN 64

enum ed25519_verdict {
	ED25519_OK = 0,
	ED25519_BAD_SIGNATURE,  /* well-formed, but does not verify */
	ED25519_NONCANONICAL_S, /* S >= L */
	ED25519_BAD_PUBLIC_KEY, /* not a valid (canonical) point encoding */
	ED25519_BAD_R,          /* R is not a valid (canonical) point encoding */
};

/* The public key of a 32-byte secret seed. */
void ed25519_public_key(const uint8_t seed[ED25519_SEED_LEN],
			uint8_t public_key[ED25519_PUBLIC_KEY_LEN]);

/* Signs msg[0..len) with the seed (whose public key is `public_key`). */
void ed25519_sign(const uint8_t seed[ED25519_SEED_LEN],
		  const uint8_t public_key[ED25519_PUBLIC_KEY_LEN], const uint8_t *msg, size_t len,
		  uint8_t signature[ED25519_SIGNATURE_LEN]);

enum ed25519_verdict ed25519_verify(const uint8_t public_key[ED25519_PUBLIC_KEY_LEN],
				    const uint8_t *msg, size_t len,
				    const uint8_t signature[ED25519_SIGNATURE_LEN]);

/* A short reason for a verdict ("S is not canonical (S >= L)"). */
const char *ed25519_verdict_reason(enum ed25519_verdict v);

/* Overwrites n bytes in a way the compiler may not optimise away (for
 * wiping secrets off the stack). */
void crypto_wipe(void *p, size_t n);

#endif
