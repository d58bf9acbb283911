/*
 * conf: parsing limine.conf (see conf.h for the accepted subset).
 *
 * One pass over the lines. Each line is copied, without its leading
 * whitespace, into the parser's own line buffer, so that every position in
 * it is an index below LINE_MAX_LEN: the helpers pass indices into that
 * buffer, never pointers into the file, and every read is bounded by the
 * buffer whatever the line holds (which is what lets `make verify` prove
 * the parser free of run-time errors). Each line is classified (comment,
 * macro definition, entry title, key: value) and applied to the parse
 * state. Values are macro-expanded when they are read. Errors name the
 * line number so a user can find the mistake.
 *
 * A value ends at its first NUL byte, as the C strings the parser used to
 * hand around did; the lengths kept here are those C-string lengths.
 */
#include "conf.h"

#include <kstring.h>

#define MAX_MACROS 16
#define MACRO_NAME_MAX 32
#define LINE_MAX_LEN 512

struct macro {
	char name[MACRO_NAME_MAX];
	size_t name_len;
	char value[CONF_PATH_MAX];
	size_t value_len;
};

struct parser {
	const char *arch;
	size_t arch_len;
	struct conf *out;
	char *error;
	unsigned line_no;
	unsigned entries_seen;
	bool in_chosen; /* inside the entry that will boot */
	bool chosen_done;
	unsigned macro_count;
	struct macro macros[MAX_MACROS];
	char line[LINE_MAX_LEN]; /* the current line, leading whitespace dropped */
	size_t line_len;         /* below LINE_MAX_LEN */
	char value[LINE_MAX_LEN]; /* the current key's expanded value */
};

/*
 * Error messages: written into the caller's CONF_ERROR_MAX bytes,
 * truncated there and always NUL-terminated (as snprintf would). The
 * parser's own words are string literals handed over with their length
 * (message_literal), so that every read of them is bounded as plainly as
 * a read of the file's text.
 */
struct message {
	char *buf;
	size_t used; /* below CONF_ERROR_MAX */
};

/* The contracts WP proves (tests/verify/conf.mk); EVA checks the code
 * alone, without them (VERIFY_EVA). A message under construction: its
 * buffer is the caller's CONF_ERROR_MAX bytes, apart from the message
 * itself. */
/*@ predicate message_ok(struct message *m) =
      \valid(m) && \valid(m->buf + (0 .. CONF_ERROR_MAX - 1)) &&
      \separated(m, m->buf + (0 .. CONF_ERROR_MAX - 1)) && m->used < CONF_ERROR_MAX;

    // What a failure needs: the parser's error buffer and line number.
    predicate error_ok(struct parser *p) =
      \valid_read(&p->error) && \valid_read(&p->line_no) &&
      \valid(p->error + (0 .. CONF_ERROR_MAX - 1));

    // A reason was written: the error buffer holds its NUL.
    predicate error_set(char *error) =
      \exists integer k; 0 <= k < CONF_ERROR_MAX && error[k] == '\0';

    // Writing the error buffer leaves the fields that locate it alone.
    predicate error_apart(struct parser *p) =
      \separated(p->error + (0 .. CONF_ERROR_MAX - 1),
		 &p->error, &p->line_no, &p->arch, &p->arch_len);

    // Bytes written by an expansion leave apart the parser fields it reads.
    predicate apart_from_parser(struct parser *p, char *b, integer n) =
      \separated(b + (0 .. n - 1), p->error + (0 .. CONF_ERROR_MAX - 1),
		 &p->error, &p->line_no, &p->arch, &p->arch_len);

    // So does a length an expansion updates.
    predicate length_apart_from_parser(struct parser *p, size_t *n) =
      \separated(n, p->error + (0 .. CONF_ERROR_MAX - 1),
		 &p->error, &p->line_no, &p->arch, &p->arch_len);

    // The parser between lines: its own fields, the caller's conf and
    // error buffer, each apart from the others, and its counters within
    // the arrays they index.
    predicate parser_ok(struct parser *p) =
      \valid(p) && error_ok(p) && \valid(p->out) &&
      \valid_read(p->arch + (0 .. p->arch_len - 1)) &&
      \separated(p, p->out, p->error + (0 .. CONF_ERROR_MAX - 1)) &&
      error_apart(p) &&
      p->line_len < LINE_MAX_LEN && p->macro_count <= MAX_MACROS &&
      p->out->entry.module_count <= CONF_MAX_MODULES;
*/

#ifndef VERIFY_EVA
/*@ requires message_ok(m);
    assigns m->used, m->buf[0 .. CONF_ERROR_MAX - 2];
    ensures message_ok(m) && m->buf == \old(m->buf); */
#endif
static void message_char(struct message *m, char c)
{
	if (m->used < CONF_ERROR_MAX - 1) {
		m->buf[m->used] = c;
		m->used++;
	}
}

