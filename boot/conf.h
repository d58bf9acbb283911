/*
 * conf: the subset of Limine 8's limine.conf that cambios-boot reads.
 *
 * Portable (no UEFI calls): the loader hands it the file's bytes and gets
 * back the chosen entry. Host unit tests drive it directly.
 *
 * Understood: comments (#), global `timeout`, `default_entry`, other
 * globals ignored; entries opened by a line starting with '/' (`//`
 * nesting and `/+` accepted and flattened); in an entry `protocol`,
 * `kernel_path` (or `path`), `cmdline` (or `kernel_cmdline`),
 * `module_path` (repeatable) and `module_cmdline` (for the module before
 * it); macros `${NAME}=value` and the built-in `${ARCH}`. Keys are
 * case-insensitive; leading whitespace is ignored.
 */
#ifndef CAMBIOS_BOOT_CONF_H
#define CAMBIOS_BOOT_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONF_MAX_MODULES 64
#define CONF_PATH_MAX 256
#define CONF_CMDLINE_MAX 256
#define CONF_TITLE_MAX 64
#define CONF_ERROR_MAX 128

struct conf_module {
	char path[CONF_PATH_MAX];
	char cmdline[CONF_CMDLINE_MAX];
};

struct conf_entry {
	char title[CONF_TITLE_MAX];
	char protocol[16];
	char kernel_path[CONF_PATH_MAX];
	char cmdline[CONF_CMDLINE_MAX];
	unsigned module_count;
	struct conf_module modules[CONF_MAX_MODULES];
};

struct conf {
	uint64_t timeout;
	unsigned default_entry; /* 1-based */
	struct conf_entry entry; /* the entry that will boot */
};

/* Parses `text` (len bytes, need not be NUL-terminated) and selects the
 * default entry, which must use `protocol: limine` and name a kernel.
 * `arch` is the value of ${ARCH} ("x86-64" or "aarch64").
 * Returns true on success; on failure `error` holds a one-line reason.
 * (len < SIZE_MAX holds for any text in memory; WP is told so.) */
#ifndef VERIFY_EVA /* WP proves it (tests/verify/conf.mk); EVA checks the code alone */
/*@ requires \valid_read(text + (0 .. len - 1)) && len < SIZE_MAX;
    requires valid_read_string(arch);
    requires \valid(out) && \valid(error + (0 .. CONF_ERROR_MAX - 1));
    requires \separated(out, error + (0 .. CONF_ERROR_MAX - 1));
    assigns *out, error[0 .. CONF_ERROR_MAX - 1];
    ensures \result ==> out->entry.kernel_path[0] != '\0' &&
			out->entry.module_count <= CONF_MAX_MODULES;
    ensures !\result ==> \exists integer n; 0 <= n < CONF_ERROR_MAX && error[n] == '\0'; */
#endif
bool conf_parse(const char *text, size_t len, const char *arch, struct conf *out,
		char error[CONF_ERROR_MAX]);

/* Turns `boot():/dir/file` (or `boot(N):/...`) into the in-volume path
 * `/dir/file`. Returns false for other resources or malformed URIs, with
 * the reason in `error`. On success `out` holds the path, '/' first, and
 * its NUL. (The contract's strlen(uri) < SIZE_MAX holds for any string in
 * memory, whose bytes and NUL fit in the address space; WP is told so.) */
#ifndef VERIFY_EVA /* WP proves it (tests/verify/conf.mk); EVA checks the code alone */
/*@ requires valid_read_string(uri) && strlen(uri) < SIZE_MAX;
    requires \valid(out + (0 .. out_size - 1));
    requires \valid(error + (0 .. CONF_ERROR_MAX - 1));
    requires \separated(uri + (0 .. strlen(uri)), out + (0 .. out_size - 1));
    assigns out[0 .. out_size - 1], error[0 .. CONF_ERROR_MAX - 1];
    ensures \result ==> out[0] == '/' &&
      (\exists integer n; 0 < n < out_size && out[n] == '\0');
    ensures !\result ==> \exists integer n; 0 <= n < CONF_ERROR_MAX && error[n] == '\0'; */
#endif
bool conf_resolve_path(const char *uri, char *out, size_t out_size, char error[CONF_ERROR_MAX]);

#endif
