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

static void numbers_after_a_key(void **state)
{
	uint64_t v = 77;

	(void)state;
	assert_true(cmdline_number("cambios.stats=2", "cambios.stats=", &v));
	assert_int_equal(v, 2);
	assert_true(cmdline_number("quiet cambios.stats=10 x", "cambios.stats=", &v));
	assert_int_equal(v, 10);
	assert_true(cmdline_number("cambios.stats=1 cambios.stats=3", "cambios.stats=", &v));
	assert_int_equal(v, 3); /* the last counts */
	assert_true(cmdline_number("k=18446744073709551615", "k=", &v));
	assert_int_equal(v, UINT64_MAX);
	v = 77;
	assert_false(cmdline_number("k=18446744073709551616", "k=", &v)); /* too big */
	assert_false(cmdline_number("k=", "k=", &v));
	assert_false(cmdline_number("k=12x", "k=", &v));
	assert_false(cmdline_number("xk=12", "k=", &v));
	assert_false(cmdline_number("k=-1", "k=", &v));
	assert_false(cmdline_number(NULL, "k=", &v));
	assert_false(cmdline_number("k=1", "", &v));
	assert_int_equal(v, 77);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers_after_a_key),
		cmocka_unit_test(finds_only_word),
		cmocka_unit_test(finds_word_among_others),
		cmocka_unit_test(ignores_surrounding_spaces),
		cmocka_unit_test(rejects_prefix_and_suffix_matches),
		cmocka_unit_test(handles_empty_and_null),
	};

	return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
