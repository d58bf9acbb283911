/*
 * requests_test: finding Limine requests in a loaded kernel image
 * (boot/requests.c).
 *
 * Fake kernel images are arrays of 64-bit words holding start/end markers,
 * request headers and base-revision tags at chosen word indexes. Covers the
 * request area rules (markers, whole-range fallback, bounds), duplicates,
 * the 128-request limit, requests_find(), and the base-revision rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <requests.h>

#define IMAGE_WORDS 2048
#define FILLER 0x1111111111111111ULL /* plain data between the structures */
#define REQUEST_WORDS 6              /* id[4], revision, response */
#define TAG_WORDS 3

static uint64_t image[IMAGE_WORDS];
static struct request_set set;

static const uint64_t start_marker[] = LIMINE_REQUESTS_START_MARKER;
static const uint64_t end_marker[] = LIMINE_REQUESTS_END_MARKER;

static void clear_image(void)
{
	for (size_t i = 0; i < IMAGE_WORDS; i++)
		image[i] = FILLER;
}

static void put_words(size_t at, const uint64_t *words, size_t n)
{
	assert_true(at + n <= IMAGE_WORDS);
	memcpy(&image[at], words, n * sizeof(uint64_t));
}

static void put_start(size_t at)
{
	put_words(at, start_marker, LIMINE_REQUESTS_START_WORDS);
}

static void put_end(size_t at)
{
	put_words(at, end_marker, LIMINE_REQUESTS_END_WORDS);
}

static void put_request(size_t at, uint64_t id2, uint64_t id3)
{
	const uint64_t r[REQUEST_WORDS] = { LIMINE_COMMON_MAGIC_0, LIMINE_COMMON_MAGIC_1, id2, id3,
					    0 /* revision */, 0 /* response */ };

	put_words(at, r, REQUEST_WORDS);
}

static void put_base_revision(size_t at, uint64_t revision)
{
	const uint64_t tag[TAG_WORDS] = LIMINE_BASE_REVISION(revision);

	put_words(at, tag, TAG_WORDS);
}

static void scan_ok(void)
{
	const char *err = requests_scan(image, sizeof(image), &set);

	if (err)
		print_message("scan failed: %s\n", err);
	assert_null(err);
}

/* The request with these ids was found, at word `at` of the image. */
static void assert_found_at(uint64_t id2, uint64_t id3, size_t at)
{
	struct limine_request_header *r = requests_find(&set, id2, id3);

	assert_non_null(r);
	assert_ptr_equal(r, &image[at]);
}

static void assert_not_found(uint64_t id2, uint64_t id3)
{
	assert_null(requests_find(&set, id2, id3));
}

/* Two feature ids used throughout, unpacked from limine.h's pairs. */
static const uint64_t hhdm[2] = { LIMINE_HHDM_ID };
static const uint64_t memmap[2] = { LIMINE_MEMMAP_ID };
static const uint64_t fb[2] = { LIMINE_FRAMEBUFFER_ID };

/* ------------------------------------------------------------ request area */

static void finds_requests_between_markers(void **state)
{
	(void)state;
	clear_image();
	put_start(10);
	put_request(14, hhdm[0], hhdm[1]);
	put_request(21, memmap[0], memmap[1]);
	put_end(40);
	scan_ok();
	assert_int_equal(set.count, 2);
	assert_found_at(hhdm[0], hhdm[1], 14);
	assert_found_at(memmap[0], memmap[1], 21);
	assert_ptr_equal(set.requests[0], &image[14]);
	assert_ptr_equal(set.requests[1], &image[21]);
}

static void requests_outside_markers_are_ignored(void **state)
{
	(void)state;
	clear_image();
	put_request(2, fb[0], fb[1]);
	put_start(10);
	put_request(14, hhdm[0], hhdm[1]);
	put_end(40);
	put_request(50, memmap[0], memmap[1]);
	scan_ok();
	assert_int_equal(set.count, 1);
	assert_found_at(hhdm[0], hhdm[1], 14);
	assert_not_found(fb[0], fb[1]);
	assert_not_found(memmap[0], memmap[1]);
}

static void last_start_marker_wins(void **state)
{
	(void)state;
	clear_image();
	put_start(10);
	put_request(14, hhdm[0], hhdm[1]);
	put_start(30);
	put_request(34, memmap[0], memmap[1]);
	put_end(60);
	scan_ok();
	assert_int_equal(set.count, 1);
	assert_found_at(memmap[0], memmap[1], 34);
}

static void first_end_marker_wins(void **state)
{
	(void)state;
	clear_image();
	put_start(10);
	put_request(14, hhdm[0], hhdm[1]);
	put_end(30);
	put_request(34, memmap[0], memmap[1]);
	put_end(60);
	scan_ok();
	assert_int_equal(set.count, 1);
	assert_found_at(hhdm[0], hhdm[1], 14);
}

