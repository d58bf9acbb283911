/*
 * fsnames_test: fs-service's name table -- the name rules, adding,
 * replacing and removing names, the serialized form against bytes laid
 * out by hand from the format in lib/fsnames.h, every reason a table read
 * back from the store is refused, and listing in pages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fsnames.h"

static const uint8_t hash_a[FSNAMES_HASH_LEN] = { 0xaa, 1, 2, 3 };
static const uint8_t hash_b[FSNAMES_HASH_LEN] = { 0xbb, 4, 5, 6 };
static const uint8_t alice[FSNAMES_OWNER_LEN] = { 0xa1, 0xa1 };
static const uint8_t bob[FSNAMES_OWNER_LEN] = { 0xb0, 0xb0 };

static void set(struct fsnames *t, const char *name, const uint8_t *hash, const uint8_t *owner)
{
	assert_true(fsnames_set(t, name, strlen(name), hash, owner, 10, 0));
}

static void names_are_1_to_31_bytes_of_the_set(void **state)
{
	(void)state;
	assert_int_equal(fsname_check("a", 1), FSNAME_OK);
	assert_int_equal(fsname_check("Read_me-2.txt", 13), FSNAME_OK);
	assert_int_equal(fsname_check("0123456789012345678901234567890", 31), FSNAME_OK);
	assert_int_equal(fsname_check("01234567890123456789012345678901", 32), FSNAME_TOO_LONG);
	assert_int_equal(fsname_check("", 0), FSNAME_EMPTY);
	assert_int_equal(fsname_check("a b", 3), FSNAME_BAD_CHAR);
	assert_int_equal(fsname_check("a/b", 3), FSNAME_BAD_CHAR);
	assert_int_equal(fsname_check("a\0b", 3), FSNAME_BAD_CHAR);
	assert_int_equal(fsname_check("\x80", 1), FSNAME_BAD_CHAR);
}

static void set_adds_then_replaces_and_remove_moves_the_last(void **state)
{
	struct fsnames t;

	(void)state;
	fsnames_init(&t);
	set(&t, "one", hash_a, alice);
	set(&t, "two", hash_b, bob);
	set(&t, "three", hash_a, alice);
	assert_int_equal(t.count, 3);
	assert_int_equal(fsnames_find(&t, "two", 3), 1);
	assert_int_equal(fsnames_find(&t, "tw", 2), -1);
	assert_int_equal(fsnames_refs(&t, hash_a), 2);
	assert_true(fsnames_owned_by(&t, 1, bob));
	assert_false(fsnames_owned_by(&t, 1, alice));
	assert_false(fsnames_owned_by(&t, 3, alice));

	/* Replacing keeps the count and the place. */
	assert_true(fsnames_set(&t, "one", 3, hash_b, bob, 99, FSNAMES_FLAG_SIGNED));
	assert_int_equal(t.count, 3);
	assert_int_equal(fsnames_find(&t, "one", 3), 0);
	assert_int_equal(t.entries[0].size, 99);
	assert_int_equal(t.entries[0].flags, FSNAMES_FLAG_SIGNED);
	assert_int_equal(fsnames_refs(&t, hash_a), 1);

	fsnames_remove(&t, 0);
	assert_int_equal(t.count, 2);
	assert_int_equal(fsnames_find(&t, "one", 3), -1);
	assert_int_equal(fsnames_find(&t, "three", 5), 0);
	fsnames_remove(&t, 7); /* past the end: nothing */
	assert_int_equal(t.count, 2);
}

static void a_full_table_refuses_a_new_name_but_not_a_replacement(void **state)
{
	struct fsnames t;
	char name[8];

	(void)state;
	fsnames_init(&t);
	for (unsigned i = 0; i < FSNAMES_MAX; i++) {
		snprintf(name, sizeof(name), "n%u", i);
		set(&t, name, hash_a, alice);
	}
	assert_false(fsnames_set(&t, "new", 3, hash_a, alice, 1, 0));
	assert_int_equal(t.count, FSNAMES_MAX);
	assert_true(fsnames_set(&t, "n7", 2, hash_b, alice, 1, 0));
	assert_int_equal(t.count, FSNAMES_MAX);
}

/* One table laid out by hand: generation 0x0102030405060708, the name
 * "ab" -> hash_a, owned by alice, 300 bytes, signed. */
