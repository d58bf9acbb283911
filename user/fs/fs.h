/*
 * fs: fs-service's parts (user/fs) -- the requests (ops.c), the name
 * table kept in the object store (table.c), and the line each request
 * leaves on the console (report.c); main.c receives and answers.
 *
 * One request at a time, start to end, so nothing here is shared
 * between threads and the table needs no lock.
 */
#ifndef CAMBIOS_USER_FS_H
#define CAMBIOS_USER_FS_H

#include <abi/fs.h>
#include <abi/principal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <fsnames.h>

/* The names as committed, and the object that holds them. */
struct fs_table {
	struct fsnames names;
	uint8_t hash[FSNAMES_HASH_LEN]; /* the table object's, when `stored` */
	bool stored;
};

/* One request as it came: who sent it (the kernel's stamp, never the
 * payload), where the answer goes, and the payload, copied into a
 * zeroed buffer so a short message reads as zeros past its end. */
struct fs_call {
	uint8_t principal[PRINCIPAL_LEN];
	uint32_t reply_to;
	size_t len; /* payload bytes received */
	union {
		struct fs_head head;
		struct fs_put_request put;
		struct fs_put_signed_request put_signed;
		struct fs_name_request by_name;
		struct fs_list_request list;
		uint8_t bytes[IPC_PAYLOAD_MAX];
	} req;
};

/* One answer, and what the request's console line says of it. */
struct fs_answer {
	union {
		struct fs_status_reply status;
		struct fs_get_reply get;
		struct fs_list_reply list;
	} reply;
	size_t len;         /* bytes of `reply` to send */
	const char *detail; /* extra words for the line, or NULL */
	uint32_t count;     /* bytes got, or names listed, for the line */
};

/* ops.c: carries out the request and fills in the answer (its status
 * among it); never fails otherwise. */
void fs_serve(struct fs_table *t, const struct fs_call *call, struct fs_answer *a);

/* table.c */

/* Finds the newest table in the object store, if any, and adopts it,
 * dropping names whose content is missing or not what the table says.
 * Changes nothing in the store (an fs that finds the endpoint taken
 * reads too): true when names were dropped, so the table should be
 * committed anew. */
bool fs_table_recover(struct fs_table *t);

/* Stores `next` as the table (a generation after the current one) and
 * deletes the object of the one before: 0, or the store's error
 * (SYS_ENOMEM when it is full), with nothing changed. */
int64_t fs_table_commit(struct fs_table *t, const struct fsnames *next);

/* Deletes the content object `hash` unless a name or the table itself
 * still uses it. */
void fs_table_release(const struct fs_table *t, const uint8_t hash[FSNAMES_HASH_LEN]);

/* report.c: the request's console line. */
void fs_report(const struct fs_call *call, const struct fs_answer *a);

/* The words for a status ("not owner"). */
const char *fs_status_text(int32_t status);

#endif
