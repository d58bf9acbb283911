/*
 * files: ls, put, cat and rm through fs-service (ENDPOINT_FS,
 * abi/fs.h).
 *
 * Names are checked here first with fs's own rules (lib/fsnames), so a
 * bad one gets its reason without a round trip. Every answer must carry
 * its request's type | FS_REPLY and the tag the shell gave it, and be as
 * long as its own fields say -- a get's content exactly `len` bytes, a
 * list's names all inside the message and each a valid name -- before
 * anything in it is shown.
 */
#include <fsnames.h>
#include <kstring.h>

#include "shell.h"

#define LIST_PAGES_MAX (FS_NAMES_MAX / FS_LIST_PAGE + 2) /* a listing always ends */

static uint32_t next_tag = 1;

/* Why name[0, len) cannot be sent, or NULL when it can. */
static const char *name_problem(const char *name, size_t len)
{
	switch (fsname_check(name, len)) {
	case FSNAME_OK:
		return NULL;
	case FSNAME_TOO_LONG:
		return "name too long (31 characters at most)";
	case FSNAME_EMPTY:
		return "empty name";
	case FSNAME_BAD_CHAR:
		return "a name is made of A-Z a-z 0-9 . _ -";
	}
	return "bad name";
}

/* "shell: <what> <name>: <why>" */
static void say_name(const char *what, const char *name, size_t len, const char *why)
{
	struct line l = { .len = 0 };

	put(&l, "shell: ");
	put(&l, what);
	put(&l, " ");
	out_put_n(&l, name, len);
	put(&l, ": ");
	put(&l, why);
	say(&l);
}

static void set_name(struct fs_name *n, const char *name, size_t len)
{
	memset(n, 0, sizeof(*n));
	n->len = (uint8_t)len;
	memcpy(n->bytes, name, len);
}

/* Asks fs; the answer's status, after the checks every answer passes
 * (false, said, when one fails). */
static bool ask_fs(struct fs_head *head, size_t len, struct answer *a, int32_t *status)
{
	struct fs_status_reply r;

	head->tag = next_tag++;
	if (!ask(&SERVICE_FS, head, len, a))
		return false;
	if (a->len < sizeof(r)) {
		say1("shell: fs-service's answer is too short; ignored");
		return false;
	}
	memcpy(&r, a->bytes, sizeof(r));
	if (r.type != (head->type | FS_REPLY) || r.tag != head->tag) {
		say1("shell: fs-service's answer is for another request; ignored");
		return false;
	}
	*status = r.status;
	return true;
}

/* The answer's status said, when it is not 0; true when it is. */
static bool fs_ok(const char *what, const char *name, size_t len, int32_t status)
{
	if (status == 0)
		return true;
	say_name(what, name, len, status == SYS_ENOENT ? "unknown name" : out_error_name(status));
	return false;
}

/* One FS_GET, FS_DELETE: the status, checked; false when none came. */
static bool by_name(uint32_t type, const char *name, size_t len, struct answer *a,
		    int32_t *status)
{
	struct fs_name_request r = { .head = { .type = type } };

	set_name(&r.name, name, len);
	return ask_fs(&r.head, sizeof(r), a, status);
}

bool files_get(const char *what, const char *name, size_t len, struct fs_get_reply *reply)
{
	static struct answer a;
	int32_t status;
	const char *problem = name_problem(name, len);

	if (problem) {
		say_name(what, name, len, problem);
		return false;
	}
	if (!by_name(FS_GET, name, len, &a, &status) || !fs_ok(what, name, len, status))
		return false;
	if (a.len < FS_GET_REPLY_HEAD || a.len > sizeof(*reply)) {
		say1("shell: fs-service's answer has the wrong size for a get; ignored");
		return false;
	}
	memcpy(reply, a.bytes, a.len);
	if (reply->len == 0 || reply->len > FS_GET_CONTENT_MAX ||
	    a.len != FS_GET_REPLY_HEAD + (size_t)reply->len) {
		say1("shell: fs-service's answer does not hold the content it claims; ignored");
		return false;
	}
	return true;
}

