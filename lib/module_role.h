/*
 * module_role: what a boot module says it is, in its own signed bytes.
 *
 * A module's role ("hello", "kernel-symbols") decides what the kernel does
 * with it, so it must be covered by the module's signature: limine.conf's
 * module string is not, and swapping two of those must not turn one module
 * into another. A role is 1 to MODULE_ROLE_MAX characters of [a-z0-9._-].
 *
 * Programs carry their role in an ELF note (elf_module_role in elf.h).
 * A module that is not an ELF file starts with one text line naming it:
 *
 *   cambios-module <role>\n
 *
 * followed by its content. Portable and allocation-free: the kernel, the
 * tests and the fuzzer share this code; every read stays inside the bytes
 * given, which may be hostile.
 */
#ifndef CAMBIOS_LIB_MODULE_ROLE_H
#define CAMBIOS_LIB_MODULE_ROLE_H

#include <stddef.h>
#include <stdint.h>

#define MODULE_ROLE_MAX 31
#define MODULE_ROLE_LINE_PREFIX "cambios-module "
#define MODULE_ROLE_LINE_PREFIX_LEN 15

/* Checks that the `len` bytes at `text` are a valid role followed by
 * exactly one NUL (len = role length + 1) and copies the role, NUL
 * included, into `role`. Returns NULL, or a static string naming the
 * problem (then `role` is the empty string). */
/*@ requires \valid(role + (0 .. MODULE_ROLE_MAX));
    requires len <= MODULE_ROLE_MAX + 1 ==> \valid_read(text + (0 .. len - 1)) &&
	\separated(role + (0 .. MODULE_ROLE_MAX), text + (0 .. len - 1));
    assigns role[0 .. MODULE_ROLE_MAX];
    ensures \result != \null ==> role[0] == '\0';
    ensures \result == \null ==> 2 <= len <= MODULE_ROLE_MAX + 1 && role[len - 1] == '\0'; */
const char *module_role_copy(const uint8_t *text, uint64_t len, char role[MODULE_ROLE_MAX + 1]);

/* Reads the role line at the start of the `size` bytes at `module`.
 * Returns NULL with the role in `role` and the line's length, newline
 * included, in *line_len (the content starts there); else a static string
 * naming the problem, with `role` empty and *line_len 0. A module that
 * does not start with MODULE_ROLE_LINE_PREFIX gets MODULE_ROLE_NONE. */
const char *module_role_line(const void *module, uint64_t size, char role[MODULE_ROLE_MAX + 1],
			     uint64_t *line_len);

/* The reason both readers (this one and elf_module_role) give when the
 * module declares no role at all, so callers can tell "has no role" from
 * "has a broken one" by comparing the pointer. */
extern const char MODULE_ROLE_NONE[];

#endif
