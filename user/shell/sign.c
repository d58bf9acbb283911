/*
 * sign: a name's content, hashed with BLAKE3 and signed by the key-store
 * (ENDPOINT_KEY_STORE, abi/keystore.h), printed so that anyone can check
 * it elsewhere: the hash, the Ed25519 signature over those 32 bytes, and
 * the key-store's public key, all in hex.
 *
 * The key-store is another process: its public key must come from the
 * Principal it speaks for (the kernel stamps that on its answer, and the
 * key-store binds its key as its Principal at start), and the signature
 * must verify here against that key before it is shown. A key-store
 * without a key (no entropy source) answers SYS_ENOENT, said plainly.
 */
#include <abi/keystore.h>
#include <crypto/blake3.h>
#include <crypto/ed25519.h>
#include <kstring.h>

#include "shell.h"

static struct answer a;

/* The key-store's answer of `size` bytes, type KS_REPLY: its status,
 * or 1 when the answer is malformed (said). */
static int32_t ks_ask(const void *request, size_t len, void *out, size_t size)
{
	struct { uint32_t type; int32_t status; } head;

	if (!ask(&SERVICE_KEY_STORE, request, len, &a))
		return 1;
	if (a.len < sizeof(head)) {
		say1("shell: sign: the key-store's answer is too short; ignored");
		return 1;
	}
	memcpy(&head, a.bytes, sizeof(head));
	if (head.type != KS_REPLY || (head.status == 0 && a.len != size)) {
		say1("shell: sign: the key-store's answer is not the one asked for; ignored");
		return 1;
	}
	if (head.status == 0)
		memcpy(out, a.bytes, size);
	return head.status;
}

static bool say_ks_status(int32_t status)
{
	if (status == SYS_ENOENT)
		say1("shell: sign: the key-store has no key (no entropy source); nothing signed");
	else if (status < 0)
		out_say_error("sign: key-store", status);
	return status == 0;
}

static bool get_public_key(struct ks_pubkey *key)
{
	const struct ks_request get = { .type = KS_GET_PUBKEY };

	if (!say_ks_status(ks_ask(&get, sizeof(get), key, sizeof(*key))))
		return false;
	if (memcmp(a.principal, key->key, sizeof(key->key)) != 0) {
		say1("shell: sign: the key-store's key is not the Principal it speaks for; ignored");
		return false;
	}
	return true;
}

static bool get_signature(const uint8_t hash[32], const struct ks_pubkey *key,
			  struct ks_signature *sig)
{
	struct ks_sign req = { .type = KS_SIGN };

	memcpy(req.hash, hash, sizeof(req.hash));
	if (!say_ks_status(ks_ask(&req, sizeof(req), sig, sizeof(*sig))))
		return false;
	if (ed25519_verify(key->key, hash, 32, sig->signature) != ED25519_OK) {
		say1("shell: sign: the key-store's signature does not verify; not shown");
		return false;
	}
	return true;
}

static void say_hex(const char *what, const uint8_t *bytes, size_t n)
{
	struct line l = { .len = 0 };

	put(&l, what);
	out_put_hex(&l, bytes, n);
	say(&l);
}

void cmd_sign(const struct shell_line *cl)
{
	static struct fs_get_reply content;
	struct ks_pubkey key;
	struct ks_signature sig;
	uint8_t hash[BLAKE3_OUT_LEN];
	size_t len;
	const char *name = shell_arg(cl, 1, &len);

	if (!files_get("sign", name, len, &content))
		return;
	blake3_hash(content.content, content.len, hash);
	if (!get_public_key(&key) || !get_signature(hash, &key, &sig))
		return;
	say_hex("sign: blake3 ", hash, sizeof(hash));
	say_hex("sign: signature ", sig.signature, sizeof(sig.signature));
	say_hex("sign: public key ", key.key, sizeof(key.key));
}
