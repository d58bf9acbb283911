/*
 * conf: parsing limine.conf (see conf.h for the accepted subset).
 *
 * One pass over the lines. Each line is classified (comment, macro
 * definition, entry title, key: value) and applied to the parse state.
 * Values are macro-expanded when they are read. Errors name the line
 * number so a user can find the mistake.
 */
#include "conf.h"

#include <format.h>
#include <kstring.h>

#define MAX_MACROS 16
#define MACRO_NAME_MAX 32
#define LINE_MAX_LEN 512

struct macro {
	char name[MACRO_NAME_MAX];
	char value[CONF_PATH_MAX];
};

struct parser {
	const char *arch;
	struct conf *out;
	char *error;
	unsigned line_no;
	unsigned entries_seen;
	bool in_chosen; /* inside the entry that will boot */
	bool chosen_done;
	unsigned macro_count;
	struct macro macros[MAX_MACROS];
};

static bool fail(struct parser *p, const char *what, const char *detail)
{
	format_snprintf(p->error, CONF_ERROR_MAX, "limine.conf line %u: %s%s%s", p->line_no, what,
			detail ? ": " : "", detail ? detail : "");
	return false;
}

static char lower(char c)
{
	if (c >= 'A' && c <= 'Z')
		return (char)(c - 'A' + 'a');
	return c;
}

static bool key_is(const char *key, size_t key_len, const char *name)
{
	size_t i = 0;

	for (; i < key_len && name[i]; i++) {
		if (lower(key[i]) != name[i])
			return false;
	}
	return i == key_len && name[i] == '\0';
}

static const char *macro_lookup(struct parser *p, const char *name, size_t len)
{
	if (len == 4 && !strncmp(name, "ARCH", 4))
		return p->arch;
	for (unsigned i = 0; i < p->macro_count; i++) {
		if (strlen(p->macros[i].name) == len && !strncmp(p->macros[i].name, name, len))
			return p->macros[i].value;
	}
	return NULL;
}

/* Copies value[0..len) into out with ${NAME} expanded. */
static bool expand(struct parser *p, const char *value, size_t len, char *out, size_t out_size)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		const char *piece = &value[i];
		size_t piece_len = 1;

		if (value[i] == '$' && i + 1 < len && value[i + 1] == '{') {
			size_t end = i + 2;
			while (end < len && value[end] != '}')
				end++;
			if (end == len)
				return fail(p, "unterminated ${ in value", NULL);
			piece = macro_lookup(p, &value[i + 2], end - i - 2);
			if (!piece)
				return fail(p, "undefined macro", NULL);
			piece_len = strlen(piece);
			i = end;
		}
		if (o + piece_len >= out_size)
			return fail(p, "value too long", NULL);
		memcpy(&out[o], piece, piece_len);
		o += piece_len;
	}
	out[o] = '\0';
	return true;
}

static bool parse_uint(const char *s, uint64_t *value)
{
	uint64_t v = 0;

	if (*s == '\0')
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*value = v;
	return true;
}

/* `${NAME}=value`: the name ends at '}', the value follows the '='. */
static bool define_macro(struct parser *p, const char *line, size_t len)
{
	size_t close = 2;

	while (close < len && line[close] != '}')
		close++;
	if (close == len || close + 1 >= len || line[close + 1] != '=')
		return fail(p, "malformed macro definition", NULL);
	if (close - 2 == 0 || close - 2 >= MACRO_NAME_MAX)
		return fail(p, "bad macro name length", NULL);
	if (p->macro_count == MAX_MACROS)
		return fail(p, "too many macros", NULL);
	struct macro *m = &p->macros[p->macro_count];
	memcpy(m->name, &line[2], close - 2);
	m->name[close - 2] = '\0';
	if (!expand(p, &line[close + 2], len - close - 2, m->value, sizeof(m->value)))
		return false;
	p->macro_count++;
	return true;
}

/* A '/' line: the previous entry ends and a new one starts. */
static void open_entry(struct parser *p, const char *line, size_t len)
{
	size_t start = 0;

	while (start < len && (line[start] == '/' || line[start] == '+'))
		start++;
	if (p->in_chosen)
		p->chosen_done = true;
	p->entries_seen++;
	p->in_chosen = !p->chosen_done && p->entries_seen == p->out->default_entry;
	if (p->in_chosen) {
		size_t n = len - start < CONF_TITLE_MAX - 1 ? len - start : CONF_TITLE_MAX - 1;
		memcpy(p->out->entry.title, &line[start], n);
		p->out->entry.title[n] = '\0';
	}
}

static bool apply_global(struct parser *p, const char *key, size_t key_len, const char *value)
{
	uint64_t n;

	if (key_is(key, key_len, "timeout")) {
		if (!strcmp(value, "no"))
			p->out->timeout = UINT64_MAX;
		else if (!parse_uint(value, &p->out->timeout))
			return fail(p, "timeout is not a number", value);
	} else if (key_is(key, key_len, "default_entry")) {
		if (!parse_uint(value, &n) || n == 0 || n > 1000)
			return fail(p, "default_entry must be a positive number", value);
		p->out->default_entry = (unsigned)n;
	}
	/* Other globals (serial, verbose, quiet, graphics...) do not change
	 * what gets booted; they are accepted and ignored. */
	return true;
}

static bool copy_value(struct parser *p, char *dst, size_t dst_size, const char *value)
{
	size_t n = strlen(value);

	if (n >= dst_size)
		return fail(p, "value too long", value);
	memcpy(dst, value, n + 1);
	return true;
}

