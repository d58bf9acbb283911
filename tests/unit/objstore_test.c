/*
 * objstore_test: the content-addressed object store (kernel/objstore/).
 *
 * The kernel heap runs on a host arena (as in heap_test). Behaviours:
 * round trip, deduplication, owner-only delete, capacity and size limits,
 * truncating get, the hash being BLAKE3 of the content, and a randomised
 * sequence of put/get/delete/list checked against a shadow model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <heap.h>
#include <hhdm.h>
#include <objstore.h>

#include <xorshift.h>

#define FAKE_PHYS_BASE 0x40000000ull
#define ARENA_SIZE (16ull << 20)

static void *arena;
static const struct principal alice = { .key = { 0xa1 } }, bob = { .key = { 0xb0 } };

static int heap_setup(void **state)
{
	static struct limine_memmap_entry usable = { FAKE_PHYS_BASE, ARENA_SIZE, LIMINE_MEMMAP_USABLE };
	static struct limine_memmap_entry *entries[1] = { &usable };
	static struct limine_memmap_response map = { 0, 1, entries };

	(void)state;
	arena = aligned_alloc(2ull << 20, ARENA_SIZE);
	if (!arena)
		return -1;
	hhdm_set_offset((uint64_t)(uintptr_t)arena - FAKE_PHYS_BASE);
	return init_kernel_heap(&map) == K_OK ? 0 : -1;
}

static int reset(void **state)
{
	(void)state;
	objstore_init();
	return 0;
}

static void put_get_stat_list_delete(void **state)
{
	static const char text[] = "hello, object";
	uint8_t hash[OBJSTORE_HASH_LEN], want[BLAKE3_OUT_LEN], listed[2 * OBJSTORE_HASH_LEN];
	char out[64];
	size_t size;
	struct objstore_info info;

	(void)state;
	assert_int_equal(objstore_put(text, sizeof(text), &alice, 77, hash), K_OK);
	blake3_hash(text, sizeof(text), want);
	assert_memory_equal(hash, want, sizeof(want));
	assert_int_equal(objstore_get(hash, out, sizeof(out), &size), K_OK);
	assert_int_equal(size, sizeof(text));
	assert_memory_equal(out, text, size);
	assert_int_equal(objstore_stat(hash, &info), K_OK);
	assert_memory_equal(&info.author, &alice, sizeof(alice));
	assert_memory_equal(&info.owner, &alice, sizeof(alice));
	assert_int_equal(info.created_tick, 77);
	assert_int_equal(objstore_list(listed, 2), 1);
	assert_memory_equal(listed, hash, sizeof(hash));
	assert_int_equal(objstore_delete(hash, &alice), K_OK);
	assert_int_equal(objstore_get(hash, out, sizeof(out), &size), K_ENOENT);
	assert_int_equal(objstore_count(), 0);
}

static void identical_content_is_stored_once(void **state)
{
	uint8_t h1[OBJSTORE_HASH_LEN], h2[OBJSTORE_HASH_LEN];
	struct objstore_info info;

	(void)state;
	assert_int_equal(objstore_put("same", 4, &alice, 1, h1), K_OK);
	assert_int_equal(objstore_put("same", 4, &bob, 2, h2), K_OK);
	assert_memory_equal(h1, h2, sizeof(h1));
	assert_int_equal(objstore_count(), 1);
	assert_int_equal(objstore_stat(h1, &info), K_OK);
	assert_memory_equal(&info.author, &alice, sizeof(alice)); /* the first author stays */
	assert_int_equal(info.created_tick, 1);
}

static void only_the_owner_deletes(void **state)
{
	uint8_t h[OBJSTORE_HASH_LEN], missing[OBJSTORE_HASH_LEN] = { 0 };

	(void)state;
	assert_int_equal(objstore_put("mine", 4, &alice, 0, h), K_OK);
	assert_int_equal(objstore_delete(h, &bob), K_EPERM);
	assert_int_equal(objstore_count(), 1);
	assert_int_equal(objstore_delete(missing, &alice), K_ENOENT);
	assert_int_equal(objstore_delete(h, &alice), K_OK);
}

static void sizes_are_checked(void **state)
{
	static uint8_t big[OBJSTORE_MAX_OBJECT + 1];
	uint8_t h[OBJSTORE_HASH_LEN];

	(void)state;
	assert_int_equal(objstore_put(big, 0, &alice, 0, h), K_EINVAL);
	assert_int_equal(objstore_put(big, sizeof(big), &alice, 0, h), K_EINVAL);
	assert_int_equal(objstore_put(big, OBJSTORE_MAX_OBJECT, &alice, 0, h), K_OK);
}

