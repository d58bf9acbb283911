/*
 * shell_words: reading a command line -- splitting it into words, and
 * the arguments commands take: numbers, dotted-quad IPv4 addresses --
 * and writing bytes as hexadecimal, the form keys, hashes and
 * signatures are shown in.
 *
 * Portable and freestanding: user/shell reads every line with it; the
 * host tests and the shell's fuzz target give it every byte sequence.
 * The line comes from the console, so nothing is trusted: every read
 * stays inside the given length (no NUL is needed), and a number or an
 * address is accepted only in one plain spelling -- no sign, no spaces,
 * no leading zeros in a quad's parts (which some readers take for
 * octal), nothing after it -- with the reason when it is refused.
 */
#ifndef CAMBIOS_LIB_SHELL_WORDS_H
#define CAMBIOS_LIB_SHELL_WORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHELL_WORDS_MAX 8 /* words kept of one line; more are counted */

/* A line's words: word i is line[start[i], start[i] + len[i]). The rest
 * of the line from word i (spaces inside kept, trailing ones not) is
 * line[start[i], end): a command's free text. */
struct shell_words {
	unsigned count;                 /* words kept, at most SHELL_WORDS_MAX */
	unsigned total;                 /* words on the line */
	size_t start[SHELL_WORDS_MAX];
	size_t len[SHELL_WORDS_MAX];
	size_t end;                     /* just past the last non-space byte */
};

/* Splits line[0, len) at spaces (runs of them count as one). */
void shell_split(const char *line, size_t len, struct shell_words *w);

/* Whether word i of the line is exactly `s` (a C string). */
bool shell_word_is(const char *line, const struct shell_words *w, unsigned i, const char *s);

enum shell_parse {
	SHELL_PARSE_OK = 0,
	SHELL_PARSE_EMPTY,       /* no characters */
	SHELL_PARSE_NOT_NUMBER,  /* a character that is not a digit */
	SHELL_PARSE_TOO_BIG,     /* past the largest allowed */
	SHELL_PARSE_TOO_SMALL,   /* under the smallest allowed */
	SHELL_PARSE_NOT_QUAD,    /* not four dot-separated parts */
	SHELL_PARSE_LEADING_ZERO, /* a quad's part like "010" */
};

/* A decimal number, or hexadecimal after "0x", in [min, max]. */
enum shell_parse shell_parse_number(const char *s, size_t len, uint64_t min, uint64_t max,
				    uint64_t *out);

/* An IPv4 address a.b.c.d, each part 0..255 in decimal; out[0] = a. */
enum shell_parse shell_parse_quad(const char *s, size_t len, uint8_t out[4]);

/* What a result means, in a few words ("not a number"). */
const char *shell_parse_reason(enum shell_parse r);

/* Writes bytes[0, n) as 2n lowercase hex digits and a NUL to out, which
 * holds out_len bytes; false (out untouched) when they do not fit. */
bool shell_hex(const uint8_t *bytes, size_t n, char *out, size_t out_len);

#endif