/* Appends s up to its first NUL, reading at most max bytes. */
#ifndef VERIFY_EVA
/*@ requires message_ok(m) && \valid_read(s + (0 .. max - 1));
    assigns m->used, m->buf[0 .. CONF_ERROR_MAX - 2];
    ensures message_ok(m) && m->buf == \old(m->buf); */
#endif
static void message_text(struct message *m, const char *s, size_t max)
{
#ifndef VERIFY_EVA
	/*@ loop invariant 0 <= i <= max && message_ok(m) && m->buf == \at(m->buf, Pre);
	    loop assigns i, m->used, m->buf[0 .. CONF_ERROR_MAX - 2];
	    loop variant max - i; */
#endif
	for (size_t i = 0; i < max && s[i]; i++)
		message_char(m, s[i]);
}

/* Appends a string literal, all of it but its NUL ("" refuses anything
 * but a literal at compile time). */
#define message_literal(m, literal) message_text((m), "" literal, sizeof(literal) - 1)

#ifndef VERIFY_EVA
/*@ requires message_ok(m);
    assigns m->used, m->buf[0 .. CONF_ERROR_MAX - 2];
    ensures message_ok(m) && m->buf == \old(m->buf); */
#endif
static void message_unsigned(struct message *m, unsigned v)
{
	char digits[10] = { 0 }; /* UINT_MAX has 10 decimal digits */
	size_t n = 0;

#ifndef VERIFY_EVA
	/*@ loop invariant 0 <= n < 10;
	    loop assigns n, v, digits[0 .. 9];
	    loop variant 10 - n; */
#endif
	do {
		digits[n] = (char)('0' + v % 10);
		n++;
		v /= 10;
	} while (v != 0 && n < sizeof(digits));
#ifndef VERIFY_EVA
	/*@ loop invariant 0 <= n <= 10 && message_ok(m) && m->buf == \at(m->buf, Pre);
	    loop assigns n, m->used, m->buf[0 .. CONF_ERROR_MAX - 2];
	    loop variant n; */
#endif
	while (n > 0) {
		n--;
		message_char(m, digits[n]);
	}
}

/* Ends the message with its NUL. */
#ifndef VERIFY_EVA
/*@ requires message_ok(m);
    assigns m->buf[0 .. CONF_ERROR_MAX - 1];
    ensures m->buf[m->used] == '\0'; */
#endif
static void message_end(struct message *m)
{
	/* The guard is for EVA, which does not carry message_ok's bound on
	 * used from one call to the next; WP proves it never fails. */
	m->buf[m->used < CONF_ERROR_MAX ? m->used : CONF_ERROR_MAX - 1] = '\0';
}

/* "limine.conf line N: what[: detail]"; what is what_len bytes, detail
 * detail_len bytes or up to its first NUL. */
#ifndef VERIFY_EVA
/*@ requires error_ok(p);
    requires \valid_read(what + (0 .. what_len - 1));
    requires detail == \null || \valid_read(detail + (0 .. detail_len - 1));
    assigns p->error[0 .. CONF_ERROR_MAX - 1];
    ensures \result == \false && error_set(p->error); */
#endif
static bool fail_with(struct parser *p, const char *what, size_t what_len, const char *detail,
		      size_t detail_len)
{
	struct message m = { p->error, 0 };

	message_literal(&m, "limine.conf line ");
	message_unsigned(&m, p->line_no);
	message_literal(&m, ": ");
	message_text(&m, what, what_len);
	if (detail) {
		message_literal(&m, ": ");
		message_text(&m, detail, detail_len);
	}
	message_end(&m);
	return false;
}

/* Fails with the literal `what`, and the detail if there is one. */
#define fail_detail(p, what, detail, detail_len) \
	fail_with((p), "" what, sizeof(what) - 1, (detail), (detail_len))
#define fail(p, what) fail_detail((p), what, NULL, 0)

#ifndef VERIFY_EVA
/*@ assigns \result \from c;
    ensures 'A' <= c <= 'Z' ==> \result == c - 'A' + 'a';
    ensures !('A' <= c <= 'Z') ==> \result == c; */
#endif
static char lower(char c)
{
	if (c >= 'A' && c <= 'Z')
		return (char)(c - 'A' + 'a');
	return c;
}

/* The length of s up to its first NUL, at most max. */
#ifndef VERIFY_EVA
/*@ requires \valid_read(s + (0 .. max - 1));
    assigns \nothing;
    ensures \result <= max;
    ensures \forall integer k; 0 <= k < \result ==> s[k] != '\0';
    ensures \result < max ==> s[\result] == '\0'; */
#endif
static size_t bounded_len(const char *s, size_t max)
{
	size_t n = 0;

#ifndef VERIFY_EVA
	/*@ loop invariant 0 <= n <= max;
	    loop invariant \forall integer k; 0 <= k < n ==> s[k] != '\0';
	    loop assigns n;
	    loop variant max - n; */
#endif
	while (n < max && s[n])
		n++;
	return n < max ? n : max;
}

