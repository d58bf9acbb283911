/*
 * format: a small printf engine (see format.h for the supported subset).
 *
 * Parsing and printing are separated: parse_spec() reads one conversion
 * specification into a struct, and the emit_* helpers print one value under
 * that specification. Integers are converted into a local digit buffer
 * backwards, then padded; nothing here needs more than a few dozen bytes of
 * stack, which matters on early boot stacks.
 */
#include "format.h"

#include <stdbool.h>
#include <stdint.h>

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_PTRDIFF, LEN_MAX };

struct spec {
	bool left;      /* '-': pad on the right */
	bool zero;      /* '0': pad numbers with zeros */
	bool plus;      /* '+': always print a sign */
	bool space;     /* ' ': a space where a '+' would go */
	bool alt;       /* '#': 0x prefix for %x, 0 for %o */
	int width;      /* minimum field width, 0 if none */
	int precision;  /* -1 if none */
	enum length length;
	char conv;      /* the conversion character */
};

struct out {
	format_sink_fn sink;
	void *ctx;
	size_t count;
};

static void put(struct out *o, char c)
{
	o->sink(c, o->ctx);
	o->count++;
}

static void put_repeat(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

static int parse_number(const char **p)
{
	int n = 0;

	while (**p >= '0' && **p <= '9') {
		if (n < 100000)
			n = n * 10 + (**p - '0');
		(*p)++;
	}
	return n;
}

static void parse_flags(const char **p, struct spec *s)
{
	for (;; (*p)++) {
		switch (**p) {
		case '-': s->left = true; break;
		case '0': s->zero = true; break;
		case '+': s->plus = true; break;
		case ' ': s->space = true; break;
		case '#': s->alt = true; break;
		default: return;
		}
	}
}

static enum length parse_length(const char **p)
{
	switch (**p) {
	case 'h':
		(*p)++;
		if (**p == 'h') {
			(*p)++;
			return LEN_CHAR;
		}
		return LEN_SHORT;
	case 'l':
		(*p)++;
		if (**p == 'l') {
			(*p)++;
			return LEN_LLONG;
		}
		return LEN_LONG;
	case 'z': (*p)++; return LEN_SIZE;
	case 't': (*p)++; return LEN_PTRDIFF;
	case 'j': (*p)++; return LEN_MAX;
	default: return LEN_INT;
	}
}

/* Reads the specification after a '%'; *p ends on the conversion char. */
static void parse_spec(const char **p, struct spec *s, va_list *ap)
{
	*s = (struct spec){ .precision = -1 };
	parse_flags(p, s);
	if (**p == '*') {
		s->width = va_arg(*ap, int);
		if (s->width < 0) {
			s->left = true;
			s->width = -s->width;
		}
		(*p)++;
	} else {
		s->width = parse_number(p);
	}
	if (**p == '.') {
		(*p)++;
		if (**p == '*') {
			s->precision = va_arg(*ap, int);
			(*p)++;
		} else {
			s->precision = parse_number(p);
		}
		if (s->precision < 0)
			s->precision = -1;
	}
	s->length = parse_length(p);
	s->conv = **p;
}

static uintmax_t fetch_unsigned(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_CHAR: return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_SHORT: return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_LONG: return va_arg(*ap, unsigned long);
	case LEN_LLONG: return va_arg(*ap, unsigned long long);
	case LEN_SIZE: return va_arg(*ap, size_t);
	case LEN_PTRDIFF: return (uintmax_t)va_arg(*ap, ptrdiff_t);
	case LEN_MAX: return va_arg(*ap, uintmax_t);
	default: return va_arg(*ap, unsigned int);
	}
}

static intmax_t fetch_signed(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_CHAR: return (signed char)va_arg(*ap, int);
	case LEN_SHORT: return (short)va_arg(*ap, int);
	case LEN_LONG: return va_arg(*ap, long);
	case LEN_LLONG: return va_arg(*ap, long long);
	case LEN_SIZE: return (intmax_t)va_arg(*ap, size_t);
	case LEN_PTRDIFF: return va_arg(*ap, ptrdiff_t);
	case LEN_MAX: return va_arg(*ap, intmax_t);
	default: return va_arg(*ap, int);
	}
}

/* Prints `value` in `base` with an optional sign and prefix, honouring
 * width, precision and the padding flags: C's rules for all of them, kept
 * in one place. NOLINTNEXTLINE(readability-function-cognitive-complexity) */
