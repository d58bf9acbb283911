/*
 * output: user programs' console lines (see output.h).
 */
#include <output.h>

#include <printk.h>
#include <stdbool.h>

/* The longest form of one byte: "\xNN". */
#define ESCAPED_MAX 4
#define NAME_SHOWN_MAX (sizeof(((struct process_info *)0)->name) * ESCAPED_MAX)

struct held_line {
	kpid_t pid;           /* whose line this is; another pid starts afresh */
	size_t len;
	char text[OUTPUT_LINE_MAX + 1];
};

static struct held_line held[PROCESS_MAX];

static const char hex_digits[] = "0123456789abcdef";

/* Writes the shown form of byte `c` to `out`; returns its length. */
static size_t escape_byte(unsigned char c, char out[ESCAPED_MAX])
{
	if (c == '\\') {
		out[0] = out[1] = '\\';
		return 2;
	}
	if (c >= 0x20 && c < 0x7f) {
		out[0] = (char)c;
		return 1;
	}
	out[0] = '\\';
	out[1] = 'x';
	out[2] = hex_digits[c >> 4];
	out[3] = hex_digits[c & 0xf];
	return 4;
}

/* The process's name in shown form (a name comes from a file name the
 * boot configuration chose, so it is escaped like the text). */
static void shown_name(kpid_t pid, char out[NAME_SHOWN_MAX + 1])
{
	struct process_info info;
	size_t n = 0;

	if (process_lookup(pid, &info) != K_OK) {
		out[0] = '?';
		out[1] = '\0';
		return;
	}
	for (const char *p = info.name; *p && n + ESCAPED_MAX <= NAME_SHOWN_MAX; p++)
		n += escape_byte((unsigned char)*p, out + n);
	out[n] = '\0';
}

static void print_line(struct held_line *l)
{
	char name[NAME_SHOWN_MAX + 1];

	shown_name(l->pid, name);
	l->text[l->len] = '\0';
	println("[%s:%u] %s", name, PID_SLOT(l->pid), l->text);
	l->len = 0;
}

static struct held_line *line_of(kpid_t pid)
{
	if (PID_SLOT(pid) >= PROCESS_MAX)
		return NULL;
	struct held_line *l = &held[PID_SLOT(pid)];
	if (l->pid != pid)
		*l = (struct held_line){ .pid = pid };
	return l;
}

void output_write(kpid_t pid, const char *bytes, size_t len)
{
	struct held_line *l = line_of(pid);
	char shown[ESCAPED_MAX];

	if (!l)
		return;
	for (size_t i = 0; i < len; i++) {
		if (bytes[i] == '\n') {
			print_line(l);
			continue;
		}
		size_t n = escape_byte((unsigned char)bytes[i], shown);
		if (l->len + n > OUTPUT_LINE_MAX)
			print_line(l); /* a long line goes on, prefixed, on the next */
		for (size_t k = 0; k < n; k++)
			l->text[l->len++] = shown[k];
	}
}

void output_flush(kpid_t pid)
{
	struct held_line *l = line_of(pid);

	if (l && l->len > 0)
		print_line(l);
}