/* Is key[0..key_len) the literal name[0..name_len), ignoring the key's
 * case? (key_is passes the literal with its length.) */
#ifndef VERIFY_EVA
/*@ requires \valid_read(key + (0 .. key_len - 1)) && \valid_read(name + (0 .. name_len - 1));
    assigns \nothing;
    ensures \result ==> key_len == name_len; */
#endif
static bool key_equals(const char *key, size_t key_len, const char *name, size_t name_len)
{
	if (key_len != name_len)
		return false;
#ifndef VERIFY_EVA
	/*@ loop invariant 0 <= i <= name_len;
	    loop assigns i;
	    loop variant name_len - i; */
#endif
	for (size_t i = 0; i < name_len; i++) {
		if (lower(key[i]) != name[i])
			return false;
	}
	return true;
}

#define key_is(key, key_len, name) key_equals((key), (key_len), "" name, sizeof(name) - 1)

/* Is line[from..to) the literal name[0..name_len)? (line_is passes the
 * literal with its length.) */
#ifndef VERIFY_EVA
/*@ requires \valid_read(p->line + (0 .. LINE_MAX_LEN - 1));
    requires \valid_read(name + (0 .. name_len - 1));
    requires to <= LINE_MAX_LEN;
    assigns \nothing;
    ensures \result ==> to == from + name_len; */
#endif
static bool line_equals(const struct parser *p, size_t from, size_t to, const char *name,
			size_t name_len)
{
	size_t at = from;

#ifndef VERIFY_EVA
	/*@ loop invariant 0 <= k <= name_len && at == from + k;
	    loop invariant k > 0 ==> at <= to;
	    loop assigns k, at;
	    loop variant name_len - k; */
#endif
	for (size_t k = 0; k < name_len; k++, at++) {
		if (at >= to || p->line[at] != name[k])
			return false;
	}
	return at == to;
}

#define line_is(p, from, to, name) line_equals((p), (from), (to), "" name, sizeof(name) - 1)

#ifndef VERIFY_EVA
/*@ requires \valid_read(p) && to <= LINE_MAX_LEN;
    assigns \nothing;
    ensures \result == \null ||
	    (\exists integer i; 0 <= i < MAX_MACROS && \result == &p->macros[i]); */
#endif
static const struct macro *macro_lookup(const struct parser *p, size_t from, size_t to)
{
#ifndef VERIFY_EVA
	/*@ loop invariant 0 <= i <= MAX_MACROS;
	    loop assigns i;
	    loop variant MAX_MACROS - i; */
#endif
	for (unsigned i = 0; i < p->macro_count && i < MAX_MACROS; i++) {
		const struct macro *m = &p->macros[i];
		size_t at = from;
		size_t k = 0;

#ifndef VERIFY_EVA
		/*@ loop invariant 0 <= k <= MACRO_NAME_MAX && at == from + k;
		    loop assigns at, k;
		    loop variant MACRO_NAME_MAX - k; */
#endif
		while (at < to && k < m->name_len && k < MACRO_NAME_MAX && p->line[at] == m->name[k]) {
			at++;
			k++;
		}
		if (at == to && k == m->name_len)
			return m;
	}
	return NULL;
}

/* Appends c to out (out_size bytes, kept NUL-terminated), or fails. */
#ifndef VERIFY_EVA
/*@ requires error_ok(p);
    requires \valid(out + (0 .. out_size - 1)) && \valid(o) && *o < out_size;
    requires apart_from_parser(p, out, out_size) && length_apart_from_parser(p, o);
    requires \separated(o, out + (0 .. out_size - 1));
    assigns *o, out[0 .. out_size - 1], p->error[0 .. CONF_ERROR_MAX - 1];
    ensures *o < out_size;
    ensures \result ==> *o == \old(*o) + 1 && out[\old(*o)] == c && out[*o] == '\0';
    ensures !\result ==> *o == \old(*o) && error_set(p->error); */
#endif
static bool expand_char(struct parser *p, char *out, size_t out_size, size_t *o, char c)
{
	if (*o >= out_size - 1)
		return fail(p, "value too long");
	out[*o] = c;
	out[*o + 1] = '\0';
	(*o)++;
	return true;
}

/* Appends the value of the macro named line[from..to) to out. */
#ifndef VERIFY_EVA
/*@ requires \valid_read(p) && error_ok(p) && \valid_read(p->arch + (0 .. p->arch_len - 1));
    requires to <= LINE_MAX_LEN;
    requires \valid(out + (0 .. out_size - 1)) && \valid(o) && *o < out_size;
    requires apart_from_parser(p, out, out_size) && length_apart_from_parser(p, o);
    requires \separated(o, out + (0 .. out_size - 1));
    requires error_apart(p);
    assigns *o, out[0 .. out_size - 1], p->error[0 .. CONF_ERROR_MAX - 1];
    ensures *o < out_size;
    ensures !\result ==> error_set(p->error); */
