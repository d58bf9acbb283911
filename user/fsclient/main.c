/*
 * fsclient: every fs-service request and every answer it can give,
 * through IPC, in a fixed order, one line per check (ask.c): first as
 * the bootstrap Principal every boot module speaks for -- put, get,
 * overwrite, shared content, the paged list, each refusal, a table
 * filled to its last name -- then, bound to a key of its own, as another
 * Principal: refused the bootstrap's names ("not owner"), and storing a
 * put it signed. Last, it puts an object that starts like a name table
 * but is not one and spawns a second fs, which reads the table back from
 * the store -- passing over the broken one -- and ends, the endpoint
 * being taken. It ends with "fsclient: N checks, M failed" and exits
 * with M.
 */
#include "fsclient.h"

#include <kstring.h>

#include "../lib/line.h"
#include "../lib/module.h"
#include "../lib/objstore.h"
#include "../lib/sys.h"

CAMBIOS_MODULE_ROLE("fsclient");

static const char greeting[] = "Hello, fs!";
static const char second[] = "Hello again, fs.";
static union fs_reply reply;

static bool got_content(const void *want, size_t len)
{
	return reply.get.len == len && memcmp(reply.get.content, want, len) == 0;
}

static void put_get_overwrite(void)
{
	fsclient_check("put hello.txt", fsclient_put("hello.txt", greeting, sizeof(greeting) - 1), 0);
	fsclient_check("get hello.txt", fsclient_get("hello.txt", &reply), 0);
	fsclient_check("hello.txt holds what was put", got_content(greeting, sizeof(greeting) - 1), 1);
	fsclient_check("put over hello.txt", fsclient_put("hello.txt", second, sizeof(second) - 1), 0);
	fsclient_check("get hello.txt again", fsclient_get("hello.txt", &reply), 0);
	fsclient_check("hello.txt holds the new content", got_content(second, sizeof(second) - 1), 1);
	fsclient_check("hello.txt is not signed", reply.get.flags, 0);
}

/* Two names with the same bytes share one object: deleting one name
 * must leave the other's content. */
static void shared_content(void)
{
	fsclient_check("put copy.txt, hello.txt's bytes",
		       fsclient_put("copy.txt", second, sizeof(second) - 1), 0);
	fsclient_check("delete copy.txt", fsclient_delete("copy.txt"), 0);
	fsclient_check("get copy.txt", fsclient_get("copy.txt", &reply), SYS_ENOENT);
	fsclient_check("get hello.txt after copy.txt went", fsclient_get("hello.txt", &reply), 0);
	fsclient_check("hello.txt still holds its content", got_content(second, sizeof(second) - 1), 1);
}

static int32_t list_after(const char *after, struct fs_list_reply *out)
{
	struct fs_list_request r;
	size_t got;

	memset(&r, 0, sizeof(r));
	r.head.type = FS_LIST;
	fsclient_name(&r.after, after, (uint8_t)strlen(after));
	int32_t status = fsclient_ask(&r, sizeof(r), &reply, &got);
	*out = reply.list;
	return status;
}

static void name_of(const struct fs_name *n, char out[FS_NAME_MAX + 1])
{
	memset(out, 0, FS_NAME_MAX + 1);
	memcpy(out, n->bytes, n->len <= FS_NAME_MAX ? n->len : FS_NAME_MAX);
}

/* With hello.txt and n0..n7 there are 9 names: a page of 7 (hello.txt,
 * n0..n5), then one of 2 (n6, n7), every name once and in order. */
static void paged_list(void)
{
	static const char *const order[] = { "hello.txt", "n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7" };
	struct fs_list_reply page;
	char name[FS_NAME_MAX + 1], cursor[FS_NAME_MAX + 1] = "";
	int64_t seen = 0, in_order = 0, pages = 0;

	for (int i = 0; i < 8; i++) {
		char n[3] = { 'n', (char)('0' + i), 0 };
		(void)fsclient_put(n, &n[1], 1);
	}
	do {
		if (list_after(cursor, &page) != 0)
			break;
		pages++;
		for (unsigned i = 0; i < page.count && i < FS_LIST_PAGE; i++, seen++) {
			name_of(&page.names[i], name);
			in_order += seen < 9 && strcmp(name, order[seen]) == 0;
			memcpy(cursor, name, sizeof(name));
		}
	} while (page.more && pages < 5);
	fsclient_check("list: pages", pages, 2);
	fsclient_check("list: names", seen, 9);
	fsclient_check("list: names in order", in_order, 9);
	fsclient_check("list: total", page.total, 9);
}

