/*
 * rng_fill_test: lib/rng_fill (the key-store's virtio-rng reads) against
 * a fake device -- honest ones that answer whole, in pieces or late, and
 * hostile ones that never answer, answer with nothing or a trickle, claim
 * more bytes than they were asked for, give back a buffer they were never
 * given, or move the used index past what they hold. Every bad device
 * must end the fill with its reason and the output all zero; none may
 * make it read outside its buffer (ASan watches).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rng_fill.h"

#define SIZE 4
#define BUS 0x40000000ull /* where the fake device sees `mem` */
#define BUF_AT 2048u
#define BUF_LEN 256u

static _Alignas(16) uint8_t mem[4096];
static struct virtq q;
static struct virtq_layout layout;

/* How the fake device answers one request (a descriptor it took). */
typedef void (*behaviour)(uint16_t desc);

static struct {
	uint16_t avail_seen;   /* the next available entry it takes */
	uint16_t used_idx;     /* the used index it has published */
	uint32_t per_answer;   /* bytes an honest answer fills (at most asked) */
	uint8_t next_byte;     /* what it writes next: 0, 1, 2, ... */
	unsigned answer_after; /* waits after a notify before it answers */
	unsigned wait_limit;   /* waits until the time is up */
	unsigned notifies, waits, since_notify;
	bool pending;          /* notified, not answered yet */
	uint32_t asked[64];    /* each request's length, as the device saw it */
	behaviour answer;
} dev;

static uint16_t *avail(void) { return (uint16_t *)(void *)(mem + layout.avail); }
static uint16_t *used(void) { return (uint16_t *)(void *)(mem + layout.used); }
static struct virtq_used_elem *used_ring(void)
{
	return (struct virtq_used_elem *)(void *)(mem + layout.used + 4);
}
static struct virtq_desc *desc(void) { return (struct virtq_desc *)(void *)(mem + layout.desc); }

static void device_gives(uint32_t id, uint32_t len)
{
	used_ring()[dev.used_idx % SIZE] = (struct virtq_used_elem){ .id = id, .len = len };
	used()[1] = ++dev.used_idx;
}

/* Writes `n` bytes of its counting pattern into the descriptor's buffer. */
static void device_writes(uint16_t d, uint32_t n)
{
	struct virtq_desc *e = &desc()[d];

	assert_true(e->flags & VIRTQ_DESC_F_WRITE);
	assert_true(e->addr >= BUS + BUF_AT && e->addr + e->len <= BUS + BUF_AT + BUF_LEN);
	assert_true(n <= e->len);
	for (uint32_t i = 0; i < n; i++)
		mem[e->addr - BUS + i] = dev.next_byte++;
}

static void honest(uint16_t d)
{
	uint32_t n = desc()[d].len < dev.per_answer ? desc()[d].len : dev.per_answer;

	device_writes(d, n);
	device_gives(d, n);
}

static void silent(uint16_t d) { (void)d; }
static void claims_more(uint16_t d)
{
	device_writes(d, desc()[d].len);
	device_gives(d, desc()[d].len + 1);
}
static void names_another(uint16_t d) { device_gives((d + 1u) % SIZE, 8); }
static void names_past_the_queue(uint16_t d) { (void)d; device_gives(SIZE, 8); }
static void gives_back_twice(uint16_t d)
{
	device_writes(d, 8);
	device_gives(d, 8);
	device_gives(d, 8);
}
static void jumps_the_index(uint16_t d)
{
	device_writes(d, 8);
	device_gives(d, 8);
	used()[1] = (uint16_t)(dev.used_idx + 5);
}

/* The device takes the next available buffer and answers it its way. */
static void device_answers(void)
{
	assert_int_not_equal(dev.avail_seen, avail()[1]); /* something was posted */
	uint16_t d = avail()[2 + (dev.avail_seen++ % SIZE)];
	if (dev.notifies <= 64)
		dev.asked[dev.notifies - 1] = desc()[d].len;
	dev.pending = false;
	dev.answer(d);
}

static void notify(void *ctx)
{
	assert_ptr_equal(ctx, &dev);
	dev.notifies++;
	dev.pending = true;
	dev.since_notify = 0;
	if (dev.answer_after == 0)
		device_answers();
}

static bool wait_a_moment(void *ctx)
{
	assert_ptr_equal(ctx, &dev);
	dev.waits++;
	if (dev.pending && ++dev.since_notify == dev.answer_after)
		device_answers();
	return dev.waits < dev.wait_limit;
}

static const struct rng_fill_io io = { notify, wait_a_moment, &dev };
static const struct rng_fill_buffer buf = { mem + BUF_AT, BUS + BUF_AT, BUF_LEN };

static int setup(void **state)
{
	(void)state;
	memset(mem, 0, sizeof(mem));
	memset(&dev, 0, sizeof(dev));
	dev.per_answer = BUF_LEN;
	dev.wait_limit = 1000;
	dev.answer = honest;
	assert_true(virtq_layout(SIZE, &layout));
	assert_true(layout.bytes <= BUF_AT);
	assert_true(virtq_init(&q, SIZE, mem));
	return 0;
}

static void assert_counting(const uint8_t *out, size_t len)
{
	for (size_t i = 0; i < len; i++)
		assert_int_equal(out[i], (uint8_t)i);
}

static void assert_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		assert_int_equal(p[i], 0);
}