#endif
static bool expand_reference(struct parser *p, size_t from, size_t to, char *out,
			     size_t out_size, size_t *o)
{
	if (line_is(p, from, to, "ARCH")) {
#ifndef VERIFY_EVA
		/*@ loop invariant 0 <= k <= p->arch_len && *o < out_size;
		    loop assigns k, *o, out[0 .. out_size - 1], p->error[0 .. CONF_ERROR_MAX - 1];
		    loop variant p->arch_len - k; */
#endif
		for (size_t k = 0; k < p->arch_len; k++) {
			if (!expand_char(p, out, out_size, o, p->arch[k]))
				return false;
		}
		return true;
	}
	const struct macro *m = macro_lookup(p, from, to);
	if (!m)
		return fail(p, "undefined macro");
#ifndef VERIFY_EVA
	/*@ loop invariant 0 <= k <= CONF_PATH_MAX && *o < out_size;
	    loop assigns k, *o, out[0 .. out_size - 1], p->error[0 .. CONF_ERROR_MAX - 1];
	    loop variant CONF_PATH_MAX - k; */
#endif
	for (size_t k = 0; k < m->value_len && k < CONF_PATH_MAX; k++) {
		if (!expand_char(p, out, out_size, o, m->value[k]))
			return false;
	}
	return true;
}

/* Copies line[from..to) into out with ${NAME} expanded; *out_len is the
 * result's length up to its first NUL. */
#ifndef VERIFY_EVA
/*@ requires \valid_read(p) && error_ok(p) && \valid_read(p->arch + (0 .. p->arch_len - 1));
    requires to <= LINE_MAX_LEN;
    requires out_size >= 1 && \valid(out + (0 .. out_size - 1)) && \valid(out_len);
    requires apart_from_parser(p, out, out_size) && error_apart(p);
    requires length_apart_from_parser(p, out_len);
    requires \separated(out_len, out + (0 .. out_size - 1));
    assigns *out_len, out[0 .. out_size - 1], p->error[0 .. CONF_ERROR_MAX - 1];
    ensures \result ==> *out_len <= out_size;
    ensures !\result ==> error_set(p->error); */
#endif
static bool expand(struct parser *p, size_t from, size_t to, char *out, size_t out_size,
		   size_t *out_len)
{
	size_t o = 0;

	out[0] = '\0';
#ifndef VERIFY_EVA
	/*@ loop invariant o < out_size;
	    loop invariant from <= i || to <= i;
	    loop assigns i, o, out[0 .. out_size - 1], p->error[0 .. CONF_ERROR_MAX - 1];
	    loop variant to - i; */
#endif
	for (size_t i = from; i < to; i++) {
		if (p->line[i] != '$' || i + 1 >= to || p->line[i + 1] != '{') {
			if (!expand_char(p, out, out_size, &o, p->line[i]))
				return false;
			continue;
		}
		size_t end = i + 2;
#ifndef VERIFY_EVA
		/*@ loop invariant i + 2 <= end <= to;
		    loop assigns end;
		    loop variant to - end; */
#endif
		while (end < to && p->line[end] != '}')
			end++;
		if (end >= to)
			return fail(p, "unterminated ${ in value");
		if (!expand_reference(p, i + 2, end, out, out_size, &o))
			return false;
		i = end;
	}
	*out_len = bounded_len(out, out_size);
	return true;
}

#ifndef VERIFY_EVA
/*@ requires \valid_read(s + (0 .. len - 1)) && \valid(value);
    assigns *value;
    ensures \result ==> len > 0 && (\forall integer k; 0 <= k < len ==> '0' <= s[k] <= '9'); */
#endif
static bool parse_uint(const char *s, size_t len, uint64_t *value)
{
	uint64_t v = 0;

	if (len == 0)
		return false;
#ifndef VERIFY_EVA
	/*@ loop invariant 0 <= i <= len;
	    loop invariant \forall integer k; 0 <= k < i ==> '0' <= s[k] <= '9';
	    loop assigns i, v;
	    loop variant len - i; */
#endif
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*value = v;
	return true;
}

/* `${NAME}=value`: the name ends at '}', the value follows the '='. */
#ifndef VERIFY_EVA
/*@ requires parser_ok(p) && p->line_len >= 2;
    assigns p->macros[0 .. MAX_MACROS - 1], p->macro_count, p->error[0 .. CONF_ERROR_MAX - 1];
    ensures parser_ok(p);
    ensures !\result ==> error_set(p->error); */
