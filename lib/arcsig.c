/*
 * arcsig: parsing and verifying the ARCSIG trailer (see arcsig.h).
 *
 * The trailer's shape is checked from the end of the file: the last 8
 * bytes must be "ARCSIG", version, algorithm. What counts as TRUNCATED
 * (rather than UNSIGNED): the file ends with 4 to 7 bytes of that 8-byte
 * tail -- its end was cut inside the magic, version or algorithm -- or the
 * file ends with the full tail but is shorter than a whole trailer. Any
 * other file without the tail is UNSIGNED. Only a well-formed trailer gets
 * the expensive part: BLAKE3 over the body, then Ed25519.
 */
#include "arcsig.h"

#include <crypto/blake3.h>
#include <crypto/ed25519.h>
#include <kstring.h>
#include <stdbool.h>

#define TAIL_LEN (ARCSIG_MAGIC_LEN + 2)
#define SHORTEST_CUT_TAIL 4

static const uint8_t tail[TAIL_LEN] = { 'A', 'R', 'C', 'S', 'I', 'G', ARCSIG_VERSION,
					ARCSIG_ALGORITHM_ED25519 };

/*@ requires \valid_read(file + (0 .. len - 1));
    requires \initialized(file + (0 .. len - 1));
    assigns \nothing; */
static bool ends_with_cut_tail(const uint8_t *file, size_t len)
{
	/*@ loop invariant SHORTEST_CUT_TAIL - 1 <= n <= TAIL_LEN - 1;
	    loop assigns n;
	    loop variant n; */
	for (size_t n = TAIL_LEN - 1; n >= SHORTEST_CUT_TAIL; n--) {
		if (len >= n && memcmp(file + len - n, tail, n) == 0)
			return true;
	}
	return false;
}

enum arcsig_status arcsig_parse(const uint8_t *file, size_t len, struct arcsig_view *out)
{
	if (len < TAIL_LEN || memcmp(file + len - TAIL_LEN, ARCSIG_MAGIC, ARCSIG_MAGIC_LEN) != 0)
		return ends_with_cut_tail(file, len) ? ARCSIG_TRUNCATED : ARCSIG_UNSIGNED;
	if (len < ARCSIG_TRAILER_LEN)
		return ARCSIG_TRUNCATED;
	out->body = file;
	out->body_len = len - ARCSIG_TRAILER_LEN;
	out->signature = file + out->body_len;
	out->version = file[len - 2];
	out->algorithm = file[len - 1];
	if (out->version != ARCSIG_VERSION)
		return ARCSIG_UNKNOWN_VERSION;
	if (out->algorithm != ARCSIG_ALGORITHM_ED25519)
		return ARCSIG_UNKNOWN_ALGORITHM;
	return ARCSIG_OK;
}

enum arcsig_status arcsig_verify(const uint8_t *file, size_t len, const uint8_t public_key[32],
				 size_t *body_len)
{
	struct arcsig_view v;
	uint8_t hash[BLAKE3_OUT_LEN];
	enum arcsig_status s = arcsig_parse(file, len, &v);

	if (s != ARCSIG_OK)
		return s;
	blake3_hash(v.body, v.body_len, hash);
	if (ed25519_verify(public_key, hash, sizeof(hash), v.signature) != ED25519_OK)
		return ARCSIG_BAD_SIGNATURE;
	if (body_len)
		*body_len = v.body_len;
	return ARCSIG_OK;
}

const char *arcsig_status_reason(enum arcsig_status s)
{
	switch (s) {
	case ARCSIG_OK: return "accepted";
	case ARCSIG_UNSIGNED: return "unsigned";
	case ARCSIG_TRUNCATED: return "truncated";
	case ARCSIG_UNKNOWN_VERSION: return "unknown version";
	case ARCSIG_UNKNOWN_ALGORITHM: return "unknown algorithm";
	case ARCSIG_BAD_SIGNATURE: return "bad signature";
	}
	return "invalid";
}
