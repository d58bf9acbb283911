/*
 * identity: who the kernel is -- the bootstrap Principal.
 *
 * A Principal is a 32-byte Ed25519 public key. The bootstrap Principal's
 * key was compiled into the kernel from bootstrap_pubkey.bin (the build's
 * BOOTSTRAP_PUBKEY); its secret half never enters the kernel: modules were
 * signed on the developer's machine (or a hardware token), and the kernel
 * needs only the public key to check them.
 */
#ifndef CAMBIOS_IDENTITY_H
#define CAMBIOS_IDENTITY_H

#include <abi/principal.h> /* PRINCIPAL_LEN: user space sees the key's 32 bytes */
#include <stdbool.h>
#include <stdint.h>

struct principal {
	uint8_t key[PRINCIPAL_LEN];
};

/* Loads the compiled-in key into the bootstrap Principal and prints its
 * fingerprint. The Principal is write-once: later calls change nothing. */
void identity_init_bootstrap(void);

/* The bootstrap Principal (valid after identity_init_bootstrap). */
const struct principal *identity_bootstrap(void);

/* The fingerprint printed for a Principal: the first 8 bytes of the
 * BLAKE3 hash of its key, as 16 hex digits (out: 17 bytes). */
void identity_fingerprint(const struct principal *p, char out[17]);

#endif