#endif
static bool define_macro(struct parser *p)
{
	size_t len = p->line_len;
	size_t close = 2;
	size_t value_len = 0;

#ifndef VERIFY_EVA
	/*@ loop invariant 2 <= close <= len;
	    loop assigns close;
	    loop variant len - close; */
#endif
	while (close < len && p->line[close] != '}')
		close++;
	if (close >= len || close + 1 >= len || p->line[close + 1] != '=')
		return fail(p, "malformed macro definition");
	size_t name_len = close - 2;
	if (name_len == 0 || name_len >= MACRO_NAME_MAX)
		return fail(p, "bad macro name length");
	if (p->macro_count >= MAX_MACROS)
		return fail(p, "too many macros");
	struct macro *m = &p->macros[p->macro_count];
#ifndef VERIFY_EVA
	/*@ loop invariant 0 <= k <= name_len;
	    loop assigns k, m->name[0 .. MACRO_NAME_MAX - 1];
	    loop variant name_len - k; */
#endif
	for (size_t k = 0; k < name_len; k++)
		m->name[k] = p->line[2 + k];
	m->name[name_len] = '\0';
	m->name_len = bounded_len(m->name, name_len);
	if (!expand(p, close + 2, len, m->value, sizeof(m->value), &value_len))
		return false;
	m->value_len = value_len;
	p->macro_count++;
	return true;
}

/* A '/' line: the previous entry ends and a new one starts. */
#ifndef VERIFY_EVA
/*@ requires parser_ok(p);
    assigns p->in_chosen, p->chosen_done, p->entries_seen,
	    p->out->entry.title[0 .. CONF_TITLE_MAX - 1];
    ensures parser_ok(p); */
#endif
static void open_entry(struct parser *p)
{
	size_t len = p->line_len;
	size_t start = 0;

#ifndef VERIFY_EVA
	/*@ loop invariant 0 <= start <= len;
	    loop assigns start;
	    loop variant len - start; */
#endif
	while (start < len && (p->line[start] == '/' || p->line[start] == '+'))
		start++;
	if (p->in_chosen)
		p->chosen_done = true;
	p->entries_seen++;
	p->in_chosen = !p->chosen_done && p->entries_seen == p->out->default_entry;
	if (p->in_chosen) {
		char *title = p->out->entry.title;
		size_t n = 0;
#ifndef VERIFY_EVA
		/*@ loop invariant start <= at <= len && 0 <= n < CONF_TITLE_MAX;
		    loop assigns at, n, title[0 .. CONF_TITLE_MAX - 2];
		    loop variant len - at; */
#endif
		for (size_t at = start; at < len && n < CONF_TITLE_MAX - 1; at++)
			title[n++] = p->line[at];
		title[n] = '\0';
	}
}

#ifndef VERIFY_EVA
/*@ requires parser_ok(p) && key_len <= LINE_MAX_LEN;
    requires \valid_read(value + (0 .. value_len - 1));
    assigns p->out->timeout, p->out->default_entry, p->error[0 .. CONF_ERROR_MAX - 1];
    ensures parser_ok(p);
    ensures !\result ==> error_set(p->error); */
#endif
static bool apply_global(struct parser *p, size_t key_len, const char *value, size_t value_len)
{
	uint64_t n;

	if (key_is(p->line, key_len, "timeout")) {
		if (value_len == 2 && value[0] == 'n' && value[1] == 'o')
			p->out->timeout = UINT64_MAX;
		else if (!parse_uint(value, value_len, &p->out->timeout))
			return fail_detail(p, "timeout is not a number", value, value_len);
	} else if (key_is(p->line, key_len, "default_entry")) {
		if (!parse_uint(value, value_len, &n) || n == 0 || n > 1000)
			return fail_detail(p, "default_entry must be a positive number", value,
					   value_len);
		p->out->default_entry = (unsigned)n;
	}
	/* Other globals (serial, verbose, quiet, graphics...) do not change
	 * what gets booted; they are accepted and ignored. */
	return true;
}

#ifndef VERIFY_EVA
/*@ requires error_ok(p);
    requires dst_size >= 1 && \valid(dst + (0 .. dst_size - 1));
    requires \valid_read(value + (0 .. value_len - 1));
    requires apart_from_parser(p, dst, dst_size);
    assigns dst[0 .. dst_size - 1], p->error[0 .. CONF_ERROR_MAX - 1];
    ensures \result ==> value_len < dst_size && dst[value_len] == '\0';
    ensures !\result ==> error_set(p->error); */
#endif
static bool copy_value(struct parser *p, char *dst, size_t dst_size, const char *value,
		       size_t value_len)
{
	if (value_len >= dst_size)
		return fail_detail(p, "value too long", value, value_len);
	size_t k = 0;
#ifndef VERIFY_EVA
	/*@ loop invariant 0 <= k <= value_len;
	    loop assigns k, dst[0 .. dst_size - 2];
	    loop variant value_len - k; */
#endif
	for (; k < value_len && k < dst_size - 1; k++)
		dst[k] = value[k];
	dst[k < dst_size ? k : dst_size - 1] = '\0';
	return true;
}

