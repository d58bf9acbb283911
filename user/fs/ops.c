/*
 * ops: fs-service's five requests (abi/fs.h), each decoded and checked
 * in full before anything changes, then carried out.
 *
 * The caller is the Principal the kernel stamped on the message, never
 * anything the payload says. A name is owned by the Principal that first
 * stored it: only that Principal may store over it or delete it. A
 * caller with no Principal (all zero) may read but not write.
 *
 * A put stores the content as an object first, then commits a table
 * naming it (table.c); if the commit fails the new object is let go
 * again, and after a commit the replaced content is. So at every moment
 * the committed table names only objects that exist.
 */
#include "fs.h"

#include <crypto/ed25519.h>

#include "../lib/objstore.h"

static struct fsnames next; /* the table a change is making */

static bool anonymous(const uint8_t principal[PRINCIPAL_LEN])
{
	uint8_t any = 0;

	for (unsigned i = 0; i < PRINCIPAL_LEN; i++)
		any |= principal[i];
	return any == 0;
}

/* 0, or why `n` cannot be a name in a request. */
static int32_t check_name(const struct fs_name *n)
{
	if (n->len > FS_NAME_MAX)
		return SYS_ENAMETOOLONG;
	if (fsname_check(n->bytes, n->len) != FSNAME_OK)
		return SYS_EINVAL;
	for (unsigned i = n->len; i < FS_NAME_MAX; i++) {
		if (n->bytes[i] != 0)
			return SYS_EINVAL; /* one encoding of a name, as in the table */
	}
	return 0;
}

/* 0, or why a put's content field cannot be stored: `len` bytes claimed,
 * at most `max` carried, `head` bytes before them in a message of
 * `got` bytes. */
static int32_t check_content(uint16_t len, size_t max, size_t head, size_t got)
{
	if (len == 0)
		return SYS_EINVAL;
	if (len > max)
		return SYS_EFBIG;
	if (got < head + len)
		return SYS_EINVAL; /* the message is shorter than its content */
	return 0;
}

/* Names content[0, len) `name` for `owner`, with `flags`. */
static int32_t store(struct fs_table *t, const struct fs_name *name, const uint8_t *content,
		     uint16_t len, const uint8_t *owner, uint16_t flags)
{
	int found = fsnames_find(&t->names, name->bytes, name->len);
	uint8_t hash[FSNAMES_HASH_LEN], replaced[FSNAMES_HASH_LEN];

	if (anonymous(owner) || (found >= 0 && !fsnames_owned_by(&t->names, (unsigned)found, owner)))
		return SYS_EPERM;
	if (found < 0 && t->names.count >= FSNAMES_MAX)
		return SYS_ENOMEM;
	int64_t err = sys_obj_put(content, len, hash);
	if (err != 0)
		return (int32_t)err;
	if (found >= 0) {
		for (unsigned i = 0; i < FSNAMES_HASH_LEN; i++)
			replaced[i] = t->names.entries[found].hash[i];
	}
	next = t->names;
	(void)fsnames_set(&next, name->bytes, name->len, hash, owner, len, flags);
	err = fs_table_commit(t, &next);
	if (err != 0) {
		fs_table_release(t, hash);
		return (int32_t)err;
	}
	if (found >= 0)
		fs_table_release(t, replaced);
	return 0;
}

static int32_t put(struct fs_table *t, const struct fs_call *c)
{
	const struct fs_put_request *r = &c->req.put;

	if (c->len < FS_PUT_HEAD || r->reserved != 0)
		return SYS_EINVAL;
	int32_t err = check_name(&r->name);
	if (err == 0)
		err = check_content(r->len, FS_PUT_CONTENT_MAX, FS_PUT_HEAD, c->len);
	return err ? err : store(t, &r->name, r->content, r->len, c->principal, 0);
}

static int32_t put_signed(struct fs_table *t, const struct fs_call *c)
{
	const struct fs_put_signed_request *r = &c->req.put_signed;

	if (c->len < FS_PUT_SIGNED_HEAD || r->reserved != 0)
		return SYS_EINVAL;
	int32_t err = check_name(&r->name);
	if (err == 0)
		err = check_content(r->len, FS_PUT_SIGNED_CONTENT_MAX, FS_PUT_SIGNED_HEAD, c->len);
	if (err != 0)
		return err;
	if (ed25519_verify(c->principal, r->content, r->len, r->signature) != ED25519_OK)
		return SYS_EBADSIG;
	return store(t, &r->name, r->content, r->len, c->principal, FS_FLAG_SIGNED);
}

