/* ks-client: the key-store from another process (tests/boot/test_key_store.py
 * gives it as a module). Asks for the public key, has a 32-byte hash
 * signed -- BLAKE3 of a fixed text -- and sends one malformed request.
 * Prints the key, the hash and the signature in hex for the test to
 * verify with OpenSSL, and where the key's entropy came from (enum
 * ks_source), then exits 0, or 1-5 at the answer that was wrong. */
#include <abi/endpoints.h>
#include <abi/keystore.h>
#include <crypto/blake3.h>

#include "../lib/line.h"
#include "../lib/module.h"
#include "../lib/sys.h"

CAMBIOS_MODULE_ROLE("ks-client");

#define MY_ENDPOINT 27
#define TEXT "signed by the key-store for ks-client"

static uint8_t in[SYS_MSG_PREFIX + 256];

/* Sends `len` bytes to the key-store and waits for its answer's payload. */
static int64_t ask(const void *request, size_t len)
{
	if (sys_write(ENDPOINT_KEY_STORE, request, len) != (int64_t)len)
		return -1;
	return sys_recv_msg(MY_ENDPOINT, in, sizeof(in)) - SYS_MSG_PREFIX;
}

static void say_hex(const char *what, const uint8_t *bytes, size_t n)
{
	struct line l = { .len = 0 };

	put(&l, what);
	for (size_t i = 0; i < n; i++)
		put_byte(&l, bytes[i]);
	say(&l);
}

int main(void)
{
	const struct ks_request get = { KS_GET_PUBKEY };
	struct ks_sign sign = { .type = KS_SIGN };
	struct ks_pubkey key;
	struct ks_signature sig;
	const uint32_t junk[3] = { KS_SIGN, 1, 2 };

	if (sys_register_endpoint(MY_ENDPOINT) != 0)
		return 1;
	if (ask(&get, sizeof(get)) != (int64_t)sizeof(key))
		return 2;
	__builtin_memcpy(&key, in + SYS_MSG_PREFIX, sizeof(key));
	if (key.type != KS_REPLY || key.status != 0)
		return 3;
	blake3_hash(TEXT, sizeof(TEXT) - 1, sign.hash);
	if (ask(&sign, sizeof(sign)) != (int64_t)sizeof(sig))
		return 4;
	__builtin_memcpy(&sig, in + SYS_MSG_PREFIX, sizeof(sig));
	if (sig.type != KS_REPLY || sig.status != 0)
		return 4;
	say_hex("ks-client: key ", key.key, sizeof(key.key));
	struct line l = { .len = 0 };
	put(&l, "ks-client: source ");
	put_dec(&l, key.source);
	say(&l);
	say_hex("ks-client: hash ", sign.hash, sizeof(sign.hash));
	say_hex("ks-client: signature ", sig.signature, sizeof(sig.signature));
	if (ask(junk, sizeof(junk)) != 8 || ((const int32_t *)(in + SYS_MSG_PREFIX))[1] != SYS_EINVAL)
		return 5;
	return 0;
}