#ifndef VERIFY_EVA
/*@ requires parser_ok(p) && key_len <= LINE_MAX_LEN;
    requires \valid_read(value + (0 .. value_len - 1));
    assigns p->out->entry, p->error[0 .. CONF_ERROR_MAX - 1];
    ensures parser_ok(p);
    ensures !\result ==> error_set(p->error); */
#endif
static bool apply_entry_key(struct parser *p, size_t key_len, const char *value, size_t value_len)
{
	struct conf_entry *e = &p->out->entry;
	const char *key = p->line;

	if (key_is(key, key_len, "protocol"))
		return copy_value(p, e->protocol, sizeof(e->protocol), value, value_len);
	if (key_is(key, key_len, "kernel_path") || key_is(key, key_len, "path"))
		return copy_value(p, e->kernel_path, sizeof(e->kernel_path), value, value_len);
	if (key_is(key, key_len, "cmdline") || key_is(key, key_len, "kernel_cmdline"))
		return copy_value(p, e->cmdline, sizeof(e->cmdline), value, value_len);
	if (key_is(key, key_len, "module_path")) {
		if (e->module_count >= CONF_MAX_MODULES)
			return fail(p, "too many modules");
		struct conf_module *m = &e->modules[e->module_count++];
		m->cmdline[0] = '\0';
		return copy_value(p, m->path, sizeof(m->path), value, value_len);
	}
	if (key_is(key, key_len, "module_cmdline") || key_is(key, key_len, "module_string")) {
		if (e->module_count == 0 || e->module_count > CONF_MAX_MODULES)
			return fail(p, "module_cmdline without a module_path before it");
		return copy_value(p, e->modules[e->module_count - 1].cmdline, CONF_CMDLINE_MAX,
				  value, value_len);
	}
	return true; /* resolution, kaslr, paging_mode...: not ours to act on */
}

#ifndef VERIFY_EVA
/*@ requires parser_ok(p);
    assigns p->value[0 .. LINE_MAX_LEN - 1], p->out->timeout, p->out->default_entry,
	    p->out->entry, p->error[0 .. CONF_ERROR_MAX - 1];
    ensures parser_ok(p);
    ensures !\result ==> error_set(p->error); */
#endif
static bool parse_key_value(struct parser *p)
{
	size_t len = p->line_len;
	size_t colon = 0;
	size_t value_len = 0;

#ifndef VERIFY_EVA
	/*@ loop invariant 0 <= colon <= len;
	    loop assigns colon;
	    loop variant len - colon; */
#endif
	while (colon < len && p->line[colon] != ':')
		colon++;
	if (colon >= len || colon == 0)
		return fail(p, "expected key: value");
	size_t key_len = colon;
#ifndef VERIFY_EVA
	/*@ loop invariant 0 <= key_len <= colon;
	    loop assigns key_len;
	    loop variant key_len; */
#endif
	while (key_len > 0 && (p->line[key_len - 1] == ' ' || p->line[key_len - 1] == '\t'))
		key_len--;
	size_t v = colon + 1;
#ifndef VERIFY_EVA
	/*@ loop invariant colon + 1 <= v <= len;
	    loop assigns v;
	    loop variant len - v; */
#endif
	while (v < len && (p->line[v] == ' ' || p->line[v] == '\t'))
		v++;
	if (!expand(p, v, len, p->value, sizeof(p->value), &value_len))
		return false;
	if (p->entries_seen == 0)
		return apply_global(p, key_len, p->value, value_len);
	if (!p->in_chosen)
		return true;
	return apply_entry_key(p, key_len, p->value, value_len);
}

/* The line in p->line[0..line_len), leading whitespace already dropped. */
#ifndef VERIFY_EVA
/*@ requires parser_ok(p);
    assigns p->line_len, p->macros[0 .. MAX_MACROS - 1], p->macro_count, p->in_chosen,
	    p->chosen_done, p->entries_seen, p->value[0 .. LINE_MAX_LEN - 1], *p->out,
	    p->error[0 .. CONF_ERROR_MAX - 1];
    ensures parser_ok(p);
    ensures !\result ==> error_set(p->error); */
#endif
static bool parse_line(struct parser *p)
{
#ifndef VERIFY_EVA
	/*@ loop invariant parser_ok(p);
	    loop assigns p->line_len;
	    loop variant p->line_len; */
#endif
	while (p->line_len > 0 && (p->line[p->line_len - 1] == ' ' ||
				   p->line[p->line_len - 1] == '\t' ||
				   p->line[p->line_len - 1] == '\r'))
		p->line_len--;
	if (p->line_len == 0 || p->line[0] == '#')
		return true;
	if (p->line_len >= 2 && p->line[0] == '$' && p->line[1] == '{')
		return define_macro(p);
	if (p->line[0] == '/') {
		open_entry(p);
		return true;
	}
	return parse_key_value(p);
}