static void one_answer_fills_it(void **state)
{
	uint8_t out[64];

	(void)state;
	assert_null(rng_fill(&q, &buf, out, sizeof(out), &io));
	assert_counting(out, sizeof(out));
	assert_int_equal(dev.notifies, 1);
	assert_int_equal(dev.asked[0], 64); /* asked for what was missing, no more */
	assert_int_equal(dev.waits, 0);
	assert_zero(mem + BUF_AT, BUF_LEN); /* the buffer is wiped once read */
	assert_int_equal(q.held, 0);
}

static void short_answers_are_added_up(void **state)
{
	uint8_t out[64];

	(void)state;
	dev.per_answer = 10;
	assert_null(rng_fill(&q, &buf, out, sizeof(out), &io));
	assert_counting(out, sizeof(out));
	assert_int_equal(dev.notifies, 7);
	for (unsigned i = 0; i < 7; i++)
		assert_int_equal(dev.asked[i], 64 - 10 * i);
}

static void more_than_a_buffer_takes_several(void **state)
{
	uint8_t out[600];

	(void)state;
	assert_null(rng_fill(&q, &buf, out, sizeof(out), &io));
	assert_counting(out, sizeof(out));
	assert_int_equal(dev.notifies, 3);
	assert_int_equal(dev.asked[0], BUF_LEN);
	assert_int_equal(dev.asked[1], BUF_LEN);
	assert_int_equal(dev.asked[2], 600 - 2 * BUF_LEN);
}

static void a_late_answer_is_waited_for(void **state)
{
	uint8_t out[64];

	(void)state;
	dev.answer_after = 3;
	assert_null(rng_fill(&q, &buf, out, sizeof(out), &io));
	assert_counting(out, sizeof(out));
	assert_int_equal(dev.waits, 3);
}

/* The fill fails with `reason_part`, the output all zero. */
static void expect_failure(size_t len, const char *reason_part)
{
	uint8_t out[600];

	memset(out, 0xa5, sizeof(out));
	const char *why = rng_fill(&q, &buf, out, len, &io);
	assert_non_null(why);
	assert_non_null(strstr(why, reason_part));
	assert_zero(out, len);
	assert_int_equal(out[len], 0xa5); /* and nothing past it */
}

static void silence_runs_out_of_time(void **state)
{
	(void)state;
	dev.answer = silent;
	dev.wait_limit = 50;
	expect_failure(64, "in time");
	assert_int_equal(dev.waits, 50);
	assert_int_equal(dev.notifies, 1);
}

static void empty_answers_are_not_waited_for_forever(void **state)
{
	(void)state;
	dev.per_answer = 0;
	expect_failure(64, "too little");
	assert_int_equal(dev.notifies, RNG_FILL_MAX_REQUESTS);
}

static void a_trickle_gives_nothing(void **state)
{
	(void)state;
	dev.per_answer = 1; /* 16 bytes in 16 answers, of 64: all dropped */
	expect_failure(64, "too little");
}

static void claiming_more_than_asked_gives_nothing(void **state)
{
	(void)state;
	dev.answer = claims_more;
	expect_failure(64, "length");
}

static void a_buffer_never_given_gives_nothing(void **state)
{
	(void)state;
	dev.answer = names_another;
	expect_failure(64, "does not hold");
	setup(NULL);
	dev.answer = names_past_the_queue;
	expect_failure(64, "past the queue");
}

static void giving_back_twice_gives_nothing(void **state)
{
	(void)state;
	dev.answer = gives_back_twice;
	expect_failure(64, "used index");
}

static void a_jumping_index_gives_nothing(void **state)
{
	(void)state;
	dev.answer = jumps_the_index;
	expect_failure(64, "used index");
}

static void a_device_that_answers_unasked_gives_nothing(void **state)
{
	(void)state;
	device_gives(0, 8); /* before anything was posted */
	device_gives(0, 8);
	expect_failure(64, "used index");
}

static void a_queue_in_use_is_refused(void **state)
{
	(void)state;
	assert_true(virtq_give(&q, BUS + BUF_AT, 8, true) >= 0);
	expect_failure(64, "already holds");
	assert_int_equal(dev.notifies, 0);
}

static void a_broken_queue_stays_broken(void **state)
{
	uint8_t out[64];

	(void)state;
	dev.answer = claims_more;
	assert_non_null(rng_fill(&q, &buf, out, sizeof(out), &io));
	dev.answer = honest;
	expect_failure(64, "length");
	assert_int_equal(dev.notifies, 1); /* nothing posted again */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(one_answer_fills_it, setup),
		cmocka_unit_test_setup(short_answers_are_added_up, setup),
		cmocka_unit_test_setup(more_than_a_buffer_takes_several, setup),
		cmocka_unit_test_setup(a_late_answer_is_waited_for, setup),
		cmocka_unit_test_setup(silence_runs_out_of_time, setup),
		cmocka_unit_test_setup(empty_answers_are_not_waited_for_forever, setup),
		cmocka_unit_test_setup(a_trickle_gives_nothing, setup),
		cmocka_unit_test_setup(claiming_more_than_asked_gives_nothing, setup),
		cmocka_unit_test_setup(a_buffer_never_given_gives_nothing, setup),
		cmocka_unit_test_setup(giving_back_twice_gives_nothing, setup),
		cmocka_unit_test_setup(a_jumping_index_gives_nothing, setup),
		cmocka_unit_test_setup(a_device_that_answers_unasked_gives_nothing, setup),
		cmocka_unit_test_setup(a_queue_in_use_is_refused, setup),
		cmocka_unit_test_setup(a_broken_queue_stays_broken, setup),
	};

	return cmocka_run_group_tests_name("rng_fill", tests, NULL, NULL);
}
