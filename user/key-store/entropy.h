/*
 * entropy: where the key-store's randomness comes from.
 *
 * The CPU's random-number instruction (RDRAND on x86_64, RNDR on AArch64,
 * where the kernel says the CPU has it). Its output is hashed (BLAKE3)
 * into the seed, so a biased word never shows in the key.
 */
#ifndef CAMBIOS_KEY_STORE_ENTROPY_H
#define CAMBIOS_KEY_STORE_ENTROPY_H

#include <abi/keystore.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ENTROPY_SEED_LEN 32

/* Fills `seed` from every source there is; returns which were used
 * (KS_SOURCE_NONE: no source -- then `seed` is all zero and must not
 * be used). */
enum ks_source entropy_seed(uint8_t seed[ENTROPY_SEED_LEN]);

/* The CPU's instruction: `len` bytes (a multiple of 8), or false if the
 * CPU has none or it kept failing. */
bool entropy_from_cpu(uint8_t *out, size_t len);

#endif
