/*
 * ed25519: Ed25519 signatures (RFC 8032 section 5.1, pure Ed25519).
 *
 * Layers, bottom up, each in its own section below:
 *
 *   field    GF(p), p = 2^255 - 19, in radix 2^51: five 64-bit limbs,
 *            products in unsigned __int128. Limbs may exceed 51 bits between
 *            operations (additions do not carry), which saves carries in the
 *            curve formulas; the bounds are stated where they matter.
 *            Every field operation is straight-line code: no branch or
 *            memory index depends on the values.
 *   group    the twisted Edwards curve -x^2 + y^2 = 1 + d*x^2*y^2 in the
 *            extended coordinates of Hisil, Wong, Carter and Dawson,
 *            "Twisted Edwards Curves Revisited" (2008): (X:Y:Z:T) with
 *            x = X/Z, y = Y/Z, x*y = T/Z. Additions and doublings produce
 *            the "completed" form (see struct ge_completed), which is
 *            converted to the cheapest form the next step needs.
 *   scalars  integers mod L (the prime order of B) in 64-bit limbs;
 *            Barrett reduction (Handbook of Applied Cryptography, 14.42)
 *            with a fixed number of steps and masked final subtractions.
 *   Ed25519  key generation (5.1.5), signing (5.1.6), verification (5.1.7).
 *
 * Constant time. Key generation and signing touch secrets (the seed, the
 * clamped scalar s, the nonce r): they use only the straight-line field
 * code, the fixed-base multiplication ge_scalarmult_base (signed radix-16
 * digits, every table entry of a row read and selected with masks), and
 * the straight-line scalar code. Secret intermediates are wiped with
 * crypto_wipe before returning. Verification handles only public data and
 * is variable-time: the equation is rewritten with scalars of about 128
 * bits (see the verification section), whose width-4 NAFs for A and R
 * and width-8 NAFs for the two halves of the scalar of B, over tables of
 * odd multiples of B and of 2^128 B, are interleaved in one
 * double-and-add loop (Straus/Shamir).
 *
 * Precomputed tables (lib/crypto/ed25519_tables.h) hold multiples of B;
 * that file documents how they were generated.
 *
 * Verification policy (RFC 8032 section 5.1.7 leaves some of it open):
 *
 *   - S must be canonical, 0 <= S < L (required by 5.1.7 step 1): else
 *     ED25519_NONCANONICAL_S. Without this check, (R, S + L) would be a
 *     second valid signature (malleability).
 *   - The public key A and R must be canonical encodings of curve points:
 *     y < p, and not "x = 0 with the sign bit set" (5.1.3 steps 1 and 4);
 *     else ED25519_BAD_PUBLIC_KEY or ED25519_BAD_R. So every accepted
 *     signature has exactly one encoding of each part.
 *   - The equation is the cofactorless [S]B = R + [k]A, like OpenSSL
 *     (which checks encode([S]B - [k]A) == R; we check it multiplied by
 *     an odd c1 below L, which is prime to the group's exponent 8L and so
 *     loses nothing: see the verification section). RFC 8032 permits it
 *     ("sufficient, but not required" to multiply by 8). For
 *     honestly generated keys and signatures both equations agree, since
 *     A and R then lie in the prime-order subgroup; cofactorless is the
 *     stricter one, so we accept no more than a cofactored verifier.
 *   - Small-order public keys are REJECTED (ED25519_BAD_PUBLIC_KEY): the
 *     8 points with [8]A = identity, the identity among them. For such a
 *     key [k]A takes at most 8 values whatever the message, so one R and S
 *     can be made to verify for many messages without any secret: the key
 *     binds nothing. An honestly generated key, [s]B with s a nonzero
 *     multiple of 8 below L, is never of small order, so this rejects
 *     nothing OpenSSL accepts for real keys (OpenSSL itself accepts such
 *     keys; the unit test shows the difference).
 *   - Mixed-order public keys (a small-order component added to a
 *     prime-order point) and small-order or mixed-order R are accepted as
 *     the cofactorless equation decides: excluding them would cost a full
 *     scalar multiplication by L per verification, no honest signer
 *     produces them, and with a prime-order A the equation itself forces
 *     R = [S]B - [k]A into the prime-order subgroup.
 */
#include "crypto/ed25519.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <kstring.h>

#include "crypto/sha512.h"

typedef unsigned __int128 u128;

/* For the field products in the loops that run them hundreds of times:
 * a call costs about a tenth of a product in saved and restored
 * registers. Elsewhere the out-of-line versions keep the code small. */
#define FE_INLINE static inline __attribute__((always_inline))

/* ------------------------------------------------------------------ field */

#define FE_LIMBS 5
#define FE_LIMB_BITS 51
#define FE_LIMB_MASK ((UINT64_C(1) << FE_LIMB_BITS) - 1)
#define FE_BYTES 32
/* 2^255 = 19 (mod p): a carry out of the top limb re-enters limb 0 times 19. */
#define FE_FOLD 19
/* The limbs of 4p, added before subtracting so that no limb goes negative. */
#define FE_4P_LIMB0 (4 * ((UINT64_C(1) << FE_LIMB_BITS) - 19))
#define FE_4P_LIMB (4 * ((UINT64_C(1) << FE_LIMB_BITS) - 1))

/*
 * An element of GF(p): sum of v[i] * 2^(51*i). Bounds used below:
 *   tight: every limb < 2^51 + 2^18 (what mul, sq and carry produce);
 *   mul and sq need the limb bounds of their two inputs to multiply to
 *   less than 2^108 (see fe_carry_wide); both below 2^54 will do;
 *   fe_sub(f, g) needs g's limbs <= 2^53 - 76 (g tight, or a sum of two
 *   tight elements) and returns limbs < f's + 2^53.
 * The largest inputs the curve formulas give a product are below 2^54:
 * the sums and differences of ge_dbl and ge_add_core, e.g. ge_dbl's
 * f = 2Z^2 + X^2 + 4p - Y^2 < 2^52 + 2^51 + 2^53 < 2^53.81.
 */
struct fe25519 {
	uint64_t v[FE_LIMBS];
};

/* d = -121665/121666 mod p (RFC 8032 section 5.1). */
static const struct fe25519 fe_d = {
	{0x34dca135978a3, 0x1a8283b156ebd, 0x5e7a26001c029, 0x739c663a03cbb, 0x52036cee2b6ff}};
/* 2*d mod p, the constant of the addition formulas. */
static const struct fe25519 fe_d2 = {
	{0x69b9426b2f159, 0x35050762add7a, 0x3cf44c0038052, 0x6738cc7407977, 0x2406d9dc56dff}};
/* sqrt(-1) = 2^((p-1)/4) mod p (RFC 8032 section 5.1.3 step 3). */
static const struct fe25519 fe_sqrtm1 = {
	{0x61b274a0ea0b0, 0x0d5a5fc8f189d, 0x7ef5e9cbd0c60, 0x78595a6804c9e, 0x2b8324804fc1d}};

static void fe_zero(struct fe25519 *h)
{
	for (unsigned i = 0; i < FE_LIMBS; i++)
		h->v[i] = 0;
}

static void fe_one(struct fe25519 *h)
{
	fe_zero(h);
	h->v[0] = 1;
}

static void fe_add(struct fe25519 *h, const struct fe25519 *f, const struct fe25519 *g)
{
	for (unsigned i = 0; i < FE_LIMBS; i++)
		h->v[i] = f->v[i] + g->v[i];
}

/* h = f + 4p - g (see the bounds at struct fe25519). */
static void fe_sub(struct fe25519 *h, const struct fe25519 *f, const struct fe25519 *g)
{
	h->v[0] = f->v[0] + FE_4P_LIMB0 - g->v[0];
	for (unsigned i = 1; i < FE_LIMBS; i++)
		h->v[i] = f->v[i] + FE_4P_LIMB - g->v[i];
}

