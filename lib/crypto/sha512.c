/*
 * sha512: SHA-512 (FIPS 180-4), as Ed25519 needs it.
 *
 * Design: the textbook FIPS 180-4 structure, written for clarity and
 * portability rather than peak speed (Ed25519 verification is dominated by
 * the curve arithmetic, not by hashing):
 *   - sha512_update buffers input into 128-byte blocks and hands every
 *     complete block to sha512_compress (section 6.4.2);
 *   - sha512_final appends the padding of section 5.1.2: a 1 bit, zeros,
 *     and the message length in bits as a 128-bit big-endian integer;
 *   - the message schedule is kept in a 16-word ring instead of the 80-word
 *     array of the standard (same values, 512 fewer bytes of stack).
 * Words are loaded and stored big-endian byte by byte, so the code does not
 * depend on the host's endianness or alignment. No heap, no libc beyond
 * memcpy/memset (lib/kstring.h in freestanding builds).
 *
 * The constants were derived from their definitions (FIPS 180-4 sections
 * 4.2.3 and 5.3.5) with exact integer roots, and are checked by the
 * test vectors in tests/unit/ed25519_test.c.
 */
#include "crypto/sha512.h"

#include <kstring.h>

#define SHA512_ROUNDS 80
#define SCHEDULE_WORDS 16
#define LENGTH_FIELD_LEN 16 /* the bit length is appended as 128 bits */
#define PAD_FIRST_BYTE 0x80 /* the '1' bit that starts the padding */

/* FIPS 180-4 section 4.2.3: the first 64 bits of the fractional parts of
 * the cube roots of the first 80 primes. */
static const uint64_t round_constants[SHA512_ROUNDS] = {
	0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc,
	0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
	0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
	0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
	0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
	0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
	0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4,
	0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
	0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
	0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
	0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30,
	0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
	0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8,
	0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
	0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
	0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
	0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178,
	0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
	0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c,
	0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
};

/* FIPS 180-4 section 5.3.5: the first 64 bits of the fractional parts of
 * the square roots of the first 8 primes. */
static const uint64_t initial_state[8] = {
	0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
	0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
};

static inline uint64_t rotr(uint64_t x, unsigned n)
{
	return (x >> n) | (x << (64 - n));
}

static uint64_t load_be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

static void store_be64(uint8_t *p, uint64_t v)
{
	for (unsigned i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (56 - 8 * i));
}

/* The functions of FIPS 180-4 section 4.1.3. */
static inline uint64_t ch(uint64_t x, uint64_t y, uint64_t z)
{
	return (x & y) ^ (~x & z);
}

static inline uint64_t maj(uint64_t x, uint64_t y, uint64_t z)
{
	return (x & y) ^ (x & z) ^ (y & z);
}

static inline uint64_t big_sigma0(uint64_t x)
{
	return rotr(x, 28) ^ rotr(x, 34) ^ rotr(x, 39);
}

static inline uint64_t big_sigma1(uint64_t x)
{
	return rotr(x, 14) ^ rotr(x, 18) ^ rotr(x, 41);
}

static inline uint64_t small_sigma0(uint64_t x)
{
	return rotr(x, 1) ^ rotr(x, 8) ^ (x >> 7);
}

static inline uint64_t small_sigma1(uint64_t x)
{
	return rotr(x, 19) ^ rotr(x, 61) ^ (x >> 6);
}

/* FIPS 180-4 section 6.4.2, for one 128-byte block. W[t] for t >= 16 is
 * computed in place in a 16-entry ring: W[t] only depends on W[t-2],
 * W[t-7], W[t-15] and W[t-16], all of which are still in the ring. */