#ifndef VERIFY_EVA
/*@ requires parser_ok(p);
    assigns p->line_no, p->error[0 .. CONF_ERROR_MAX - 1];
    ensures \result ==> p->out->entry.kernel_path[0] != '\0';
    ensures !\result ==> error_set(p->error); */
#endif
static bool check_entry(struct parser *p)
{
	const struct conf_entry *e = &p->out->entry;
	struct message m = { p->error, 0 };

	p->line_no = 0;
	if (p->entries_seen < p->out->default_entry) {
		message_literal(&m, "limine.conf: no entry number ");
		message_unsigned(&m, p->out->default_entry);
		message_literal(&m, " to boot (found ");
		message_unsigned(&m, p->entries_seen);
		message_literal(&m, ")");
		message_end(&m);
		return false;
	}
	if (!key_is(e->protocol, bounded_len(e->protocol, sizeof(e->protocol)), "limine")) {
		message_literal(&m, "limine.conf: entry \"");
		message_text(&m, e->title, sizeof(e->title));
		message_literal(&m, "\" uses protocol \"");
		message_text(&m, e->protocol, sizeof(e->protocol));
		message_literal(&m, "\"; only limine is supported");
		message_end(&m);
		return false;
	}
	if (e->kernel_path[0] == '\0') {
		message_literal(&m, "limine.conf: entry \"");
		message_text(&m, e->title, sizeof(e->title));
		message_literal(&m, "\" has no kernel_path");
		message_end(&m);
		return false;
	}
	return true;
}

/* Copies the line at text[*at] into p->line without its leading
 * whitespace; *at moves past the line's '\n' (or past the end). */
#ifndef VERIFY_EVA
/*@ requires parser_ok(p);
    requires \valid_read(text + (0 .. len - 1)) && len < SIZE_MAX;
    requires \valid(at) && *at < len;
    requires \separated(at, p, p->error + (0 .. CONF_ERROR_MAX - 1));
    assigns *at, p->line_no, p->line[0 .. LINE_MAX_LEN - 1], p->line_len,
	    p->error[0 .. CONF_ERROR_MAX - 1];
    ensures parser_ok(p);
    ensures \result ==> \old(*at) < *at <= len + 1;
    ensures !\result ==> error_set(p->error); */
#endif
static bool read_line(struct parser *p, const char *text, size_t len, size_t *at)
{
	size_t i = *at;
	size_t raw = 0; /* the line's length so far, whitespace included */
	size_t n = 0;   /* and without its leading whitespace */

	p->line_no++;
#ifndef VERIFY_EVA
	/*@ loop invariant \at(*at, Pre) <= i <= len && n <= raw < LINE_MAX_LEN;
	    loop assigns i, raw, n, p->line[0 .. LINE_MAX_LEN - 1];
	    loop variant len - i; */
#endif
	for (; i < len && text[i] != '\n'; i++) {
		/* n <= raw: the second test restates the first for the line
		 * buffer's sake. */
		if (raw >= LINE_MAX_LEN - 1 || n >= LINE_MAX_LEN - 1)
			return fail(p, "line too long");
		raw++;
		if (n == 0 && (text[i] == ' ' || text[i] == '\t'))
			continue;
		p->line[n++] = text[i];
	}
	p->line_len = n;
	*at = i + 1; /* past the '\n' (or past the end) */
	return true;
}

/* Before the first line. */
#ifndef VERIFY_EVA
/*@ requires \valid(p) && \valid_read(arch + (0 .. arch_len - 1));
    requires \valid(out) && out->entry.module_count <= CONF_MAX_MODULES;
    requires \valid(error + (0 .. CONF_ERROR_MAX - 1));
    requires \separated(p, out, error + (0 .. CONF_ERROR_MAX - 1));
    requires \separated(error + (0 .. CONF_ERROR_MAX - 1), &p->error, &p->line_no, &p->arch,
			&p->arch_len);
    assigns *p;
    ensures parser_ok(p) && p->out == out && p->error == error; */
#endif
static void parser_start(struct parser *p, const char *arch, size_t arch_len, struct conf *out,
			 char *error)
{
	*p = (struct parser){ 0 };
	/* The fields parser_ok reads, stored again for WP, which does not
	 * look into the literal. */
	p->line_len = 0;
	p->macro_count = 0;
	p->arch = arch;
	p->arch_len = arch_len;
	p->out = out;
	p->error = error;
}

/* Nothing parsed yet: every field zero, the default entry the first. */
#ifndef VERIFY_EVA
/*@ requires \valid(out);
    assigns *out;
    ensures out->default_entry == 1;
    ensures out->entry.module_count == 0; */
#endif
static void conf_reset(struct conf *out)
{
	*out = (struct conf){ 0 };
	/* Stored again for WP, which does not look into the literal. */
	out->entry.module_count = 0;
	out->default_entry = 1;
}

