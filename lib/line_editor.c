/*
 * line_editor: the shell's line discipline (line_editor.h).
 *
 * One byte at a time, in three steps: finish what the previous byte
 * left (a line handed out at Enter is cleared only now, so the caller
 * can use it until it feeds again), swallow escape sequences, then act
 * on the byte. Nothing here writes past text[LINE_EDITOR_MAX]: a byte
 * with no room is only counted.
 */
#include "line_editor.h"

#define BYTE_ESC 0x1b
#define BYTE_BACKSPACE 0x08
#define BYTE_DELETE 0x7f
#define BYTE_CTRL_C 0x03
#define BYTE_CTRL_U 0x15

static void clear(struct line_editor *e)
{
	e->len = 0;
	e->over = 0;
	e->text[0] = '\0';
}

void line_editor_init(struct line_editor *e)
{
	clear(e);
	e->after_cr = false;
	e->ready = false;
	e->escape = LINE_ESC_NONE;
}

/* Whether `byte` belongs to an escape sequence (and is swallowed). A
 * control byte inside one ends it and is then read as itself, so Enter
 * is never lost to a half-typed sequence. */
static bool in_escape(struct line_editor *e, uint8_t byte)
{
	if (byte == BYTE_ESC) {
		e->escape = LINE_ESC_START;
		return true;
	}
	if (e->escape == LINE_ESC_START) {
		e->escape = (byte == '[' || byte == 'O') ? LINE_ESC_SEQUENCE : LINE_ESC_NONE;
		return e->escape == LINE_ESC_SEQUENCE;
	}
	if (e->escape == LINE_ESC_SEQUENCE) {
		if (byte >= 0x20 && byte <= 0x3f)
			return true;     /* parameter and intermediate bytes */
		e->escape = LINE_ESC_NONE;
		return byte >= 0x40 && byte <= 0x7e; /* the final byte */
	}
	return false;
}

static void erase(struct line_editor *e)
{
	if (e->over > 0)
		e->over--;
	else if (e->len > 0)
		e->text[--e->len] = '\0';
}

static void append(struct line_editor *e, uint8_t byte)
{
	if (e->len < LINE_EDITOR_MAX) {
		e->text[e->len++] = (char)byte;
		e->text[e->len] = '\0';
	} else if (e->over < SIZE_MAX) {
		e->over++;
	}
}

static enum line_event enter(struct line_editor *e)
{
	e->ready = true;
	if (e->over > 0) {
		clear(e);
		return LINE_TOO_LONG;
	}
	return LINE_READY;
}

enum line_event line_editor_feed(struct line_editor *e, uint8_t byte)
{
	bool after_cr = e->after_cr;

	e->after_cr = false;
	if (after_cr && byte == '\n')
		return LINE_TYPING; /* the \r's pair: the line handed out stays */
	if (e->ready) {
		e->ready = false;
		clear(e);
	}
	if (in_escape(e, byte))
		return LINE_TYPING;
	if (byte == '\r') {
		e->after_cr = true;
		return enter(e);
	}
	if (byte == '\n')
		return enter(e);
	if (byte == BYTE_DELETE || byte == BYTE_BACKSPACE) {
		erase(e);
	} else if (byte == BYTE_CTRL_C || byte == BYTE_CTRL_U) {
		clear(e);
		return LINE_CANCELLED;
	} else if (byte >= 0x20 && byte < 0x7f) {
		append(e, byte);
	}
	return LINE_TYPING;
}

const char *line_editor_text(const struct line_editor *e)
{
	return e->text;
}

size_t line_editor_len(const struct line_editor *e)
{
	return e->len;
}