static void sha512_compress(uint64_t state[8], const uint8_t block[SHA512_BLOCK_LEN])
{
	uint64_t w[SCHEDULE_WORDS];
	uint64_t a = state[0], b = state[1], c = state[2], d = state[3];
	uint64_t e = state[4], f = state[5], g = state[6], h = state[7];

	for (unsigned t = 0; t < SCHEDULE_WORDS; t++)
		w[t] = load_be64(block + 8 * t);
	for (unsigned t = 0; t < SHA512_ROUNDS; t++) {
		if (t >= SCHEDULE_WORDS) {
			unsigned i = t % SCHEDULE_WORDS;

			w[i] += small_sigma1(w[(t - 2) % SCHEDULE_WORDS]) +
				w[(t - 7) % SCHEDULE_WORDS] +
				small_sigma0(w[(t - 15) % SCHEDULE_WORDS]);
		}
		uint64_t t1 = h + big_sigma1(e) + ch(e, f, g) + round_constants[t] +
			      w[t % SCHEDULE_WORDS];
		uint64_t t2 = big_sigma0(a) + maj(a, b, c);

		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	state[0] += a;
	state[1] += b;
	state[2] += c;
	state[3] += d;
	state[4] += e;
	state[5] += f;
	state[6] += g;
	state[7] += h;
}

void sha512_init(struct sha512_ctx *c)
{
	memcpy(c->state, initial_state, sizeof(c->state));
	c->bytes = 0;
	c->block_len = 0;
}

void sha512_update(struct sha512_ctx *c, const void *data, size_t len)
{
	const uint8_t *in = data;

	if (len == 0)
		return; /* data may be NULL */
	c->bytes += len;
	if (c->block_len > 0) {
		size_t take = SHA512_BLOCK_LEN - c->block_len;

		if (take > len)
			take = len;
		memcpy(c->block + c->block_len, in, take);
		c->block_len += take;
		in += take;
		len -= take;
		if (c->block_len < SHA512_BLOCK_LEN)
			return;
		sha512_compress(c->state, c->block);
		c->block_len = 0;
	}
	/* Whole blocks straight from the caller's buffer, no copy. */
	for (; len >= SHA512_BLOCK_LEN; in += SHA512_BLOCK_LEN, len -= SHA512_BLOCK_LEN)
		sha512_compress(c->state, in);
	if (len > 0) {
		memcpy(c->block, in, len);
		c->block_len = len;
	}
}

/* Zeroes through a volatile pointer, so the stores are not dropped as dead
 * (the same idea as crypto_wipe; repeated here so that this file stands
 * alone). */
static void wipe(void *p, size_t n)
{
	volatile uint8_t *b = p;

	while (n--)
		*b++ = 0;
}

/* FIPS 180-4 section 5.1.2 padding, then the big-endian digest (6.4.2). */
void sha512_final(struct sha512_ctx *c, uint8_t out[SHA512_OUT_LEN])
{
	/* The length in bits: the high 64 bits of the 128-bit field only
	 * receive the top 3 bits of the byte count. */
	uint64_t bits_hi = c->bytes >> 61;
	uint64_t bits_lo = c->bytes << 3;

	c->block[c->block_len++] = PAD_FIRST_BYTE;
	if (c->block_len > SHA512_BLOCK_LEN - LENGTH_FIELD_LEN) {
		/* No room for the length field: pad out this block too. */
		memset(c->block + c->block_len, 0, SHA512_BLOCK_LEN - c->block_len);
		sha512_compress(c->state, c->block);
		c->block_len = 0;
	}
	memset(c->block + c->block_len, 0, SHA512_BLOCK_LEN - LENGTH_FIELD_LEN - c->block_len);
	store_be64(c->block + SHA512_BLOCK_LEN - LENGTH_FIELD_LEN, bits_hi);
	store_be64(c->block + SHA512_BLOCK_LEN - 8, bits_lo);
	sha512_compress(c->state, c->block);
	for (unsigned i = 0; i < 8; i++)
		store_be64(out + 8 * i, c->state[i]);
	/* The context may have hashed secrets (Ed25519 seeds and nonces). */
	wipe(c, sizeof(*c));
}

void sha512(const void *data, size_t len, uint8_t out[SHA512_OUT_LEN])
{
	struct sha512_ctx c;

	sha512_init(&c);
	sha512_update(&c, data, len);
	sha512_final(&c, out);
}
