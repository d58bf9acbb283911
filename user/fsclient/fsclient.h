/*
 * fsclient: fs-service's test client (user/fsclient), given to an image
 * as a module by tests/boot/test_fs.py -- the requests through IPC
 * (ask.c), the checks in order (main.c), and a Principal of its own
 * bound with BindPrincipal (principal.c).
 */
#ifndef CAMBIOS_USER_FSCLIENT_H
#define CAMBIOS_USER_FSCLIENT_H

#include <abi/fs.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FSCLIENT_ENDPOINT 24 /* where fs's answers come */

/* What an answer that broke the protocol reads as (never a status). */
#define FSCLIENT_NO_ANSWER (-1000)

/* Any fs answer. */
union fs_reply {
	struct fs_status_reply status;
	struct fs_get_reply get;
	struct fs_list_reply list;
	uint8_t bytes[IPC_PAYLOAD_MAX];
};

/* Sends request[0, len) to fs (its first word is the type; the tag is
 * filled in here) and waits for the answer into *reply: the answer's
 * status, or FSCLIENT_NO_ANSWER (said why) when the answer's type or tag
 * is not the request's. *got: the answer's bytes. */
int32_t fsclient_ask(void *request, size_t len, union fs_reply *reply, size_t *got);

/* A request naming `name` (a C string, copied as is, up to 31 bytes;
 * `len` may claim more, to test the refusals). */
void fsclient_name(struct fs_name *n, const char *name, uint8_t len);

/* Puts content[0, len) as `name`: the status. */
int32_t fsclient_put(const char *name, const void *content, uint16_t len);

/* Gets `name` into *reply: the status. */
int32_t fsclient_get(const char *name, union fs_reply *reply);

int32_t fsclient_delete(const char *name);

/* One check: prints "fsclient: <what>: <got>" (and what was wanted when
 * it differs), counts a failure. */
bool fsclient_check(const char *what, int64_t got, int64_t want);

/* How many checks ran, and how many of them failed. */
unsigned fsclient_checks(void);
unsigned fsclient_failures(void);

/* principal.c: binds the caller to the key of a fixed seed with
 * BindPrincipal: its result (0 when bound). */
int64_t fsclient_bind(void);

/* Signs msg[0, len) with the bound key. */
void fsclient_sign(const void *msg, size_t len, uint8_t signature[FS_SIGNATURE_LEN]);

/* The bound key (the caller's Principal once bound). */
const uint8_t *fsclient_public_key(void);

#endif
