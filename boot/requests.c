/*
 * requests: scanning a loaded kernel for Limine requests (see requests.h).
 */
#include "requests.h"

static const uint64_t start_marker[LIMINE_REQUESTS_START_WORDS] = LIMINE_REQUESTS_START_MARKER;
static const uint64_t end_marker[LIMINE_REQUESTS_END_WORDS] = LIMINE_REQUESTS_END_MARKER;

static bool words_equal(const uint64_t *at, const uint64_t *want, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (at[i] != want[i])
			return false;
	}
	return true;
}

/* Narrows [*first, *last) to the marked request area, if there is one. */
static void find_request_area(uint64_t *words, uint64_t count, uint64_t *first, uint64_t *last)
{
	*first = 0;
	*last = count;
	for (uint64_t i = 0; i + LIMINE_REQUESTS_START_WORDS <= count; i++) {
		if (words_equal(&words[i], start_marker, LIMINE_REQUESTS_START_WORDS))
			*first = i + LIMINE_REQUESTS_START_WORDS;
	}
	for (uint64_t i = *first; i + LIMINE_REQUESTS_END_WORDS <= count; i++) {
		if (words_equal(&words[i], end_marker, LIMINE_REQUESTS_END_WORDS)) {
			*last = i;
			return;
		}
	}
}

static const char *find_base_revision(uint64_t *words, uint64_t count, struct request_set *out)
{
	for (uint64_t i = 0; i + 3 <= count; i++) {
		if (words[i] != LIMINE_BASE_REVISION_MAGIC_0 ||
		    words[i + 1] != LIMINE_BASE_REVISION_MAGIC_1)
			continue;
		if (out->base_revision_tag)
			return "the kernel has two base revision tags";
		out->base_revision_tag = &words[i];
		out->base_revision = words[i + 2];
	}
	return NULL;
}

static const char *add_request(struct request_set *out, struct limine_request_header *r)
{
	if (requests_find(out, r->id[2], r->id[3]))
		return "the kernel makes the same request twice";
	if (out->count == REQUESTS_MAX)
		return "the kernel makes more than 128 requests";
	out->requests[out->count++] = r;
	return NULL;
}

const char *requests_scan(void *image, uint64_t size, struct request_set *out)
{
	uint64_t *words = image;
	uint64_t count = size / 8, first, last;
	const char *err;

	*out = (struct request_set){ 0 };
	err = find_base_revision(words, count, out);
	if (err)
		return err;
	find_request_area(words, count, &first, &last);
	for (uint64_t i = first; i + 6 <= last; i++) {
		if (words[i] != LIMINE_COMMON_MAGIC_0 || words[i + 1] != LIMINE_COMMON_MAGIC_1)
			continue;
		err = add_request(out, (struct limine_request_header *)&words[i]);
		if (err)
			return err;
	}
	return NULL;
}

struct limine_request_header *requests_find(const struct request_set *set, uint64_t id2,
					    uint64_t id3)
{
	for (unsigned i = 0; i < set->count; i++) {
		if (set->requests[i]->id[2] == id2 && set->requests[i]->id[3] == id3)
			return set->requests[i];
	}
	return NULL;
}

bool requests_accept_base_revision(struct request_set *set)
{
	if (!set->base_revision_tag || set->base_revision < BASE_REVISION_SUPPORTED)
		return false;
	if (set->base_revision == BASE_REVISION_SUPPORTED)
		set->base_revision_tag[2] = 0;
	return true;
}
