/*
 * fsnames: fs-service's name table -- a small flat namespace, name ->
 * (BLAKE3 hash of the content object, owner Principal, size, flags) --
 * and its serialized form, the object fs keeps in the object store.
 *
 * Portable and freestanding (no libc; the host tests and the fuzzer build
 * it as it is): user/fs does its bookkeeping with it, and reads a table
 * back from the store with fsnames_parse(), which treats the bytes as
 * untrusted -- anyone who can put an object can put one that looks like
 * a table.
 *
 * The serialized table, little-endian, exactly FSNAMES_HEAD + count *
 * FSNAMES_RECORD bytes:
 *
 *   0   magic "CFSN"          4 bytes
 *   4   version (1)           u16
 *   6   count (0..40)         u16
 *   8   generation            u64: bigger is newer
 *   16  count records of 100 bytes:
 *         0   name length (1..31), u8
 *         1   name, 31 bytes: [A-Za-z0-9._-], zero past the length
 *         32  content hash, 32 bytes
 *         64  owner Principal, 32 bytes
 *         96  size (1..4096), u16
 *         98  flags (FSNAMES_FLAG_*), u16
 *
 * Only one encoding of a table is accepted: padding must be zero, names
 * must be distinct, and unknown flags are refused, so parse then
 * serialize gives back the same bytes (the fuzzer checks it). The worst
 * case, 40 records, is 4016 bytes: one object (the store's limit is 4096).
 */
#ifndef CAMBIOS_LIB_FSNAMES_H
#define CAMBIOS_LIB_FSNAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FSNAMES_MAX 40
#define FSNAMES_NAME_MAX 31
#define FSNAMES_HASH_LEN 32
#define FSNAMES_OWNER_LEN 32
#define FSNAMES_SIZE_MAX 4096
#define FSNAMES_HEAD 16
#define FSNAMES_RECORD 100
#define FSNAMES_BYTES_MAX (FSNAMES_HEAD + FSNAMES_MAX * FSNAMES_RECORD)
#define FSNAMES_VERSION 1

#define FSNAMES_FLAG_SIGNED 1u
#define FSNAMES_FLAGS_KNOWN FSNAMES_FLAG_SIGNED

struct fsnames_entry {
	uint8_t name_len;
	char name[FSNAMES_NAME_MAX]; /* zero past name_len */
	uint8_t hash[FSNAMES_HASH_LEN];
	uint8_t owner[FSNAMES_OWNER_LEN];
	uint16_t size;
	uint16_t flags;
};

struct fsnames {
	uint64_t generation;
	unsigned count;
	struct fsnames_entry entries[FSNAMES_MAX]; /* [0, count) in use, in no order */
};

/* What is wrong with a name, or FSNAME_OK. */
enum fsname_check {
	FSNAME_OK = 0,
	FSNAME_EMPTY,
	FSNAME_TOO_LONG,
	FSNAME_BAD_CHAR,
};

/* Why a serialized table was refused, or FSNAMES_PARSED. */
enum fsnames_verdict {
	FSNAMES_PARSED = 0,
	FSNAMES_SHORT,      /* fewer bytes than the header */
	FSNAMES_BAD_MAGIC,
	FSNAMES_BAD_VERSION,
	FSNAMES_TOO_MANY,   /* count past FSNAMES_MAX */
	FSNAMES_BAD_LENGTH, /* not exactly the header and count records */
	FSNAMES_BAD_NAME,   /* a record's name is empty, too long or has a bad byte */
	FSNAMES_BAD_PADDING, /* a byte past a name's length is not zero */
	FSNAMES_DUPLICATE,  /* two records with one name */
	FSNAMES_BAD_SIZE,   /* a size of 0 or past FSNAMES_SIZE_MAX */
	FSNAMES_BAD_FLAGS,  /* a flag this version does not know */
};

/* Whether name[0, len) may be a name: 1..FSNAMES_NAME_MAX bytes of
 * [A-Za-z0-9._-]. */
enum fsname_check fsname_check(const char *name, size_t len);

/* A short reason for a verdict ("two records with one name"). */
const char *fsnames_verdict_reason(enum fsnames_verdict v);

/* An empty table of generation 0. */
void fsnames_init(struct fsnames *t);

/* The index of the entry named name[0, len), or -1. */
int fsnames_find(const struct fsnames *t, const char *name, size_t len);

/* How many entries name the content with this hash. */
unsigned fsnames_refs(const struct fsnames *t, const uint8_t hash[FSNAMES_HASH_LEN]);

/* Whether `owner` owns entry i (i < count). */
bool fsnames_owned_by(const struct fsnames *t, unsigned i, const uint8_t owner[FSNAMES_OWNER_LEN]);

/* Makes name[0, len) name `e`'s content: the existing entry of that name
 * is replaced, else one is added. The caller has checked the name
 * (fsname_check) and the owner. false only when the name is new and the
 * table already holds FSNAMES_MAX names (nothing changed). */
bool fsnames_set(struct fsnames *t, const char *name, size_t len, const uint8_t hash[FSNAMES_HASH_LEN],
		 const uint8_t owner[FSNAMES_OWNER_LEN], uint16_t size, uint16_t flags);

/* Removes entry i (i < count); the last entry takes its place. */
void fsnames_remove(struct fsnames *t, unsigned i);

/* Writes the serialized table into out (FSNAMES_BYTES_MAX bytes is
 * always enough): its length, or 0 if `cap` is too small. */
size_t fsnames_serialize(const struct fsnames *t, uint8_t *out, size_t cap);

/* Reads a serialized table of `len` bytes into *t; never reads past
 * buf[len). On any verdict but FSNAMES_PARSED, *t is an empty table. */
enum fsnames_verdict fsnames_parse(const uint8_t *buf, size_t len, struct fsnames *t);

/* Whether buf starts like a serialized table (the magic), before any
 * other check: what is worth parsing when looking for one. */
bool fsnames_looks_like_table(const uint8_t *buf, size_t len);

/* The bytewise order of names, the shorter first on a common prefix:
 * <0, 0 or >0. */
int fsname_compare(const char *a, size_t a_len, const char *b, size_t b_len);

/* The indexes of up to `max` entries whose names sort after
 * after[0, after_len) (after_len 0: from the first), in order; how many. */
unsigned fsnames_list_after(const struct fsnames *t, const char *after, size_t after_len,
			    unsigned *out, unsigned max);

#endif
