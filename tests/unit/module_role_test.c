/*
 * module_role_test: a module's signed role (lib/module_role.c) -- the
 * role rules, and the first line of a text module such as kernel.sym.
 *
 * Every reader runs over an exactly-sized heap copy, so a read one byte
 * past the end trips ASan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../support/assert_reason.h"

#include <module_role.h>

static char role[MODULE_ROLE_MAX + 1];

/* module_role_copy over an exact copy of `len` bytes of `text`. */
static const char *copy(const char *text, size_t len)
{
	uint8_t *bytes = malloc(len ? len : 1);

	assert_non_null(bytes);
	memcpy(bytes, text, len);
	memset(role, 'x', sizeof(role));
	const char *err = module_role_copy(bytes, len, role);
	free(bytes);
	if (err)
		assert_string_equal(role, "");
	return err;
}

static uint64_t line_len;

/* module_role_line over an exact copy of `len` bytes of `text`. */
static const char *line(const char *text, size_t len)
{
	uint8_t *bytes = malloc(len ? len : 1);

	assert_non_null(bytes);
	memcpy(bytes, text, len);
	memset(role, 'x', sizeof(role));
	line_len = 12345;
	const char *err = module_role_line(bytes, len, role, &line_len);
	free(bytes);
	if (err) {
		assert_string_equal(role, "");
		assert_int_equal(line_len, 0);
	}
	return err;
}

#define LINE(s) line(s, sizeof(s) - 1)

/* ------------------------------------------------------------ the role rules */

static void valid_roles_are_copied(void **state)
{
	(void)state;
	assert_null(copy("hello", 6));
	assert_string_equal(role, "hello");
	assert_null(copy("kernel-symbols", 15));
	assert_string_equal(role, "kernel-symbols");
	assert_null(copy("a.b_c-9", 8));
	assert_string_equal(role, "a.b_c-9");
	assert_null(copy("x", 2));
	assert_string_equal(role, "x");
}

static void thirty_one_characters_fit_thirty_two_do_not(void **state)
{
	char text[40];

	(void)state;
	memset(text, 'a', sizeof(text));
	text[MODULE_ROLE_MAX] = '\0';
	assert_null(copy(text, MODULE_ROLE_MAX + 1));
	assert_int_equal(strlen(role), MODULE_ROLE_MAX);
	text[MODULE_ROLE_MAX] = 'a';
	text[MODULE_ROLE_MAX + 1] = '\0';
	assert_reason(copy(text, MODULE_ROLE_MAX + 2), "longer than 31");
}

static void huge_length_is_refused_without_reading(void **state)
{
	static const uint8_t one = 'a';

	(void)state;
	/* Only one byte exists; a reader that looked would trip ASan. */
	assert_reason(module_role_copy(&one, UINT64_MAX, role), "longer than 31");
	assert_reason(module_role_copy(&one, UINT32_MAX, role), "longer than 31");
}

static void empty_and_unterminated_roles_are_refused(void **state)
{
	(void)state;
	assert_reason(copy("", 1), "empty");
	assert_reason(copy("", 0), "NUL");
	assert_reason(copy("hello", 5), "NUL");
}

static void bytes_after_the_nul_are_refused(void **state)
{
	(void)state;
	assert_reason(copy("he\0lo", 6), "after its NUL");
	assert_reason(copy("hello\0\0", 7), "after its NUL");
}

static void characters_outside_the_set_are_refused(void **state)
{
	static const char *bad[] = { "Hello", "he llo", "a/b", "tab\t", "\x80x", "caf\xc3\xa9",
				     "semi;colon", "new\nline" };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_reason(copy(bad[i], strlen(bad[i]) + 1), "outside [a-z0-9._-]");
}

/* ------------------------------------------------------------ role lines */

static void role_line_gives_role_and_content_start(void **state)
{
	static const char sym[] = "cambios-module kernel-symbols\nffffffff80000000 _start\n";

	(void)state;
	assert_null(LINE(sym));
	assert_string_equal(role, "kernel-symbols");
	assert_int_equal(line_len, strlen("cambios-module kernel-symbols\n"));
	/* A module that is nothing but its role line has empty content. */
	assert_null(LINE("cambios-module x\n"));
	assert_int_equal(line_len, 17);
}