/* A bare request of `len` bytes: type and name, the rest zero. */
static int32_t raw(uint32_t type, const char *name, uint8_t name_len, size_t len)
{
	static struct fs_put_signed_request r;
	size_t got;

	memset(&r, 0, sizeof(r));
	r.head.type = type;
	fsclient_name(&r.name, name, name_len);
	return fsclient_ask(&r, len, &reply, &got);
}

static void refusals(void)
{
	static uint8_t big[FS_PUT_CONTENT_MAX + 1];
	static struct fs_put_request request;
	size_t got;

	fsclient_check("get missing", fsclient_get("missing", &reply), SYS_ENOENT);
	fsclient_check("delete missing", fsclient_delete("missing"), SYS_ENOENT);
	fsclient_check("put a 32-byte name",
		       fsclient_put("abcdefghijklmnopqrstuvwxyz012345", "x", 1), SYS_ENAMETOOLONG);
	fsclient_check("get a name of length 200", raw(FS_GET, "a", 200, 40), SYS_ENAMETOOLONG);
	fsclient_check("put bad/name", fsclient_put("bad/name", "x", 1), SYS_EINVAL);
	fsclient_check("get an empty name", raw(FS_GET, "", 0, 40), SYS_EINVAL);
	fsclient_check("put 213 bytes", fsclient_put("big", big, sizeof(big)), SYS_EFBIG);
	fsclient_check("put 0 bytes", fsclient_put("empty", "", 0), SYS_EINVAL);
	fsclient_check("an unknown type", raw(99, "x", 1, 40), SYS_EINVAL);
	fsclient_check("a 6-byte message", raw(FS_GET, "x", 1, 6), SYS_EINVAL);
	fsclient_check("a get cut short", raw(FS_GET, "x", 1, 20), SYS_EINVAL);

	memset(&request, 0, sizeof(request));
	request.head.type = FS_PUT;
	fsclient_name(&request.name, "short", 5);
	request.len = 50; /* but only 10 bytes of content come */
	fsclient_check("a put shorter than its content", fsclient_ask(&request, FS_PUT_HEAD + 10, &reply, &got),
		       SYS_EINVAL);
	request.len = 10;
	request.reserved = 1;
	fsclient_check("a put with reserved bytes set", fsclient_ask(&request, FS_PUT_HEAD + 10, &reply, &got),
		       SYS_EINVAL);
	fsclient_check("get short", fsclient_get("short", &reply), SYS_ENOENT);
}

static int32_t signed_put(const char *name, const void *content, uint16_t len,
			  const uint8_t signature[FS_SIGNATURE_LEN])
{
	static struct fs_put_signed_request r;
	size_t got;

	memset(&r, 0, sizeof(r));
	r.head.type = FS_PUT_SIGNED;
	fsclient_name(&r.name, name, (uint8_t)strlen(name));
	r.len = len;
	memcpy(r.signature, signature, FS_SIGNATURE_LEN);
	size_t carried = len <= FS_PUT_SIGNED_CONTENT_MAX ? len : FS_PUT_SIGNED_CONTENT_MAX;
	memcpy(r.content, content, carried);
	return fsclient_ask(&r, FS_PUT_SIGNED_HEAD + carried, &reply, &got);
}

static void signed_refusals(void)
{
	static const uint8_t not_a_signature[FS_SIGNATURE_LEN] = { 0x5a, 1, 2, 3 };
	static uint8_t big[FS_PUT_SIGNED_CONTENT_MAX + 1];

	fsclient_check("signed put, a signature nobody made",
		       signed_put("forged.txt", greeting, sizeof(greeting) - 1, not_a_signature),
		       SYS_EBADSIG);
	fsclient_check("signed put 149 bytes", signed_put("big", big, sizeof(big), not_a_signature),
		       SYS_EFBIG);
	fsclient_check("get forged.txt", fsclient_get("forged.txt", &reply), SYS_ENOENT);
}

