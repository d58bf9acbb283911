/*
 * blake3: the BLAKE3 hash (see blake3.h).
 *
 * Input is cut into 1024-byte chunks; each chunk is compressed block by
 * block (64 bytes) into a chaining value (CV), with CHUNK_START on its
 * first block and CHUNK_END on its last. Chunk CVs are the leaves of a
 * binary tree whose parents compress (left CV || right CV) with PARENT.
 * The CV stack holds the roots of the complete subtrees built so far;
 * after chunk number n (counting from 1) is done, as many merges happen as
 * n has trailing zero bits. A chunk is only pushed when more input
 * follows, so the last chunk (and the last parent chain) can be finalised
 * with the ROOT flag, from which any output length is squeezed by
 * counting output blocks. A whole chunk with more input after it cannot
 * be the root, so it is compressed straight from the input (hash_chunk)
 * and its CV goes into the tree at once; where 128-bit vectors exist,
 * runs of four such chunks are compressed side by side (hash4_chunks).
 * The results are the same, only faster.
 */
#include "blake3.h"

#include <kstring.h>
#include <stdbool.h>

#define CHUNK_START (1u << 0)
#define CHUNK_END (1u << 1)
#define PARENT (1u << 2)
#define ROOT (1u << 3)

static const uint32_t IV[8] = {
	0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A,
	0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19,
};

