/*
 * objstore: the RAM-backed, content-addressed object store.
 *
 * Up to OBJSTORE_CAPACITY objects, each identified by the BLAKE3 hash of
 * its content. An object records its author and owner Principals (the
 * owner starts as the author), its size, and the tick it was created.
 * Put returns the hash; putting content that is already stored returns the
 * existing hash and changes nothing (the first author stays). Get copies
 * the content out; delete is for the owner only; list enumerates hashes.
 * A full store and an oversized object are explicit errors. Content lives
 * on the kernel heap, at most OBJSTORE_MAX_OBJECT bytes per object (one
 * page: what the object system calls can move in one go).
 * Lock: LOCK_OBJECT_STORE.
 */
#ifndef CAMBIOS_OBJSTORE_H
#define CAMBIOS_OBJSTORE_H

#include <crypto/blake3.h>
#include <identity.h>
#include <kerr.h>
#include <stddef.h>
#include <stdint.h>

#define OBJSTORE_CAPACITY 256
#define OBJSTORE_MAX_OBJECT 4096
#define OBJSTORE_HASH_LEN BLAKE3_OUT_LEN

struct objstore_info {
	uint8_t hash[OBJSTORE_HASH_LEN];
	struct principal author;
	struct principal owner;
	size_t size;
	uint64_t created_tick;
};

/* Empties the store. Prints one line with its capacity. */
void objstore_init(void);

/* Stores `len` bytes (1..OBJSTORE_MAX_OBJECT) authored by `author`.
 * K_EINVAL bad length, K_EFULL store full, K_ENOMEM heap exhausted.
 * An identical object already stored: K_OK with its hash, nothing changed. */
/*@ requires 0 < len <= OBJSTORE_MAX_OBJECT && content != \null ==>
	\valid_read((const uint8_t *)content + (0 .. len - 1));
    requires author == \null || \valid_read(author);
    requires \valid(hash_out + (0 .. OBJSTORE_HASH_LEN - 1));
    ensures \result == K_OK || \result == K_EINVAL || \result == K_ENOMEM || \result == K_EFULL;
    ensures len == 0 || len > OBJSTORE_MAX_OBJECT || content == \null || author == \null ==>
	\result == K_EINVAL; */
__must_check kerr_t objstore_put(const void *content, size_t len, const struct principal *author,
				 uint64_t tick, uint8_t hash_out[OBJSTORE_HASH_LEN]);

/* Copies up to buf_len bytes of the object into buf; *size = its full
 * size. K_ENOENT if absent. */
/*@ requires \valid_read(hash + (0 .. OBJSTORE_HASH_LEN - 1));
    requires \valid((char *)buf + (0 .. buf_len - 1));
    requires \valid(size);
    ensures \result == K_OK || \result == K_ENOENT; */
__must_check kerr_t objstore_get(const uint8_t hash[OBJSTORE_HASH_LEN], void *buf, size_t buf_len,
				 size_t *size);

/*@ requires \valid_read(hash + (0 .. OBJSTORE_HASH_LEN - 1));
    requires \valid(out);
    ensures \result == K_OK || \result == K_ENOENT; */
__must_check kerr_t objstore_stat(const uint8_t hash[OBJSTORE_HASH_LEN], struct objstore_info *out);

/* Deletes the object if `requester` is its owner. K_ENOENT absent,
 * K_EPERM not the owner. */
/*@ requires \valid_read(hash + (0 .. OBJSTORE_HASH_LEN - 1));
    requires \valid_read(requester);
    ensures \result == K_OK || \result == K_ENOENT || \result == K_EPERM; */
__must_check kerr_t objstore_delete(const uint8_t hash[OBJSTORE_HASH_LEN],
				    const struct principal *requester);

/* Writes up to `max` hashes (OBJSTORE_HASH_LEN bytes each, packed) and
 * returns how many objects exist in total. */
/*@ requires max <= OBJSTORE_CAPACITY ==> \valid(hashes + (0 .. max * OBJSTORE_HASH_LEN - 1));
    requires max > OBJSTORE_CAPACITY ==>
	\valid(hashes + (0 .. OBJSTORE_CAPACITY * OBJSTORE_HASH_LEN - 1));
    ensures \result <= OBJSTORE_CAPACITY; */
size_t objstore_list(uint8_t *hashes, size_t max);

/*@ ensures \result <= OBJSTORE_CAPACITY; */
size_t objstore_count(void);
/* The stored objects' content, in bytes, all together. */
uint64_t objstore_content_bytes(void);

#endif