static void get_truncates_but_reports_the_full_size(void **state)
{
	uint8_t h[OBJSTORE_HASH_LEN];
	char out[4];
	size_t size;

	(void)state;
	assert_int_equal(objstore_put("0123456789", 10, &alice, 0, h), K_OK);
	assert_int_equal(objstore_get(h, out, sizeof(out), &size), K_OK);
	assert_int_equal(size, 10);
	assert_memory_equal(out, "0123", 4);
}

static void a_full_store_refuses_until_a_delete(void **state)
{
	uint8_t h[OBJSTORE_HASH_LEN], first[OBJSTORE_HASH_LEN];

	(void)state;
	for (uint32_t i = 0; i < OBJSTORE_CAPACITY; i++) {
		assert_int_equal(objstore_put(&i, sizeof(i), &alice, 0, h), K_OK);
		if (i == 0)
			memcpy(first, h, sizeof(h));
	}
	uint32_t extra = OBJSTORE_CAPACITY;
	assert_int_equal(objstore_put(&extra, sizeof(extra), &alice, 0, h), K_EFULL);
	assert_int_equal(objstore_count(), OBJSTORE_CAPACITY);
	assert_int_equal(objstore_delete(first, &alice), K_OK);
	assert_int_equal(objstore_put(&extra, sizeof(extra), &alice, 0, h), K_OK);
}

/* ---------------------------------------------------------- shadow model */

#define MODEL_CONTENTS 300
#define MODEL_OPS 20000

struct model_object {
	bool present;
	int owner; /* 0 alice, 1 bob */
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	return xorshift64(&rng_state);
}

/* Content number c is its number repeated, so lengths and hashes differ. */
static size_t content_of(unsigned c, uint8_t *buf)
{
	size_t len = 1 + c % 50;

	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(c * 7 + i);
	return len;
}

static void random_operations_match_a_model(void **state)
{
	static struct model_object model[MODEL_CONTENTS];
	static uint8_t hashes[MODEL_CONTENTS][OBJSTORE_HASH_LEN];
	const struct principal *who[2] = { &alice, &bob };
	size_t count = 0;

	(void)state;
	memset(model, 0, sizeof(model));
	for (unsigned c = 0; c < MODEL_CONTENTS; c++) {
		uint8_t buf[64];
		blake3_hash(buf, content_of(c, buf), hashes[c]);
	}
	for (int op = 0; op < MODEL_OPS; op++) {
		unsigned c = (unsigned)(rng() % MODEL_CONTENTS);
		int p = (int)(rng() % 2);
		uint8_t buf[64], out[64], h[OBJSTORE_HASH_LEN];
		size_t len = content_of(c, buf), size;

		switch (rng() % 3) {
		case 0: {
			kerr_t err = objstore_put(buf, len, who[p], (uint64_t)op, h);
			if (model[c].present) {
				assert_int_equal(err, K_OK);
			} else if (count == OBJSTORE_CAPACITY) {
				assert_int_equal(err, K_EFULL);
			} else {
				assert_int_equal(err, K_OK);
				model[c] = (struct model_object){ true, p };
				count++;
			}
			if (err == K_OK)
				assert_memory_equal(h, hashes[c], sizeof(h));
			break;
		}
		case 1:
			assert_int_equal(objstore_get(hashes[c], out, sizeof(out), &size),
					 model[c].present ? K_OK : K_ENOENT);
			if (model[c].present)
				assert_memory_equal(out, buf, len);
			break;
		default: {
			kerr_t want = !model[c].present ? K_ENOENT
				      : model[c].owner == p ? K_OK : K_EPERM;
			assert_int_equal(objstore_delete(hashes[c], who[p]), want);
			if (want == K_OK) {
				model[c].present = false;
				count--;
			}
		}
		}
		assert_int_equal(objstore_count(), count);
	}
	assert_true(heap_check(heap_kernel()) == HEAP_FAULT_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(put_get_stat_list_delete, reset),
		cmocka_unit_test_setup(identical_content_is_stored_once, reset),
		cmocka_unit_test_setup(only_the_owner_deletes, reset),
		cmocka_unit_test_setup(sizes_are_checked, reset),
		cmocka_unit_test_setup(get_truncates_but_reports_the_full_size, reset),
		cmocka_unit_test_setup(a_full_store_refuses_until_a_delete, reset),
		cmocka_unit_test_setup(random_operations_match_a_model, reset),
	};

	return cmocka_run_group_tests_name("objstore", tests, heap_setup, NULL);
}
