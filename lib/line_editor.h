/*
 * line_editor: turning the raw bytes typed at a console into command
 * lines -- the shell's line discipline, since the kernel's ConsoleRead
 * has none (no echo, no editing, CR and LF as typed).
 *
 * Portable and freestanding: user/shell feeds it every byte ConsoleRead
 * returns, and the host tests and a fuzz target feed it every byte
 * sequence. Console bytes are untrusted input: whatever arrives, the
 * line stays inside its buffer and stays printable ASCII.
 *
 *   0x20-0x7e        appended to the line
 *   0x7f, 0x08       backspace: removes the last byte (nothing when empty)
 *   \r or \n         Enter: the line is ready; \r\n counts once
 *   0x03 (^C), 0x15 (^U)  the line so far is thrown away
 *   ESC [ ... / ESC O x   a terminal's escape sequence (arrow keys and
 *                    the like): swallowed whole, never text
 *   anything else    ignored (tab, other control bytes, bytes >= 0x80)
 *
 * A line longer than LINE_EDITOR_MAX is refused at Enter, not cut: the
 * bytes past the limit are counted (a backspace takes them back first),
 * so a line edited back under the limit is accepted as it reads.
 */
#ifndef CAMBIOS_LIB_LINE_EDITOR_H
#define CAMBIOS_LIB_LINE_EDITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LINE_EDITOR_MAX 120 /* bytes of one command line */

/* What one byte did. */
enum line_event {
	LINE_TYPING = 0,    /* the line changed, or the byte was ignored */
	LINE_READY,         /* Enter: line_editor_text() is the line */
	LINE_TOO_LONG,      /* Enter on a line past LINE_EDITOR_MAX: refused, cleared */
	LINE_CANCELLED,     /* ^C or ^U: the line was thrown away */
};

enum line_escape_state {
	LINE_ESC_NONE = 0,
	LINE_ESC_START,     /* after ESC */
	LINE_ESC_SEQUENCE,  /* after ESC [ or ESC O, until a final byte */
};

struct line_editor {
	char text[LINE_EDITOR_MAX + 1]; /* NUL-terminated once READY */
	size_t len;
	size_t over;                    /* bytes typed past LINE_EDITOR_MAX */
	bool after_cr;                  /* the last byte was \r: a \n now is its pair */
	bool ready;                     /* the previous byte ended a line: start afresh */
	enum line_escape_state escape;
};

void line_editor_init(struct line_editor *e);

/* Feeds one typed byte. After LINE_READY the line is
 * line_editor_text(e) (line_editor_len bytes, NUL-terminated) until the
 * next byte is fed. */
enum line_event line_editor_feed(struct line_editor *e, uint8_t byte);

const char *line_editor_text(const struct line_editor *e);
size_t line_editor_len(const struct line_editor *e);

#endif
