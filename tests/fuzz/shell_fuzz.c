/*
 * shell_fuzz: libFuzzer target for the shell's console input -- the line
 * editor (lib/line_editor) and the line reader (lib/shell_words).
 *
 * Every byte typed at the serial console reaches them. Whatever the
 * bytes: the line never outgrows LINE_EDITOR_MAX, is NUL-terminated at
 * its length and holds only printable ASCII when handed over; every
 * word lies inside the line, is non-empty and space-free, with words in
 * order; and each word read as a number, a port and an address either
 * is refused or reads back as the value it spells.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <line_editor.h>
#include <shell_words.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_line(const char *line, size_t len)
{
	if (len > LINE_EDITOR_MAX || line[len] != '\0')
		abort();
	for (size_t i = 0; i < len; i++)
		if (line[i] < 0x20 || line[i] > 0x7e)
			abort();
}

/* A number that was accepted must print back as the digits it came from
 * (decimal, no leading zeros) or read again to itself. */
static void check_number(const char *s, size_t len)
{
	uint64_t v, again;

	if (shell_parse_number(s, len, 1, 65535, &v) != SHELL_PARSE_OK)
		return;
	if (v < 1 || v > 65535)
		abort();
	if (shell_parse_number(s, len, 0, UINT64_MAX, &again) != SHELL_PARSE_OK || again != v)
		abort();
}

/* An accepted quad must print back exactly as typed (its one spelling). */
static void check_quad(const char *s, size_t len)
{
	uint8_t ip[4];
	char back[16];
	size_t n = 0;

	if (shell_parse_quad(s, len, ip) != SHELL_PARSE_OK)
		return;
	for (int p = 0; p < 4; p++) {
		if (ip[p] >= 100)
			back[n++] = (char)('0' + ip[p] / 100);
		if (ip[p] >= 10)
			back[n++] = (char)('0' + ip[p] / 10 % 10);
		back[n++] = (char)('0' + ip[p] % 10);
		if (p < 3)
			back[n++] = '.';
	}
	if (n != len || memcmp(back, s, n) != 0)
		abort();
}

static void check_words(const char *line, size_t len)
{
	struct shell_words w;
	char hex[2 * LINE_EDITOR_MAX + 1];

	shell_split(line, len, &w);
	if (w.count > SHELL_WORDS_MAX || w.count > w.total || w.end > len)
		abort();
	for (unsigned i = 0; i < w.count; i++) {
		const char *word = line + w.start[i];
		if (w.len[i] == 0 || w.start[i] + w.len[i] > w.end ||
		    (i > 0 && w.start[i] < w.start[i - 1] + w.len[i - 1] + 1) ||
		    memchr(word, ' ', w.len[i]) != NULL)
			abort();
		check_number(word, w.len[i]);
		check_quad(word, w.len[i]);
	}
	if (!shell_hex((const uint8_t *)line, len, hex, sizeof(hex)) || strlen(hex) != 2 * len)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct line_editor e;

	line_editor_init(&e);
	for (size_t i = 0; i < size; i++) {
		enum line_event ev = line_editor_feed(&e, data[i]);
		if (line_editor_len(&e) > LINE_EDITOR_MAX)
			abort();
		if (ev == LINE_READY) {
			check_line(line_editor_text(&e), line_editor_len(&e));
			check_words(line_editor_text(&e), line_editor_len(&e));
		} else if ((ev == LINE_TOO_LONG || ev == LINE_CANCELLED) && line_editor_len(&e) != 0) {
			abort();
		}
	}
	return 0;
}
