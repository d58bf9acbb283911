/*
 * out: building the shell's lines on user/lib's struct line (which cuts
 * a line that would overflow, never overruns it) -- counted text, hex,
 * addresses, columns -- and error codes in words.
 */
#include <abi/errors.h>

#include "shell.h"

void out_put_n(struct line *l, const char *s, size_t n)
{
	for (size_t i = 0; i < n && l->len < sizeof(l->buf); i++)
		l->buf[l->len++] = s[i];
}

void out_put_hex(struct line *l, const uint8_t *bytes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_byte(l, bytes[i]);
}

void out_put_quad(struct line *l, const uint8_t ip[4])
{
	for (int i = 0; i < 4; i++) {
		if (i > 0)
			put(l, ".");
		put_dec(l, ip[i]);
	}
}

void out_put_padded(struct line *l, const char *s, unsigned width)
{
	unsigned start = l->len;

	put(l, s);
	while (l->len - start < width && l->len < sizeof(l->buf))
		l->buf[l->len++] = ' ';
}

void out_put_dec_padded(struct line *l, uint64_t v, unsigned width)
{
	unsigned start = l->len;

	put_dec(l, (int64_t)v);
	while (l->len - start < width && l->len < sizeof(l->buf))
		l->buf[l->len++] = ' ';
}

const char *out_error_name(int64_t code)
{
	switch (code) {
	case SYS_EINVAL:
		return "bad argument or request";
	case SYS_EPERM:
		return "not allowed";
	case SYS_ENOMEM:
		return "out of memory, or full";
	case SYS_ENOENT:
		return "no such endpoint, name, module or process";
	case SYS_EAGAIN:
		return "would block";
	case SYS_EINTR:
		return "ended by a fault";
	case SYS_EFAULT:
		return "bad pointer";
	case SYS_ENOSYS:
		return "the kernel has no such system call";
	case SYS_EFBIG:
		return "content too large";
	case SYS_ENAMETOOLONG:
		return "name too long";
	case SYS_EBADSIG:
		return "bad signature";
	default:
		return "error";
	}
}

void out_say_error(const char *what, int64_t code)
{
	struct line l = { .len = 0 };

	put(&l, "shell: ");
	put(&l, what);
	put(&l, ": ");
	put(&l, out_error_name(code));
	put(&l, " (");
	put_dec(&l, code);
	put(&l, ")");
	say(&l);
}