void cmd_cat(const struct shell_line *cl)
{
	static struct fs_get_reply reply;
	size_t len;
	const char *name = shell_arg(cl, 1, &len);

	if (!files_get("cat", name, len, &reply))
		return;
	/* The content as it is: the kernel shows control bytes escaped and
	 * splits it into prefixed lines of its own. */
	char text[FS_GET_CONTENT_MAX + 1];
	memcpy(text, reply.content, reply.len);
	text[reply.len] = '\n';
	(void)sys_print(text, reply.len + 1u);
}

void cmd_put(const struct shell_line *cl)
{
	static struct fs_put_request r;
	static struct answer a;
	size_t len, text_len;
	const char *name = shell_arg(cl, 1, &len);
	const char *text = shell_rest(cl, 2, &text_len);
	const char *problem = name_problem(name, len);
	int32_t status;

	if (problem) {
		say_name("put", name, len, problem);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.head.type = FS_PUT;
	set_name(&r.name, name, len);
	r.len = (uint16_t)text_len; /* a line is shorter than FS_PUT_CONTENT_MAX */
	memcpy(r.content, text, text_len);
	if (!ask_fs(&r.head, FS_PUT_HEAD + text_len, &a, &status) ||
	    !fs_ok("put", name, len, status))
		return;
	struct line l = { .len = 0 };
	put(&l, "put ");
	out_put_n(&l, name, len);
	put(&l, ": ");
	put_dec(&l, (int64_t)text_len);
	put(&l, " bytes stored");
	say(&l);
}

void cmd_rm(const struct shell_line *cl)
{
	static struct answer a;
	size_t len;
	const char *name = shell_arg(cl, 1, &len);
	const char *problem = name_problem(name, len);
	int32_t status;

	if (problem) {
		say_name("rm", name, len, problem);
		return;
	}
	if (!by_name(FS_DELETE, name, len, &a, &status) || !fs_ok("rm", name, len, status))
		return;
	struct line l = { .len = 0 };
	put(&l, "rm ");
	out_put_n(&l, name, len);
	put(&l, ": deleted");
	say(&l);
}

/* One page of names after `after`: false (said) when the answer fails
 * its checks; *r holds it otherwise. */
static bool list_page(const struct fs_name *after, struct fs_list_reply *r)
{
	static struct answer a;
	struct fs_list_request req = { .head = { .type = FS_LIST }, .after = *after };
	int32_t status;

	if (!ask_fs(&req.head, sizeof(req), &a, &status))
		return false;
	if (status != 0) {
		out_say_error("ls", status);
		return false;
	}
	memset(r, 0, sizeof(*r));
	memcpy(r, a.bytes, a.len < sizeof(*r) ? a.len : sizeof(*r));
	if (r->count > FS_LIST_PAGE || a.len < 16 + sizeof(struct fs_name) * r->count) {
		say1("shell: fs-service's list answer does not hold the names it claims; ignored");
		return false;
	}
	for (unsigned i = 0; i < r->count; i++) {
		if (r->names[i].len > FS_NAME_MAX ||
		    fsname_check(r->names[i].bytes, r->names[i].len) != FSNAME_OK) {
			say1("shell: fs-service's list answer holds a malformed name; ignored");
			return false;
		}
	}
	return true;
}

void cmd_ls(const struct shell_line *cl)
{
	static struct fs_list_reply r;
	struct fs_name after = { 0 };
	unsigned shown = 0;

	(void)cl;
	for (unsigned page = 0; page < LIST_PAGES_MAX; page++) {
		if (!list_page(&after, &r))
			return;
		for (unsigned i = 0; i < r.count; i++) {
			struct line l = { .len = 0 };
			put(&l, "  ");
			out_put_n(&l, r.names[i].bytes, r.names[i].len);
			say(&l);
		}
		shown += r.count;
		if (!r.more || r.count == 0)
			break;
		after = r.names[r.count - 1];
	}
	struct line l = { .len = 0 };
	put_dec(&l, shown);
	put(&l, " names");
	say(&l);
}
