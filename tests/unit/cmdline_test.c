/*
 * cmdline_test: whole-word lookup in the kernel command line
 * (kernel/lib/cmdline.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cmdline.h>

static void finds_only_word(void **state)
{
	(void)state;
	assert_true(cmdline_has_word("cambios.panic_test", "cambios.panic_test"));
}

static void finds_word_among_others(void **state)
{
	(void)state;
	assert_true(cmdline_has_word("quiet cambios.panic_test loglevel=3", "cambios.panic_test"));
	assert_true(cmdline_has_word("a b c", "c"));
	assert_true(cmdline_has_word("a\tb", "b"));
}

static void ignores_surrounding_spaces(void **state)
{
	(void)state;
	assert_true(cmdline_has_word("   word   ", "word"));
}

static void rejects_prefix_and_suffix_matches(void **state)
{
	(void)state;
	assert_false(cmdline_has_word("wordy", "word"));
	assert_false(cmdline_has_word("sword", "word"));
	assert_false(cmdline_has_word("a.word", "word"));
	assert_false(cmdline_has_word("wor", "word"));
}

static void handles_empty_and_null(void **state)
{
	(void)state;
	assert_false(cmdline_has_word(NULL, "word"));
	assert_false(cmdline_has_word("", "word"));
	assert_false(cmdline_has_word("   ", "word"));
	assert_false(cmdline_has_word("word", ""));
	assert_false(cmdline_has_word("word", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_only_word),
		cmocka_unit_test(finds_word_among_others),
		cmocka_unit_test(ignores_surrounding_spaces),
		cmocka_unit_test(rejects_prefix_and_suffix_matches),
		cmocka_unit_test(handles_empty_and_null),
	};

	return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
