/*
 * arcsig_fuzz: libFuzzer target for the trailer parser and verifier
 * (lib/arcsig.c), which read untrusted module bytes in the kernel.
 *
 * Oracle: no crash, no sanitizer report, and consistency -- a parse that
 * succeeds describes a body plus a 72-byte trailer inside the input, and
 * verification never succeeds where parsing failed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <arcsig.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t public_key[32] = {
	0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a,
	0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so any read past the end is caught. */
	uint8_t *copy = malloc(size ? size : 1);
	struct arcsig_view v;

	memcpy(copy, data, size);
	enum arcsig_status parsed = arcsig_parse(copy, size, &v);
	if (parsed == ARCSIG_OK &&
	    (v.body != copy || v.body_len + ARCSIG_TRAILER_LEN != size || v.signature != copy + v.body_len))
		abort();
	enum arcsig_status verified = arcsig_verify(copy, size, public_key, NULL);
	if (verified == ARCSIG_OK && parsed != ARCSIG_OK)
		abort();
	if (parsed != ARCSIG_OK && verified != parsed)
		abort();
	free(copy);
	return 0;
}
