/*
 * span: copies into and out of two-piece byte runs (span.h).
 *
 * Every routine hands each piece's share of the range to memcpy or
 * memset: a span costs one call per piece it touches, never a byte loop.
 * There are two pieces at most, so each routine spells out both instead
 * of looping: the bounds of each copy then follow from one check, which
 * is what WP proves (make verify).
 */
#include "span.h"

/* Whether [offset, offset + n) lies inside the span. span_valid() keeps
 * the sum of the lengths from wrapping. */
/*@ requires \valid_read(s) && s->len[0] + s->len[1] <= SIZE_MAX;
    assigns \nothing;
    ensures \result <==> span_fits(*s, offset, n); */
static bool fits(const struct span *s, size_t offset, size_t n)
{
	size_t len = s->len[0] + s->len[1];

	return offset <= len && n <= len - offset;
}

/* How a range that fits divides: `first` bytes of piece 0 from the
 * range's offset, then the rest from byte `second_at` of piece 1. */
struct share {
	size_t first;
	size_t second_at;
};

/*@ requires \valid_read(s) && span_fits(*s, offset, n);
    assigns \nothing;
    ensures \result.first <= n;
    ensures \result.first > 0 ==> offset + \result.first <= s->len[0];
    ensures \result.first < n ==> \result.second_at + (n - \result.first) <= s->len[1]; */
static struct share share_of(const struct span *s, size_t offset, size_t n)
{
	if (offset >= s->len[0])
		return (struct share){ .first = 0, .second_at = offset - s->len[0] };
	size_t room = s->len[0] - offset;

	return (struct share){ .first = room < n ? room : n, .second_at = 0 };
}

bool span_write_pieces(const struct span *s, size_t offset, const void *src, size_t n)
{
	if (!fits(s, offset, n))
		return false;
	const struct share sh = share_of(s, offset, n);
	const uint8_t *from = src;

	if (sh.first > 0)
		memcpy(s->part[0] + offset, from, sh.first);
	if (sh.first < n)
		memcpy(s->part[1] + sh.second_at, from + sh.first, n - sh.first);
	return true;
}

bool span_read_pieces(const struct span *s, size_t offset, void *dst, size_t n)
{
	if (!fits(s, offset, n))
		return false;
	const struct share sh = share_of(s, offset, n);
	uint8_t *to = dst;

	if (sh.first > 0)
		memcpy(to, s->part[0] + offset, sh.first);
	if (sh.first < n)
		memcpy(to + sh.first, s->part[1] + sh.second_at, n - sh.first);
	return true;
}

bool span_zero_pieces(const struct span *s, size_t offset, size_t n)
{
	if (!fits(s, offset, n))
		return false;
	const struct share sh = share_of(s, offset, n);

	if (sh.first > 0)
		memset(s->part[0] + offset, 0, sh.first);
	if (sh.first < n)
		memset(s->part[1] + sh.second_at, 0, n - sh.first);
	return true;
}

bool span_copy(const struct span *dst, size_t offset, const struct span *src, size_t n)
{
	if (!fits(dst, offset, n) || !fits(src, 0, n))
		return false;
	size_t first = src->len[0] < n ? src->len[0] : n;

	return span_write(dst, offset, src->part[0], first) &&
	       span_write(dst, offset + first, src->part[1], n - first);
}
