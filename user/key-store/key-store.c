/*
 * key-store: the service that signs for others (ENDPOINT_KEY_STORE, 17;
 * abi/keystore.h).
 *
 * It holds no bootstrap secret -- the kernel has none to give. At start it
 * makes its own Ed25519 service key from the machine's entropy (entropy.h:
 * the CPU's instruction and a virtio-rng device, each when present,
 * hashed together), says which sources went in, and binds the key as its
 * Principal through BindPrincipal (system call 11), so its messages and
 * objects are stamped with the key it signs with. Then it answers
 * GET_PUBKEY and SIGN (a 32-byte BLAKE3 hash), logging every request with
 * the caller's Principal as the kernel stamped it. The secret seed never leaves this process: no
 * message carries it, and nothing but Ed25519 signing reads it.
 */
#include <abi/endpoints.h>
#include <abi/keystore.h>
#include <abi/principal.h>
#include <crypto/blake3.h>
#include <crypto/ed25519.h>

#include "../lib/line.h"
#include "../lib/module.h"
#include "../lib/sys.h"
#include "entropy.h"

CAMBIOS_MODULE_ROLE("key-store");

#define P(x) ((uint64_t)(uintptr_t)(x))

static uint8_t seed[ENTROPY_SEED_LEN];
static uint8_t public_key[PRINCIPAL_LEN];
static enum ks_source source = KS_SOURCE_NONE;

/* The kernel's fingerprint of a Principal: BLAKE3 of the key, 8 bytes. */
static void put_fingerprint(struct line *l, const uint8_t key[PRINCIPAL_LEN])
{
	uint8_t hash[BLAKE3_OUT_LEN];

	blake3_hash(key, PRINCIPAL_LEN, hash);
	for (unsigned i = 0; i < 8; i++)
		put_byte(l, hash[i]);
}

static const char *source_words(enum ks_source s)
{
	switch (s) {
	case KS_SOURCE_CPU: return "the CPU's random-number instruction (RDRAND / RNDR)";
	case KS_SOURCE_VIRTIO_RNG: return "a virtio-rng device";
	case KS_SOURCE_BOTH:
		return "the CPU's random-number instruction (RDRAND / RNDR) and a virtio-rng device";
	default: return "nothing";
	}
}

/* Binds the service key as this process's Principal: the kernel wants a
 * signature by it over the key and our pid (abi/principal.h). */
static int64_t bind_key(void)
{
	static const uint8_t context[BIND_PRINCIPAL_CONTEXT_LEN] = BIND_PRINCIPAL_CONTEXT;
	uint8_t message[BIND_PRINCIPAL_MESSAGE_LEN], signature[BIND_PRINCIPAL_SIGNATURE_LEN];
	uint64_t pid = (uint64_t)sys_getpid();

	__builtin_memcpy(message, context, sizeof(context));
	__builtin_memcpy(message + BIND_PRINCIPAL_CONTEXT_LEN, public_key, PRINCIPAL_LEN);
	for (unsigned i = 0; i < 8; i++)
		message[BIND_PRINCIPAL_CONTEXT_LEN + PRINCIPAL_LEN + i] = (uint8_t)(pid >> (8 * i));
	ed25519_sign(seed, public_key, message, sizeof(message), signature);
	return sys_call4(SYS_BIND_PRINCIPAL, pid, P(public_key), PRINCIPAL_LEN, P(signature));
}

static void make_key(void)
{
	struct line l = { .len = 0 };

	source = entropy_seed(seed);
	if (source == KS_SOURCE_NONE) {
		say1("key-store: no entropy source (no RDRAND / RNDR, no virtio-rng): no key made, "
		     "every request is refused");
		return;
	}
	ed25519_public_key(seed, public_key);
	int64_t bound = bind_key();
	if (bound != 0) {
		crypto_wipe(seed, sizeof(seed));
		source = KS_SOURCE_NONE;
		put(&l, "key-store: BindPrincipal refused the service key (");
		put_dec(&l, bound);
		put(&l, "): no key, every request is refused");
		say(&l);
		return;
	}
	put(&l, "key-store: service key made from ");
	put(&l, source_words(source));
	put(&l, "; bound as its principal ");
	put_fingerprint(&l, public_key);
	say(&l);
	l.len = 0;
	put(&l, "key-store: public key ");
	for (unsigned i = 0; i < PRINCIPAL_LEN; i++)
		put_byte(&l, public_key[i]);
	say(&l);
}

/* "key-store: SIGN 3f2a... for principal 0123...: signed" */
static void log_request(const uint8_t *caller, const char *what, const uint8_t *hash,
			int32_t status)
{
	struct line l = { .len = 0 };

	put(&l, "key-store: ");
	put(&l, what);
	for (unsigned i = 0; hash && i < 8; i++)
		put_byte(&l, hash[i]);
	put(&l, hash ? "... for principal " : " for principal ");
	put_fingerprint(&l, caller);
	put(&l, status == 0 ? ": done" : ": refused ");
	if (status != 0)
		put_dec(&l, status);
	say(&l);
}

static int32_t get_pubkey(struct ks_pubkey *out)
{
	*out = (struct ks_pubkey){ .type = KS_REPLY, .source = source };
	if (source == KS_SOURCE_NONE)
		return out->status = SYS_ENOENT;
	__builtin_memcpy(out->key, public_key, PRINCIPAL_LEN);
	return 0;
}

static int32_t sign_hash(const struct ks_sign *in, struct ks_signature *out)
{
	*out = (struct ks_signature){ .type = KS_REPLY };
	if (source == KS_SOURCE_NONE)
		return out->status = SYS_ENOENT;
	ed25519_sign(seed, public_key, in->hash, sizeof(in->hash), out->signature);
	return 0;
}

/* One request: `payload` of `len` bytes from `caller`; answers `reply_to`. */
static void serve(const uint8_t *caller, uint32_t reply_to, const uint8_t *payload, size_t len)
{
	struct ks_request req = { 0 };
	struct ks_sign sign;
	struct ks_pubkey key;
	struct ks_signature sig;
	struct { uint32_t type; int32_t status; } bad = { KS_REPLY, SYS_EINVAL };

	if (len >= sizeof(req))
		__builtin_memcpy(&req, payload, sizeof(req));
	if (len == sizeof(req) && req.type == KS_GET_PUBKEY) {
		log_request(caller, "GET_PUBKEY", 0, get_pubkey(&key));
		(void)sys_write(reply_to, &key, sizeof(key));
	} else if (len == sizeof(sign) && req.type == KS_SIGN) {
		__builtin_memcpy(&sign, payload, sizeof(sign));
		log_request(caller, "SIGN ", sign.hash, sign_hash(&sign, &sig));
		(void)sys_write(reply_to, &sig, sizeof(sig));
	} else {
		log_request(caller, "malformed request", 0, SYS_EINVAL);
		(void)sys_write(reply_to, &bad, sizeof(bad));
	}
}

int main(void)
{
	static uint8_t msg[SYS_MSG_PREFIX + 256];

	if (sys_register_endpoint(ENDPOINT_KEY_STORE) != 0) {
		say1("key-store: endpoint 17 is taken: not serving");
		return 1;
	}
	make_key();
	for (;;) {
		int64_t n = sys_recv_msg(ENDPOINT_KEY_STORE, msg, sizeof(msg));
		if (n < SYS_MSG_PREFIX)
			continue;
		uint32_t from = sys_msg_from(msg);
		if (from == 0xffffffffu)
			continue; /* nowhere to answer */
		serve(msg, from, msg + SYS_MSG_PREFIX, (size_t)(n - SYS_MSG_PREFIX));
	}
}
