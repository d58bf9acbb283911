/*
 * entropy: the key-store's seed from the sources there are (entropy.h).
 */
#include "entropy.h"

#include <crypto/blake3.h>
#include <crypto/ed25519.h>

#define RAW_BYTES 64 /* twice the seed: hashed down, nothing of the raw words shows */

enum ks_source entropy_seed(uint8_t seed[ENTROPY_SEED_LEN])
{
	uint8_t raw[RAW_BYTES];
	enum ks_source used = KS_SOURCE_NONE;

	if (entropy_from_cpu(raw, sizeof(raw)))
		used = KS_SOURCE_CPU;
	if (used == KS_SOURCE_NONE) {
		crypto_wipe(seed, ENTROPY_SEED_LEN);
		return used;
	}
	blake3_hash(raw, sizeof(raw), seed);
	crypto_wipe(raw, sizeof(raw));
	return used;
}
