/*
 * virtq_test: lib/virtq against a fake device -- an honest one that takes
 * what the driver hands over and gives it back, and hostile ones that
 * write every kind of bad used entry. Each bad write must stop the queue
 * with its reason and change nothing after.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "virtq.h"

#define SIZE 8

static _Alignas(16) uint8_t mem[4096];
static struct virtq q;
static struct virtq_layout layout;

/* The device's view of the same memory. */
struct device {
	uint16_t avail_seen; /* the next available entry it takes */
	uint16_t used_idx;   /* the used index it has published */
};
static struct device dev;

static uint16_t *avail(void) { return (uint16_t *)(void *)(mem + layout.avail); }
static uint16_t *used(void) { return (uint16_t *)(void *)(mem + layout.used); }
static struct virtq_used_elem *used_ring(void)
{
	return (struct virtq_used_elem *)(void *)(mem + layout.used + 4);
}
static struct virtq_desc *desc(void) { return (struct virtq_desc *)(void *)(mem + layout.desc); }

/* The device takes the next available buffer: its descriptor number. */
static int device_takes(void)
{
	if (dev.avail_seen == avail()[1])
		return -1;
	return avail()[2 + (dev.avail_seen++ % SIZE)];
}

/* The device gives back (id, len) -- whatever it says. */
static void device_gives(uint32_t id, uint32_t len)
{
	used_ring()[dev.used_idx % SIZE] = (struct virtq_used_elem){ .id = id, .len = len };
	used()[1] = ++dev.used_idx;
}

static int setup(void **state)
{
	(void)state;
	memset(mem, 0, sizeof(mem));
	dev = (struct device){ 0 };
	assert_true(virtq_layout(SIZE, &layout));
	assert_true(virtq_init(&q, SIZE, mem));
	return 0;
}

static void layout_follows_the_specification(void **state)
{
	struct virtq_layout l;

	(void)state;
	assert_true(virtq_layout(256, &l));
	assert_int_equal(l.desc, 0);
	assert_int_equal(l.avail, 4096);
	assert_int_equal(l.used, 4096 + 2 * (3 + 256) + 2); /* rounded up to 4 */
	assert_int_equal(l.bytes, l.used + 4 + 8 * 256 + 2);
	assert_int_equal(l.used % 4, 0);
	assert_false(virtq_layout(0, &l));
	assert_false(virtq_layout(6, &l));
	assert_false(virtq_layout(512, &l));
	assert_true(virtq_layout(1, &l));
}

static void buffers_go_round_and_round(void **state)
{
	uint16_t id;
	uint32_t len;

	(void)state;
	for (unsigned round = 0; round < 100; round++) {
		int given = virtq_give(&q, 0x10000 + round * 0x800, 1514, true);
		assert_true(given >= 0 && given < SIZE);
		struct virtq_desc d = desc()[given];
		assert_int_equal(d.addr, 0x10000 + round * 0x800);
		assert_int_equal(d.len, 1514);
		assert_int_equal(d.flags, VIRTQ_DESC_F_WRITE);
		assert_int_equal(virtq_take(&q, &id, &len), 0); /* nothing back yet */
		assert_int_equal(device_takes(), given);
		device_gives((uint32_t)given, 60 + round);
		assert_int_equal(virtq_take(&q, &id, &len), 1);
		assert_int_equal(id, given);
		assert_int_equal(len, 60 + round);
	}
	assert_null(virtq_broken(&q));
}

static void a_full_queue_refuses_more(void **state)
{
	uint16_t id;
	uint32_t len;

	(void)state;
	for (int i = 0; i < SIZE; i++)
		assert_true(virtq_give(&q, 0x1000 * (uint64_t)i, 64, false) >= 0);
	assert_int_equal(virtq_give(&q, 0, 64, false), -1);
	assert_int_equal(virtq_give(&q, 0, 0, false), -1);
	/* Given back out of order, all of them. */
	for (int i = SIZE - 1; i >= 0; i--) {
		assert_int_equal(device_takes(), SIZE - 1 - i);
	}
	for (int i = SIZE - 1; i >= 0; i--)
		device_gives((uint32_t)i, 0);
	for (int i = SIZE - 1; i >= 0; i--) {
		assert_int_equal(virtq_take(&q, &id, &len), 1);
		assert_int_equal(id, i);
	}
	assert_int_equal(virtq_take(&q, &id, &len), 0);
	assert_true(virtq_give(&q, 0, 64, false) >= 0);
}

/* A queue holding two buffers (0 and 1, 100 bytes each), then `bad`. */
static void expect_broken(void (*bad)(void), const char *reason_part)
{
	uint16_t id = 0xffff;
	uint32_t len = 0xffffffff;

	assert_int_equal(virtq_give(&q, 0x1000, 100, true), 0);
	assert_int_equal(virtq_give(&q, 0x2000, 100, true), 1);
	bad();
	assert_int_equal(virtq_take(&q, &id, &len), -1);
	assert_non_null(virtq_broken(&q));
	assert_non_null(strstr(virtq_broken(&q), reason_part));
	assert_int_equal(id, 0xffff); /* nothing handed out */
	assert_int_equal(len, 0xffffffff);
	/* Broken for good: nothing given, nothing taken, even honest entries. */
	assert_int_equal(virtq_give(&q, 0x3000, 100, true), -1);
	device_gives(0, 10);
	assert_int_equal(virtq_take(&q, &id, &len), -1);
}

static void index_jumps(void) { used()[1] = 3; }              /* 3 back, 2 held */
static void index_jumps_backwards(void) { used()[1] = 0xffff; } /* "65535 back" */
static void id_past_the_queue(void) { device_gives(SIZE, 10); }
static void id_huge(void) { device_gives(0xffffffffu, 10); }
static void id_never_given(void) { device_gives(5, 10); }
static void length_past_buffer(void) { device_gives(1, 101); }
static void given_back_twice(void)
{
	device_gives(0, 10);
	uint16_t id;
	uint32_t len;
	assert_int_equal(virtq_take(&q, &id, &len), 1);
	device_gives(0, 10);
}

static void hostile_used_index(void **state)
{
	(void)state;
	expect_broken(index_jumps, "used index");
}

static void hostile_used_index_backwards(void **state)
{
	(void)state;
	expect_broken(index_jumps_backwards, "used index");
}

static void hostile_descriptor_numbers(void **state)
{
	(void)state;
	expect_broken(id_past_the_queue, "past the queue");
	setup(NULL);
	expect_broken(id_huge, "past the queue");
	setup(NULL);
	expect_broken(id_never_given, "does not hold");
	setup(NULL);
	expect_broken(given_back_twice, "does not hold");
}

static void hostile_length(void **state)
{
	(void)state;
	expect_broken(length_past_buffer, "length");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(layout_follows_the_specification),
		cmocka_unit_test_setup(buffers_go_round_and_round, setup),
		cmocka_unit_test_setup(a_full_queue_refuses_more, setup),
		cmocka_unit_test_setup(hostile_used_index, setup),
		cmocka_unit_test_setup(hostile_used_index_backwards, setup),
		cmocka_unit_test_setup(hostile_descriptor_numbers, setup),
		cmocka_unit_test_setup(hostile_length, setup),
	};

	return cmocka_run_group_tests_name("virtq", tests, NULL, NULL);
}
