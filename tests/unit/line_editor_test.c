/*
 * line_editor_test: the shell's line discipline -- building a line,
 * backspace in both spellings, Enter as \r, \n or \r\n (once), the
 * length limit refusing instead of cutting, cancelling, and terminal
 * escape sequences swallowed without eating Enter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "line_editor.h"

/* Feeds every byte of s; returns the last event (and counts READY). */
static enum line_event type(struct line_editor *e, const char *s, size_t n, unsigned *ready)
{
	enum line_event last = LINE_TYPING;

	for (size_t i = 0; i < n; i++) {
		last = line_editor_feed(e, (uint8_t)s[i]);
		if (last == LINE_READY && ready)
			(*ready)++;
	}
	return last;
}

#define TYPE(e, s, ready) type((e), (s), sizeof(s) - 1, (ready))

static void printable_bytes_make_the_line_and_enter_hands_it_over(void **state)
{
	struct line_editor e;

	(void)state;
	line_editor_init(&e);
	assert_int_equal(TYPE(&e, "ls -x", NULL), LINE_TYPING);
	assert_int_equal(TYPE(&e, "\r", NULL), LINE_READY);
	assert_string_equal(line_editor_text(&e), "ls -x");
	assert_int_equal(line_editor_len(&e), 5);
	/* The next byte starts a new line. */
	assert_int_equal(TYPE(&e, "p\n", NULL), LINE_READY);
	assert_string_equal(line_editor_text(&e), "p");
}

static void cr_lf_is_one_enter_but_two_crs_are_two(void **state)
{
	struct line_editor e;
	unsigned ready = 0;

	(void)state;
	line_editor_init(&e);
	TYPE(&e, "a\r\nb\r\n", &ready);
	assert_int_equal(ready, 2);
	assert_string_equal(line_editor_text(&e), "b");
	ready = 0;
	TYPE(&e, "\r\r", &ready);
	assert_int_equal(ready, 2);
	assert_int_equal(line_editor_len(&e), 0);
	/* ... and the \n right after them is the last one's pair. */
	ready = 0;
	TYPE(&e, "\n\n", &ready);
	assert_int_equal(ready, 1);
	ready = 0;
	TYPE(&e, "\n\r", &ready);
	assert_int_equal(ready, 2);
}

static void both_backspaces_remove_the_last_byte_and_stop_at_empty(void **state)
{
	struct line_editor e;

	(void)state;
	line_editor_init(&e);
	TYPE(&e, "helpx\x7f", NULL);
	assert_string_equal(line_editor_text(&e), "help");
	TYPE(&e, "\x08\x08", NULL);
	assert_string_equal(line_editor_text(&e), "he");
	TYPE(&e, "\x7f\x7f\x7f\x7f", NULL);
	assert_int_equal(line_editor_len(&e), 0);
	assert_int_equal(TYPE(&e, "ps\r", NULL), LINE_READY);
	assert_string_equal(line_editor_text(&e), "ps");
}

static void a_line_past_the_limit_is_refused_whole(void **state)
{
	struct line_editor e;
	char longer[LINE_EDITOR_MAX + 10];

	(void)state;
	memset(longer, 'a', sizeof(longer));
	line_editor_init(&e);
	assert_int_equal(type(&e, longer, sizeof(longer), NULL), LINE_TYPING);
	assert_int_equal(line_editor_len(&e), LINE_EDITOR_MAX); /* never past the buffer */
	assert_int_equal(TYPE(&e, "\r", NULL), LINE_TOO_LONG);
	assert_int_equal(line_editor_len(&e), 0);
	/* The next line is a fresh one. */
	assert_int_equal(TYPE(&e, "ok\r", NULL), LINE_READY);
	assert_string_equal(line_editor_text(&e), "ok");
}

static void backspace_takes_back_the_bytes_past_the_limit_first(void **state)
{
	struct line_editor e;
	char exact[LINE_EDITOR_MAX + 2];

	(void)state;
	memset(exact, 'b', sizeof(exact));
	line_editor_init(&e);
	type(&e, exact, sizeof(exact), NULL);   /* two over */
	TYPE(&e, "\x7f\x7f", NULL);              /* back to exactly the limit */
	assert_int_equal(TYPE(&e, "\r", NULL), LINE_READY);
	assert_int_equal(line_editor_len(&e), LINE_EDITOR_MAX);
	assert_int_equal(strlen(line_editor_text(&e)), LINE_EDITOR_MAX);
}

static void ctrl_c_and_ctrl_u_throw_the_line_away(void **state)
{
	struct line_editor e;

	(void)state;
	line_editor_init(&e);
	assert_int_equal(TYPE(&e, "rm all\x03", NULL), LINE_CANCELLED);
	assert_int_equal(line_editor_len(&e), 0);
	assert_int_equal(TYPE(&e, "x\x15", NULL), LINE_CANCELLED);
	assert_int_equal(TYPE(&e, "ls\r", NULL), LINE_READY);
	assert_string_equal(line_editor_text(&e), "ls");
}

static void escape_sequences_and_control_bytes_are_not_text(void **state)
{
	struct line_editor e;

	(void)state;
	line_editor_init(&e);
	/* Up arrow, a function key (ESC O P), a CSI with parameters, a tab,
	 * a byte past ASCII. */
	TYPE(&e, "\x1b[Ap\x1bOPs\x1b[1;5D\t\x80\xff", NULL);
	assert_int_equal(TYPE(&e, "\r", NULL), LINE_READY);
	assert_string_equal(line_editor_text(&e), "ps");
}

static void enter_inside_an_escape_sequence_still_ends_the_line(void **state)
{
	struct line_editor e;

	(void)state;
	line_editor_init(&e);
	assert_int_equal(TYPE(&e, "mem\x1b[\r", NULL), LINE_READY);
	assert_string_equal(line_editor_text(&e), "mem");
	assert_int_equal(TYPE(&e, "cpus\x1b\r", NULL), LINE_READY);
	assert_string_equal(line_editor_text(&e), "cpus");
	/* ESC then an ordinary letter (Alt-x): the letter is text. */
	assert_int_equal(TYPE(&e, "\x1bx\r", NULL), LINE_READY);
	assert_string_equal(line_editor_text(&e), "x");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(printable_bytes_make_the_line_and_enter_hands_it_over),
		cmocka_unit_test(cr_lf_is_one_enter_but_two_crs_are_two),
		cmocka_unit_test(both_backspaces_remove_the_last_byte_and_stop_at_empty),
		cmocka_unit_test(a_line_past_the_limit_is_refused_whole),
		cmocka_unit_test(backspace_takes_back_the_bytes_past_the_limit_first),
		cmocka_unit_test(ctrl_c_and_ctrl_u_throw_the_line_away),
		cmocka_unit_test(escape_sequences_and_control_bytes_are_not_text),
		cmocka_unit_test(enter_inside_an_escape_sequence_still_ends_the_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
