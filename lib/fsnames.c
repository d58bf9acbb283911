/*
 * fsnames: fs-service's name table and its serialized form (fsnames.h).
 *
 * The table is small (40 entries), so every look-up is a linear scan and
 * the list is a selection of the next few names in order rather than a
 * sort: nothing to keep consistent besides the array itself.
 *
 * The parser is the only code here that sees bytes from outside fs; it
 * checks the length before reading anything it depends on, then every
 * record whole, and hands back a table only when all of them pass, so a
 * refused table leaves nothing half-read behind.
 */
#include "fsnames.h"

#include <kstring.h>

static const uint8_t magic[4] = { 'C', 'F', 'S', 'N' };

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;

	for (unsigned i = 8; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

static void put64(uint8_t *p, uint64_t v)
{
	for (unsigned i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
	       c == '_' || c == '-';
}

enum fsname_check fsname_check(const char *name, size_t len)
{
	if (len == 0)
		return FSNAME_EMPTY;
	if (len > FSNAMES_NAME_MAX)
		return FSNAME_TOO_LONG;
	for (size_t i = 0; i < len; i++) {
		if (!name_char(name[i]))
			return FSNAME_BAD_CHAR;
	}
	return FSNAME_OK;
}

const char *fsnames_verdict_reason(enum fsnames_verdict v)
{
	switch (v) {
	case FSNAMES_PARSED: return "parsed";
	case FSNAMES_SHORT: return "shorter than the header";
	case FSNAMES_BAD_MAGIC: return "not a name table (magic)";
	case FSNAMES_BAD_VERSION: return "unknown version";
	case FSNAMES_TOO_MANY: return "more records than a table holds";
	case FSNAMES_BAD_LENGTH: return "length is not the header and its records";
	case FSNAMES_BAD_NAME: return "a record's name is not a name";
	case FSNAMES_BAD_PADDING: return "a byte past a name is not zero";
	case FSNAMES_DUPLICATE: return "two records with one name";
	case FSNAMES_BAD_SIZE: return "a size of 0 or past an object's";
	case FSNAMES_BAD_FLAGS: return "an unknown flag";
	}
	return "unknown verdict";
}

void fsnames_init(struct fsnames *t)
{
	memset(t, 0, sizeof(*t));
}

static bool entry_is(const struct fsnames_entry *e, const char *name, size_t len)
{
	return e->name_len == len && memcmp(e->name, name, len) == 0;
}

int fsnames_find(const struct fsnames *t, const char *name, size_t len)
{
	for (unsigned i = 0; i < t->count; i++) {
		if (entry_is(&t->entries[i], name, len))
			return (int)i;
	}
	return -1;
}

unsigned fsnames_refs(const struct fsnames *t, const uint8_t hash[FSNAMES_HASH_LEN])
{
	unsigned refs = 0;

	for (unsigned i = 0; i < t->count; i++)
		refs += memcmp(t->entries[i].hash, hash, FSNAMES_HASH_LEN) == 0;
	return refs;
}

bool fsnames_owned_by(const struct fsnames *t, unsigned i, const uint8_t owner[FSNAMES_OWNER_LEN])
{
	return i < t->count && memcmp(t->entries[i].owner, owner, FSNAMES_OWNER_LEN) == 0;
}

bool fsnames_set(struct fsnames *t, const char *name, size_t len, const uint8_t hash[FSNAMES_HASH_LEN],
		 const uint8_t owner[FSNAMES_OWNER_LEN], uint16_t size, uint16_t flags)
{
	int found = fsnames_find(t, name, len);
	struct fsnames_entry *e;

	if (found >= 0) {
		e = &t->entries[found];
	} else if (t->count < FSNAMES_MAX && len <= FSNAMES_NAME_MAX) {
		e = &t->entries[t->count++];
	} else {
		return false;
	}
	memset(e, 0, sizeof(*e));
	e->name_len = (uint8_t)len;
	memcpy(e->name, name, len);
	memcpy(e->hash, hash, FSNAMES_HASH_LEN);
	memcpy(e->owner, owner, FSNAMES_OWNER_LEN);
	e->size = size;
	e->flags = flags;
	return true;
}

void fsnames_remove(struct fsnames *t, unsigned i)
{
	if (i >= t->count)
		return;
	t->entries[i] = t->entries[--t->count];
	memset(&t->entries[t->count], 0, sizeof(t->entries[t->count]));
}

static void write_record(const struct fsnames_entry *e, uint8_t *r)
{
	memset(r, 0, FSNAMES_RECORD);
	r[0] = e->name_len;
	memcpy(r + 1, e->name, e->name_len);
	memcpy(r + 32, e->hash, FSNAMES_HASH_LEN);
	memcpy(r + 64, e->owner, FSNAMES_OWNER_LEN);
	put16(r + 96, e->size);
	put16(r + 98, e->flags);
}

size_t fsnames_serialize(const struct fsnames *t, uint8_t *out, size_t cap)
{
	size_t len = FSNAMES_HEAD + (size_t)t->count * FSNAMES_RECORD;

	if (t->count > FSNAMES_MAX || cap < len)
		return 0;
	memcpy(out, magic, sizeof(magic));
	put16(out + 4, FSNAMES_VERSION);
	put16(out + 6, (uint16_t)t->count);
	put64(out + 8, t->generation);
	for (unsigned i = 0; i < t->count; i++)
		write_record(&t->entries[i], out + FSNAMES_HEAD + (size_t)i * FSNAMES_RECORD);
	return len;
}

bool fsnames_looks_like_table(const uint8_t *buf, size_t len)
{
	return len >= sizeof(magic) && memcmp(buf, magic, sizeof(magic)) == 0;
}

/* One record into *e, checked on its own (not against the others). */
static enum fsnames_verdict read_record(const uint8_t *r, struct fsnames_entry *e)
{
	uint8_t name_len = r[0];

	if (fsname_check((const char *)r + 1, name_len) != FSNAME_OK)
		return FSNAMES_BAD_NAME;
	for (unsigned i = 1u + name_len; i < 32; i++) {
		if (r[i] != 0)
			return FSNAMES_BAD_PADDING;
	}
	e->name_len = name_len;
	memcpy(e->name, r + 1, FSNAMES_NAME_MAX);
	memcpy(e->hash, r + 32, FSNAMES_HASH_LEN);
	memcpy(e->owner, r + 64, FSNAMES_OWNER_LEN);
	e->size = get16(r + 96);
	e->flags = get16(r + 98);
	if (e->size == 0 || e->size > FSNAMES_SIZE_MAX)
		return FSNAMES_BAD_SIZE;
	if (e->flags & ~FSNAMES_FLAGS_KNOWN)
		return FSNAMES_BAD_FLAGS;
	return FSNAMES_PARSED;
}

static enum fsnames_verdict read_header(const uint8_t *buf, size_t len, unsigned *count)
{
	if (len < FSNAMES_HEAD)
		return FSNAMES_SHORT;
	if (!fsnames_looks_like_table(buf, len))
		return FSNAMES_BAD_MAGIC;
	if (get16(buf + 4) != FSNAMES_VERSION)
		return FSNAMES_BAD_VERSION;
	*count = get16(buf + 6);
	if (*count > FSNAMES_MAX)
		return FSNAMES_TOO_MANY;
	if (len != FSNAMES_HEAD + (size_t)*count * FSNAMES_RECORD)
		return FSNAMES_BAD_LENGTH;
	return FSNAMES_PARSED;
}

enum fsnames_verdict fsnames_parse(const uint8_t *buf, size_t len, struct fsnames *t)
{
	unsigned count = 0;
	enum fsnames_verdict v = read_header(buf, len, &count);

	fsnames_init(t);
	for (unsigned i = 0; v == FSNAMES_PARSED && i < count; i++) {
		struct fsnames_entry *e = &t->entries[i];

		v = read_record(buf + FSNAMES_HEAD + (size_t)i * FSNAMES_RECORD, e);
		t->count = i; /* the entries before this one, for the duplicate look-up */
		if (v == FSNAMES_PARSED && fsnames_find(t, e->name, e->name_len) >= 0)
			v = FSNAMES_DUPLICATE;
	}
	if (v != FSNAMES_PARSED) {
		fsnames_init(t);
		return v;
	}
	t->count = count;
	t->generation = get64(buf + 8);
	return FSNAMES_PARSED;
}

int fsname_compare(const char *a, size_t a_len, const char *b, size_t b_len)
{
	size_t n = a_len < b_len ? a_len : b_len;

	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i])
			return (uint8_t)a[i] < (uint8_t)b[i] ? -1 : 1;
	}
	return a_len < b_len ? -1 : a_len > b_len;
}

/* The entry with the smallest name after after[0, after_len), or -1. */
static int next_after(const struct fsnames *t, const char *after, size_t after_len, bool from_start)
{
	int best = -1;

	for (unsigned i = 0; i < t->count; i++) {
		const struct fsnames_entry *e = &t->entries[i];

		if (!from_start && fsname_compare(e->name, e->name_len, after, after_len) <= 0)
			continue;
		if (best < 0 || fsname_compare(e->name, e->name_len, t->entries[best].name,
					       t->entries[best].name_len) < 0)
			best = (int)i;
	}
	return best;
}

unsigned fsnames_list_after(const struct fsnames *t, const char *after, size_t after_len,
			    unsigned *out, unsigned max)
{
	unsigned n = 0;
	bool from_start = after_len == 0;

	while (n < max) {
		int next = next_after(t, after, after_len, from_start);
		if (next < 0)
			break;
		out[n++] = (unsigned)next;
		after = t->entries[next].name;
		after_len = t->entries[next].name_len;
		from_start = false;
	}
	return n;
}
