/*
 * sha512: SHA-512 (FIPS 180-4), as Ed25519 needs it.
 *
 * Portable, freestanding C: no heap, no libc.
 */
#ifndef CAMBIOS_CRYPTO_SHA512_H
#define CAMBIOS_CRYPTO_SHA512_H

#include <stddef.h>
#include <stdint.h>

#define SHA512_OUT_LEN 64
#define SHA512_BLOCK_LEN 128

struct sha512_ctx {
	uint64_t state[8];
	uint64_t bytes; /* total length so far (inputs above 2^64 bytes are not supported) */
	uint8_t block[SHA512_BLOCK_LEN];
	size_t block_len;
};

void sha512_init(struct sha512_ctx *c);
void sha512_update(struct sha512_ctx *c, const void *data, size_t len);
void sha512_final(struct sha512_ctx *c, uint8_t out[SHA512_OUT_LEN]);
void sha512(const void *data, size_t len, uint8_t out[SHA512_OUT_LEN]);

#endif
