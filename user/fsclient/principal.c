/*
 * principal: a second Principal for fsclient. Every boot module speaks
 * for the bootstrap Principal; to be someone else -- to meet "not owner"
 * and to sign a put fs can check -- fsclient derives a key pair from a
 * fixed seed and binds its own process to the public key with 11
 * BindPrincipal(pid, pubkey, 32, signature), the signature by the new
 * key over "cambios:bind-principal:" || pubkey || pid (u64,
 * little-endian). From then on the kernel stamps that key on every
 * message it sends. The seed is a test's: it guards nothing.
 */
#include "fsclient.h"

#include <abi/principal.h>
#include <crypto/ed25519.h>
#include <kstring.h>

#include "../lib/sys.h"

#define BIND_CONTEXT_LEN BIND_PRINCIPAL_CONTEXT_LEN
#define BIND_MESSAGE_LEN BIND_PRINCIPAL_MESSAGE_LEN

_Static_assert(BIND_MESSAGE_LEN == 63, "BindPrincipal signs 63 bytes");

static const uint8_t seed[ED25519_SEED_LEN] = "fsclient: a second principal..";
static uint8_t public_key[ED25519_PUBLIC_KEY_LEN];

static void bind_message(uint64_t pid, uint8_t out[BIND_MESSAGE_LEN])
{
	/* The context's bytes without its NUL: the message has none. */
	static const uint8_t context[BIND_CONTEXT_LEN] = BIND_PRINCIPAL_CONTEXT;

	memcpy(out, context, sizeof(context));
	memcpy(out + BIND_CONTEXT_LEN, public_key, ED25519_PUBLIC_KEY_LEN);
	for (unsigned i = 0; i < 8; i++)
		out[BIND_CONTEXT_LEN + ED25519_PUBLIC_KEY_LEN + i] = (uint8_t)(pid >> (8 * i));
}

int64_t fsclient_bind(void)
{
	uint8_t message[BIND_MESSAGE_LEN], signature[BIND_PRINCIPAL_SIGNATURE_LEN];
	int64_t pid = sys_getpid();

	ed25519_public_key(seed, public_key);
	bind_message((uint64_t)pid, message);
	ed25519_sign(seed, public_key, message, sizeof(message), signature);
	return sys_call4(SYS_BIND_PRINCIPAL, (uint64_t)pid, (uint64_t)(uintptr_t)public_key,
			 ED25519_PUBLIC_KEY_LEN, (uint64_t)(uintptr_t)signature);
}

void fsclient_sign(const void *msg, size_t len, uint8_t signature[FS_SIGNATURE_LEN])
{
	ed25519_sign(seed, public_key, msg, len, signature);
}

const uint8_t *fsclient_public_key(void)
{
	return public_key;
}
