/*
 * shell: the serial console's shell. It is the console's reader in every
 * image: it blocks in ConsoleRead (system call 24), turns the bytes into
 * lines with lib/line_editor (backspace as 0x7f or 0x08, Enter as \r,
 * \n or \r\n, ^C / ^U to drop a line, a line past 120 characters
 * refused), and runs each line (commands.c; `help` lists them).
 *
 * The echo. The kernel shows a program's output only in whole lines of
 * its own, each prefixed `[shell.elf:N] ` (kernel/proc/output.c holds a
 * line until its newline, so no other output is spliced into it and no
 * program can pass for the kernel). Echoing each keystroke as it comes
 * would therefore print one prefixed line per key, and a bare prompt
 * could not be shown before Enter. So the shell echoes once per line:
 * when Enter comes it prints the prompt and the line as it was accepted
 * -- after backspaces, escape sequences dropped --
 *
 *   [shell.elf:4] cambios> put notes hello
 *
 * then the command's answer. A human at `make run` types blind until
 * Enter and then sees exactly what ran, which is also what a log of the
 * session needs; a refused or cancelled line is shown as such.
 *
 * Between keystrokes the shell sleeps in ConsoleRead, costing no CPU;
 * while it waits for a service it polls (ask.c), at most
 * SHELL_ANSWER_TICKS.
 */
#include <line_editor.h>

#include "../lib/module.h"
#include "../lib/sys.h"
#include "shell.h"

CAMBIOS_MODULE_ROLE("shell");

#define PROMPT "cambios> "
#define READ_MAX 64

static struct line_editor editor;

static void echo(const char *what, size_t len)
{
	struct line l = { .len = 0 };

	put(&l, PROMPT);
	out_put_n(&l, what, len);
	say(&l);
}

static void on_event(enum line_event ev)
{
	switch (ev) {
	case LINE_READY:
		echo(line_editor_text(&editor), line_editor_len(&editor));
		shell_run(line_editor_text(&editor), line_editor_len(&editor));
		break;
	case LINE_TOO_LONG:
		say1("shell: line refused: longer than 120 characters (nothing was run)");
		break;
	case LINE_CANCELLED:
		echo("^C", 2);
		break;
	case LINE_TYPING:
		break;
	}
}

int main(void)
{
	static uint8_t in[READ_MAX];

	if (!ask_init())
		return 1;
	line_editor_init(&editor);
	say1("shell: CambiOS shell on the serial console; type help (each line shows when you "
	     "press Enter)");
	for (;;) {
		int64_t n = sys_console_read(in, sizeof(in));
		if (n <= 0) {
			out_say_error("ConsoleRead", n);
			return 2;
		}
		for (int64_t i = 0; i < n; i++)
			on_event(line_editor_feed(&editor, in[i]));
	}
}
