/*
 * symbols_test: address-to-name lookup over kernel.sym text
 * (kernel/lib/symbols.c), including malformed and truncated tables.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <symbols.h>

static const char table[] =
	"ffffffff80000000 _start\n"
	"ffffffff80000010 kmain\n"
	"ffffffff80000100 printk\n"
	"ffffffff80000200 panic_at\n";

static void expect_symbol(uint64_t addr, const char *want, uint64_t want_offset)
{
	const char *name;
	size_t len;
	uint64_t offset;

	assert_true(symbols_lookup(addr, &name, &len, &offset));
	assert_int_equal(len, strlen(want));
	assert_memory_equal(name, want, len);
	assert_int_equal(offset, want_offset);
}

static void finds_exact_and_inner_addresses(void **state)
{
	(void)state;
	symbols_set_table(table, sizeof(table) - 1);
	expect_symbol(0xffffffff80000000ULL, "_start", 0);
	expect_symbol(0xffffffff80000014ULL, "kmain", 4);
	expect_symbol(0xffffffff800001ffULL, "printk", 0xff);
	expect_symbol(0xffffffff80001000ULL, "panic_at", 0xe00);
}

static void address_below_every_symbol_is_unknown(void **state)
{
	const char *name;
	size_t len;
	uint64_t offset;

	(void)state;
	symbols_set_table(table, sizeof(table) - 1);
	assert_false(symbols_lookup(0xffffffff7fffffffULL, &name, &len, &offset));
}

static void no_table_means_unknown(void **state)
{
	const char *name;
	size_t len;
	uint64_t offset;

	(void)state;
	symbols_set_table(NULL, 123);
	assert_false(symbols_lookup(0xffffffff80000000ULL, &name, &len, &offset));
}

static void malformed_lines_are_skipped(void **state)
{
	static const char messy[] =
		"\n"
		"zzzz bogus\n"
		"ffffffff80000000\n"
		"ffffffff80000000 \n"
		"ffffffff80000040 good\n"
		"11112222333344445555 toolong\n";

	(void)state;
	symbols_set_table(messy, sizeof(messy) - 1);
	expect_symbol(0xffffffff80000050ULL, "good", 0x10);
}

static void truncated_table_never_reads_past_its_end(void **state)
{
	/* The last line is cut mid-name; only `len` bytes may be read. */
	char *buf = malloc(sizeof(table) - 4);

	(void)state;
	memcpy(buf, table, sizeof(table) - 4);
	symbols_set_table(buf, sizeof(table) - 4);
	expect_symbol(0xffffffff80000300ULL, "panic_", 0x100);
	symbols_set_table(NULL, 0);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_exact_and_inner_addresses),
		cmocka_unit_test(address_below_every_symbol_is_unknown),
		cmocka_unit_test(no_table_means_unknown),
		cmocka_unit_test(malformed_lines_are_skipped),
		cmocka_unit_test(truncated_table_never_reads_past_its_end),
	};

	return cmocka_run_group_tests_name("symbols", tests, NULL, NULL);
}
