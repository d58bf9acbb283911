/*
 * entropy: where the key-store's randomness comes from.
 *
 * Every source the machine has: the CPU's random-number instruction
 * (RDRAND on x86_64, RNDR on AArch64, where the kernel says the CPU has
 * it) and a virtio-rng device, the host's entropy (virtio_rng.c). What
 * each gave is hashed together (BLAKE3) into the seed, so a biased word
 * never shows in the key, and the key is as hard to guess as the best of
 * the sources: a weak or hostile one adds nothing, and takes nothing away.
 * (The device is read, and reset, before the CPU's bytes are drawn; still,
 * with no IOMMU a device that does DMA can read any memory -- the trust
 * any driver here gives its device.)
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

/* A virtio-rng device: `len` bytes (at most 16 x 256), or false -- out all
 * zero -- when the machine has none (nothing said) or the device failed
 * or broke a rule (one line says why). */
bool entropy_from_virtio_rng(uint8_t *out, size_t len);

#endif
