/*
 * shell_words: a command line's words and arguments (shell_words.h).
 *
 * Every reader takes (pointer, length) and walks with an index checked
 * against the length, so a word needs no NUL and a line no terminator.
 * Numbers are accumulated with an overflow check before each step, so
 * no spelling of a huge number can wrap into an accepted one.
 */
#include "shell_words.h"

void shell_split(const char *line, size_t len, struct shell_words *w)
{
	size_t i = 0;

	w->count = 0;
	w->total = 0;
	w->end = 0;
	while (i < len) {
		while (i < len && line[i] == ' ')
			i++;
		if (i == len)
			break;
		size_t start = i;
		while (i < len && line[i] != ' ')
			i++;
		if (w->count < SHELL_WORDS_MAX) {
			w->start[w->count] = start;
			w->len[w->count] = i - start;
			w->count++;
		}
		w->total++;
		w->end = i;
	}
}

bool shell_word_is(const char *line, const struct shell_words *w, unsigned i, const char *s)
{
	if (i >= w->count)
		return false;
	const char *word = line + w->start[i];
	size_t n = 0;

	for (; n < w->len[i]; n++)
		if (s[n] == '\0' || s[n] != word[n])
			return false;
	return s[n] == '\0';
}

static int digit_value(char c, unsigned base)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (base == 16 && c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (base == 16 && c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Digits of `base` in s[0, len) as a number no bigger than max. */
static enum shell_parse digits(const char *s, size_t len, unsigned base, uint64_t max,
			       uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0)
		return SHELL_PARSE_EMPTY;
	for (size_t i = 0; i < len; i++) {
		int d = digit_value(s[i], base);
		if (d < 0)
			return SHELL_PARSE_NOT_NUMBER;
		if ((uint64_t)d > max || v > (max - (uint64_t)d) / base)
			return SHELL_PARSE_TOO_BIG;
		v = v * base + (uint64_t)d;
	}
	*out = v;
	return SHELL_PARSE_OK;
}

enum shell_parse shell_parse_number(const char *s, size_t len, uint64_t min, uint64_t max,
				    uint64_t *out)
{
	uint64_t v;
	enum shell_parse r;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		r = digits(s + 2, len - 2, 16, max, &v);
	else
		r = digits(s, len, 10, max, &v);
	if (r != SHELL_PARSE_OK)
		return r;
	if (v < min)
		return SHELL_PARSE_TOO_SMALL;
	*out = v;
	return SHELL_PARSE_OK;
}

/* One part of a quad: 1-3 decimal digits, no leading zero, 0..255. */
static enum shell_parse quad_part(const char *s, size_t len, uint8_t *out)
{
	uint64_t v;

	if (len == 0 || len > 3)
		return SHELL_PARSE_NOT_QUAD;
	if (len > 1 && s[0] == '0')
		return SHELL_PARSE_LEADING_ZERO;
	enum shell_parse r = digits(s, len, 10, 255, &v);
	if (r == SHELL_PARSE_OK)
		*out = (uint8_t)v;
	return r;
}

enum shell_parse shell_parse_quad(const char *s, size_t len, uint8_t out[4])
{
	uint8_t parts[4];
	size_t at = 0;

	if (len == 0)
		return SHELL_PARSE_EMPTY;
	for (unsigned p = 0; p < 4; p++) {
		size_t start = at;
		while (at < len && s[at] != '.')
			at++;
		enum shell_parse r = quad_part(s + start, at - start, &parts[p]);
		if (r != SHELL_PARSE_OK)
			return r;
		if ((p < 3) != (at < len))
			return SHELL_PARSE_NOT_QUAD; /* a dot after the last part, or one missing */
		at++;                                /* past the dot */
	}
	for (unsigned p = 0; p < 4; p++)
		out[p] = parts[p];
	return SHELL_PARSE_OK;
}

const char *shell_parse_reason(enum shell_parse r)
{
	switch (r) {
	case SHELL_PARSE_OK:
		return "ok";
	case SHELL_PARSE_EMPTY:
		return "empty";
	case SHELL_PARSE_NOT_NUMBER:
		return "not a number";
	case SHELL_PARSE_TOO_BIG:
		return "too big";
	case SHELL_PARSE_TOO_SMALL:
		return "too small";
	case SHELL_PARSE_NOT_QUAD:
		return "not an address a.b.c.d";
	case SHELL_PARSE_LEADING_ZERO:
		return "a leading zero in an address";
	}
	return "unknown";
}

bool shell_hex(const uint8_t *bytes, size_t n, char *out, size_t out_len)
{
	static const char hex[] = "0123456789abcdef";

	if (out_len == 0 || n > (out_len - 1) / 2)
		return false;
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[bytes[i] >> 4];
		out[2 * i + 1] = hex[bytes[i] & 15];
	}
	out[2 * n] = '\0';
	return true;
}
