/*
 * crypto.c (verify stub): what the code under proof may assume of BLAKE3
 * and Ed25519.
 *
 * The hash and the signature check are arithmetic over fixed-size state,
 * host-tested against OpenSSL and b3sum and fuzzed; EVA would spend its
 * time in their rounds and say nothing about the parsers that call them.
 * Their contracts say what the callers rely on: they read exactly the bytes
 * they are given, write exactly their output, and return one of their
 * verdicts. (ASSUMPTIONS.md lists this stub.)
 */
#include <crypto/blake3.h>
#include <crypto/ed25519.h>

/*@ requires \valid_read((const uint8_t *)input + (0 .. len - 1));
    requires \valid(out + (0 .. BLAKE3_OUT_LEN - 1));
    assigns out[0 .. BLAKE3_OUT_LEN - 1] \from ((const uint8_t *)input)[0 .. len - 1], len;
    ensures \initialized(out + (0 .. BLAKE3_OUT_LEN - 1)); */
void blake3_hash(const void *input, size_t len, uint8_t out[BLAKE3_OUT_LEN]);

/*@ requires \valid_read(public_key + (0 .. ED25519_PUBLIC_KEY_LEN - 1));
    requires \valid_read(msg + (0 .. len - 1));
    requires \valid_read(signature + (0 .. ED25519_SIGNATURE_LEN - 1));
    assigns \result \from public_key[0 .. ED25519_PUBLIC_KEY_LEN - 1], msg[0 .. len - 1],
	signature[0 .. ED25519_SIGNATURE_LEN - 1];
    ensures ED25519_OK <= \result <= ED25519_BAD_R; */
enum ed25519_verdict ed25519_verify(const uint8_t public_key[ED25519_PUBLIC_KEY_LEN],
				    const uint8_t *msg, size_t len,
				    const uint8_t signature[ED25519_SIGNATURE_LEN]);