/* Fills the table to its last name: one more is "store full". */
static void full_table(void)
{
	char name[4] = { 'f', 0, 0, 0 };
	int64_t stored = 0;
	const int64_t room = FS_NAMES_MAX - 9; /* hello.txt and n0..n7 are there */

	for (int i = 0; i < room; i++) {
		name[1] = (char)('a' + i / 26);
		name[2] = (char)('a' + i % 26);
		stored += fsclient_put(name, name, 3) == 0;
	}
	fsclient_check("names stored to fill the table", stored, room);
	fsclient_check("put one name more", fsclient_put("one-more", "x", 1), SYS_ENOMEM);
	fsclient_check("put over a name in a full table", fsclient_put("n0", "y", 1), 0);
	int64_t deleted = 0;
	for (int i = 0; i < room; i++) {
		name[1] = (char)('a' + i / 26);
		name[2] = (char)('a' + i % 26);
		deleted += fsclient_delete(name) == 0;
	}
	for (int i = 0; i < 8; i++) {
		char n[3] = { 'n', (char)('0' + i), 0 };
		deleted += fsclient_delete(n) == 0;
	}
	fsclient_check("names deleted", deleted, room + 8);
}

/* The bound key's first 8 bytes, as fs prints a caller. */
static void say_principal(void)
{
	struct line l = { .len = 0 };
	const uint8_t *key = fsclient_public_key();

	put(&l, "fsclient: now Principal ");
	for (unsigned i = 0; i < 8; i++)
		put_byte(&l, key[i]);
	say(&l);
}

/* As another Principal: the bootstrap's names are not ours; a put we
 * signed is stored and marked so. */
static void as_another_principal(void)
{
	static const char mine[] = "signed by fsclient's own key";
	uint8_t signature[FS_SIGNATURE_LEN];

	if (!fsclient_check("BindPrincipal to a key of our own", fsclient_bind(), 0))
		return;
	say_principal();
	fsclient_check("get hello.txt as another", fsclient_get("hello.txt", &reply), 0);
	fsclient_check("put over hello.txt as another", fsclient_put("hello.txt", "mine", 4), SYS_EPERM);
	fsclient_check("delete hello.txt as another", fsclient_delete("hello.txt"), SYS_EPERM);
	fsclient_check("get hello.txt, unchanged", fsclient_get("hello.txt", &reply), 0);
	fsclient_check("hello.txt holds its content", got_content(second, sizeof(second) - 1), 1);

	fsclient_sign(mine, sizeof(mine) - 1, signature);
	fsclient_check("signed put signed.txt", signed_put("signed.txt", mine, sizeof(mine) - 1, signature), 0);
	fsclient_check("get signed.txt", fsclient_get("signed.txt", &reply), 0);
	fsclient_check("signed.txt holds what was signed", got_content(mine, sizeof(mine) - 1), 1);
	fsclient_check("signed.txt is marked signed", reply.get.flags, FS_FLAG_SIGNED);
	/* The signature over other bytes does not carry over. */
	fsclient_check("signed put, a signature over other bytes",
		       signed_put("signed.txt", greeting, sizeof(greeting) - 1, signature), SYS_EBADSIG);
	fsclient_check("put over signed.txt, its owner", fsclient_put("signed.txt", "v2", 2), 0);
	fsclient_check("delete signed.txt, its owner", fsclient_delete("signed.txt"), 0);
}

/* A second fs reads the table the first one keeps in the store, as a
 * restarted one would, and must pass over a broken one. */
static void a_second_fs_reads_the_table(void)
{
	/* The magic, then version 9: no table fs knows. */
	static const uint8_t broken[16] = { 'C', 'F', 'S', 'N', 9 };
	uint8_t hash[OBJ_HASH_LEN];
	struct sys_task_status status;

	fsclient_check("put a broken name table", sys_obj_put(broken, sizeof(broken), hash), 0);
	int64_t pid = sys_spawn("fs", 2);
	if (!fsclient_check("spawn a second fs", pid > 0, 1))
		return;
	fsclient_check("the second fs ends, endpoint taken", sys_wait_task(pid, &status), 1);
	fsclient_check("delete the broken name table", sys_obj_delete(hash), 0);
}

static void say_summary(void)
{
	struct line l = { .len = 0 };

	put(&l, "fsclient: ");
	put_dec(&l, fsclient_checks());
	put(&l, " checks, ");
	put_dec(&l, fsclient_failures());
	put(&l, " failed");
	say(&l);
}

int main(void)
{
	struct fs_list_reply page;

	if (sys_register_endpoint(FSCLIENT_ENDPOINT) != 0) {
		say1("fsclient: endpoint 24 is taken");
		return 100;
	}
	fsclient_check("list an empty fs", list_after("", &page), 0);
	fsclient_check("names at the start", page.total, 0);
	put_get_overwrite();
	shared_content();
	paged_list();
	refusals();
	signed_refusals();
	full_table();
	as_another_principal();
	a_second_fs_reads_the_table();
	say_summary();
	return (int)fsclient_failures();
}
