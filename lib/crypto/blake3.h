/*
 * blake3: the BLAKE3 hash (default 32-byte output, extendable output).
 *
 * Portable, freestanding C shared by the kernel, user space, host tools and
 * tests: no heap, no libc, no SIMD (the kernel is built general-regs-only).
 * One-shot and incremental interfaces; the hasher holds the chunk state and
 * a stack of chaining values for the tree (54 levels cover 2^64 bytes).
 */
#ifndef CAMBIOS_CRYPTO_BLAKE3_H
#define CAMBIOS_CRYPTO_BLAKE3_H

#include <stddef.h>
#include <stdint.h>

#define BLAKE3_OUT_LEN 32
#define BLAKE3_KEY_LEN 32
#define BLAKE3_BLOCK_LEN 64
#define BLAKE3_CHUNK_LEN 1024
#define BLAKE3_MAX_DEPTH 54

struct blake3_chunk_state {
	uint32_t cv[8];
	uint64_t chunk_counter;
	uint8_t block[BLAKE3_BLOCK_LEN];
	uint8_t block_len;
	uint8_t blocks_compressed;
	uint8_t flags;
};

struct blake3_hasher {
	uint32_t key[8];
	struct blake3_chunk_state chunk;
	uint8_t cv_stack_len;
	uint32_t cv_stack[BLAKE3_MAX_DEPTH][8];
};

void blake3_hasher_init(struct blake3_hasher *h);
void blake3_hasher_update(struct blake3_hasher *h, const void *input, size_t len);
/* Writes out_len bytes of output (any length: BLAKE3 is an XOF). The hasher
 * is not changed, so more input may follow. */
void blake3_hasher_finalize(const struct blake3_hasher *h, uint8_t *out, size_t out_len);

/* One shot: the 32-byte hash of input[0..len). */
void blake3_hash(const void *input, size_t len, uint8_t out[BLAKE3_OUT_LEN]);

#endif