static void end_marker_before_start_marker_is_ignored(void **state)
{
	(void)state;
	clear_image();
	put_end(4);
	put_start(10);
	put_request(14, hhdm[0], hhdm[1]);
	put_end(30);
	scan_ok();
	assert_int_equal(set.count, 1);
	assert_found_at(hhdm[0], hhdm[1], 14);
}

static void without_markers_the_whole_range_is_scanned(void **state)
{
	(void)state;
	clear_image();
	put_request(0, hhdm[0], hhdm[1]);
	put_request(IMAGE_WORDS / 2 + 1, fb[0], fb[1]);
	put_request(IMAGE_WORDS - REQUEST_WORDS, memmap[0], memmap[1]);
	scan_ok();
	assert_int_equal(set.count, 3);
	assert_found_at(hhdm[0], hhdm[1], 0);
	assert_found_at(fb[0], fb[1], IMAGE_WORDS / 2 + 1);
	assert_found_at(memmap[0], memmap[1], IMAGE_WORDS - REQUEST_WORDS);
}

static void start_marker_alone_scans_to_the_end(void **state)
{
	(void)state;
	clear_image();
	put_request(2, fb[0], fb[1]);
	put_start(10);
	put_request(IMAGE_WORDS - REQUEST_WORDS, hhdm[0], hhdm[1]);
	scan_ok();
	assert_int_equal(set.count, 1);
	assert_found_at(hhdm[0], hhdm[1], IMAGE_WORDS - REQUEST_WORDS);
}

static void end_marker_alone_scans_from_the_start(void **state)
{
	(void)state;
	clear_image();
	put_request(0, hhdm[0], hhdm[1]);
	put_end(20);
	put_request(30, fb[0], fb[1]);
	scan_ok();
	assert_int_equal(set.count, 1);
	assert_found_at(hhdm[0], hhdm[1], 0);
}

static void empty_image_has_no_requests(void **state)
{
	(void)state;
	clear_image();
	scan_ok();
	assert_int_equal(set.count, 0);
	assert_null(set.base_revision_tag);
	assert_null(requests_scan(image, 0, &set));
	assert_int_equal(set.count, 0);
}

static void scan_stays_inside_size(void **state)
{
	/* Exactly-sized heap copy: a read past `size` trips ASan. */
	const size_t words = 64, size = words * sizeof(uint64_t);
	uint64_t *copy = malloc(size);

	(void)state;
	assert_non_null(copy);
	clear_image();
	put_request(0, hhdm[0], hhdm[1]);
	put_request(words - 2 * REQUEST_WORDS, memmap[0], memmap[1]);
	/* Only 5 words of this one fit: not a complete request. */
	put_request(words - REQUEST_WORDS + 1, fb[0], fb[1]);
	memcpy(copy, image, size);
	assert_null(requests_scan(copy, size, &set));
	assert_int_equal(set.count, 2);
	assert_non_null(requests_find(&set, hhdm[0], hhdm[1]));
	assert_null(requests_find(&set, fb[0], fb[1]));
	free(copy);
}

static void trailing_partial_word_is_ignored(void **state)
{
	(void)state;
	clear_image();
	put_request(10, hhdm[0], hhdm[1]);
	/* size not a multiple of 8: the last partial word does not count. */
	assert_null(requests_scan(image, 16 * sizeof(uint64_t) + 7, &set));
	assert_int_equal(set.count, 1);
	assert_null(requests_scan(image, 16 * sizeof(uint64_t) - 1, &set));
	assert_int_equal(set.count, 0);
}

/* ------------------------------------------------------------ errors */

static void duplicate_request_is_an_error(void **state)
{
	(void)state;
	clear_image();
	put_start(10);
	put_request(14, hhdm[0], hhdm[1]);
	put_request(30, hhdm[0], hhdm[1]);
	put_end(50);
	assert_non_null(requests_scan(image, sizeof(image), &set));
}

static void duplicate_outside_the_area_is_not_an_error(void **state)
{
	(void)state;
	clear_image();
	put_request(0, hhdm[0], hhdm[1]);
	put_start(10);
	put_request(14, hhdm[0], hhdm[1]);
	put_end(50);
	scan_ok();
	assert_found_at(hhdm[0], hhdm[1], 14);
}

/* `count` distinct requests back to back, starting at word 0. */
static void put_many_requests(unsigned count)
{
	clear_image();
	assert_true(count * REQUEST_WORDS <= IMAGE_WORDS);
	for (unsigned i = 0; i < count; i++)
		put_request(i * REQUEST_WORDS, 0x1000 + i, 0x2000 + i);
}

static void one_hundred_twenty_eight_requests_fit(void **state)
{
	(void)state;
	put_many_requests(REQUESTS_MAX);
	scan_ok();
	assert_int_equal(set.count, REQUESTS_MAX);
	assert_found_at(0x1000 + REQUESTS_MAX - 1, 0x2000 + REQUESTS_MAX - 1,
			(REQUESTS_MAX - 1) * REQUEST_WORDS);
}