/* Brings limbs below 2^63 back to tight. */
static void fe_carry(struct fe25519 *h)
{
	uint64_t c;

	for (unsigned i = 0; i < FE_LIMBS - 1; i++) {
		c = h->v[i] >> FE_LIMB_BITS;
		h->v[i] &= FE_LIMB_MASK;
		h->v[i + 1] += c;
	}
	c = h->v[4] >> FE_LIMB_BITS;
	h->v[4] &= FE_LIMB_MASK;
	h->v[0] += c * FE_FOLD;
	c = h->v[0] >> FE_LIMB_BITS;
	h->v[0] &= FE_LIMB_MASK;
	h->v[1] += c;
}

static void fe_neg(struct fe25519 *h, const struct fe25519 *f)
{
	struct fe25519 zero;

	fe_zero(&zero);
	fe_sub(h, &zero, f);
	fe_carry(h);
}

/*
 * Carries the five 128-bit column sums of a product into a tight h. Every
 * carry is taken as a 64-bit word and added to the next column (a 64-bit
 * add into a 128-bit one), which is all the 128-bit work there is. That
 * needs the bound given at struct fe25519 on the inputs of mul and sq:
 * with limb bounds whose product is below 2^108, every column is below
 * 77 * 2^108 + 2^64 < 2^115 (so its carry fits 64 bits), and the top one
 * below 5 * 2^108 + 2^64 < 2^110.4, so its carry times 19 is below
 * 2^63.6 and re-enters limb 0 without overflowing 64 bits.
 */
FE_INLINE void fe_carry_wide(struct fe25519 *h, u128 r0, u128 r1, u128 r2, u128 r3, u128 r4)
{
	uint64_t c;

	c = (uint64_t)(r0 >> FE_LIMB_BITS);
	r1 += c;
	c = (uint64_t)(r1 >> FE_LIMB_BITS);
	r2 += c;
	c = (uint64_t)(r2 >> FE_LIMB_BITS);
	r3 += c;
	c = (uint64_t)(r3 >> FE_LIMB_BITS);
	r4 += c;
	c = (uint64_t)(r4 >> FE_LIMB_BITS);

	uint64_t h0 = ((uint64_t)r0 & FE_LIMB_MASK) + c * FE_FOLD;

	h->v[0] = h0 & FE_LIMB_MASK;
	h->v[1] = ((uint64_t)r1 & FE_LIMB_MASK) + (h0 >> FE_LIMB_BITS);
	h->v[2] = (uint64_t)r2 & FE_LIMB_MASK;
	h->v[3] = (uint64_t)r3 & FE_LIMB_MASK;
	h->v[4] = (uint64_t)r4 & FE_LIMB_MASK;
}

/* Schoolbook 5x5 product; a term f[i]*g[j] with i + j >= 5 has weight
 * 2^(255 + 51*(i+j-5)) = 19 * 2^(51*(i+j-5)), hence the g[j]*19. */
FE_INLINE void fe_mul_inline(struct fe25519 *h, const struct fe25519 *f, const struct fe25519 *g)
{
	uint64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3], f4 = f->v[4];
	uint64_t g0 = g->v[0], g1 = g->v[1], g2 = g->v[2], g3 = g->v[3], g4 = g->v[4];
	uint64_t g1_19 = g1 * FE_FOLD, g2_19 = g2 * FE_FOLD;
	uint64_t g3_19 = g3 * FE_FOLD, g4_19 = g4 * FE_FOLD;

	u128 r0 = (u128)f0 * g0 + (u128)f1 * g4_19 + (u128)f2 * g3_19 + (u128)f3 * g2_19 +
		  (u128)f4 * g1_19;
	u128 r1 = (u128)f0 * g1 + (u128)f1 * g0 + (u128)f2 * g4_19 + (u128)f3 * g3_19 +
		  (u128)f4 * g2_19;
	u128 r2 = (u128)f0 * g2 + (u128)f1 * g1 + (u128)f2 * g0 + (u128)f3 * g4_19 +
		  (u128)f4 * g3_19;
	u128 r3 = (u128)f0 * g3 + (u128)f1 * g2 + (u128)f2 * g1 + (u128)f3 * g0 +
		  (u128)f4 * g4_19;
	u128 r4 = (u128)f0 * g4 + (u128)f1 * g3 + (u128)f2 * g2 + (u128)f3 * g1 + (u128)f4 * g0;

	fe_carry_wide(h, r0, r1, r2, r3, r4);
}

/* fe_mul_inline(h, f, f) with the symmetric terms merged (15 products,
 * not 25). */
FE_INLINE void fe_sq_inline(struct fe25519 *h, const struct fe25519 *f)
{
	uint64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3], f4 = f->v[4];
	uint64_t f0_2 = 2 * f0, f1_2 = 2 * f1, f2_2 = 2 * f2, f3_2 = 2 * f3;
	uint64_t f3_19 = f3 * FE_FOLD, f4_19 = f4 * FE_FOLD;

	u128 r0 = (u128)f0 * f0 + (u128)f1_2 * f4_19 + (u128)f2_2 * f3_19;
	u128 r1 = (u128)f0_2 * f1 + (u128)f2_2 * f4_19 + (u128)f3 * f3_19;
	u128 r2 = (u128)f0_2 * f2 + (u128)f1 * f1 + (u128)f3_2 * f4_19;
	u128 r3 = (u128)f0_2 * f3 + (u128)f1_2 * f2 + (u128)f4 * f4_19;
	u128 r4 = (u128)f0_2 * f4 + (u128)f1_2 * f3 + (u128)f2 * f2;

	fe_carry_wide(h, r0, r1, r2, r3, r4);
}

/* The same, out of line, for the places that run them a few times. */
static void fe_mul(struct fe25519 *h, const struct fe25519 *f, const struct fe25519 *g)
{
	fe_mul_inline(h, f, g);
}

static void fe_sq(struct fe25519 *h, const struct fe25519 *f)
{
	fe_sq_inline(h, f);
}

/* h = f^(2^n), n >= 1. */
static void fe_sq_n(struct fe25519 *h, const struct fe25519 *f, unsigned n)
{
	struct fe25519 t = *f; /* a local, so the limbs stay in registers between squarings */

	while (n-- > 0)
		fe_sq_inline(&t, &t);
	*h = t;
}

/*
 * The common prefix of the two exponentiations below: returns z^(2^250 - 1)
 * in *z250 and z^11 in *z11. Each z^(2^k - 1) is built from a smaller one
 * by squaring k/2 (or so) times and multiplying: 2^5-1, 2^10-1, 2^20-1,
 * 2^40-1, 2^50-1, 2^100-1, 2^200-1, 2^250-1.
 */
static void fe_pow_2_250_1(struct fe25519 *z250, struct fe25519 *z11, const struct fe25519 *z)
{
	struct fe25519 z2, z9, t, z5, z10, z20, z50, z100;

	fe_sq(&z2, z);             /* z^2 */
	fe_sq_n(&t, &z2, 2);       /* z^8 */
	fe_mul(&z9, &t, z);        /* z^9 */
	fe_mul(z11, &z9, &z2);     /* z^11 */
	fe_sq(&t, z11);            /* z^22 */
	fe_mul(&z5, &t, &z9);      /* z^31 = z^(2^5 - 1) */
	fe_sq_n(&t, &z5, 5);
	fe_mul(&z10, &t, &z5);     /* z^(2^10 - 1) */
	fe_sq_n(&t, &z10, 10);
	fe_mul(&z20, &t, &z10);    /* z^(2^20 - 1) */
	fe_sq_n(&t, &z20, 20);
	fe_mul(&t, &t, &z20);      /* z^(2^40 - 1) */
	fe_sq_n(&t, &t, 10);
	fe_mul(&z50, &t, &z10);    /* z^(2^50 - 1) */
	fe_sq_n(&t, &z50, 50);
	fe_mul(&z100, &t, &z50);   /* z^(2^100 - 1) */
	fe_sq_n(&t, &z100, 100);
	fe_mul(&t, &t, &z100);     /* z^(2^200 - 1) */
	fe_sq_n(&t, &t, 50);
	fe_mul(z250, &t, &z50);    /* z^(2^250 - 1) */
}