bool conf_parse(const char *text, size_t len, const char *arch, struct conf *out,
		char error[CONF_ERROR_MAX])
{
	struct parser p;
	size_t arch_len = strlen(arch);
	size_t at = 0;

	conf_reset(out);
	error[0] = '\0';
	parser_start(&p, arch, arch_len, out, error);
#ifndef VERIFY_EVA
	/*@ loop invariant parser_ok(&p);
	    loop invariant p.out == out && p.error == error;
	    loop invariant 0 <= at <= len + 1;
	    loop assigns at, p, *out, error[0 .. CONF_ERROR_MAX - 1];
	    loop variant len - at; */
#endif
	while (at < len) {
		if (!read_line(&p, text, len, &at) || !parse_line(&p))
			return false;
	}
	return check_entry(&p);
}

/* before, the uri, after: the reason conf_resolve_path refuses a path. */
#ifndef VERIFY_EVA
/*@ requires \valid(error + (0 .. CONF_ERROR_MAX - 1));
    requires \valid_read(before + (0 .. before_len - 1));
    requires \valid_read(uri + (0 .. uri_len - 1));
    requires \valid_read(after + (0 .. after_len - 1));
    assigns error[0 .. CONF_ERROR_MAX - 1];
    ensures \result == \false;
    ensures \exists integer n; 0 <= n < CONF_ERROR_MAX && error[n] == '\0'; */
#endif
static bool path_error_with(char *error, const char *before, size_t before_len, const char *uri,
			    size_t uri_len, const char *after, size_t after_len)
{
	struct message m = { error, 0 };

	message_text(&m, before, before_len);
	message_text(&m, uri, uri_len);
	message_text(&m, after, after_len);
	message_end(&m);
	return false;
}

#define path_error(error, before, uri, uri_len, after) \
	path_error_with((error), "" before, sizeof(before) - 1, (uri), (uri_len), "" after, \
			sizeof(after) - 1)

bool conf_resolve_path(const char *uri, char *out, size_t out_size, char error[CONF_ERROR_MAX])
{
	static const char prefix[] = "boot(";
	size_t len = strlen(uri);
	size_t at = 0;

#ifndef VERIFY_EVA
	/*@ loop invariant 0 <= at <= sizeof(prefix) - 1 && at <= len;
	    loop assigns at;
	    loop variant sizeof(prefix) - 1 - at; */
#endif
	for (; at < sizeof(prefix) - 1; at++) {
		if (at >= len || uri[at] != prefix[at])
			return path_error(error, "unsupported path \"", uri, len,
					  "\": cambios-boot reads only boot():/ paths");
	}
#ifndef VERIFY_EVA
	/*@ loop invariant sizeof(prefix) - 1 <= at <= len;
	    loop assigns at;
	    loop variant len - at; */
#endif
	while (at < len && uri[at] >= '0' && uri[at] <= '9')
		at++;
	/* Then `):/`, each character read only below the string's end. */
	static const char close[] = "):/";
#ifndef VERIFY_EVA
	/*@ loop invariant 0 <= k <= sizeof(close) - 1 && k <= at <= len;
	    loop invariant k > 0 ==> uri[at - 1] == close[k - 1];
	    loop assigns k, at;
	    loop variant sizeof(close) - 1 - k; */
#endif
	for (size_t k = 0; k < sizeof(close) - 1; k++, at++) {
		if (at >= len || uri[at] != close[k])
			return path_error(error, "malformed path \"", uri, len, "\"");
	}
	size_t path = at - 1; /* the '/' */
#ifndef VERIFY_EVA
	/*@ loop invariant path <= k <= len;
	    loop assigns k;
	    loop variant len - k; */
#endif
	for (size_t k = path; k < len; k++) {
		if (uri[k] == '#')
			return path_error(error, "path \"", uri, len,
					  "\": hash-checked paths (#...) are not supported");
	}
	if (len - path >= out_size)
		return path_error(error, "path \"", uri, len, "\" is too long");
	/* The path and its NUL: len - path + 1 <= out_size bytes (the second
	 * test restates that for the analysis). */
	size_t o = 0;
#ifndef VERIFY_EVA
	/*@ assert uri[path] == '/' && uri[len] == '\0'; */
	/*@ loop invariant path <= k <= len + 1;
	    loop invariant o == k - path && o <= out_size;
	    loop invariant o > 0 ==> out[0] == '/';
	    loop invariant o > 0 ==> out[o - 1] == uri[k - 1];
	    loop assigns k, o, out[0 .. out_size - 1];
	    loop variant len + 1 - k; */
#endif
	for (size_t k = path; k <= len && o < out_size; k++, o++)
		out[o] = uri[k];
#ifndef VERIFY_EVA
	/*@ assert out[len - path] == '\0'; */
#endif
	return true;
}
