/*
 * fs: fs-service, the filesystem service at ENDPOINT_FS (16) -- names
 * over the kernel's content-addressed object store, each owned by the
 * Principal that made it (abi/fs.h has the messages, ops.c the rules).
 *
 * It takes the endpoint, finds its name table in the store (empty at
 * boot; a second fs, finding the endpoint taken, reads the table and
 * says what it found, then ends), says so once, then answers one
 * request at a time: the answer
 * to the sender's reply endpoint, one console line per request. It
 * blocks in RecvMsg between requests.
 */
#include <abi/endpoints.h>

#include "fs.h"

#include "../lib/line.h"
#include "../lib/module.h"
#include "../lib/sys.h"

CAMBIOS_MODULE_ROLE("fs");

static struct fs_table table;
static struct fs_call call;
static struct fs_answer answer;

/* The message in `msg` (`n` bytes with the prefix) as a call. */
static void take(const uint8_t *msg, int64_t n)
{
	call = (struct fs_call){ 0 };
	for (unsigned i = 0; i < PRINCIPAL_LEN; i++)
		call.principal[i] = msg[IPC_PREFIX_PRINCIPAL + i];
	call.reply_to = sys_msg_from(msg);
	call.len = (size_t)(n - SYS_MSG_PREFIX);
	if (call.len > sizeof(call.req.bytes))
		call.len = sizeof(call.req.bytes);
	for (size_t i = 0; i < call.len; i++)
		call.req.bytes[i] = msg[SYS_MSG_PREFIX + i];
}

static void say_serving(void)
{
	struct line l = { .len = 0 };

	put(&l, "fs: serving endpoint ");
	put_dec(&l, ENDPOINT_FS);
	put(&l, ", ");
	put_dec(&l, table.names.count);
	put(&l, " names");
	say(&l);
}

int main(void)
{
	static uint8_t msg[SYS_MSG_PREFIX + IPC_PAYLOAD_MAX];

	bool ours = sys_register_endpoint(ENDPOINT_FS) == 0;
	bool dropped = fs_table_recover(&table);

	if (!ours) {
		say1("fs: endpoint 16 is taken; another fs serves");
		return 1;
	}
	if (dropped) {
		static struct fsnames kept;
		kept = table.names;
		if (fs_table_commit(&table, &kept) != 0)
			say1("fs: the recovered table could not be stored again; serving it anyway");
	}
	say_serving();
	for (;;) {
		int64_t n = sys_recv_msg(ENDPOINT_FS, msg, sizeof(msg));
		if (n < SYS_MSG_PREFIX)
			continue;
		take(msg, n);
		answer = (struct fs_answer){ 0 };
		fs_serve(&table, &call, &answer);
		if (call.reply_to != IPC_NO_ENDPOINT)
			(void)sys_write(call.reply_to, &answer.reply, answer.len);
		fs_report(&call, &answer);
	}
}
