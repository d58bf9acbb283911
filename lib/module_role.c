/*
 * module_role: a module's signed role (see module_role.h).
 *
 * Plain byte loops, no libc: the kernel, the loader's copy of lib/elf.c and
 * host tests all link this file.
 */
#include "module_role.h"

#include <stdbool.h>

const char MODULE_ROLE_NONE[] = "no signed role";

static bool role_char(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
	       c == '-';
}

const char *module_role_copy(const uint8_t *text, uint64_t len, char role[MODULE_ROLE_MAX + 1])
{
	role[0] = '\0';
	if (len == 0)
		return "role is not NUL-terminated";
	if (len == 1)
		return "role is empty";
	/* Checked before the loop so a huge length is refused without reading it. */
	if (len > MODULE_ROLE_MAX + 1)
		return "role is longer than 31 characters";
	if (text[len - 1] != '\0')
		return "role is not NUL-terminated";
	/*@ loop invariant 0 <= i <= len - 1;
	    loop assigns i; */
	for (uint64_t i = 0; i < len - 1; i++) {
		if (!role_char(text[i]))
			return text[i] == '\0' ? "role has bytes after its NUL"
					       : "role has a character outside [a-z0-9._-]";
	}
	/*@ loop invariant 0 <= i <= len - 1;
	    loop assigns i, role[0 .. len - 2]; */
	for (uint64_t i = 0; i < len - 1; i++)
		role[i] = (char)text[i];
	role[len - 1] = '\0'; /* text[len - 1], checked above */
	return NULL;
}

const char *module_role_line(const void *module, uint64_t size, char role[MODULE_ROLE_MAX + 1],
			     uint64_t *line_len)
{
	const uint8_t *m = module;
	const char *prefix = MODULE_ROLE_LINE_PREFIX;
	/* Zeroed: the analysis (mk/verify.mk) cannot tell which bytes the
	 * loop below writes before module_role_copy reads them. */
	uint8_t text[MODULE_ROLE_MAX + 1] = { 0 };
	uint64_t i, n;

	role[0] = '\0';
	*line_len = 0;
	if (size < MODULE_ROLE_LINE_PREFIX_LEN)
		return MODULE_ROLE_NONE;
	for (i = 0; i < MODULE_ROLE_LINE_PREFIX_LEN; i++) {
		if (m[i] != (uint8_t)prefix[i])
			return MODULE_ROLE_NONE;
	}
	/* The role runs to the newline, which must come within the longest
	 * role; a longer or unterminated line is refused, not searched. */
	for (n = 0; i + n < size && m[i + n] != '\n'; n++) {
		if (n == MODULE_ROLE_MAX)
			return "role is longer than 31 characters";
		if (m[i + n] == '\0')
			return "role has a character outside [a-z0-9._-]";
		text[n] = m[i + n];
	}
	if (i + n == size)
		return "role line has no newline";
	text[n] = '\0';
	const char *err = module_role_copy(text, n + 1, role);
	if (err)
		return err;
	*line_len = i + n + 1;
	return NULL;
}
