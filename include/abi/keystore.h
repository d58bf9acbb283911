/*
 * abi/keystore: the key-store's messages (ENDPOINT_KEY_STORE, 17).
 *
 * The key-store holds one Ed25519 service key it made itself at start,
 * from every entropy source the machine has (hashed together), and bound
 * as its own Principal (BindPrincipal): the kernel holds no secret to give
 * it. The secret half never leaves the process. Requests go to 17; the
 * answer goes to the sender's reply endpoint. Every message starts with a
 * u32 `type`; fields are little-endian and naturally aligned.
 *
 *   KS_GET_PUBKEY  struct ks_request           -> struct ks_pubkey
 *   KS_SIGN        struct ks_sign (a 32-byte   -> struct ks_signature:
 *                  BLAKE3 hash)                   Ed25519 over those 32 bytes
 *
 * status is 0 or a SYS_E* code (abi/errors.h): SYS_EINVAL for a malformed
 * request, SYS_ENOENT when the key-store has no key (no entropy source).
 * Every request is logged on the console with the caller's Principal.
 */
#ifndef CAMBIOS_ABI_KEYSTORE_H
#define CAMBIOS_ABI_KEYSTORE_H

#include <stdint.h>

enum ks_type {
	KS_GET_PUBKEY = 1,
	KS_SIGN = 2,
	KS_REPLY = 3,
};

/* Where the key's entropy came from (ks_pubkey.source). */
enum ks_source {
	KS_SOURCE_NONE = 0,
	KS_SOURCE_CPU = 1,        /* RDRAND / RNDR */
	KS_SOURCE_VIRTIO_RNG = 2, /* the host's entropy through virtio-rng */
	KS_SOURCE_BOTH = 3,       /* both, hashed together */
};

struct ks_request {
	uint32_t type;
};

struct ks_sign {
	uint32_t type; /* KS_SIGN */
	uint8_t hash[32];
};

struct ks_pubkey {
	uint32_t type;   /* KS_REPLY */
	int32_t status;
	uint8_t key[32];
	uint32_t source; /* enum ks_source */
};

struct ks_signature {
	uint32_t type;   /* KS_REPLY */
	int32_t status;
	uint8_t signature[64];
};

_Static_assert(sizeof(struct ks_sign) == 36, "ks_sign's layout is the ABI");
_Static_assert(sizeof(struct ks_pubkey) == 44, "ks_pubkey's layout is the ABI");
_Static_assert(sizeof(struct ks_signature) == 72, "ks_signature's layout is the ABI");

#endif