/* The message word order for each of the seven rounds. */
static const uint8_t SCHEDULE[7][16] = {
	{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
	{ 2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8 },
	{ 3, 4, 10, 12, 13, 2, 7, 14, 6, 5, 9, 0, 11, 15, 8, 1 },
	{ 10, 7, 12, 9, 14, 3, 13, 15, 4, 0, 11, 2, 5, 8, 1, 6 },
	{ 12, 13, 9, 11, 15, 10, 14, 8, 7, 2, 5, 3, 0, 1, 6, 4 },
	{ 9, 14, 11, 5, 8, 12, 15, 1, 13, 3, 0, 10, 2, 6, 4, 7 },
	{ 11, 15, 5, 0, 1, 9, 8, 6, 14, 10, 2, 12, 3, 4, 7, 13 },
};

static uint32_t load32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void store32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t rotr(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

/* One quarter-round of state words a, b, c, d with message words x, y.
 * ROTR is the rotate for the type at hand: one word, or four lanes. */
#define G(ROTR, a, b, c, d, x, y)                \
	do {                                     \
		(a) = (a) + (b) + (x);           \
		(d) = ROTR((d) ^ (a), 16);       \
		(c) = (c) + (d);                 \
		(b) = ROTR((b) ^ (c), 12);       \
		(a) = (a) + (b) + (y);           \
		(d) = ROTR((d) ^ (a), 8);        \
		(c) = (c) + (d);                 \
		(b) = ROTR((b) ^ (c), 7);        \
	} while (0)

/* The seven rounds over the state s0..s15; MSG(i) is message word i.
 * Unrolled, so every schedule index is a constant. ROUND_START runs at
 * the start of every round (see compress). */
#define ROUNDS(ROTR, MSG, ROUND_START)                                     \
	_Pragma("clang loop unroll(full)")                                 \
	for (int r = 0; r < 7; r++) {                                      \
		const uint8_t *s = SCHEDULE[r];                            \
		ROUND_START;                                               \
		G(ROTR, s0, s4, s8, s12, MSG(s[0]), MSG(s[1]));            \
		G(ROTR, s1, s5, s9, s13, MSG(s[2]), MSG(s[3]));            \
		G(ROTR, s2, s6, s10, s14, MSG(s[4]), MSG(s[5]));           \
		G(ROTR, s3, s7, s11, s15, MSG(s[6]), MSG(s[7]));           \
		G(ROTR, s0, s5, s10, s15, MSG(s[8]), MSG(s[9]));           \
		G(ROTR, s1, s6, s11, s12, MSG(s[10]), MSG(s[11]));         \
		G(ROTR, s2, s7, s8, s13, MSG(s[12]), MSG(s[13]));          \
		G(ROTR, s3, s4, s9, s14, MSG(s[14]), MSG(s[15]));          \
	}

/* The state words at the start of a compression. */
#define STATE_INIT(cv, counter, block_len, flags)                               \
	uint32_t s0 = (cv)[0], s1 = (cv)[1], s2 = (cv)[2], s3 = (cv)[3];        \
	uint32_t s4 = (cv)[4], s5 = (cv)[5], s6 = (cv)[6], s7 = (cv)[7];        \
	uint32_t s8 = IV[0], s9 = IV[1], s10 = IV[2], s11 = IV[3];              \
	uint32_t s12 = (uint32_t)(counter), s13 = (uint32_t)((counter) >> 32);  \
	uint32_t s14 = (block_len), s15 = (flags)

/*
 * The compression function, for a CV: 7 rounds over the 16-word state;
 * the new CV, the first half of the state xored with the second, replaces
 * cv.
 *
 * Registers: the 16 state words already need more than x86_64 has free
 * (14, with the frame pointer), so message words kept in registers are
 * only spilled to the stack and reloaded. Instead every round reads the
 * block again through `round_block`, a copy of the pointer that the
 * compiler must reload from a volatile slot and so cannot assume to be
 * unchanged: it loads each message word where the round uses it (on
 * x86_64 the load is the memory operand of the add) rather than keeping
 * the previous round's. That is one load per round; on AArch64, which
 * has registers enough, it costs about as much as it saves. For the same
 * reason this function takes no more arguments than it needs: every
 * pointer kept to the end is one register less for the state.
 */
static void compress_cv(uint32_t cv[8], const uint8_t block[BLAKE3_BLOCK_LEN], uint32_t block_len,
			uint64_t counter, uint32_t flags)
{
	STATE_INIT(cv, counter, block_len, flags);
	const uint8_t *volatile block_slot = block;
	const uint8_t *round_block;

#define BLOCK_WORD(i) load32(round_block + 4 * (i))
	ROUNDS(rotr, BLOCK_WORD, round_block = block_slot);
	cv[0] = s0 ^ s8; cv[1] = s1 ^ s9; cv[2] = s2 ^ s10; cv[3] = s3 ^ s11;
	cv[4] = s4 ^ s12; cv[5] = s5 ^ s13; cv[6] = s6 ^ s14; cv[7] = s7 ^ s15;
}

/* The compression function with all 16 output words, the second half of
 * the state xored with the input CV after the first: root output. It
 * runs once per output block, so it is kept simple. */
static void compress_xof(const uint32_t cv[8], const uint8_t block[BLAKE3_BLOCK_LEN],
			 uint32_t block_len, uint64_t counter, uint32_t flags, uint32_t out[16])
{
	STATE_INIT(cv, counter, block_len, flags);
	const uint8_t *round_block = block;

	ROUNDS(rotr, BLOCK_WORD, (void)0);
#undef BLOCK_WORD
	out[0] = s0 ^ s8; out[1] = s1 ^ s9; out[2] = s2 ^ s10; out[3] = s3 ^ s11;
	out[4] = s4 ^ s12; out[5] = s5 ^ s13; out[6] = s6 ^ s14; out[7] = s7 ^ s15;
	out[8] = s8 ^ cv[0]; out[9] = s9 ^ cv[1]; out[10] = s10 ^ cv[2]; out[11] = s11 ^ cv[3];
	out[12] = s12 ^ cv[4]; out[13] = s13 ^ cv[5]; out[14] = s14 ^ cv[6]; out[15] = s15 ^ cv[7];
}

static void copy_cv(uint32_t dst[8], const uint32_t src[8])
{
	for (int i = 0; i < 8; i++)
		dst[i] = src[i];
}

/* The CV of the whole chunk at `in` (1024 bytes, not the root), compressed
 * straight from the input, none of it buffered. */
static void hash_chunk(const uint8_t *in, const uint32_t key[8], uint64_t counter,
		       uint32_t flags, uint32_t cv[8])
{
	const unsigned blocks = BLAKE3_CHUNK_LEN / BLAKE3_BLOCK_LEN;

	copy_cv(cv, key);
	for (unsigned b = 0; b < blocks; b++) {
		uint32_t f = flags | (b == 0 ? CHUNK_START : 0) | (b == blocks - 1 ? CHUNK_END : 0);

		compress_cv(cv, in + (size_t)b * BLAKE3_BLOCK_LEN, BLAKE3_BLOCK_LEN, counter, f);
	}
}

/* Four chunks at once, where the compiler has 128-bit vectors (SSE2 on
 * x86_64, NEON on AArch64): lane i of every vector belongs to chunk i, so
 * one pass of the same G code compresses four chunks' blocks. This is
 * plain C with vector types, not intrinsics; the kernel, built without
 * SIMD registers, keeps to the scalar path above. */
#if (defined(__SSE2__) || defined(__ARM_NEON)) && !defined(BLAKE3_SCALAR_ONLY)
#define BLAKE3_LANES 4

typedef uint32_t vec4 __attribute__((vector_size(16)));

static vec4 rotr4(vec4 x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static vec4 splat4(uint32_t v)
{
	return (vec4){ v, v, v, v };
}

/* The 16 message words of block `block` of each of the four chunks. */
static void load_block4(const uint8_t *in, unsigned block, vec4 m[16])
{
	for (unsigned w = 0; w < 16; w++) {
		size_t at = (size_t)block * BLAKE3_BLOCK_LEN + 4 * w;
		m[w] = (vec4){ load32(in + at), load32(in + BLAKE3_CHUNK_LEN + at),
			       load32(in + 2 * BLAKE3_CHUNK_LEN + at),
			       load32(in + 3 * BLAKE3_CHUNK_LEN + at) };
	}
}

/* The CVs of the four whole chunks at `in` (contiguous), numbered
 * counter..counter+3. */
static void hash4_chunks(const uint8_t *in, const uint32_t key[8], uint64_t counter,
			 uint32_t flags, uint32_t out[BLAKE3_LANES][8])
{
	vec4 cv[8], m[16];
	const vec4 counter_lo = { (uint32_t)counter, (uint32_t)(counter + 1),
				  (uint32_t)(counter + 2), (uint32_t)(counter + 3) };
	const vec4 counter_hi = { (uint32_t)(counter >> 32), (uint32_t)((counter + 1) >> 32),
				  (uint32_t)((counter + 2) >> 32), (uint32_t)((counter + 3) >> 32) };

	for (int i = 0; i < 8; i++)
		cv[i] = splat4(key[i]);
	for (unsigned block = 0; block < BLAKE3_CHUNK_LEN / BLAKE3_BLOCK_LEN; block++) {
		uint32_t f = flags | (block == 0 ? CHUNK_START : 0) |
			     (block == BLAKE3_CHUNK_LEN / BLAKE3_BLOCK_LEN - 1 ? CHUNK_END : 0);
		vec4 s0 = cv[0], s1 = cv[1], s2 = cv[2], s3 = cv[3];
		vec4 s4 = cv[4], s5 = cv[5], s6 = cv[6], s7 = cv[7];
		vec4 s8 = splat4(IV[0]), s9 = splat4(IV[1]), s10 = splat4(IV[2]), s11 = splat4(IV[3]);
		vec4 s12 = counter_lo, s13 = counter_hi, s14 = splat4(BLAKE3_BLOCK_LEN), s15 = splat4(f);

		load_block4(in, block, m);
#define LANE_WORD(i) m[i]
		ROUNDS(rotr4, LANE_WORD, (void)0);
#undef LANE_WORD
		cv[0] = s0 ^ s8; cv[1] = s1 ^ s9; cv[2] = s2 ^ s10; cv[3] = s3 ^ s11;
		cv[4] = s4 ^ s12; cv[5] = s5 ^ s13; cv[6] = s6 ^ s14; cv[7] = s7 ^ s15;
	}
	for (int lane = 0; lane < BLAKE3_LANES; lane++) {
		for (int i = 0; i < 8; i++)
			out[lane][i] = cv[i][lane];
	}
}
#endif

/* What finalisation needs to produce output: the inputs of the last
 * compression, so it can be rerun with ROOT and any output counter. */
struct output {
	uint32_t cv[8];
	uint8_t block[BLAKE3_BLOCK_LEN];
	uint8_t block_len;
	uint64_t counter;
	uint32_t flags;
};

static void chunk_init(struct blake3_chunk_state *c, const uint32_t key[8], uint64_t counter)
{
	memcpy(c->cv, key, sizeof(c->cv));
	c->chunk_counter = counter;
	memset(c->block, 0, sizeof(c->block));
	c->block_len = 0;
	c->blocks_compressed = 0;
	c->flags = 0;
}

static size_t chunk_len(const struct blake3_chunk_state *c)
{
	return (size_t)BLAKE3_BLOCK_LEN * c->blocks_compressed + c->block_len;
}

static uint32_t chunk_start_flag(const struct blake3_chunk_state *c)
{
	return c->blocks_compressed == 0 ? CHUNK_START : 0;
}

static void chunk_update(struct blake3_chunk_state *c, const uint8_t *in, size_t len)
{
	while (len > 0) {
		/* A full buffered block is compressed only once more input
		 * arrives: the chunk's last block needs CHUNK_END. */
		if (c->block_len == BLAKE3_BLOCK_LEN) {
			compress_cv(c->cv, c->block, BLAKE3_BLOCK_LEN, c->chunk_counter,
				    c->flags | chunk_start_flag(c));
			c->blocks_compressed++;
			c->block_len = 0;
			memset(c->block, 0, sizeof(c->block));
		}
		/* Whole blocks with more input after them go straight from the
		 * input, without the copy into the buffer. */
		while (c->block_len == 0 && len > BLAKE3_BLOCK_LEN) {
			compress_cv(c->cv, in, BLAKE3_BLOCK_LEN, c->chunk_counter,
				    c->flags | chunk_start_flag(c));
			c->blocks_compressed++;
			in += BLAKE3_BLOCK_LEN;
			len -= BLAKE3_BLOCK_LEN;
		}
		size_t take = BLAKE3_BLOCK_LEN - c->block_len;
		if (take > len)
			take = len;
		memcpy(c->block + c->block_len, in, take);
		c->block_len = (uint8_t)(c->block_len + take);
		in += take;
		len -= take;
	}
}

static struct output chunk_output(const struct blake3_chunk_state *c)
{
	struct output o;

	memcpy(o.cv, c->cv, sizeof(o.cv));
	memcpy(o.block, c->block, sizeof(o.block));
	o.block_len = c->block_len;
	o.counter = c->chunk_counter;
	o.flags = c->flags | chunk_start_flag(c) | CHUNK_END;
	return o;
}

static struct output parent_output(const uint32_t left[8], const uint32_t right[8],
				   const uint32_t key[8], uint32_t flags)
{
	struct output o;

	memcpy(o.cv, key, sizeof(o.cv));
	for (int i = 0; i < 8; i++) {
		store32(o.block + 4 * i, left[i]);
		store32(o.block + 32 + 4 * i, right[i]);
	}
	o.block_len = BLAKE3_BLOCK_LEN;
	o.counter = 0;
	o.flags = PARENT | flags;
	return o;
}

static void output_cv(const struct output *o, uint32_t cv[8])
{
	copy_cv(cv, o->cv);
	compress_cv(cv, o->block, o->block_len, o->counter, o->flags);
}

static void output_root_bytes(const struct output *o, uint8_t *out, size_t len)
{
	uint64_t block_counter = 0;
	uint32_t words[16];

	while (len > 0) {
		compress_xof(o->cv, o->block, o->block_len, block_counter++, o->flags | ROOT, words);
		for (int i = 0; i < 16 && len > 0; i++) {
			uint8_t bytes[4];
			store32(bytes, words[i]);
			size_t n = len < 4 ? len : 4;
			memcpy(out, bytes, n);
			out += n;
			len -= n;
		}
	}
}

static void push_cv(struct blake3_hasher *h, const uint32_t cv[8])
{
	copy_cv(h->cv_stack[h->cv_stack_len++], cv);
}

/* cv = the CV of the parent of left and right (cv may be right). */
static void parent_cv(const uint32_t left[8], const uint32_t right[8], const uint32_t key[8],
		      uint32_t cv[8])
{
	uint8_t block[BLAKE3_BLOCK_LEN];

	for (int i = 0; i < 8; i++) {
		store32(block + 4 * i, left[i]);
		store32(block + 32 + 4 * i, right[i]);
	}
	copy_cv(cv, key);
	compress_cv(cv, block, BLAKE3_BLOCK_LEN, 0, PARENT);
}

/* Adds a finished chunk's CV, first merging the completed subtrees: one
 * merge per trailing zero bit of the total number of chunks so far. */
static void add_chunk_cv(struct blake3_hasher *h, uint32_t cv[8], uint64_t total_chunks)
{
	while ((total_chunks & 1) == 0) {
		parent_cv(h->cv_stack[--h->cv_stack_len], cv, h->key, cv);
		total_chunks >>= 1;
	}
	push_cv(h, cv);
}

void blake3_hasher_init(struct blake3_hasher *h)
{
	memcpy(h->key, IV, sizeof(h->key));
	chunk_init(&h->chunk, h->key, 0);
	h->cv_stack_len = 0;
}

void blake3_hasher_update(struct blake3_hasher *h, const void *input, size_t len)
{
	const uint8_t *in = input;

	while (len > 0) {
		if (chunk_len(&h->chunk) == BLAKE3_CHUNK_LEN) {
			struct output o = chunk_output(&h->chunk);
			uint32_t cv[8];
			uint64_t total = h->chunk.chunk_counter + 1;

			output_cv(&o, cv);
			add_chunk_cv(h, cv, total);
			chunk_init(&h->chunk, h->key, total);
		}
#ifdef BLAKE3_LANES
		/* Four whole chunks with more input after them: none of them can
		 * be the root, so they go into the tree straight away. */
		while (chunk_len(&h->chunk) == 0 && len > BLAKE3_LANES * BLAKE3_CHUNK_LEN) {
			uint32_t cvs[BLAKE3_LANES][8];
			uint64_t counter = h->chunk.chunk_counter;

			hash4_chunks(in, h->key, counter, h->chunk.flags, cvs);
			for (int lane = 0; lane < BLAKE3_LANES; lane++)
				add_chunk_cv(h, cvs[lane], counter + lane + 1);
			chunk_init(&h->chunk, h->key, counter + BLAKE3_LANES);
			in += BLAKE3_LANES * BLAKE3_CHUNK_LEN;
			len -= BLAKE3_LANES * BLAKE3_CHUNK_LEN;
		}
#endif
		/* The same one chunk at a time: each block is compressed from
		 * the input. An empty chunk state (its CV the key, its buffer
		 * zero) only needs its counter moved on. */
		while (chunk_len(&h->chunk) == 0 && len > BLAKE3_CHUNK_LEN) {
			uint32_t cv[8];
			uint64_t counter = h->chunk.chunk_counter;

			hash_chunk(in, h->key, counter, h->chunk.flags, cv);
			add_chunk_cv(h, cv, counter + 1);
			h->chunk.chunk_counter = counter + 1;
			in += BLAKE3_CHUNK_LEN;
			len -= BLAKE3_CHUNK_LEN;
		}
		size_t take = BLAKE3_CHUNK_LEN - chunk_len(&h->chunk);
		if (take > len)
			take = len;
		chunk_update(&h->chunk, in, take);
		in += take;
		len -= take;
	}
}

void blake3_hasher_finalize(const struct blake3_hasher *h, uint8_t *out, size_t out_len)
{
	struct output o = chunk_output(&h->chunk);
	int remaining = h->cv_stack_len;

	/* Fold the stack from the newest subtree to the oldest. */
	while (remaining > 0) {
		uint32_t right[8];
		output_cv(&o, right);
		o = parent_output(h->cv_stack[--remaining], right, h->key, 0);
	}
	output_root_bytes(&o, out, out_len);
}

void blake3_hash(const void *input, size_t len, uint8_t out[BLAKE3_OUT_LEN])
{
	struct blake3_hasher h;

	blake3_hasher_init(&h);
	blake3_hasher_update(&h, input, len);
	blake3_hasher_finalize(&h, out, BLAKE3_OUT_LEN);
}