static void emit_integer(struct out *o, const struct spec *s, uintmax_t value,
			 bool negative, unsigned base)
{
	const char *digits = s->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24]; /* 22 octal digits cover 64 bits */
	int n = 0;

	while (value) {
		/* cppcheck-suppress zerodivcond ; base is 8, 10 or 16 (see callers) */
		buf[n++] = digits[value % base];
		value /= base;
	}
	/* C: precision 0 with value 0 prints no digits; otherwise at least one. */
	if (n == 0 && s->precision != 0 && !(s->alt && base == 8))
		buf[n++] = '0';

	const char *prefix = "";
	if (negative)
		prefix = "-";
	else if (s->plus && (s->conv == 'd' || s->conv == 'i'))
		prefix = "+";
	else if (s->space && (s->conv == 'd' || s->conv == 'i'))
		prefix = " ";
	else if (s->alt && base == 16 && n > 0 && !(n == 1 && buf[0] == '0'))
		prefix = s->conv == 'X' ? "0X" : "0x";
	else if (s->alt && base == 8 && s->precision <= n)
		prefix = "0";

	int prefix_len = 0;
	while (prefix[prefix_len])
		prefix_len++;
	int zeros = s->precision > n ? s->precision - n : 0;
	int body = prefix_len + zeros + n;
	int pad = s->width > body ? s->width - body : 0;

	if (s->zero && !s->left && s->precision < 0) {
		zeros += pad;
		pad = 0;
	}
	if (!s->left)
		put_repeat(o, ' ', pad);
	for (int i = 0; i < prefix_len; i++)
		put(o, prefix[i]);
	put_repeat(o, '0', zeros);
	while (n > 0)
		put(o, buf[--n]);
	if (s->left)
		put_repeat(o, ' ', pad);
}

static void emit_string(struct out *o, const struct spec *s, const char *str)
{
	int len = 0;

	if (!str)
		str = "(null)";
	while (str[len] && (s->precision < 0 || len < s->precision))
		len++;
	int pad = s->width > len ? s->width - len : 0;
	if (!s->left)
		put_repeat(o, ' ', pad);
	for (int i = 0; i < len; i++)
		put(o, str[i]);
	if (s->left)
		put_repeat(o, ' ', pad);
}

static void emit_pointer(struct out *o, const struct spec *s, const void *ptr)
{
	struct spec ps = *s;

	ps.conv = 'x';
	ps.alt = false;
	ps.precision = 16;
	ps.width = s->width > 2 ? s->width - 2 : 0;
	if (!s->left)
		put_repeat(o, ' ', ps.width - 16);
	put(o, '0');
	put(o, 'x');
	ps.width = 0;
	emit_integer(o, &ps, (uintptr_t)ptr, false, 16);
	if (s->left)
		put_repeat(o, ' ', s->width - 18);
}

/* Prints an unknown conversion back as it was written, e.g. "%y". */
static void emit_verbatim(struct out *o, const char *start, const char *end)
{
	for (const char *c = start; c <= end && *c; c++)
		put(o, *c);
}

static void emit_conversion(struct out *o, const struct spec *s, va_list *ap,
			    const char *start, const char *end)
{
	switch (s->conv) {
	case 'd':
	case 'i': {
		intmax_t v = fetch_signed(s->length, ap);
		uintmax_t mag = v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v;
		emit_integer(o, s, mag, v < 0, 10);
		break;
	}
	case 'u': emit_integer(o, s, fetch_unsigned(s->length, ap), false, 10); break;
	case 'x':
	case 'X': emit_integer(o, s, fetch_unsigned(s->length, ap), false, 16); break;
	case 'o': emit_integer(o, s, fetch_unsigned(s->length, ap), false, 8); break;
	case 'p': emit_pointer(o, s, va_arg(*ap, void *)); break;
	case 's': emit_string(o, s, va_arg(*ap, const char *)); break;
	case 'c': {
		char c[2] = { (char)va_arg(*ap, int), '\0' };
		struct spec cs = *s;
		cs.precision = 1;
		if (c[0] == '\0') { /* "%c" of NUL still emits one character */
			put_repeat(o, ' ', s->left ? 0 : s->width - 1);
			put(o, '\0');
			put_repeat(o, ' ', s->left ? s->width - 1 : 0);
		} else {
			emit_string(o, &cs, c);
		}
		break;
	}
	case '%': put(o, '%'); break;
	default: emit_verbatim(o, start, end); break;
	}
}

size_t format_emit(format_sink_fn sink, void *ctx, const char *fmt, va_list ap)
{
	struct out o = { sink, ctx, 0 };
	va_list args;

	va_copy(args, ap);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			put(&o, *p);
			continue;
		}
		const char *start = p++;
		struct spec s;
		parse_spec(&p, &s, &args);
		if (*p == '\0') { /* a lone '%' at the end */
			emit_verbatim(&o, start, p - 1);
			break;
		}
		emit_conversion(&o, &s, &args, start, p);
	}
	va_end(args);
	return o.count;
}

struct buffer {
	char *buf;
	size_t size;
	size_t used;
};

static void buffer_sink(char c, void *ctx)
{
	struct buffer *b = ctx;

	if (b->used + 1 < b->size)
		b->buf[b->used] = c;
	b->used++;
}

size_t format_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buffer b = { buf, size, 0 };
	size_t n = format_emit(buffer_sink, &b, fmt, ap);

	if (size > 0)
		buf[b.used < size ? b.used : size - 1] = '\0';
	return n;
}

size_t format_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	size_t n = format_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
