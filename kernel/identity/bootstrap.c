/*
 * bootstrap: the kernel's cryptographic identity (see identity.h).
 *
 * bootstrap_pubkey.h is generated at build time from BOOTSTRAP_PUBKEY by
 * the signing tool; it holds the public key only. A test of the build
 * proves the kernel image contains that key and neither the seed nor the
 * private scalar derived from it.
 */
#include <identity.h>

#include <bootstrap_pubkey.h>
#include <crypto/blake3.h>
#include <kstring.h>
#include <printk.h>

#define FINGERPRINT_BYTES 8

_Static_assert(sizeof(bootstrap_public_key) == PRINCIPAL_LEN, "Ed25519 public key size");

static struct principal bootstrap;
static bool bootstrap_loaded;

void identity_fingerprint(const struct principal *p, char out[17])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t hash[BLAKE3_OUT_LEN];

	blake3_hash(p->key, PRINCIPAL_LEN, hash);
	for (int i = 0; i < FINGERPRINT_BYTES; i++) {
		out[2 * i] = hex[hash[i] >> 4];
		out[2 * i + 1] = hex[hash[i] & 0xf];
	}
	out[2 * FINGERPRINT_BYTES] = '\0';
}

void identity_init_bootstrap(void)
{
	char fingerprint[17];

	if (!bootstrap_loaded) {
		/* Copied through a pointer the optimiser cannot see through, so
		 * the key stays one 32-byte run of data in the image -- where
		 * anyone (and the build's key test) can find it -- rather than
		 * being folded into the immediates of the stores that copy it,
		 * as link-time optimisation otherwise does on AArch64. */
		const uint8_t *key = bootstrap_public_key;
		__asm__("" : "+r"(key));
		memcpy(bootstrap.key, key, PRINCIPAL_LEN);
		bootstrap_loaded = true;
	}
	identity_fingerprint(&bootstrap, fingerprint);
	println("identity: bootstrap principal loaded (Ed25519 public key, fingerprint %s)",
		fingerprint);
}

const struct principal *identity_bootstrap(void)
{
	return &bootstrap;
}
