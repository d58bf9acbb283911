/*
 * table: fs-service's name table in the object store.
 *
 * The table lives as one object (lib/fsnames' encoding). A change is
 * made on a copy and committed: the copy, one generation on, is stored
 * first; only when that worked is the previous table object deleted and
 * the copy adopted, so a full store leaves the old table whole and in
 * force. A content object is deleted only when no name and not the table
 * itself uses it -- the store is content-addressed, so two names with the
 * same bytes share one object, and a file could even hold a table's
 * exact bytes.
 *
 * At start the table is looked for in the store: every object that
 * starts like a table is parsed as the untrusted bytes it is, the newest
 * generation wins, and a name whose object is missing, of another size,
 * or larger than a put can carry is dropped. At boot the store is empty
 * and the table starts empty; this is for a restarted fs. Recovery only
 * reads: the caller commits the result once it knows the endpoint is
 * its own.
 */
#include "fs.h"

#include <crypto/blake3.h>
#include <kstring.h>

#include "../lib/line.h"
#include "../lib/objstore.h"

static uint8_t bytes[FSNAMES_BYTES_MAX];     /* a table serialized */
static uint8_t object[OBJ_MAX];              /* an object read back */
static uint8_t hashes[OBJ_STORE_CAPACITY * OBJ_HASH_LEN];
static struct fsnames candidate, scratch;

static bool in_use(const struct fs_table *t, const uint8_t hash[FSNAMES_HASH_LEN])
{
	return fsnames_refs(&t->names, hash) > 0 ||
	       (t->stored && memcmp(t->hash, hash, FSNAMES_HASH_LEN) == 0);
}

void fs_table_release(const struct fs_table *t, const uint8_t hash[FSNAMES_HASH_LEN])
{
	if (!in_use(t, hash))
		(void)sys_obj_delete(hash); /* gone already is as good */
}

int64_t fs_table_commit(struct fs_table *t, const struct fsnames *next)
{
	uint8_t hash[FSNAMES_HASH_LEN], old[FSNAMES_HASH_LEN];
	bool had_old = t->stored;

	scratch = *next;
	scratch.generation = t->names.generation + 1;
	size_t len = fsnames_serialize(&scratch, bytes, sizeof(bytes));
	if (len == 0)
		return SYS_EINVAL;
	int64_t err = sys_obj_put(bytes, len, hash);
	if (err != 0)
		return err;
	memcpy(old, t->hash, FSNAMES_HASH_LEN);
	t->names = scratch;
	memcpy(t->hash, hash, FSNAMES_HASH_LEN);
	t->stored = true;
	if (had_old)
		fs_table_release(t, old);
	return 0;
}

/* The object `hash` read into `object`: its length, or a negative error.
 * Its bytes are checked against the hash: what ObjList named is what we
 * read. */
static int64_t read_object(const uint8_t hash[OBJ_HASH_LEN])
{
	uint8_t check[BLAKE3_OUT_LEN];
	int64_t n = sys_obj_get(hash, object, sizeof(object));

	if (n <= 0)
		return n < 0 ? n : SYS_ENOENT;
	blake3_hash(object, (size_t)n, check);
	return memcmp(check, hash, FSNAMES_HASH_LEN) == 0 ? n : SYS_EINVAL;
}

/* Whether entry e still names what it says: its object, of its size,
 * small enough to hand back in one answer. */
static bool entry_holds(const struct fsnames_entry *e)
{
	return e->size <= FS_GET_CONTENT_MAX && read_object(e->hash) == e->size;
}

static void say_dropped(const struct fsnames_entry *e)
{
	struct line l = { .len = 0 };
	char name[FSNAMES_NAME_MAX + 1] = { 0 };

	for (unsigned i = 0; i < e->name_len; i++)
		name[i] = e->name[i];
	put(&l, "fs: recovered table names ");
	put(&l, name);
	put(&l, ", whose object is missing or not as recorded: dropped");
	say(&l);
}

static void say_passed_over(const uint8_t hash[OBJ_HASH_LEN], enum fsnames_verdict v)
{
	struct line l = { .len = 0 };

	put(&l, "fs: object ");
	for (unsigned i = 0; i < 8; i++)
		put_byte(&l, hash[i]);
	put(&l, " starts like a name table but is not one: ");
	put(&l, fsnames_verdict_reason(v));
	say(&l);
}

/* The newest table among the store's objects into `candidate`, its
 * object's hash into `hash`: whether there was one. */
static bool find_newest(uint8_t hash[OBJ_HASH_LEN])
{
	int64_t n = sys_obj_list(hashes, sizeof(hashes));
	bool found = false;

	for (int64_t i = 0; i < n && i < OBJ_STORE_CAPACITY; i++) {
		const uint8_t *h = hashes + i * OBJ_HASH_LEN;
		int64_t len = read_object(h);

		if (len <= 0 || !fsnames_looks_like_table(object, (size_t)len))
			continue;
		enum fsnames_verdict v = fsnames_parse(object, (size_t)len, &scratch);
		if (v != FSNAMES_PARSED) {
			say_passed_over(h, v);
			continue;
		}
		if (!found || scratch.generation > candidate.generation) {
			candidate = scratch;
			memcpy(hash, h, FSNAMES_HASH_LEN);
			found = true;
		}
	}
	return found;
}

bool fs_table_recover(struct fs_table *t)
{
	uint8_t hash[OBJ_HASH_LEN];
	bool dropped = false;

	fsnames_init(&t->names);
	t->stored = false;
	if (!find_newest(hash))
		return false;
	t->names = candidate;
	memcpy(t->hash, hash, FSNAMES_HASH_LEN);
	t->stored = true;
	for (unsigned i = t->names.count; i-- > 0;) {
		if (!entry_holds(&t->names.entries[i])) {
			say_dropped(&t->names.entries[i]);
			fsnames_remove(&t->names, i);
			dropped = true;
		}
	}
	struct line l = { .len = 0 };
	put(&l, "fs: recovered the name table of generation ");
	put_dec(&l, (int64_t)t->names.generation);
	put(&l, ", ");
	put_dec(&l, t->names.count);
	put(&l, " names");
	say(&l);
	return dropped;
}