static void module_without_a_role_line_has_no_role(void **state)
{
	(void)state;
	assert_ptr_equal(LINE("ffffffff80000000 _start\n"), MODULE_ROLE_NONE);
	assert_ptr_equal(LINE("\x7f" "ELF"), MODULE_ROLE_NONE);
	assert_ptr_equal(line("", 0), MODULE_ROLE_NONE);
	assert_ptr_equal(LINE("cambios-module"), MODULE_ROLE_NONE); /* the space is part of it */
	assert_ptr_equal(LINE("Cambios-module hello\n"), MODULE_ROLE_NONE);
	assert_ptr_equal(LINE(" cambios-module hello\n"), MODULE_ROLE_NONE);
}

static void role_line_without_newline_is_refused(void **state)
{
	(void)state;
	assert_reason(LINE("cambios-module "), "no newline");
	assert_reason(LINE("cambios-module kernel-symbols"), "no newline");
}

static void role_line_with_a_bad_role_is_refused(void **state)
{
	(void)state;
	assert_reason(LINE("cambios-module \n"), "empty");
	assert_reason(LINE("cambios-module Kernel\n"), "outside");
	assert_reason(LINE("cambios-module kernel-symbols\r\n"), "outside");
	assert_reason(LINE("cambios-module two words\n"), "outside");
	assert_reason(line("cambios-module a\0b\n", 19), "outside");
}

static void overlong_role_line_is_refused_without_searching(void **state)
{
	char text[MODULE_ROLE_LINE_PREFIX_LEN + 4096];

	(void)state;
	memcpy(text, MODULE_ROLE_LINE_PREFIX, MODULE_ROLE_LINE_PREFIX_LEN);
	memset(text + MODULE_ROLE_LINE_PREFIX_LEN, 'a', sizeof(text) - MODULE_ROLE_LINE_PREFIX_LEN);
	text[MODULE_ROLE_LINE_PREFIX_LEN + MODULE_ROLE_MAX] = '\n';
	assert_null(line(text, sizeof(text)));
	assert_int_equal(strlen(role), MODULE_ROLE_MAX);
	text[MODULE_ROLE_LINE_PREFIX_LEN + MODULE_ROLE_MAX] = 'a';
	text[MODULE_ROLE_LINE_PREFIX_LEN + MODULE_ROLE_MAX + 1] = '\n';
	assert_reason(line(text, sizeof(text)), "longer than 31");
	/* 32 characters and the end of the file: still too long. */
	assert_reason(line(text, MODULE_ROLE_LINE_PREFIX_LEN + MODULE_ROLE_MAX + 1),
		      "longer than 31");
}

static void every_truncation_of_a_role_line_is_safe(void **state)
{
	static const char sym[] = "cambios-module kernel-symbols\nff _start\n";

	(void)state;
	for (size_t len = 0; len < sizeof(sym) - 1; len++) {
		const char *err = line(sym, len);

		if (len < strlen("cambios-module kernel-symbols\n"))
			assert_non_null(err);
		else
			assert_null(err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_roles_are_copied),
		cmocka_unit_test(thirty_one_characters_fit_thirty_two_do_not),
		cmocka_unit_test(huge_length_is_refused_without_reading),
		cmocka_unit_test(empty_and_unterminated_roles_are_refused),
		cmocka_unit_test(bytes_after_the_nul_are_refused),
		cmocka_unit_test(characters_outside_the_set_are_refused),
		cmocka_unit_test(role_line_gives_role_and_content_start),
		cmocka_unit_test(module_without_a_role_line_has_no_role),
		cmocka_unit_test(role_line_without_newline_is_refused),
		cmocka_unit_test(role_line_with_a_bad_role_is_refused),
		cmocka_unit_test(overlong_role_line_is_refused_without_searching),
		cmocka_unit_test(every_truncation_of_a_role_line_is_safe),
	};

	return cmocka_run_group_tests_name("module_role", tests, NULL, NULL);
}
