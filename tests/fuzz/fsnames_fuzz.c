/*
 * fsnames_fuzz: libFuzzer target for fs-service's name table parser.
 *
 * fs reads its table back from the object store, where anyone who may
 * put an object can put one that looks like a table. Whatever the bytes,
 * fsnames_parse() must stay inside them (the input is an exactly-sized
 * copy, so a read past its end trips ASan); a table it accepts must hold
 * valid, distinct names, serialize back to exactly the same bytes (one
 * encoding per table), and list every name once, in order, page by page.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <fsnames.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_names(const struct fsnames *t)
{
	if (t->count > FSNAMES_MAX)
		abort();
	for (unsigned i = 0; i < t->count; i++) {
		const struct fsnames_entry *e = &t->entries[i];

		if (fsname_check(e->name, e->name_len) != FSNAME_OK ||
		    fsnames_find(t, e->name, e->name_len) != (int)i)
			abort();
	}
}

static void check_round_trip(const struct fsnames *t, const uint8_t *data, size_t size)
{
	static uint8_t out[FSNAMES_BYTES_MAX];
	size_t n = fsnames_serialize(t, out, sizeof(out));

	if (n != size || memcmp(out, data, size) != 0)
		abort();
}

/* Pages of two: every name exactly once, each after the one before. */
static void check_list(const struct fsnames *t)
{
	const char *after = "";
	size_t after_len = 0;
	unsigned seen = 0, idx[2], n;

	while ((n = fsnames_list_after(t, after, after_len, idx, 2)) > 0) {
		for (unsigned i = 0; i < n; i++) {
			const struct fsnames_entry *e = &t->entries[idx[i]];
			if (seen > 0 && fsname_compare(e->name, e->name_len, after, after_len) <= 0)
				abort();
			after = e->name;
			after_len = e->name_len;
			seen++;
		}
		if (seen > t->count)
			abort();
	}
	if (seen != t->count)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);
	struct fsnames t;

	memcpy(copy, data, size);
	if (fsnames_parse(copy, size, &t) == FSNAMES_PARSED) {
		check_names(&t);
		check_round_trip(&t, copy, size);
		check_list(&t);
	} else if (t.count != 0) {
		abort();
	}
	free(copy);
	return 0;
}