/* h = 1/z = z^(p-2) (Fermat); p - 2 = (2^250 - 1) * 2^5 + 11. 0 maps to 0. */
static void fe_invert(struct fe25519 *h, const struct fe25519 *z)
{
	struct fe25519 z250, z11;

	fe_pow_2_250_1(&z250, &z11, z);
	fe_sq_n(&z250, &z250, 5);
	fe_mul(h, &z250, &z11);
}

/* h = z^((p-5)/8), the exponent of the square root in RFC 8032 5.1.3
 * step 3; (p - 5)/8 = 2^252 - 3 = (2^250 - 1) * 4 + 1. */
static void fe_pow_p58(struct fe25519 *h, const struct fe25519 *z)
{
	struct fe25519 z250, z11;

	fe_pow_2_250_1(&z250, &z11, z);
	fe_sq_n(&z250, &z250, 2);
	fe_mul(h, &z250, z);
}

/* The canonical little-endian encoding of f (its value mod p, below p). */
static void fe_tobytes(uint8_t s[FE_BYTES], const struct fe25519 *f)
{
	struct fe25519 h = *f;
	uint64_t q;

	fe_carry(&h);
	/* Now h < 2^255 + 2^70 < 2p, so h mod p is h - q*p with q the carry out
	 * of bit 255 of h + 19 (h >= p exactly when h + 19 >= 2^255). */
	q = (h.v[0] + FE_FOLD) >> FE_LIMB_BITS;
	for (unsigned i = 1; i < FE_LIMBS; i++)
		q = (h.v[i] + q) >> FE_LIMB_BITS;
	/* h - q*p = h + 19q - q*2^255: add 19q, carry, drop bit 255. */
	h.v[0] += FE_FOLD * q;
	for (unsigned i = 0; i < FE_LIMBS - 1; i++) {
		h.v[i + 1] += h.v[i] >> FE_LIMB_BITS;
		h.v[i] &= FE_LIMB_MASK;
	}
	h.v[4] &= FE_LIMB_MASK;

	/* Pack the 5 x 51 bits into 4 little-endian 64-bit words. */
	const uint64_t w[4] = {
		h.v[0] | h.v[1] << 51,
		h.v[1] >> 13 | h.v[2] << 38,
		h.v[2] >> 26 | h.v[3] << 25,
		h.v[3] >> 39 | h.v[4] << 12,
	};
	for (unsigned i = 0; i < FE_BYTES; i++)
		s[i] = (uint8_t)(w[i / 8] >> (8 * (i % 8)));
}

