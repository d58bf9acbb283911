/*
 * line: building one line of output in a user program without a C
 * library -- text, hexadecimal, decimal and byte pairs -- and printing it
 * (user/lib). A line that would overflow is cut, never overrun.
 */
#ifndef CAMBIOS_USER_LINE_H
#define CAMBIOS_USER_LINE_H

#include <stdbool.h>
#include <stdint.h>

#include "sys.h"

struct line {
	char buf[200];
	unsigned len;
};

static inline void put(struct line *l, const char *s)
{
	while (*s && l->len < sizeof(l->buf))
		l->buf[l->len++] = *s++;
}

static inline void put_hex(struct line *l, uint64_t v)
{
	char digits[16];
	unsigned n = 0;

	put(l, "0x");
	do {
		digits[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	while (n && l->len < sizeof(l->buf))
		l->buf[l->len++] = digits[--n];
}

static inline void put_dec(struct line *l, int64_t v)
{
	char digits[20];
	unsigned n = 0;
	uint64_t u = v < 0 ? (uint64_t)-v : (uint64_t)v;

	if (v < 0)
		put(l, "-");
	do {
		digits[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	while (n && l->len < sizeof(l->buf))
		l->buf[l->len++] = digits[--n];
}

static inline void put_byte(struct line *l, uint8_t b)
{
	char two[3] = { "0123456789abcdef"[b >> 4], "0123456789abcdef"[b & 15], 0 };
	put(l, two);
}

static inline void say(struct line *l)
{
	put(l, "\n");
	(void)sys_print(l->buf, l->len);
}

static inline void say1(const char *s)
{
	struct line l;

	l.len = 0;

	put(&l, s);
	say(&l);
}

/* One answer checked: prints "<prefix><what>: <got>", with " (wanted
 * <want>)" when they differ; true when they do not. */
static inline bool say_answer(const char *prefix, const char *what, int64_t got, int64_t want)
{
	struct line l;

	l.len = 0;
	put(&l, prefix);
	put(&l, what);
	put(&l, ": ");
	put_dec(&l, got);
	if (got != want) {
		put(&l, " (wanted ");
		put_dec(&l, want);
		put(&l, ")");
	}
	say(&l);
	return got == want;
}

#endif
