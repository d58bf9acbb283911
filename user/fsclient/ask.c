/*
 * ask: fsclient's requests to fs-service and the checks' bookkeeping.
 * Every request carries a fresh tag, and an answer counts only when it
 * carries that tag and its request's type | FS_REPLY back, so a stray or
 * late answer can never pass for the one asked for.
 */
#include "fsclient.h"

#include <abi/endpoints.h>
#include <kstring.h>

#include "../lib/line.h"
#include "../lib/sys.h"

static uint32_t next_tag = 1;
static unsigned checks, failures;

unsigned fsclient_failures(void)
{
	return failures;
}

unsigned fsclient_checks(void)
{
	return checks;
}

bool fsclient_check(const char *what, int64_t got, int64_t want)
{
	checks++;
	bool ok = say_answer("fsclient: ", what, got, want);
	failures += !ok;
	return ok;
}

static uint32_t expected_type(uint32_t type)
{
	return FS_REPLY | (type >= FS_PUT && type <= FS_PUT_SIGNED ? type : 0);
}

int32_t fsclient_ask(void *request, size_t len, union fs_reply *reply, size_t *got)
{
	static uint8_t msg[SYS_MSG_PREFIX + IPC_PAYLOAD_MAX];
	struct fs_head head = { 0 };
	uint32_t tag = next_tag++;

	if (len >= sizeof(head)) {
		memcpy(&head, request, sizeof(head));
		head.tag = tag;
		memcpy(request, &head, sizeof(head));
	} else {
		tag = 0; /* too short to carry one: fs answers tag 0 */
	}
	if (sys_write(ENDPOINT_FS, request, len) != (int64_t)len)
		return FSCLIENT_NO_ANSWER;
	int64_t n = sys_recv_msg(FSCLIENT_ENDPOINT, msg, sizeof(msg));
	if (n < SYS_MSG_PREFIX + (int64_t)sizeof(struct fs_status_reply))
		return FSCLIENT_NO_ANSWER;
	memset(reply, 0, sizeof(*reply));
	*got = (size_t)(n - SYS_MSG_PREFIX);
	memcpy(reply, msg + SYS_MSG_PREFIX, *got);
	if (reply->status.tag != tag || reply->status.type != expected_type(head.type)) {
		say1("fsclient: an answer with another tag or type");
		return FSCLIENT_NO_ANSWER;
	}
	return reply->status.status;
}

void fsclient_name(struct fs_name *n, const char *name, uint8_t len)
{
	memset(n, 0, sizeof(*n));
	n->len = len;
	for (unsigned i = 0; i < FS_NAME_MAX && name[i]; i++)
		n->bytes[i] = name[i];
}

int32_t fsclient_put(const char *name, const void *content, uint16_t len)
{
	static struct fs_put_request r;
	union fs_reply reply;
	size_t got;

	memset(&r, 0, sizeof(r));
	r.head.type = FS_PUT;
	fsclient_name(&r.name, name, (uint8_t)strlen(name));
	r.len = len;
	memcpy(r.content, content, len <= FS_PUT_CONTENT_MAX ? len : FS_PUT_CONTENT_MAX);
	size_t send = FS_PUT_HEAD + (len <= FS_PUT_CONTENT_MAX ? len : FS_PUT_CONTENT_MAX);
	return fsclient_ask(&r, send, &reply, &got);
}

static int32_t by_name(uint32_t type, const char *name, union fs_reply *reply)
{
	struct fs_name_request r;
	size_t got;

	memset(&r, 0, sizeof(r));
	r.head.type = type;
	fsclient_name(&r.name, name, (uint8_t)strlen(name));
	int32_t status = fsclient_ask(&r, sizeof(r), reply, &got);
	if (status == 0 && type == FS_GET && got != FS_GET_REPLY_HEAD + reply->get.len)
		return FSCLIENT_NO_ANSWER; /* the answer's length must be its content's */
	return status;
}

int32_t fsclient_get(const char *name, union fs_reply *reply)
{
	return by_name(FS_GET, name, reply);
}

int32_t fsclient_delete(const char *name)
{
	union fs_reply reply;

	return by_name(FS_DELETE, name, &reply);
}
