/*
 * output_test: user programs' console lines (kernel/proc/output.c).
 *
 * The host console is stdout; each test sends it to a temporary file and
 * reads back exactly what a log reader would see. Behaviours: every line
 * carries the program's name and pid, a line is held until its newline,
 * control and escape bytes are shown as \xNN (and backslashes doubled),
 * long lines are split with the prefix repeated, a partial line comes out
 * on flush, and a new process in a reused slot starts with nothing held.
 */
#define _POSIX_C_SOURCE 200809L /* fileno, dup */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <output.h>
#include <process.h>

#include "../support/host_world.h"

#define CAPTURE_MAX 8192

static FILE *capture;
static int saved_stdout;
static char captured[CAPTURE_MAX];

static void capture_start(void)
{
	fflush(stdout);
	capture = tmpfile();
	assert_non_null(capture);
	saved_stdout = dup(STDOUT_FILENO);
	assert_true(dup2(fileno(capture), STDOUT_FILENO) >= 0);
}

/* Stops capturing; returns what the console showed. */
static const char *capture_end(void)
{
	fflush(stdout);
	assert_true(dup2(saved_stdout, STDOUT_FILENO) >= 0);
	close(saved_stdout);
	rewind(capture);
	size_t n = fread(captured, 1, sizeof(captured) - 1, capture);
	captured[n] = '\0';
	fclose(capture);
	return captured;
}

static kpid_t new_process(const char *name)
{
	kpid_t pid;

	assert_int_equal(process_create(name, &pid), K_OK);
	return pid;
}

static int boot(void **state)
{
	(void)state;
	return host_world_boot_processes();
}

static char *expected_line(kpid_t pid, const char *name, const char *text, char *buf, size_t size)
{
	snprintf(buf, size, "[%s:%u] %s\n", name, PID_SLOT(pid), text);
	return buf;
}

static void lines_carry_name_and_pid(void **state)
{
	kpid_t pid = new_process("hello.elf");
	char want[256];

	(void)state;
	capture_start();
	output_write(pid, "one\ntwo\n", 8);
	const char *got = capture_end();
	char both[512];
	snprintf(both, sizeof(both), "%s%s", expected_line(pid, "hello.elf", "one", want, sizeof(want)),
		 expected_line(pid, "hello.elf", "two", want + 128, sizeof(want) - 128));
	assert_string_equal(got, both);
	assert_int_equal(process_destroy(pid), K_OK);
}

static void a_line_is_held_until_its_newline(void **state)
{
	kpid_t pid = new_process("p");
	char want[128];

	(void)state;
	capture_start();
	output_write(pid, "par", 3);
	output_write(pid, "tial", 4);
	assert_string_equal(capture_end(), "");
	capture_start();
	output_write(pid, "!\n", 2);
	assert_string_equal(capture_end(), expected_line(pid, "p", "partial!", want, sizeof(want)));
	assert_int_equal(process_destroy(pid), K_OK);
}

/* A forged kernel line, a carriage return that would overwrite the
 * prefix on a terminal, an ANSI escape, NUL, a non-ASCII byte and a
 * backslash: all shown, none acting. */
static void control_and_escape_bytes_are_made_harmless(void **state)
{
	static const char forged[] = "\rPANIC: \x1b[2Kfake\0\xff\\x\n";
	kpid_t pid = new_process("forge");
	char want[256];

	(void)state;
	capture_start();
	output_write(pid, forged, sizeof(forged) - 1);
	assert_string_equal(capture_end(),
			    expected_line(pid, "forge", "\\x0dPANIC: \\x1b[2Kfake\\x00\\xff\\\\x",
					  want, sizeof(want)));
	assert_int_equal(process_destroy(pid), K_OK);
}

static void long_lines_are_split_and_each_part_prefixed(void **state)
{
	kpid_t pid = new_process("long");
	char text[OUTPUT_LINE_MAX * 2 + 10];
	char want[OUTPUT_LINE_MAX + 64];

	(void)state;
	memset(text, 'a', sizeof(text));
	capture_start();
	output_write(pid, text, sizeof(text));
	output_flush(pid);
	const char *got = capture_end();
	char part[OUTPUT_LINE_MAX + 1];
	memset(part, 'a', OUTPUT_LINE_MAX);
	part[OUTPUT_LINE_MAX] = '\0';
	expected_line(pid, "long", part, want, sizeof(want));
	assert_memory_equal(got, want, strlen(want));
	assert_memory_equal(got + strlen(want), want, strlen(want));
	expected_line(pid, "long", "aaaaaaaaaa", want, sizeof(want));
	assert_string_equal(got + 2 * (strlen(want) + OUTPUT_LINE_MAX - 10), want);
	assert_int_equal(process_destroy(pid), K_OK);
}

static void escapes_never_straddle_a_split(void **state)
{
	kpid_t pid = new_process("edge");
	char text[OUTPUT_LINE_MAX];

	(void)state;
	memset(text, 'b', sizeof(text));
	text[OUTPUT_LINE_MAX - 2] = '\x07'; /* its \x07 would end past the limit */
	capture_start();
	output_write(pid, text, sizeof(text));
	output_flush(pid);
	const char *got = capture_end();
	const char *second = strchr(got, '\n') + 1;
	assert_non_null(strstr(second, "] \\x07b\n"));
	assert_int_equal(process_destroy(pid), K_OK);
}

static void flush_prints_a_partial_line_once(void **state)
{
	kpid_t pid = new_process("p");
	char want[128];

	(void)state;
	capture_start();
	output_write(pid, "no newline", 10);
	output_flush(pid);
	output_flush(pid);
	assert_string_equal(capture_end(), expected_line(pid, "p", "no newline", want, sizeof(want)));
	assert_int_equal(process_destroy(pid), K_OK);
}

static void a_new_process_in_the_slot_inherits_nothing(void **state)
{
	kpid_t first = new_process("first");
	char want[128];

	(void)state;
	capture_start();
	output_write(first, "secret", 6);
	assert_int_equal(process_destroy(first), K_OK);
	kpid_t second = new_process("second");
	assert_int_equal(PID_SLOT(second), PID_SLOT(first));
	output_write(second, "mine\n", 5);
	assert_string_equal(capture_end(), expected_line(second, "second", "mine", want, sizeof(want)));
	assert_int_equal(process_destroy(second), K_OK);
}

static void a_dead_pid_prints_nothing(void **state)
{
	(void)state;
	capture_start();
	output_write(PID_NONE, "x\n", 2);
	output_flush(PID_NONE);
	assert_string_equal(capture_end(), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lines_carry_name_and_pid),
		cmocka_unit_test(a_line_is_held_until_its_newline),
		cmocka_unit_test(control_and_escape_bytes_are_made_harmless),
		cmocka_unit_test(long_lines_are_split_and_each_part_prefixed),
		cmocka_unit_test(escapes_never_straddle_a_split),
		cmocka_unit_test(flush_prints_a_partial_line_once),
		cmocka_unit_test(a_new_process_in_the_slot_inherits_nothing),
		cmocka_unit_test(a_dead_pid_prints_nothing),
	};

	return cmocka_run_group_tests_name("output", tests, boot, NULL);
}