static uint64_t load_le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void store_le64(uint8_t *p, uint64_t v)
{
	for (unsigned i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* The low 255 bits of s (bit 255 is the caller's business). The result may
 * be >= p if s is not canonical; see fe_bytes_canonical. */
static void fe_frombytes(struct fe25519 *h, const uint8_t s[FE_BYTES])
{
	uint64_t w0 = load_le64(s), w1 = load_le64(s + 8);
	uint64_t w2 = load_le64(s + 16), w3 = load_le64(s + 24);

	h->v[0] = w0 & FE_LIMB_MASK;
	h->v[1] = (w0 >> 51 | w1 << 13) & FE_LIMB_MASK;
	h->v[2] = (w1 >> 38 | w2 << 26) & FE_LIMB_MASK;
	h->v[3] = (w2 >> 25 | w3 << 39) & FE_LIMB_MASK;
	h->v[4] = (w3 >> 12) & FE_LIMB_MASK;
}

/* Whether the low 255 bits of s are below p = 2^255 - 19, i.e. not one of
 * 2^255 - 19 .. 2^255 - 1 (ff..ff ed..ff with the top bit clear). Public
 * data only. */
static bool fe_bytes_canonical(const uint8_t s[FE_BYTES])
{
	if ((s[31] & 0x7f) != 0x7f)
		return true;
	for (unsigned i = 30; i > 0; i--)
		if (s[i] != 0xff)
			return true;
	return s[0] < 0xed;
}

/* 1 if f is zero mod p, else 0; constant time. */
static unsigned fe_iszero(const struct fe25519 *f)
{
	uint8_t s[FE_BYTES];
	unsigned acc = 0;

	fe_tobytes(s, f);
	for (unsigned i = 0; i < FE_BYTES; i++)
		acc |= s[i];
	return (acc - 1) >> 8 & 1;
}

/* The "sign" of f: the low bit of its canonical encoding (RFC 8032 5.1.2). */
static unsigned fe_isnegative(const struct fe25519 *f)
{
	uint8_t s[FE_BYTES];

	fe_tobytes(s, f);
	return s[0] & 1;
}

static bool fe_equal(const struct fe25519 *f, const struct fe25519 *g)
{
	struct fe25519 t;

	fe_sub(&t, f, g);
	return fe_iszero(&t);
}

/* f = g if bit is 1, unchanged if 0, without a branch on bit. */
static void fe_cmov(struct fe25519 *f, const struct fe25519 *g, unsigned bit)
{
	uint64_t mask = 0 - (uint64_t)bit;

	for (unsigned i = 0; i < FE_LIMBS; i++)
		f->v[i] ^= mask & (f->v[i] ^ g->v[i]);
}

/* ------------------------------------------------------------------ group */

/* Extended coordinates: x = X/Z, y = Y/Z, x*y = T/Z. */
struct ge_p3 {
	struct fe25519 X, Y, Z, T;
};

/* Projective coordinates (no T): enough for doubling. */
struct ge_p2 {
	struct fe25519 X, Y, Z;
};

/*
 * The "completed" result of an addition or doubling, before its final
 * multiplications: x = e/g, y = h/f. Then X = e*f, Y = g*h, Z = f*g and,
 * only if the next step is an addition, T = e*h.
 */
struct ge_completed {
	struct fe25519 e, f, g, h;
};

/* A point prepared as the second operand of additions: (Y + X, Y - X, Z,
 * 2*d*T). */
struct ge_cached {
	struct fe25519 ypx, ymx, z, t2d;
};

/* An affine point prepared for mixed addition: (y + x, y - x, 2*d*x*y). */
struct ge_niels {
	struct fe25519 ypx, ymx, xy2d;
};

#include "crypto/ed25519_tables.h"

#define BASE_TABLE_ROWS 32 /* 256^j for j < 32 covers 256-bit scalars */
#define BASE_TABLE_COLS 8  /* multiples 1..8: signed radix-16 digits */
#define BASE_ODD_ENTRIES 64 /* odd multiples 1..127: width-8 NAF digits */

_Static_assert(sizeof(base_table) == sizeof(struct ge_niels) * BASE_TABLE_ROWS * BASE_TABLE_COLS,
	       "base_table shape");
_Static_assert(sizeof(base_odd) == sizeof(struct ge_niels) * BASE_ODD_ENTRIES, "base_odd shape");
_Static_assert(sizeof(base_odd_hi) == sizeof(struct ge_niels) * BASE_ODD_ENTRIES,
	       "base_odd_hi shape");

static void ge_p3_identity(struct ge_p3 *h)
{
	fe_zero(&h->X);
	fe_one(&h->Y);
	fe_one(&h->Z);
	fe_zero(&h->T);
}

static void ge_niels_identity(struct ge_niels *h)
{
	fe_one(&h->ypx);
	fe_one(&h->ymx);
	fe_zero(&h->xy2d);
}

static void ge_to_p2(struct ge_p2 *r, const struct ge_completed *p)
{
	fe_mul_inline(&r->X, &p->e, &p->f);
	fe_mul_inline(&r->Y, &p->g, &p->h);
	fe_mul_inline(&r->Z, &p->f, &p->g);
}

static void ge_to_p3(struct ge_p3 *r, const struct ge_completed *p)
{
	fe_mul_inline(&r->X, &p->e, &p->f);
	fe_mul_inline(&r->Y, &p->g, &p->h);
	fe_mul_inline(&r->Z, &p->f, &p->g);
	fe_mul_inline(&r->T, &p->e, &p->h);
}

static void ge_p3_to_p2(struct ge_p2 *r, const struct ge_p3 *p)
{
	r->X = p->X;
	r->Y = p->Y;
	r->Z = p->Z;
}

static void ge_p3_to_cached(struct ge_cached *r, const struct ge_p3 *p)
{
	fe_add(&r->ypx, &p->Y, &p->X);
	fe_sub(&r->ymx, &p->Y, &p->X);
	r->z = p->Z;
	fe_mul(&r->t2d, &p->T, &fe_d2);
}

/*
 * r = 2p: "dbl-2008-hwcd" of Hisil et al. with a = -1, every intermediate
 * negated (which leaves the point unchanged, being projective, and saves
 * the negations): with A = X^2, B = Y^2, C = 2Z^2,
 *   e = A + B - (X + Y)^2, f = C + A - B, g = A - B, h = A + B.
 */
static void ge_dbl(struct ge_completed *r, const struct ge_p2 *p)
{
	struct fe25519 a, b, c, xy;

	fe_sq_inline(&a, &p->X);
	fe_sq_inline(&b, &p->Y);
	fe_sq_inline(&c, &p->Z);
	fe_add(&c, &c, &c);
	fe_add(&xy, &p->X, &p->Y);
	fe_sq_inline(&xy, &xy);
	fe_add(&r->h, &a, &b);
	fe_sub(&r->e, &r->h, &xy);
	fe_sub(&r->g, &a, &b);
	fe_add(&r->f, &c, &r->g);
}

/*
 * r = p + q, or p - q when negate is set: "add-2008-hwcd-3" of Hisil et
 * al. (a = -1, k = 2d), complete for Ed25519 (d is not a square):
 *   A = (Y1 - X1)(Y2 - X2), B = (Y1 + X1)(Y2 + X2), C = T1 * 2d * T2,
 *   D = 2 * Z1 * Z2; e = B - A, f = D - C, g = D + C, h = B + A.
 * -q = (-X2, Y2, Z2, -T2) swaps Y2 + X2 with Y2 - X2 and negates C.
 * z2 == NULL means Z2 = 1 (a mixed addition with an affine point).
 */
static void ge_add_core(struct ge_completed *r, const struct ge_p3 *p,
			const struct fe25519 *ypx2, const struct fe25519 *ymx2,
			const struct fe25519 *t2d2, const struct fe25519 *z2, bool negate)
{
	struct fe25519 a, b, c, d, t;

	fe_sub(&t, &p->Y, &p->X);
	fe_mul_inline(&a, &t, negate ? ypx2 : ymx2);
	fe_add(&t, &p->Y, &p->X);
	fe_mul_inline(&b, &t, negate ? ymx2 : ypx2);
	fe_mul_inline(&c, &p->T, t2d2);
	if (z2)
		fe_mul_inline(&d, &p->Z, z2);
	else
		d = p->Z;
	fe_add(&d, &d, &d);
	fe_sub(&r->e, &b, &a);
	fe_add(&r->h, &b, &a);
	if (negate) {
		fe_add(&r->f, &d, &c);
		fe_sub(&r->g, &d, &c);
	} else {
		fe_sub(&r->f, &d, &c);
		fe_add(&r->g, &d, &c);
	}
}

/* Variable time in `negate` (verification only). */
static void ge_add_cached(struct ge_completed *r, const struct ge_p3 *p, const struct ge_cached *q,
			  bool negate)
{
	ge_add_core(r, p, &q->ypx, &q->ymx, &q->t2d, &q->z, negate);
}

/* Constant time: signing negates through ge_niels_select, not here. */
static void ge_madd(struct ge_completed *r, const struct ge_p3 *p, const struct ge_niels *q,
		    bool negate)
{
	ge_add_core(r, p, &q->ypx, &q->ymx, &q->xy2d, NULL, negate);
}

/* The encoding of RFC 8032 section 5.1.2: y, with the sign of x in bit 255. */
static void ge_tobytes(uint8_t s[FE_BYTES], const struct ge_p2 *p)
{
	struct fe25519 zinv, x, y;

	fe_invert(&zinv, &p->Z);
	fe_mul(&x, &p->X, &zinv);
	fe_mul(&y, &p->Y, &zinv);
	fe_tobytes(s, &y);
	s[31] |= (uint8_t)(fe_isnegative(&x) << 7);
}

/*
 * Decoding, RFC 8032 section 5.1.3, rejecting non-canonical encodings.
 * Public data only (variable time). Returns false if s is not the
 * canonical encoding of a curve point.
 */
static bool ge_frombytes(struct ge_p3 *h, const uint8_t s[FE_BYTES])
{
	struct fe25519 u, v, v3, t, vxx, minus_u;
	unsigned x_sign = s[31] >> 7;

	/* Step 1: y < p. */
	if (!fe_bytes_canonical(s))
		return false;
	fe_frombytes(&h->Y, s);
	fe_one(&h->Z);

	/* Step 2: x^2 = u/v with u = y^2 - 1, v = d*y^2 + 1. */
	fe_sq(&u, &h->Y);
	fe_mul(&v, &u, &fe_d);
	fe_sub(&u, &u, &h->Z);
	fe_carry(&u); /* tight: u is also subtracted and negated below */
	fe_add(&v, &v, &h->Z);

	/* Step 3: candidate root x = u * v^3 * (u * v^7)^((p-5)/8). */
	fe_sq(&v3, &v);
	fe_mul(&v3, &v3, &v);     /* v^3 */
	fe_sq(&t, &v3);
	fe_mul(&t, &t, &v);       /* v^7 */
	fe_mul(&t, &t, &u);       /* u * v^7 */
	fe_pow_p58(&t, &t);
	fe_mul(&t, &t, &v3);
	fe_mul(&h->X, &t, &u);

	fe_sq(&vxx, &h->X);
	fe_mul(&vxx, &vxx, &v);
	fe_neg(&minus_u, &u);
	if (!fe_equal(&vxx, &u)) {
		if (!fe_equal(&vxx, &minus_u))
			return false; /* u/v is not a square: not on the curve */
		fe_mul(&h->X, &h->X, &fe_sqrtm1);
	}

	/* Step 4: pick the root with the encoded sign; "-0" is not canonical. */
	if (fe_iszero(&h->X) && x_sign)
		return false;
	if (fe_isnegative(&h->X) != x_sign)
		fe_neg(&h->X, &h->X);
	fe_mul(&h->T, &h->X, &h->Y);
	return true;
}

/* 1 if a == b, else 0, for a, b < 2^31; no branch: a ^ b is 0 exactly
 * when they are equal, and only 0 - 1 sets bit 31. */
static unsigned ct_equal(unsigned a, unsigned b)
{
	return ((a ^ b) - 1) >> 31 & 1;
}

static void ge_niels_cmov(struct ge_niels *t, const struct ge_niels *u, unsigned bit)
{
	fe_cmov(&t->ypx, &u->ypx, bit);
	fe_cmov(&t->ymx, &u->ymx, bit);
	fe_cmov(&t->xy2d, &u->xy2d, bit);
}

/*
 * t = digit * 256^row * B for a secret digit in [-8, 8], in constant time:
 * every entry of the row is read and the right one kept by masks; the
 * sign is applied by a masked swap of y+x and y-x and negation of 2dxy.
 */
static void ge_niels_select(struct ge_niels *t, unsigned row, int digit)
{
	unsigned negative = (unsigned)digit >> 31 & 1;
	unsigned magnitude = (unsigned)((digit ^ -(int)negative) + (int)negative);
	struct ge_niels minus;

	ge_niels_identity(t);
	for (unsigned k = 0; k < BASE_TABLE_COLS; k++)
		ge_niels_cmov(t, &base_table[row][k], ct_equal(magnitude, k + 1));
	minus.ypx = t->ymx;
	minus.ymx = t->ypx;
	fe_neg(&minus.xy2d, &t->xy2d);
	ge_niels_cmov(t, &minus, negative);
	crypto_wipe(&minus, sizeof(minus));
}

#define SCALAR_BYTES 32
#define RADIX16_DIGITS 64

/*
 * h = a * B for a secret 32-byte little-endian a with a[31] <= 127, in
 * constant time.
 *
 * a is rewritten in signed radix 16, a = sum e[i] * 16^i with every e[i]
 * in [-8, 8] (the top digit absorbs the final carry: at most 7 + 1), so
 * each digit needs only the multiples 1..8 of its power of B. Grouping
 * the odd and even digits,
 *   a * B = 16 * sum_j e[2j+1] * 256^j * B + sum_j e[2j] * 256^j * B,
 * both sums use the same 32 rows of base_table, and the whole
 * multiplication is 64 mixed additions and 4 doublings.
 */
static void ge_scalarmult_base(struct ge_p3 *h, const uint8_t a[SCALAR_BYTES])
{
	int8_t e[RADIX16_DIGITS];
	int carry = 0;
	struct ge_niels t;
	struct ge_completed r;
	struct ge_p2 s;

	for (unsigned i = 0; i < SCALAR_BYTES; i++) {
		e[2 * i] = (int8_t)(a[i] & 15);
		e[2 * i + 1] = (int8_t)(a[i] >> 4);
	}
	/* Digits 0..15 become -8..7, pushing a carry of 1 up when >= 8.
	 * e[i] + carry is in 0..16, so the shift sees no negative value. */
	for (unsigned i = 0; i < RADIX16_DIGITS - 1; i++) {
		int v = e[i] + carry;

		carry = (v + 8) >> 4;
		e[i] = (int8_t)(v - carry * 16);
	}
	e[RADIX16_DIGITS - 1] = (int8_t)(e[RADIX16_DIGITS - 1] + carry);

	ge_p3_identity(h);
	for (unsigned i = 1; i < RADIX16_DIGITS; i += 2) {
		ge_niels_select(&t, i / 2, e[i]);
		ge_madd(&r, h, &t, false);
		ge_to_p3(h, &r);
	}
	ge_p3_to_p2(&s, h);
	for (unsigned i = 0; i < 3; i++) {
		ge_dbl(&r, &s);
		ge_to_p2(&s, &r);
	}
	ge_dbl(&r, &s);
	ge_to_p3(h, &r);
	for (unsigned i = 0; i < RADIX16_DIGITS; i += 2) {
		ge_niels_select(&t, i / 2, e[i]);
		ge_madd(&r, h, &t, false);
		ge_to_p3(h, &r);
	}

	crypto_wipe(e, sizeof(e));
	crypto_wipe(&t, sizeof(t));
	crypto_wipe(&r, sizeof(r));
	crypto_wipe(&s, sizeof(s));
}

/*
 * The y coordinates, little-endian, of the 8 points of small order ([8]P
 * the identity): 1 (the identity), -1 (order 2), 0 (the two of order 4,
 * x = +-sqrt(-1)), and y8 and -y8 (the four of order 8: doubling one
 * gives y = 0, so 2y^2 = 1 - d*y^4, of whose roots y8 is the one with a
 * square y8^2). A y determines the point up to the sign of x, and both
 * signs of these are of small order.
 */
static const uint8_t small_order_y[5][FE_BYTES] = {
	{0x01},
	{0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
	{0x00},
	{0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0,
	 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05},
	{0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f,
	 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a},
};

/* Whether the canonical encoding s of a point (ge_frombytes accepted it)
 * is that of a point of small order: a comparison of y, where three
 * doublings would cost some 3,500 instructions. */
static bool ge_bytes_small_order(const uint8_t s[FE_BYTES])
{
	for (unsigned i = 0; i < sizeof(small_order_y) / sizeof(small_order_y[0]); i++) {
		unsigned j = 0;

		while (j < FE_BYTES - 1 && s[j] == small_order_y[i][j])
			j++;
		if (j == FE_BYTES - 1 && (s[j] & 0x7f) == small_order_y[i][j])
			return true;
	}
	return false;
}

/* ---------------------------------------------------------------- scalars */

/*
 * Integers mod L = 2^252 + 27742317777372353535851937790883648493, the
 * order of B (RFC 8032 section 5.1), as little-endian 64-bit limbs.
 */
#define SC_LIMBS 4
#define SC_WIDE_LIMBS 8
#define BARRETT_LIMBS 5 /* k + 1 limbs, k = 4 (L < 2^256) */

static const uint64_t sc_L[BARRETT_LIMBS] = {
	0x5812631a5cf5d3ed, 0x14def9dea2f79cd6, 0x0000000000000000, 0x1000000000000000, 0,
};

/* mu = floor(2^512 / L), the Barrett constant for 64-bit limbs and k = 4. */
static const uint64_t sc_mu[BARRETT_LIMBS] = {
	0xed9ce5a30a2c131b, 0x2106215d086329a7, 0xffffffffffffffeb, 0xffffffffffffffff,
	0x000000000000000f,
};

/* out[0 .. na+nb) = a * b, schoolbook, constant time. */
static void sc_mul_limbs(uint64_t *out, const uint64_t *a, unsigned na, const uint64_t *b,
			 unsigned nb)
{
	for (unsigned i = 0; i < na + nb; i++)
		out[i] = 0;
	for (unsigned i = 0; i < na; i++) {
		uint64_t carry = 0;

		for (unsigned j = 0; j < nb; j++) {
			u128 t = (u128)a[i] * b[j] + out[i + j] + carry;

			out[i + j] = (uint64_t)t;
			carry = (uint64_t)(t >> 64);
		}
		out[i + nb] = carry;
	}
}

/* r = a - b over n limbs (mod 2^(64n)); returns the borrow out (0 or 1). */
static uint64_t sc_sub_limbs(uint64_t *r, const uint64_t *a, const uint64_t *b, unsigned n)
{
	uint64_t borrow = 0;

	for (unsigned i = 0; i < n; i++) {
		u128 t = (u128)a[i] - b[i] - borrow;

		r[i] = (uint64_t)t;
		borrow = (uint64_t)(t >> 64) & 1;
	}
	return borrow;
}

/*
 * r = x mod L for x < 2^512, in constant time. Barrett (HAC 14.42) with
 * base 2^64 and k = 4: q = floor(floor(x / 2^192) * mu / 2^320) is at most
 * 2 below floor(x / L), so x - q*L, computed mod 2^320, is below 3L and
 * two masked subtractions of L finish the job.
 */
static void sc_reduce_limbs(uint64_t r[SC_LIMBS], const uint64_t x[SC_WIDE_LIMBS])
{
	uint64_t q2[2 * BARRETT_LIMBS], q3l[BARRETT_LIMBS + SC_LIMBS];
	uint64_t rem[BARRETT_LIMBS], t[BARRETT_LIMBS];

	/* q1 = x >> 192 is limbs 3..7; q3 = (q1 * mu) >> 320. */
	sc_mul_limbs(q2, x + 3, BARRETT_LIMBS, sc_mu, BARRETT_LIMBS);
	/* q3 * L mod 2^320 (L fits in 4 limbs). */
	sc_mul_limbs(q3l, q2 + BARRETT_LIMBS, BARRETT_LIMBS, sc_L, SC_LIMBS);
	sc_sub_limbs(rem, x, q3l, BARRETT_LIMBS);
	for (unsigned pass = 0; pass < 2; pass++) {
		uint64_t keep = 0 - sc_sub_limbs(t, rem, sc_L, BARRETT_LIMBS); /* all ones: rem < L */

		for (unsigned i = 0; i < BARRETT_LIMBS; i++)
			rem[i] = (rem[i] & keep) | (t[i] & ~keep);
	}
	for (unsigned i = 0; i < SC_LIMBS; i++)
		r[i] = rem[i];
	crypto_wipe(q2, sizeof(q2));
	crypto_wipe(q3l, sizeof(q3l));
	crypto_wipe(rem, sizeof(rem));
	crypto_wipe(t, sizeof(t));
}

static void sc_load(uint64_t *r, const uint8_t *s, unsigned limbs)
{
	for (unsigned i = 0; i < limbs; i++)
		r[i] = load_le64(s + 8 * i);
}

static void sc_store(uint8_t s[SCALAR_BYTES], const uint64_t r[SC_LIMBS])
{
	for (unsigned i = 0; i < SC_LIMBS; i++)
		store_le64(s + 8 * i, r[i]);
}

/* out = (64-byte little-endian x) mod L: the hashes of 5.1.6 and 5.1.7. */
static void sc_reduce(uint8_t out[SCALAR_BYTES], const uint8_t x[SHA512_OUT_LEN])
{
	uint64_t w[SC_WIDE_LIMBS], r[SC_LIMBS];

	sc_load(w, x, SC_WIDE_LIMBS);
	sc_reduce_limbs(r, w);
	sc_store(out, r);
	crypto_wipe(w, sizeof(w));
	crypto_wipe(r, sizeof(r));
}

/* out = (a*b + c) mod L, for a, c < L and any 256-bit b (then
 * a*b + c < 2^509 fits the reduction's 512-bit input). Constant time. */
static void sc_muladd(uint8_t out[SCALAR_BYTES], const uint8_t a[SCALAR_BYTES],
		      const uint8_t b[SCALAR_BYTES], const uint8_t c[SCALAR_BYTES])
{
	uint64_t al[SC_LIMBS], bl[SC_LIMBS], cl[SC_LIMBS], w[SC_WIDE_LIMBS], r[SC_LIMBS];
	uint64_t carry = 0;

	sc_load(al, a, SC_LIMBS);
	sc_load(bl, b, SC_LIMBS);
	sc_load(cl, c, SC_LIMBS);
	sc_mul_limbs(w, al, SC_LIMBS, bl, SC_LIMBS);
	for (unsigned i = 0; i < SC_WIDE_LIMBS; i++) {
		u128 t = (u128)w[i] + (i < SC_LIMBS ? cl[i] : 0) + carry;

		w[i] = (uint64_t)t;
		carry = (uint64_t)(t >> 64);
	}
	sc_reduce_limbs(r, w);
	sc_store(out, r);
	crypto_wipe(al, sizeof(al));
	crypto_wipe(bl, sizeof(bl));
	crypto_wipe(cl, sizeof(cl));
	crypto_wipe(w, sizeof(w));
	crypto_wipe(r, sizeof(r));
}

/* Whether a public 32-byte S is below L (RFC 8032 5.1.7 step 1). */
static bool sc_is_canonical(const uint8_t s[SCALAR_BYTES])
{
	uint64_t v[SC_LIMBS];

	sc_load(v, s, SC_LIMBS);
	for (int i = SC_LIMBS - 1; i >= 0; i--) {
		if (v[i] != sc_L[i])
			return v[i] < sc_L[i];
	}
	return false; /* S == L */
}

/* ----------------------------------------------------------- verification */

/*
 * Verification checks [S]B - [k]A = R with scalars of 253 bits: about 253
 * doublings, shared by both multiplications (Straus), and the doublings
 * are most of the work. With R decoded as well, the check can be made
 * with scalars of half that length (Pornin, "Optimized lattice basis
 * reduction in dimension 2, and fast Schnorr and EdDSA signature
 * verification", 2020, after Antipa et al.): find c0, c1 of about 128
 * bits with c0 = c1 * k (mod 8L), and check instead
 *
 *   [c1 * S mod L]B - [c0]A - [c1]R = identity.
 *
 * That is [c1]([S]B - [k]A - R) (every point's order divides 8L, so
 * c1 * k may be replaced by c0 for A whatever its order, and c1 * S by
 * its value mod L for B), and multiplying by c1 loses nothing when c1 is
 * odd and below L (then c1 is prime to 8L, the exponent of the group):
 * exactly the cofactorless equation. The scalar of B keeps its 253 bits
 * but is split in two 128-bit halves, the upper one taken against a
 * table of multiples of 2^128 B. About 128 doublings then serve four
 * multiplications, for the price of decoding R (a square root, which
 * replaces the inversion that encoding the result would have cost) and
 * of the odd multiples of R.
 */

#define MP_LIMBS 4 /* unsigned 256-bit integers of the reduction */
#define HALF_BITS 128

static unsigned mp_bitlen(const uint64_t a[MP_LIMBS])
{
	for (int i = MP_LIMBS - 1; i >= 0; i--) {
		if (a[i])
			return (unsigned)(64 * i + 64 - __builtin_clzll(a[i]));
	}
	return 0;
}

static bool mp_geq(const uint64_t a[MP_LIMBS], const uint64_t b[MP_LIMBS])
{
	for (int i = MP_LIMBS - 1; i >= 0; i--) {
		if (a[i] != b[i])
			return a[i] > b[i];
	}
	return true;
}

/* r = a * 2^s mod 2^256. */
static void mp_shl(uint64_t r[MP_LIMBS], const uint64_t a[MP_LIMBS], unsigned s)
{
	unsigned words = s / 64, bits = s % 64;

	for (int i = MP_LIMBS - 1; i >= 0; i--) {
		int j = i - (int)words;
		uint64_t v = j >= 0 ? a[j] << bits : 0;

		if (bits && j >= 1)
			v |= a[j - 1] >> (64 - bits);
		r[i] = v;
	}
}

/* Bits i .. i + 63 of a (zero above bit 255). */
static uint64_t mp_window(const uint64_t a[MP_LIMBS], unsigned i)
{
	unsigned word = i / 64, bit = i % 64;

	if (word >= MP_LIMBS)
		return 0;
	uint64_t v = a[word] >> bit;

	if (bit && word + 1 < MP_LIMBS)
		v |= a[word + 1] << (64 - bit);
	return v;
}

/* r = r - q * a; q * a <= r. */
static void mp_submul(uint64_t r[MP_LIMBS], const uint64_t a[MP_LIMBS], uint64_t q)
{
	uint64_t carry = 0, borrow = 0;

	for (unsigned i = 0; i < MP_LIMBS; i++) {
		u128 p = (u128)a[i] * q + carry;
		u128 d = (u128)r[i] - (uint64_t)p - borrow;

		carry = (uint64_t)(p >> 64);
		r[i] = (uint64_t)d;
		borrow = (uint64_t)(d >> 64) & 1;
	}
}

/* r = r + q * a mod 2^256. */
static void mp_addmul(uint64_t r[MP_LIMBS], const uint64_t a[MP_LIMBS], uint64_t q)
{
	uint64_t carry = 0;

	for (unsigned i = 0; i < MP_LIMBS; i++) {
		u128 t = (u128)a[i] * q + r[i] + carry;

		r[i] = (uint64_t)t;
		carry = (uint64_t)(t >> 64);
	}
}

static void mp_add(uint64_t r[MP_LIMBS], const uint64_t a[MP_LIMBS], const uint64_t b[MP_LIMBS])
{
	uint64_t carry = 0;

	for (unsigned i = 0; i < MP_LIMBS; i++) {
		u128 t = (u128)a[i] + b[i] + carry;

		r[i] = (uint64_t)t;
		carry = (uint64_t)(t >> 64);
	}
}

/*
 * One step of Euclid's algorithm on a pair (r, t) of the remainder
 * sequence, r_i = t_i * k (mod n), with t_i alternating in sign (only |t|
 * is kept): r_next = r_prev mod r, |t_next| = |t_prev| + q * |t|, for
 * q = r_prev div r. In place: (r_prev, t_prev) becomes (r_next, t_next).
 * r must be nonzero.
 *
 * Most quotients are small. Then the top 32 bits of r, y, and the bits of
 * r_prev from the same position up, x (at most 63 of them), give
 * x / (y + 1), which is never above q and at most 3 below it; the rest is
 * made up by subtracting once at a time. Otherwise (a quotient of 32 bits
 * or more, or a short r) q is found bit by bit, by shifting and
 * subtracting.
 */
static void euclid_step(uint64_t r_prev[MP_LIMBS], uint64_t t_prev[MP_LIMBS],
			const uint64_t r[MP_LIMBS], const uint64_t t[MP_LIMBS])
{
	unsigned len_prev = mp_bitlen(r_prev), len = mp_bitlen(r);

	if (len >= 32 && len_prev < len + 32) {
		uint64_t x = mp_window(r_prev, len - 32), y = mp_window(r, len - 32);
		uint64_t q = x / (y + 1);

		mp_submul(r_prev, r, q);
		mp_addmul(t_prev, t, q);
		while (mp_geq(r_prev, r)) {
			sc_sub_limbs(r_prev, r_prev, r, MP_LIMBS);
			mp_add(t_prev, t_prev, t);
		}
		return;
	}

	uint64_t shifted[MP_LIMBS];

	for (int s = (int)len_prev - (int)len; s >= 0; s--) {
		mp_shl(shifted, r, (unsigned)s);
		if (mp_geq(r_prev, shifted)) {
			sc_sub_limbs(r_prev, r_prev, shifted, MP_LIMBS);
			mp_shl(shifted, t, (unsigned)s);
			mp_add(t_prev, t_prev, shifted);
		}
	}
}

static unsigned pair_bits(const uint64_t r[MP_LIMBS], const uint64_t t[MP_LIMBS])
{
	unsigned a = mp_bitlen(r), b = mp_bitlen(t);

	return a > b ? a : b;
}

/*
 * Public scalars for the check above, from k < L: c0 = *c0_out and
 * c1 = (*c1_negative ? -1 : 1) * *c1_out, with c0 = c1 * k (mod 8L), c1
 * odd and below 2^252 (so below L), both near 2^128.
 *
 * Euclid's remainder sequence on (8L, k) is run until the remainder r_i
 * drops below 2^128; then |t_i| <= 8L / r_(i-1) <= 2^128 too (each
 * |t_(i+1)| * r_i <= 8L). If t_i is even, its neighbours t_(i-1) and
 * t_(i+1) are odd (consecutive t are coprime), and whichever of the two
 * pairs is shorter is taken. Should that one exceed 252 bits (it cannot
 * for any but freak k), the trivial pair c0 = k, c1 = 1 is used, which
 * is always right but saves nothing.
 */
static void sc_half_size(uint64_t c0_out[MP_LIMBS], uint64_t c1_out[MP_LIMBS], bool *c1_negative,
			 const uint8_t k[SCALAR_BYTES])
{
	uint64_t r[2][MP_LIMBS], t[2][MP_LIMBS] = {{0}};
	unsigned cur = 1, steps = 0; /* r[cur] = r_i, r[cur ^ 1] = r_(i-1); i = steps */

	mp_shl(r[0], sc_L, 3); /* 8L, the exponent of the group: L < 2^253 */
	sc_load(r[1], k, MP_LIMBS);
	t[1][0] = 1;
	while (mp_bitlen(r[cur]) > HALF_BITS) {
		euclid_step(r[cur ^ 1], t[cur ^ 1], r[cur], t[cur]);
		cur ^= 1;
		steps++;
	}
	if (!(t[cur][0] & 1)) {
		/* r_i < 2^128 <= r_(i-1), so r_i is the smaller: both
		 * neighbours of pair i are odd; compare i - 1 with i + 1. */
		uint64_t r_next[MP_LIMBS], t_next[MP_LIMBS];
		unsigned prev = cur ^ 1;

		for (unsigned i = 0; i < MP_LIMBS; i++) {
			r_next[i] = r[prev][i];
			t_next[i] = t[prev][i];
		}
		if (mp_bitlen(r[cur]) != 0) /* r_i = 0 only for k = 0, whose t_i = 1 */
			euclid_step(r_next, t_next, r[cur], t[cur]);
		if (pair_bits(r_next, t_next) < pair_bits(r[prev], t[prev])) {
			for (unsigned i = 0; i < MP_LIMBS; i++) {
				r[prev][i] = r_next[i];
				t[prev][i] = t_next[i];
			}
			steps++; /* i + 1 has the parity of i - 1 */
		} else {
			steps--;
		}
		cur = prev;
	}
	if (pair_bits(r[cur], t[cur]) > 252) {
		sc_load(c0_out, k, MP_LIMBS);
		for (unsigned i = 0; i < MP_LIMBS; i++)
			c1_out[i] = i == 0;
		*c1_negative = false;
		return;
	}
	for (unsigned i = 0; i < MP_LIMBS; i++) {
		c0_out[i] = r[cur][i];
		c1_out[i] = t[cur][i];
	}
	*c1_negative = steps & 1; /* t_i has the sign of (-1)^i */
}

/* Scalars below 2^253 (reduced mod L) have NAF digits up to bit 253 + w. */
#define NAF_LEN 264
/* 4 odd multiples of A and of R, computed per verification. Width 5 (8
 * multiples) costs as many instructions for 128-bit scalars, the fewer
 * additions paid for by the longer precomputation, and 1,280 bytes more
 * stack. */
#define NAF_WIDTH_POINT 4
#define NAF_WIDTH_B 8 /* 64 odd multiples of B and of 2^128 B, in tables */
#define POINT_ODD_MULTIPLES (1u << (NAF_WIDTH_POINT - 2))

/*
 * Width-w non-adjacent form of a public scalar s < 2^256: s = sum naf[i] *
 * 2^i with every nonzero digit odd and in (-2^(w-1), 2^(w-1)), and any w
 * consecutive digits holding at most one nonzero. Scanning up, an odd
 * window value v (the next w bits plus the carry) becomes the digit v, or
 * v - 2^w with a carry of 1 into position i + w when v >= 2^(w-1). Runs
 * of zero digits (where the bit equals the carry) are skipped a word at a
 * time.
 */
static void naf_recode(int8_t naf[NAF_LEN], const uint64_t s[MP_LIMBS], unsigned w)
{
	unsigned carry = 0, i = 0;

	memset(naf, 0, NAF_LEN);
	while (i < NAF_LEN) {
		uint64_t window = mp_window(s, i);
		uint64_t differ = carry ? ~window : window; /* bit + carry odd */

		if (differ == 0) {
			i += 64;
			continue;
		}
		i += (unsigned)__builtin_ctzll(differ);
		if (i >= NAF_LEN)
			break;
		unsigned v = (unsigned)(mp_window(s, i) & ((1u << w) - 1)) + carry;

		if (v >= 1u << (w - 1)) {
			naf[i] = (int8_t)((int)v - (1 << w));
			carry = 1;
		} else {
			naf[i] = (int8_t)v;
			carry = 0;
		}
		i += w;
	}
}

static unsigned digit_index(int8_t digit)
{
	return (unsigned)(digit < 0 ? -digit : digit) / 2; /* odd |digit| = 2*index + 1 */
}

/* Adds the NAF digit d (odd, nonzero) of a point with cached odd
 * multiples odd[], negated if `negate`: t = t + (negate ? -d : d) * P. */
static void add_point_digit(struct ge_completed *t, const struct ge_cached odd[], int d, bool negate)
{
	struct ge_p3 u;

	ge_to_p3(&u, t);
	ge_add_cached(t, &u, &odd[digit_index((int8_t)d)], (d < 0) != negate);
}

static void add_base_digit(struct ge_completed *t, const struct ge_niels odd[], int d)
{
	struct ge_p3 u;

	ge_to_p3(&u, t);
	ge_madd(t, &u, &odd[digit_index((int8_t)d)], d < 0);
}

/* odd[j] = (2j + 1) * p, prepared for additions. */
static void ge_odd_multiples(struct ge_cached odd[POINT_ODD_MULTIPLES], const struct ge_p3 *p)
{
	struct ge_completed t;
	struct ge_p3 u, p2;
	struct ge_p2 q;

	ge_p3_to_cached(&odd[0], p);
	ge_p3_to_p2(&q, p);
	ge_dbl(&t, &q);
	ge_to_p3(&p2, &t);
	for (unsigned j = 1; j < POINT_ODD_MULTIPLES; j++) {
		ge_add_cached(&t, &p2, &odd[j - 1], false);
		ge_to_p3(&u, &t);
		ge_p3_to_cached(&odd[j], &u);
	}
}

/*
 * Whether [S]B - [k]A = R, for decoded points A and R and public scalars
 * S < L and k < L (see the top of this section). The four NAFs share one
 * double-and-add loop, and only X, Y, Z of the sum are kept: it is the
 * identity exactly when X = 0 and Y = Z.
 */
static bool ge_verify_vartime(const struct ge_p3 *A, const struct ge_p3 *R,
			      const uint8_t s_bytes[SCALAR_BYTES], const uint8_t k[SCALAR_BYTES])
{
	uint64_t c0[MP_LIMBS], c1[MP_LIMBS], cs[2 * MP_LIMBS], b[SC_LIMBS], half[MP_LIMBS] = {0};
	int8_t naf_a[NAF_LEN], naf_r[NAF_LEN], naf_b_lo[NAF_LEN], naf_b_hi[NAF_LEN];
	struct ge_cached a_odd[POINT_ODD_MULTIPLES], r_odd[POINT_ODD_MULTIPLES];
	struct ge_completed t;
	struct ge_p2 p;
	bool c1_negative;
	int i;

	sc_half_size(c0, c1, &c1_negative, k);
	/* Multiplied by sign(c1): [|c1| S mod L]B - [sign(c1) c0]A - [|c1|]R. */
	sc_load(b, s_bytes, SC_LIMBS);
	sc_mul_limbs(cs, c1, MP_LIMBS, b, SC_LIMBS);
	sc_reduce_limbs(b, cs);

	naf_recode(naf_a, c0, NAF_WIDTH_POINT);
	naf_recode(naf_r, c1, NAF_WIDTH_POINT);
	half[0] = b[0]; /* the two 128-bit halves of b */
	half[1] = b[1];
	naf_recode(naf_b_lo, half, NAF_WIDTH_B);
	half[0] = b[2];
	half[1] = b[3];
	naf_recode(naf_b_hi, half, NAF_WIDTH_B);

	ge_odd_multiples(a_odd, A);
	ge_odd_multiples(r_odd, R);

	for (i = NAF_LEN - 1; i >= 0 && !naf_a[i] && !naf_r[i] && !naf_b_lo[i] && !naf_b_hi[i]; i--)
		;
	fe_zero(&p.X);
	fe_one(&p.Y);
	fe_one(&p.Z);
	for (; i >= 0; i--) {
		ge_dbl(&t, &p);
		if (naf_a[i])
			add_point_digit(&t, a_odd, naf_a[i], !c1_negative);
		if (naf_r[i])
			add_point_digit(&t, r_odd, naf_r[i], true);
		if (naf_b_lo[i])
			add_base_digit(&t, base_odd, naf_b_lo[i]);
		if (naf_b_hi[i])
			add_base_digit(&t, base_odd_hi, naf_b_hi[i]);
		ge_to_p2(&p, &t);
	}
	return fe_iszero(&p.X) && fe_equal(&p.Y, &p.Z);
}

/* ---------------------------------------------------------------- Ed25519 */

#define EXPANDED_LEN SHA512_OUT_LEN /* SHA-512(seed) = scalar half || prefix half */
#define CLAMP_LOW_MASK 0xf8         /* clear the 3 low bits: a multiple of 8 */
#define CLAMP_HIGH_MASK 0x7f        /* clear bit 255 */
#define CLAMP_HIGH_BIT 0x40         /* set bit 254 */

void crypto_wipe(void *p, size_t n)
{
	volatile uint8_t *b = p;

	while (n--)
		*b++ = 0;
}

/* RFC 8032 5.1.5 steps 1-2: h = SHA-512(seed); the first half, pruned, is
 * the secret scalar s; the second half is the nonce prefix. */
static void expand_seed(uint8_t h[EXPANDED_LEN], const uint8_t seed[ED25519_SEED_LEN])
{
	sha512(seed, ED25519_SEED_LEN, h);
	h[0] &= CLAMP_LOW_MASK;
	h[31] &= CLAMP_HIGH_MASK;
	h[31] |= CLAMP_HIGH_BIT;
}

static void ge_p3_tobytes(uint8_t s[FE_BYTES], const struct ge_p3 *p)
{
	struct ge_p2 q;

	ge_p3_to_p2(&q, p);
	ge_tobytes(s, &q);
}

void ed25519_public_key(const uint8_t seed[ED25519_SEED_LEN],
			uint8_t public_key[ED25519_PUBLIC_KEY_LEN])
{
	uint8_t h[EXPANDED_LEN];
	struct ge_p3 a;

	expand_seed(h, seed);
	ge_scalarmult_base(&a, h); /* 5.1.5 step 3: A = [s]B */
	ge_p3_tobytes(public_key, &a);
	crypto_wipe(h, sizeof(h));
	crypto_wipe(&a, sizeof(a));
}

/* out = SHA-512(a || b || msg) mod L. */
static void hash_to_scalar(uint8_t out[SCALAR_BYTES], const uint8_t *a, size_t a_len,
			   const uint8_t *b, size_t b_len, const uint8_t *msg, size_t len)
{
	struct sha512_ctx c;
	uint8_t digest[SHA512_OUT_LEN];

	sha512_init(&c);
	sha512_update(&c, a, a_len);
	sha512_update(&c, b, b_len);
	sha512_update(&c, msg, len);
	sha512_final(&c, digest); /* wipes c */
	sc_reduce(out, digest);
	crypto_wipe(digest, sizeof(digest));
}

/*
 * RFC 8032 section 5.1.6. public_key must be ed25519_public_key(seed):
 * it enters the hash k, and signing with a wrong one would produce two
 * signatures with the same r and different k, which reveals s.
 */
void ed25519_sign(const uint8_t seed[ED25519_SEED_LEN],
		  const uint8_t public_key[ED25519_PUBLIC_KEY_LEN], const uint8_t *msg, size_t len,
		  uint8_t signature[ED25519_SIGNATURE_LEN])
{
	uint8_t h[EXPANDED_LEN], r[SCALAR_BYTES], k[SCALAR_BYTES];
	struct ge_p3 big_r;

	expand_seed(h, seed);
	/* Step 2: r = SHA-512(prefix || M) mod L, the deterministic nonce. */
	hash_to_scalar(r, h + SCALAR_BYTES, EXPANDED_LEN - SCALAR_BYTES, NULL, 0, msg, len);
	/* Step 3: R = [r]B. */
	ge_scalarmult_base(&big_r, r);
	ge_p3_tobytes(signature, &big_r);
	/* Step 4: k = SHA-512(R || A || M) mod L. */
	hash_to_scalar(k, signature, FE_BYTES, public_key, ED25519_PUBLIC_KEY_LEN, msg, len);
	/* Step 5: S = (r + k * s) mod L. */
	sc_muladd(signature + FE_BYTES, k, h, r);

	crypto_wipe(h, sizeof(h));
	crypto_wipe(r, sizeof(r));
	crypto_wipe(&big_r, sizeof(big_r));
}

/* RFC 8032 section 5.1.7, with the policy described at the top. */
enum ed25519_verdict ed25519_verify(const uint8_t public_key[ED25519_PUBLIC_KEY_LEN],
				    const uint8_t *msg, size_t len,
				    const uint8_t signature[ED25519_SIGNATURE_LEN])
{
	const uint8_t *r_bytes = signature, *s_bytes = signature + FE_BYTES;
	uint8_t k[SCALAR_BYTES];
	struct ge_p3 a, r;

	if (!ge_frombytes(&a, public_key) || ge_bytes_small_order(public_key))
		return ED25519_BAD_PUBLIC_KEY;
	if (!fe_bytes_canonical(r_bytes))
		return ED25519_BAD_R; /* cheap early exit; the decode below would catch it too */
	if (!sc_is_canonical(s_bytes))
		return ED25519_NONCANONICAL_S;

	if (!ge_frombytes(&r, r_bytes))
		return ED25519_BAD_R;

	/* Step 2: k = SHA-512(R || A || M) mod L. */
	hash_to_scalar(k, r_bytes, FE_BYTES, public_key, ED25519_PUBLIC_KEY_LEN, msg, len);
	/* Step 3, cofactorless: [S]B - [k]A = R. */
	return ge_verify_vartime(&a, &r, s_bytes, k) ? ED25519_OK : ED25519_BAD_SIGNATURE;
}

const char *ed25519_verdict_reason(enum ed25519_verdict v)
{
	switch (v) {
	case ED25519_OK:
		return "signature verifies";
	case ED25519_BAD_SIGNATURE:
		return "signature does not verify";
	case ED25519_NONCANONICAL_S:
		return "S is not canonical (S >= L)";
	case ED25519_BAD_PUBLIC_KEY:
		return "public key is not a canonical encoding of a point of large order";
	case ED25519_BAD_R:
		return "R is not a canonical encoding of a curve point";
	}
	return "unknown verdict";
}