static void more_than_128_requests_is_an_error(void **state)
{
	const char *err;

	(void)state;
	put_many_requests(REQUESTS_MAX + 1);
	err = requests_scan(image, sizeof(image), &set);
	assert_non_null(err);
	assert_non_null(strstr(err, "128"));
}

/* ------------------------------------------------------------ requests_find */

static void find_matches_both_id_words(void **state)
{
	(void)state;
	clear_image();
	put_request(0, hhdm[0], hhdm[1]);
	put_request(10, hhdm[0], memmap[1]);
	scan_ok();
	assert_found_at(hhdm[0], hhdm[1], 0);
	assert_found_at(hhdm[0], memmap[1], 10);
	assert_not_found(memmap[0], memmap[1]);
	assert_not_found(hhdm[1], hhdm[0]);
}

/* ------------------------------------------------------------ base revision */

static void base_revision_tag_is_found_anywhere(void **state)
{
	(void)state;
	clear_image();
	put_base_revision(1, 2);
	put_start(10);
	put_request(14, hhdm[0], hhdm[1]);
	put_end(30);
	scan_ok();
	assert_ptr_equal(set.base_revision_tag, &image[1]);
	assert_int_equal(set.base_revision, 2);
	/* The tag is not mistaken for a request. */
	assert_int_equal(set.count, 1);
}

static void base_revision_tag_at_the_very_end_is_found(void **state)
{
	(void)state;
	clear_image();
	put_base_revision(IMAGE_WORDS - TAG_WORDS, 3);
	scan_ok();
	assert_ptr_equal(set.base_revision_tag, &image[IMAGE_WORDS - TAG_WORDS]);
	assert_int_equal(set.base_revision, 3);
}

static void two_base_revision_tags_are_an_error(void **state)
{
	const char *err;

	(void)state;
	clear_image();
	put_base_revision(1, 2);
	put_base_revision(100, 2);
	err = requests_scan(image, sizeof(image), &set);
	assert_non_null(err);
	assert_non_null(strstr(err, "base revision"));
}

static void revision_2_is_accepted_and_acknowledged(void **state)
{
	(void)state;
	clear_image();
	put_base_revision(4, 2);
	scan_ok();
	assert_true(requests_accept_base_revision(&set));
	/* Zeroing the third word tells the kernel its revision is supported. */
	assert_int_equal(image[4 + 2], 0);
	assert_int_equal(image[4], LIMINE_BASE_REVISION_MAGIC_0);
	assert_int_equal(image[4 + 1], LIMINE_BASE_REVISION_MAGIC_1);
}

static void newer_revision_is_accepted_untouched(void **state)
{
	(void)state;
	clear_image();
	put_base_revision(4, 3);
	scan_ok();
	assert_true(requests_accept_base_revision(&set));
	assert_int_equal(image[4 + 2], 3);
}

static void revisions_0_and_1_are_refused(void **state)
{
	(void)state;
	for (uint64_t rev = 0; rev <= 1; rev++) {
		clear_image();
		put_base_revision(4, rev);
		scan_ok();
		assert_int_equal(set.base_revision, rev);
		assert_false(requests_accept_base_revision(&set));
		assert_int_equal(image[4 + 2], rev);
	}
}

static void missing_base_revision_tag_is_refused(void **state)
{
	(void)state;
	clear_image();
	put_request(0, hhdm[0], hhdm[1]);
	scan_ok();
	assert_null(set.base_revision_tag);
	assert_false(requests_accept_base_revision(&set));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_requests_between_markers),
		cmocka_unit_test(requests_outside_markers_are_ignored),
		cmocka_unit_test(last_start_marker_wins),
		cmocka_unit_test(first_end_marker_wins),
		cmocka_unit_test(end_marker_before_start_marker_is_ignored),
		cmocka_unit_test(without_markers_the_whole_range_is_scanned),
		cmocka_unit_test(start_marker_alone_scans_to_the_end),
		cmocka_unit_test(end_marker_alone_scans_from_the_start),
		cmocka_unit_test(empty_image_has_no_requests),
		cmocka_unit_test(scan_stays_inside_size),
		cmocka_unit_test(trailing_partial_word_is_ignored),
		cmocka_unit_test(duplicate_request_is_an_error),
		cmocka_unit_test(duplicate_outside_the_area_is_not_an_error),
		cmocka_unit_test(one_hundred_twenty_eight_requests_fit),
		cmocka_unit_test(more_than_128_requests_is_an_error),
		cmocka_unit_test(find_matches_both_id_words),
		cmocka_unit_test(base_revision_tag_is_found_anywhere),
		cmocka_unit_test(base_revision_tag_at_the_very_end_is_found),
		cmocka_unit_test(two_base_revision_tags_are_an_error),
		cmocka_unit_test(revision_2_is_accepted_and_acknowledged),
		cmocka_unit_test(newer_revision_is_accepted_untouched),
		cmocka_unit_test(revisions_0_and_1_are_refused),
		cmocka_unit_test(missing_base_revision_tag_is_refused),
	};

	return cmocka_run_group_tests_name("requests", tests, NULL, NULL);
}
