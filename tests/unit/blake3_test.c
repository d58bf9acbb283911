/*
 * blake3_test: lib/crypto/blake3.c against known answers and against the
 * independent `b3sum` implementation.
 *
 * Every input length 0..2049 (all chunk and block boundaries of the first
 * two chunks) and a set of large inputs crossing tree levels are hashed by
 * us and by one b3sum run over files holding the same bytes. Incremental
 * hashing with many split patterns must equal one-shot hashing, and
 * extendable output must match `b3sum --length` and be prefix-consistent.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <crypto/blake3.h>

#define SMALL_MAX 2049
static const size_t large_lengths[] = { 3072, 4096, 4097, 8192, 8193, 31744, 65536, 65537,
					 1048577, 5 * 1048576 + 7 };
#define LARGE_COUNT (sizeof(large_lengths) / sizeof(large_lengths[0]))

static uint8_t *pattern(size_t len, unsigned seed)
{
	uint8_t *p = malloc(len ? len : 1);

	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)((i * 31 + seed) % 251);
	return p;
}

static void hex(const uint8_t *in, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", in[i]);
}

static char tmpdir[] = "/tmp/blake3_test.XXXXXX";

static void write_input(const char *name, const uint8_t *data, size_t len)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* Runs `b3sum ARGS` in the temp dir; returns its output lines. */
static FILE *b3sum(const char *args)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "cd %s && b3sum --no-names %s", tmpdir, args);
	FILE *p = popen(cmd, "r");
	if (!p)
		fail_msg("cannot run b3sum (Debian package b3sum is a declared dependency)");
	return p;
}

static void expect_line(FILE *p, const char *want, const char *what)
{
	char line[4096];

	if (!fgets(line, sizeof(line), p))
		fail_msg("b3sum gave no output for %s (is the b3sum package installed?)", what);
	line[strcspn(line, "\n")] = '\0';
	if (strcmp(line, want) != 0)
		fail_msg("%s: ours %s, b3sum %s", what, want, line);
}

static void every_small_length_matches_b3sum(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(tmpdir));
	for (size_t len = 0; len <= SMALL_MAX; len++) {
		char name[32];
		uint8_t *data = pattern(len, 7);
		snprintf(name, sizeof(name), "s%04zu", len);
		write_input(name, data, len);
		free(data);
	}
	FILE *p = b3sum("s*");
	for (size_t len = 0; len <= SMALL_MAX; len++) {
		uint8_t *data = pattern(len, 7), out[BLAKE3_OUT_LEN];
		char want[2 * BLAKE3_OUT_LEN + 1], what[32];
		blake3_hash(data, len, out);
		hex(out, sizeof(out), want);
		snprintf(what, sizeof(what), "length %zu", len);
		expect_line(p, want, what);
		free(data);
	}
	assert_int_equal(pclose(p), 0);
}

static void large_inputs_match_b3sum(void **state)
{
	char names[LARGE_COUNT * 16] = "";

	(void)state;
	for (size_t i = 0; i < LARGE_COUNT; i++) {
		char name[16];
		uint8_t *data = pattern(large_lengths[i], (unsigned)i);
		snprintf(name, sizeof(name), "l%02zu ", i);
		strcat(names, name);
		name[3] = '\0';
		write_input(name, data, large_lengths[i]);
		free(data);
	}
	FILE *p = b3sum(names);
	for (size_t i = 0; i < LARGE_COUNT; i++) {
		uint8_t *data = pattern(large_lengths[i], (unsigned)i), out[BLAKE3_OUT_LEN];
		char want[2 * BLAKE3_OUT_LEN + 1], what[32];
		blake3_hash(data, large_lengths[i], out);
		hex(out, sizeof(out), want);
		snprintf(what, sizeof(what), "length %zu", large_lengths[i]);
		expect_line(p, want, what);
		free(data);
	}
	assert_int_equal(pclose(p), 0);
}

static void extendable_output_matches_b3sum(void **state)
{
	static const size_t out_lengths[] = { 1, 31, 32, 33, 64, 65, 128, 200, 1000 };
	uint8_t *data = pattern(3000, 3), longest[1000];
	char args[64], want[2001];

	(void)state;
	write_input("xof", data, 3000);
	struct blake3_hasher h;
	blake3_hasher_init(&h);
	blake3_hasher_update(&h, data, 3000);
	blake3_hasher_finalize(&h, longest, sizeof(longest));
	for (size_t i = 0; i < sizeof(out_lengths) / sizeof(out_lengths[0]); i++) {
		uint8_t out[1000];
		size_t n = out_lengths[i];
		blake3_hasher_finalize(&h, out, n);
		assert_memory_equal(out, longest, n); /* shorter outputs are prefixes */
		snprintf(args, sizeof(args), "--length %zu xof", n);
		FILE *p = b3sum(args);
		hex(out, n, want);
		expect_line(p, want, args);
		assert_int_equal(pclose(p), 0);
	}
	free(data);
}

static void incremental_equals_one_shot(void **state)
{
	static const size_t lengths[] = { 1, 63, 64, 65, 1023, 1024, 1025, 2049, 5000, 17000 };

	(void)state;
	for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		size_t len = lengths[i];
		uint8_t *data = pattern(len, 11), one[BLAKE3_OUT_LEN], parts[BLAKE3_OUT_LEN];
		blake3_hash(data, len, one);
		for (size_t split = 0; split <= len; split += (len > 200 ? 97 : 1)) {
			struct blake3_hasher h;
			blake3_hasher_init(&h);
			blake3_hasher_update(&h, data, split);
			blake3_hasher_update(&h, data + split, len - split);
			blake3_hasher_finalize(&h, parts, sizeof(parts));
			assert_memory_equal(one, parts, sizeof(one));
		}
		free(data);
	}
}

static void known_answers(void **state)
{
	uint8_t out[BLAKE3_OUT_LEN];
	char got[2 * BLAKE3_OUT_LEN + 1];

	(void)state;
	blake3_hash("", 0, out);
	hex(out, sizeof(out), got);
	assert_string_equal(got, "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262");
	blake3_hash("abc", 3, out);
	hex(out, sizeof(out), got);
	assert_string_equal(got, "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85");
}

static int remove_tmpdir(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_answers),
		cmocka_unit_test(incremental_equals_one_shot),
		cmocka_unit_test(every_small_length_matches_b3sum),
		cmocka_unit_test(large_inputs_match_b3sum),
		cmocka_unit_test(extendable_output_matches_b3sum),
	};

	return cmocka_run_group_tests_name("blake3", tests, NULL, remove_tmpdir);
}
