/*
 * shell: the serial console's shell (user/shell) -- what its files share.
 *
 *   main.c      the console loop: bytes in, lines out, the echo
 *   commands.c  the command table: help, dispatch, argument errors
 *   ask.c       asking a service over IPC with a bounded wait
 *   out.c       building the lines it prints
 *   system.c    ps, mem, cpus, stats, spawn, kill (the kernel's calls)
 *   files.c     ls, put, cat, rm (fs-service)
 *   sign.c      sign (fs-service, BLAKE3, the key-store)
 *   net.c       net, udp send (the UDP/IP stack)
 */
#ifndef CAMBIOS_USER_SHELL_H
#define CAMBIOS_USER_SHELL_H

#include <abi/endpoints.h>
#include <abi/fs.h>
#include <abi/ipc.h>
#include <shell_words.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/line.h"

/* Where services' answers come (abi/endpoints.h): the first endpoint the
 * shell registers, so the one stamped on its requests. */
#define SHELL_REPLY_ENDPOINT ENDPOINT_SHELL

/* The UDP port the shell binds and sends from. */
#define SHELL_UDP_PORT 4018

/* How long a service has to answer: 5 s of 10 ms ticks (GetTime). A
 * key-store signing or a stack resolving an address answers in far less
 * even under emulation; one that has not answered by then is not going
 * to, and the shell must stay usable. */
#define SHELL_ANSWER_TICKS 500

/* ---------------------------------------------------------------- lines */

/* A command line as the commands see it: the text and its words. */
struct shell_line {
	const char *text;
	struct shell_words words;
};

/* Word i's bytes and length. */
const char *shell_arg(const struct shell_line *l, unsigned i, size_t *len);

/* The rest of the line from word i (free text: spaces inside kept). */
const char *shell_rest(const struct shell_line *l, unsigned i, size_t *len);

/* Runs one line (commands.c). */
void shell_run(const char *text, size_t len);

/* ---------------------------------------------------------------- output (out.c) */

void out_put_n(struct line *l, const char *s, size_t n);
void out_put_hex(struct line *l, const uint8_t *bytes, size_t n);
void out_put_quad(struct line *l, const uint8_t ip[4]);
/* s, then spaces up to `width` characters. */
void out_put_padded(struct line *l, const char *s, unsigned width);
void out_put_dec_padded(struct line *l, uint64_t v, unsigned width);

/* A system call's or service's error code in words ("not allowed"). */
const char *out_error_name(int64_t code);

/* "shell: <what>: <error in words> (<code>)". */
void out_say_error(const char *what, int64_t code);

/* --------------------------------------------------------------- services (ask.c) */

struct service {
	const char *name;   /* as the shell names it in its lines */
	uint32_t endpoint;  /* where it serves, and the reply endpoint it stamps */
};

extern const struct service SERVICE_FS, SERVICE_KEY_STORE, SERVICE_UDP;

/* An answer: the Principal the kernel stamped on it and its payload. */
struct answer {
	uint8_t principal[PRINCIPAL_LEN];
	size_t len;
	uint8_t bytes[IPC_PAYLOAD_MAX];
};

/* Registers the reply endpoint; false (said why) when it is taken. */
bool ask_init(void);

/* Sends request[0, len) to `s` and waits up to SHELL_ANSWER_TICKS for a
 * message from it on the reply endpoint, into *a. Anything else that
 * arrives meanwhile (a late answer to an earlier request, a datagram on
 * the shell's UDP port) is shown or set aside, never taken for the
 * answer. False, with one line saying why, when the service is not
 * there, refused the message, or did not answer in time; the caller
 * still checks the answer's type, length and tag. */
bool ask(const struct service *s, const void *request, size_t len, struct answer *a);

/* 32-bit little-endian field of an answer (callers check the length). */
uint32_t answer_u32(const struct answer *a, size_t offset);

/* ------------------------------------------------------------- commands */

void cmd_ps(const struct shell_line *cl);
void cmd_mem(const struct shell_line *cl);
void cmd_cpus(const struct shell_line *cl);
void cmd_stats(const struct shell_line *cl);
void cmd_date(const struct shell_line *cl);
void cmd_spawn(const struct shell_line *cl);
void cmd_kill(const struct shell_line *cl);
void cmd_ls(const struct shell_line *cl);
void cmd_put(const struct shell_line *cl);
void cmd_cat(const struct shell_line *cl);
void cmd_rm(const struct shell_line *cl);
void cmd_sign(const struct shell_line *cl);
void cmd_net(const struct shell_line *cl);
void cmd_udp(const struct shell_line *cl);

/* files.c for sign.c: NAME's content from fs into *reply (*len bytes);
 * false, said why (prefixed `what`), when there is none. */
bool files_get(const char *what, const char *name, size_t name_len, struct fs_get_reply *reply);

#endif
