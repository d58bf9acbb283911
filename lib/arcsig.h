/*
 * arcsig: the ARCSIG signature trailer of CambiOS boot modules.
 *
 * A signed file is its original bytes followed by a 72-byte trailer:
 *
 *   [original bytes][signature: 64]["ARCSIG"][version = 0x01][algorithm = 0x00]
 *
 * The signature is Ed25519 (algorithm 0) over the 32-byte BLAKE3 hash of
 * the original bytes. Portable and allocation-free: the kernel, the signing
 * tool, the tests and the fuzzer share this code.
 */
#ifndef CAMBIOS_LIB_ARCSIG_H
#define CAMBIOS_LIB_ARCSIG_H

#include <stddef.h>
#include <stdint.h>

#define ARCSIG_TRAILER_LEN 72
#define ARCSIG_SIGNATURE_LEN 64
#define ARCSIG_MAGIC "ARCSIG"
#define ARCSIG_MAGIC_LEN 6
#define ARCSIG_VERSION 0x01
#define ARCSIG_ALGORITHM_ED25519 0x00

enum arcsig_status {
	ARCSIG_OK = 0,
	ARCSIG_UNSIGNED,          /* no trailer */
	ARCSIG_TRUNCATED,         /* a trailer cut short (see arcsig.c for the rule) */
	ARCSIG_UNKNOWN_VERSION,
	ARCSIG_UNKNOWN_ALGORITHM,
	ARCSIG_BAD_SIGNATURE,     /* well-formed trailer; the signature does not verify */
};

struct arcsig_view {
	const uint8_t *body; /* the original bytes */
	size_t body_len;
	const uint8_t *signature; /* 64 bytes */
	uint8_t version;
	uint8_t algorithm;
};

/* Splits a signed file into body and trailer; checks the trailer's shape
 * only (length, magic, version, algorithm). */
/*@ requires \valid_read(file + (0 .. len - 1));
    requires \initialized(file + (0 .. len - 1));
    requires \valid(out);
    assigns *out \from file[0 .. len - 1], file, len;
    ensures \result == ARCSIG_OK ==> len >= ARCSIG_TRAILER_LEN &&
	out->body == file && out->body_len == len - ARCSIG_TRAILER_LEN &&
	out->signature == file + out->body_len;
    ensures ARCSIG_OK <= \result <= ARCSIG_UNKNOWN_ALGORITHM; */
enum arcsig_status arcsig_parse(const uint8_t *file, size_t len, struct arcsig_view *out);

/* Parses, hashes the body with BLAKE3 and verifies the signature against
 * `public_key` (32 bytes). On ARCSIG_OK, *body_len (if not NULL) is the
 * length of the original bytes. */
enum arcsig_status arcsig_verify(const uint8_t *file, size_t len, const uint8_t public_key[32],
				 size_t *body_len);

/* The reason words used in boot messages: "unsigned", "truncated",
 * "unknown version", "unknown algorithm", "bad signature". */
const char *arcsig_status_reason(enum arcsig_status s);

#endif