static bool apply_entry_key(struct parser *p, const char *key, size_t key_len, const char *value)
{
	struct conf_entry *e = &p->out->entry;

	if (key_is(key, key_len, "protocol"))
		return copy_value(p, e->protocol, sizeof(e->protocol), value);
	if (key_is(key, key_len, "kernel_path") || key_is(key, key_len, "path"))
		return copy_value(p, e->kernel_path, sizeof(e->kernel_path), value);
	if (key_is(key, key_len, "cmdline") || key_is(key, key_len, "kernel_cmdline"))
		return copy_value(p, e->cmdline, sizeof(e->cmdline), value);
	if (key_is(key, key_len, "module_path")) {
		if (e->module_count == CONF_MAX_MODULES)
			return fail(p, "too many modules", NULL);
		struct conf_module *m = &e->modules[e->module_count++];
		m->cmdline[0] = '\0';
		return copy_value(p, m->path, sizeof(m->path), value);
	}
	if (key_is(key, key_len, "module_cmdline") || key_is(key, key_len, "module_string")) {
		if (e->module_count == 0)
			return fail(p, "module_cmdline without a module_path before it", NULL);
		return copy_value(p, e->modules[e->module_count - 1].cmdline,
				  CONF_CMDLINE_MAX, value);
	}
	return true; /* resolution, kaslr, paging_mode...: not ours to act on */
}

static bool parse_key_value(struct parser *p, const char *line, size_t len)
{
	size_t colon = 0;
	char value[LINE_MAX_LEN];

	while (colon < len && line[colon] != ':')
		colon++;
	if (colon == len || colon == 0)
		return fail(p, "expected key: value", NULL);
	size_t key_len = colon;
	while (key_len > 0 && (line[key_len - 1] == ' ' || line[key_len - 1] == '\t'))
		key_len--;
	size_t v = colon + 1;
	while (v < len && (line[v] == ' ' || line[v] == '\t'))
		v++;
	if (!expand(p, &line[v], len - v, value, sizeof(value)))
		return false;
	if (p->entries_seen == 0)
		return apply_global(p, line, key_len, value);
	if (!p->in_chosen)
		return true;
	return apply_entry_key(p, line, key_len, value);
}

static bool parse_line(struct parser *p, const char *line, size_t len)
{
	while (len > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
		len--;
	if (len == 0 || line[0] == '#')
		return true;
	if (len >= 2 && line[0] == '$' && line[1] == '{')
		return define_macro(p, line, len);
	if (line[0] == '/') {
		open_entry(p, line, len);
		return true;
	}
	return parse_key_value(p, line, len);
}

static bool check_entry(struct parser *p)
{
	const struct conf_entry *e = &p->out->entry;

	p->line_no = 0;
	if (p->entries_seen < p->out->default_entry) {
		format_snprintf(p->error, CONF_ERROR_MAX,
				"limine.conf: no entry number %u to boot (found %u)",
				p->out->default_entry, p->entries_seen);
		return false;
	}
	if (!key_is(e->protocol, strlen(e->protocol), "limine")) {
		format_snprintf(p->error, CONF_ERROR_MAX,
				"limine.conf: entry \"%s\" uses protocol \"%s\"; only limine is supported",
				e->title, e->protocol);
		return false;
	}
	if (e->kernel_path[0] == '\0') {
		format_snprintf(p->error, CONF_ERROR_MAX, "limine.conf: entry \"%s\" has no kernel_path",
				e->title);
		return false;
	}
	return true;
}

bool conf_parse(const char *text, size_t len, const char *arch, struct conf *out,
		char error[CONF_ERROR_MAX])
{
	struct parser p = { .arch = arch, .out = out, .error = error };
	size_t start = 0;

	memset(out, 0, sizeof(*out));
	out->default_entry = 1;
	error[0] = '\0';
	while (start < len) {
		size_t end = start;
		while (end < len && text[end] != '\n')
			end++;
		p.line_no++;
		if (end - start >= LINE_MAX_LEN)
			return fail(&p, "line too long", NULL);
		if (!parse_line(&p, &text[start], end - start))
			return false;
		start = end + 1;
	}
	return check_entry(&p);
}

bool conf_resolve_path(const char *uri, char *out, size_t out_size, char error[CONF_ERROR_MAX])
{
	const char *prefix = "boot(";
	size_t i = strlen(prefix);

	if (strncmp(uri, prefix, i) != 0) {
		format_snprintf(error, CONF_ERROR_MAX,
				"unsupported path \"%s\": cambios-boot reads only boot():/ paths", uri);
		return false;
	}
	while (uri[i] >= '0' && uri[i] <= '9')
		i++;
	if (uri[i] != ')' || uri[i + 1] != ':' || uri[i + 2] != '/') {
		format_snprintf(error, CONF_ERROR_MAX, "malformed path \"%s\"", uri);
		return false;
	}
	const char *path = &uri[i + 2];
	for (const char *c = path; *c; c++) {
		if (*c == '#') {
			format_snprintf(error, CONF_ERROR_MAX,
					"path \"%s\": hash-checked paths (#...) are not supported", uri);
			return false;
		}
	}
	if (strlen(path) >= out_size) {
		format_snprintf(error, CONF_ERROR_MAX, "path \"%s\" is too long", uri);
		return false;
	}
	memcpy(out, path, strlen(path) + 1);
	return true;
}