static void expected_bytes(uint8_t out[FSNAMES_HEAD + FSNAMES_RECORD])
{
	memset(out, 0, FSNAMES_HEAD + FSNAMES_RECORD);
	memcpy(out, "CFSN", 4);
	out[4] = 1;     /* version */
	out[6] = 1;     /* count */
	for (int i = 0; i < 8; i++)
		out[8 + i] = (uint8_t)(8 - i);
	uint8_t *r = out + 16;
	r[0] = 2;
	r[1] = 'a';
	r[2] = 'b';
	memcpy(r + 32, hash_a, 32);
	memcpy(r + 64, alice, 32);
	r[96] = 300 & 0xff;
	r[97] = 300 >> 8;
	r[98] = 1;
}

static void serialize_writes_the_documented_layout(void **state)
{
	uint8_t want[FSNAMES_HEAD + FSNAMES_RECORD], got[FSNAMES_BYTES_MAX];
	struct fsnames t, back;

	(void)state;
	expected_bytes(want);
	fsnames_init(&t);
	t.generation = 0x0102030405060708ull;
	assert_true(fsnames_set(&t, "ab", 2, hash_a, alice, 300, FSNAMES_FLAG_SIGNED));
	assert_int_equal(fsnames_serialize(&t, got, sizeof(got)), sizeof(want));
	assert_memory_equal(got, want, sizeof(want));
	assert_int_equal(fsnames_serialize(&t, got, sizeof(want) - 1), 0);

	assert_int_equal(fsnames_parse(want, sizeof(want), &back), FSNAMES_PARSED);
	assert_int_equal(back.count, 1);
	assert_true(back.generation == 0x0102030405060708ull);
	assert_memory_equal(&back.entries[0], &t.entries[0], sizeof(t.entries[0]));
}

static void a_full_table_fits_one_object_and_reads_back(void **state)
{
	static uint8_t bytes[FSNAMES_BYTES_MAX];
	struct fsnames t, back;
	char name[32];

	(void)state;
	fsnames_init(&t);
	t.generation = 77;
	for (unsigned i = 0; i < FSNAMES_MAX; i++) {
		snprintf(name, sizeof(name), "%031u", i); /* the longest names */
		assert_true(fsnames_set(&t, name, 31, hash_b, i % 2 ? alice : bob, (uint16_t)(i + 1), 0));
	}
	size_t len = fsnames_serialize(&t, bytes, sizeof(bytes));
	assert_int_equal(len, FSNAMES_BYTES_MAX);
	assert_true(len <= 4096);
	assert_int_equal(fsnames_parse(bytes, len, &back), FSNAMES_PARSED);
	assert_int_equal(back.count, FSNAMES_MAX);
	assert_memory_equal(back.entries, t.entries, sizeof(t.entries));
}

/* Parses `want` changed at one byte, and expects verdict `v` and an
 * empty table. */
static void refused(size_t at, uint8_t value, enum fsnames_verdict v)
{
	uint8_t bytes[FSNAMES_HEAD + FSNAMES_RECORD];
	struct fsnames t;

	expected_bytes(bytes);
	bytes[at] = value;
	assert_int_equal(fsnames_parse(bytes, sizeof(bytes), &t), v);
	assert_int_equal(t.count, 0);
	assert_true(t.generation == 0);
}

static void every_broken_field_is_refused_with_its_reason(void **state)
{
	(void)state;
	refused(0, 'X', FSNAMES_BAD_MAGIC);
	refused(4, 2, FSNAMES_BAD_VERSION);
	refused(5, 1, FSNAMES_BAD_VERSION);
	refused(6, FSNAMES_MAX + 1, FSNAMES_TOO_MANY);
	refused(6, 2, FSNAMES_BAD_LENGTH);
	refused(6, 0, FSNAMES_BAD_LENGTH);
	refused(16, 0, FSNAMES_BAD_NAME);           /* empty */
	refused(16, 32, FSNAMES_BAD_NAME);          /* too long */
	refused(16, 255, FSNAMES_BAD_NAME);
	refused(17, '/', FSNAMES_BAD_NAME);
	refused(16 + 3, 'c', FSNAMES_BAD_PADDING);  /* a byte after "ab" */
	refused(16 + 31, 1, FSNAMES_BAD_PADDING);
	refused(16 + 97, 0x11, FSNAMES_BAD_SIZE);   /* 0x112c > 4096 */
	refused(16 + 98, 3, FSNAMES_BAD_FLAGS);
	refused(16 + 99, 0x80, FSNAMES_BAD_FLAGS);
	for (int v = FSNAMES_PARSED; v <= FSNAMES_BAD_FLAGS; v++)
		assert_non_null(fsnames_verdict_reason((enum fsnames_verdict)v));
}

