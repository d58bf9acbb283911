/*
 * entropy: the key-store's seed from the sources there are (entropy.h).
 */
#include "entropy.h"

#include <crypto/blake3.h>
#include <crypto/ed25519.h>

/* From each source, twice the seed: hashed down, nothing of the raw words shows. */
#define RAW_BYTES 64

enum ks_source entropy_seed(uint8_t seed[ENTROPY_SEED_LEN])
{
	uint8_t raw[2 * RAW_BYTES]; /* the CPU's bytes, then the device's */
	bool cpu, rng;

	/* The device first: it has been reset before the CPU's bytes exist. */
	rng = entropy_from_virtio_rng(raw + RAW_BYTES, RAW_BYTES);
	cpu = entropy_from_cpu(raw, RAW_BYTES);
	size_t have = (cpu ? RAW_BYTES : 0) + (rng ? RAW_BYTES : 0);
	if (have == 0) {
		crypto_wipe(raw, sizeof(raw));
		crypto_wipe(seed, ENTROPY_SEED_LEN);
		return KS_SOURCE_NONE;
	}
	/* Hashed as one run: the CPU's 64 bytes alone when it is the only
	 * source (the seed as before the device came), the device's alone,
	 * or both, the CPU's first. */
	blake3_hash(cpu ? raw : raw + RAW_BYTES, have, seed);
	crypto_wipe(raw, sizeof(raw));
	return cpu && rng ? KS_SOURCE_BOTH : cpu ? KS_SOURCE_CPU : KS_SOURCE_VIRTIO_RNG;
}
