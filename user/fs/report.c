/*
 * report: the one console line fs-service leaves per request --
 *
 *   fs: 1a2b3c4d5e6f7081 put notes.txt: ok
 *   fs: 1a2b3c4d5e6f7081 delete notes.txt: error -2, not owner
 *
 * the caller's Principal by its first 8 bytes, the operation, the name
 * (only when it is a valid one: a name is never printed as it came) and
 * the result, so the log tells who did what to which name.
 */
#include "fs.h"

#include "../lib/line.h"

const char *fs_status_text(int32_t status)
{
	switch (status) {
	case 0: return "ok";
	case SYS_EINVAL: return "bad request";
	case SYS_ENAMETOOLONG: return "name too long";
	case SYS_EFBIG: return "content too large";
	case SYS_ENOENT: return "unknown name";
	case SYS_EPERM: return "not owner";
	case SYS_EBADSIG: return "bad signature";
	case SYS_ENOMEM: return "store full";
	default: return "error";
	}
}

static const char *op_name(const struct fs_call *c)
{
	if (c->len < sizeof(struct fs_head))
		return "(short)";
	switch (c->req.head.type) {
	case FS_PUT: return "put";
	case FS_PUT_SIGNED: return "signed-put";
	case FS_GET: return "get";
	case FS_DELETE: return "delete";
	case FS_LIST: return "list";
	default: return "(unknown)";
	}
}

/* The name the request is about, if it has one. */
static const struct fs_name *subject(const struct fs_call *c)
{
	if (c->len < sizeof(struct fs_head) + sizeof(struct fs_name))
		return NULL;
	/* Every request that has a name keeps it right after the head. */
	return &c->req.by_name.name;
}

static void put_name(struct line *l, const struct fs_call *c)
{
	const struct fs_name *n = subject(c);
	char text[FS_NAME_MAX + 1] = { 0 };

	if (c->len >= sizeof(struct fs_head) && c->req.head.type == FS_LIST) {
		if (!n || n->len == 0) {
			put(l, " from the start");
			return;
		}
		put(l, " after");
	}
	if (!n)
		return;
	if (n->len > FS_NAME_MAX) {
		put(l, " (a name too long)");
		return;
	}
	if (fsname_check(n->bytes, n->len) != FSNAME_OK) {
		put(l, " (not a name)");
		return;
	}
	for (unsigned i = 0; i < n->len; i++)
		text[i] = n->bytes[i];
	put(l, " ");
	put(l, text);
}

static void put_result(struct line *l, const struct fs_call *c, const struct fs_answer *a)
{
	int32_t status = a->reply.status.status;

	put(l, ": ");
	if (status != 0) {
		put(l, "error ");
		put_dec(l, status);
		put(l, ", ");
	}
	put(l, fs_status_text(status));
	if (status == 0 && c->req.head.type == FS_GET) {
		put(l, ", ");
		put_dec(l, a->count);
		put(l, " bytes");
	}
	if (status == 0 && c->req.head.type == FS_LIST) {
		put(l, ", ");
		put_dec(l, a->count);
		put(l, " of ");
		put_dec(l, a->reply.list.total);
		put(l, " names");
	}
	if (a->detail) {
		put(l, " (");
		put(l, a->detail);
		put(l, ")");
	}
}

void fs_report(const struct fs_call *c, const struct fs_answer *a)
{
	struct line l = { .len = 0 };

	put(&l, "fs: ");
	for (unsigned i = 0; i < 8; i++)
		put_byte(&l, c->principal[i]);
	put(&l, " ");
	put(&l, op_name(c));
	put_name(&l, c);
	put_result(&l, c, a);
	say(&l);
}