static void size_zero_is_refused(void **state)
{
	uint8_t bytes[FSNAMES_HEAD + FSNAMES_RECORD];
	struct fsnames t;

	(void)state;
	expected_bytes(bytes);
	bytes[16 + 96] = 0;
	bytes[16 + 97] = 0;
	assert_int_equal(fsnames_parse(bytes, sizeof(bytes), &t), FSNAMES_BAD_SIZE);
	bytes[16 + 97] = 0x10; /* 4096: the largest object */
	assert_int_equal(fsnames_parse(bytes, sizeof(bytes), &t), FSNAMES_PARSED);
}

static void short_and_truncated_tables_are_refused(void **state)
{
	uint8_t bytes[FSNAMES_HEAD + FSNAMES_RECORD];
	struct fsnames t;

	(void)state;
	expected_bytes(bytes);
	for (size_t len = 0; len < FSNAMES_HEAD; len++)
		assert_int_equal(fsnames_parse(bytes, len, &t), FSNAMES_SHORT);
	for (size_t len = FSNAMES_HEAD; len < sizeof(bytes); len++)
		assert_int_equal(fsnames_parse(bytes, len, &t), FSNAMES_BAD_LENGTH);
	assert_true(fsnames_looks_like_table(bytes, 4));
	assert_false(fsnames_looks_like_table(bytes, 3));
}

static void two_records_with_one_name_are_refused(void **state)
{
	uint8_t bytes[FSNAMES_HEAD + 2 * FSNAMES_RECORD];
	struct fsnames t;

	(void)state;
	expected_bytes(bytes);
	memcpy(bytes + FSNAMES_HEAD + FSNAMES_RECORD, bytes + FSNAMES_HEAD, FSNAMES_RECORD);
	bytes[6] = 2;
	assert_int_equal(fsnames_parse(bytes, sizeof(bytes), &t), FSNAMES_DUPLICATE);
	assert_int_equal(t.count, 0);
	bytes[FSNAMES_HEAD + FSNAMES_RECORD + 2] = 'c'; /* "ac": distinct */
	assert_int_equal(fsnames_parse(bytes, sizeof(bytes), &t), FSNAMES_PARSED);
	assert_int_equal(t.count, 2);
}

static void names_compare_bytewise_shorter_first(void **state)
{
	(void)state;
	assert_true(fsname_compare("a", 1, "b", 1) < 0);
	assert_true(fsname_compare("ab", 2, "a", 1) > 0);
	assert_true(fsname_compare("a", 1, "ab", 2) < 0);
	assert_int_equal(fsname_compare("abc", 3, "abc", 3), 0);
	assert_true(fsname_compare("Z", 1, "a", 1) < 0);
}

static void list_pages_through_every_name_in_order(void **state)
{
	static const char *const names[] = { "pear", "apple", "fig", "Zed", "apple.2", "kiwi", "_x" };
	struct fsnames t;
	unsigned idx[3], n;

	(void)state;
	fsnames_init(&t);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		set(&t, names[i], hash_a, alice);

	n = fsnames_list_after(&t, "", 0, idx, 3);
	assert_int_equal(n, 3);
	assert_string_equal(t.entries[idx[0]].name, "Zed");
	assert_string_equal(t.entries[idx[1]].name, "_x");
	assert_string_equal(t.entries[idx[2]].name, "apple");

	n = fsnames_list_after(&t, "apple", 5, idx, 3);
	assert_int_equal(n, 3);
	assert_string_equal(t.entries[idx[0]].name, "apple.2");
	assert_string_equal(t.entries[idx[1]].name, "fig");
	assert_string_equal(t.entries[idx[2]].name, "kiwi");

	/* A cursor need not be in the table. */
	n = fsnames_list_after(&t, "kiwj", 4, idx, 3);
	assert_int_equal(n, 1);
	assert_string_equal(t.entries[idx[0]].name, "pear");
	assert_int_equal(fsnames_list_after(&t, "pear", 4, idx, 3), 0);
	fsnames_init(&t);
	assert_int_equal(fsnames_list_after(&t, "", 0, idx, 3), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_are_1_to_31_bytes_of_the_set),
		cmocka_unit_test(set_adds_then_replaces_and_remove_moves_the_last),
		cmocka_unit_test(a_full_table_refuses_a_new_name_but_not_a_replacement),
		cmocka_unit_test(serialize_writes_the_documented_layout),
		cmocka_unit_test(a_full_table_fits_one_object_and_reads_back),
		cmocka_unit_test(every_broken_field_is_refused_with_its_reason),
		cmocka_unit_test(size_zero_is_refused),
		cmocka_unit_test(short_and_truncated_tables_are_refused),
		cmocka_unit_test(two_records_with_one_name_are_refused),
		cmocka_unit_test(names_compare_bytewise_shorter_first),
		cmocka_unit_test(list_pages_through_every_name_in_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