/* The entry a get or delete names, through *found: 0 or its error. */
static int32_t look_up(const struct fs_table *t, const struct fs_call *c, int *found)
{
	if (c->len < sizeof(struct fs_name_request))
		return SYS_EINVAL;
	int32_t err = check_name(&c->req.by_name.name);
	if (err != 0)
		return err;
	*found = fsnames_find(&t->names, c->req.by_name.name.bytes, c->req.by_name.name.len);
	return *found < 0 ? SYS_ENOENT : 0;
}

static int32_t get(const struct fs_table *t, const struct fs_call *c, struct fs_answer *a)
{
	int found = -1;
	int32_t err = look_up(t, c, &found);

	if (err != 0)
		return err;
	const struct fsnames_entry *e = &t->names.entries[found];
	int64_t n = sys_obj_get(e->hash, a->reply.get.content, sizeof(a->reply.get.content));
	if (n != e->size) {
		a->detail = "its object is gone"; /* deleted behind fs's back */
		return SYS_ENOENT;
	}
	a->reply.get.len = e->size;
	a->reply.get.flags = e->flags;
	a->len = FS_GET_REPLY_HEAD + e->size;
	a->count = e->size;
	return 0;
}

static int32_t delete(struct fs_table *t, const struct fs_call *c)
{
	int found = -1;
	int32_t err = look_up(t, c, &found);
	uint8_t hash[FSNAMES_HASH_LEN];

	if (err != 0)
		return err;
	if (!fsnames_owned_by(&t->names, (unsigned)found, c->principal))
		return SYS_EPERM;
	for (unsigned i = 0; i < FSNAMES_HASH_LEN; i++)
		hash[i] = t->names.entries[found].hash[i];
	next = t->names;
	fsnames_remove(&next, (unsigned)found);
	err = (int32_t)fs_table_commit(t, &next);
	if (err == 0)
		fs_table_release(t, hash);
	return err;
}

static int32_t list(const struct fs_table *t, const struct fs_call *c, struct fs_answer *a)
{
	const struct fs_name *after = &c->req.list.after;
	struct fs_list_reply *r = &a->reply.list;
	unsigned idx[FS_LIST_PAGE + 1];

	if (c->len < sizeof(struct fs_list_request))
		return SYS_EINVAL;
	int32_t err = after->len == 0 ? 0 : check_name(after);
	for (unsigned i = 0; err == 0 && after->len == 0 && i < FS_NAME_MAX; i++)
		err = after->bytes[i] != 0 ? SYS_EINVAL : 0;
	if (err != 0)
		return err;
	unsigned n = fsnames_list_after(&t->names, after->bytes, after->len, idx, FS_LIST_PAGE + 1);
	r->more = n > FS_LIST_PAGE;
	r->count = (uint8_t)(n > FS_LIST_PAGE ? FS_LIST_PAGE : n);
	r->total = (uint16_t)t->names.count;
	for (unsigned i = 0; i < r->count; i++) {
		const struct fsnames_entry *e = &t->names.entries[idx[i]];
		r->names[i].len = e->name_len;
		for (unsigned j = 0; j < FS_NAME_MAX; j++)
			r->names[i].bytes[j] = e->name[j];
	}
	a->len = sizeof(*r);
	a->count = r->count;
	return 0;
}

static int32_t carry_out(struct fs_table *t, const struct fs_call *c, struct fs_answer *a)
{
	if (c->len < sizeof(struct fs_head))
		return SYS_EINVAL;
	switch (c->req.head.type) {
	case FS_PUT: return put(t, c);
	case FS_PUT_SIGNED: return put_signed(t, c);
	case FS_GET: return get(t, c, a);
	case FS_DELETE: return delete(t, c);
	case FS_LIST: return list(t, c, a);
	default: return SYS_EINVAL;
	}
}

static bool known_type(uint32_t type)
{
	return type >= FS_PUT && type <= FS_PUT_SIGNED;
}

void fs_serve(struct fs_table *t, const struct fs_call *call, struct fs_answer *a)
{
	uint32_t type = call->len >= sizeof(struct fs_head) ? call->req.head.type : 0;

	a->len = sizeof(a->reply.status);
	a->detail = NULL;
	a->count = 0;
	int32_t status = carry_out(t, call, a);
	a->reply.status.type = FS_REPLY | (known_type(type) ? type : 0);
	a->reply.status.tag = call->len >= sizeof(struct fs_head) ? call->req.head.tag : 0;
	a->reply.status.status = status;
	if (status != 0)
		a->len = sizeof(a->reply.status);
}
