/*
 * heap_test: the kernel heap (kernel/mm/heap.c, kernel/mm/heap_init.c).
 *
 * Most tests build their own `struct heap` on a malloc'd arena and run
 * heap_check() after every step. The random tests keep a shadow model:
 * every live allocation is filled with a pattern unique to it, verified
 * before it is freed or resized, and checked against every other live
 * allocation for overlap. The kernel-heap group boots the global heap from
 * a fake Limine memory map whose "physical" memory is a malloc'd buffer,
 * reached through a fake HHDM offset.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <heap.h>
#include <hhdm.h>

/* ---------------------------------------------------------- helpers */

struct test_heap {
	struct heap heap;
	void *arena;
	size_t size;
};

static struct test_heap *test_heap_new(size_t size)
{
	struct test_heap *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	t->arena = malloc(size);
	assert_non_null(t->arena);
	t->size = size;
	assert_int_equal(heap_init(&t->heap, "test heap", t->arena, size), K_OK);
	assert_int_equal(heap_check(&t->heap), HEAP_FAULT_NONE);
	return t;
}

static void test_heap_delete(struct test_heap *t)
{
	free(t->arena);
	free(t);
}

static void assert_heap_ok(struct heap *heap)
{
	assert_int_equal(heap_check(heap), HEAP_FAULT_NONE);
}

/* heap_alloc that may run out of memory but must not fail otherwise. */
static void *try_alloc(struct heap *heap, size_t size, size_t align)
{
	void *ptr = (void *)1;
	kerr_t err = heap_alloc(heap, size, align, &ptr);

	assert_true(err == K_OK || err == K_ENOMEM);
	assert_true(err == K_OK ? ptr != NULL : ptr == NULL);
	return ptr;
}

static void *must_alloc(struct heap *heap, size_t size, size_t align)
{
	void *ptr = try_alloc(heap, size, align);

	assert_non_null(ptr);
	return ptr;
}

static void must_free(struct heap *heap, void *ptr)
{
	assert_int_equal(heap_free_checked(heap, ptr), HEAP_FAULT_NONE);
}

static struct heap_stats stats_of(struct heap *heap)
{
	struct heap_stats stats;

	heap_get_stats(heap, &stats);
	return stats;
}

/* Nothing live; every page free except at most one cached slab page per
 * class. */
static void assert_all_free(struct heap *heap)
{
	struct heap_stats stats = stats_of(heap);

	assert_int_equal(stats.in_use_bytes, 0);
	assert_int_equal(stats.live_allocations, 0);
	assert_int_equal(stats.free_bytes + stats.slab_spare_bytes, stats.total_bytes);
	assert_true(stats.slab_spare_bytes <= HEAP_CLASS_COUNT * HEAP_PAGE_SIZE);
	assert_heap_ok(heap);
}

static uintptr_t allocatable_start(const struct heap *heap)
{
	return heap->base + ((uintptr_t)heap->first_page << HEAP_PAGE_SHIFT);
}

static uintptr_t allocatable_end(const struct heap *heap)
{
	return heap->base + ((uintptr_t)heap->page_count << HEAP_PAGE_SHIFT);
}

/* How many order-`order` blocks the free lists could yield (by splitting
 * bigger ones). Reads the heap's lists directly: tests may. */
static size_t blocks_that_fit(const struct heap *heap, unsigned order)
{
	size_t count = 0;

	for (unsigned have = order; have <= HEAP_MAX_ORDER; have++) {
		for (uint32_t page = heap->free_head[have]; page != UINT32_MAX;
		     page = heap->pages[page].next)
			count += (size_t)1 << (have - order);
	}
	return count;
}

/* xorshift64*: deterministic across platforms, unlike rand(). */
static uint64_t next_random(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 2685821657736338717ull;
}

static size_t random_between(uint64_t *state, size_t lo, size_t hi)
{
	return lo + (size_t)(next_random(state) % (hi - lo + 1));
}

/* ---------------------------------------------------------- shadow model */

#define SHADOW_CAPACITY 4096
#define RANDOM_LIVE_MAX 400 /* the random tests' live allocations */

struct shadow_entry {
	uint8_t *ptr;
	size_t size;
	uint32_t id;
};

struct shadow {
	struct heap *heap;
	struct shadow_entry live[SHADOW_CAPACITY];
	size_t count;
	uint32_t next_id;
};

static uint8_t pattern_byte(uint32_t id, size_t i)
{
	return (uint8_t)(id * 167u + i * 13u + (i >> 8) + (id >> 8));
}

static void pattern_fill(uint8_t *ptr, size_t size, uint32_t id)
{
	for (size_t i = 0; i < size; i++)
		ptr[i] = pattern_byte(id, i);
}

static void pattern_verify(const uint8_t *ptr, size_t size, uint32_t id)
{
	for (size_t i = 0; i < size; i++) {
		if (ptr[i] != pattern_byte(id, i))
			fail_msg("allocation %u at %p: byte %zu overwritten", id, (void *)ptr, i);
	}
}

/* A new allocation must lie inside the heap and overlap nothing live. */
static void shadow_check_placement(const struct shadow *shadow, const uint8_t *ptr, size_t size)
{
	uintptr_t start = (uintptr_t)ptr, end = start + size;

	assert_true(start >= allocatable_start(shadow->heap));
	assert_true(end <= allocatable_end(shadow->heap));
	assert_int_equal(start % HEAP_MIN_ALIGN, 0);
	for (size_t i = 0; i < shadow->count; i++) {
		uintptr_t other = (uintptr_t)shadow->live[i].ptr;

		if (start < other + shadow->live[i].size && other < end)
			fail_msg("%p+%zu overlaps live %p+%zu", (void *)ptr, size,
				 (void *)shadow->live[i].ptr, shadow->live[i].size);
	}
}

static void shadow_add(struct shadow *shadow, uint8_t *ptr, size_t size)
{
	struct shadow_entry *entry = &shadow->live[shadow->count];

	shadow_check_placement(shadow, ptr, size);
	entry->ptr = ptr;
	entry->size = size;
	entry->id = shadow->next_id++;
	pattern_fill(ptr, size, entry->id);
	shadow->count++;
}

static void shadow_free_at(struct shadow *shadow, size_t index)
{
	struct shadow_entry *entry = &shadow->live[index];

	pattern_verify(entry->ptr, entry->size, entry->id);
	must_free(shadow->heap, entry->ptr);
	*entry = shadow->live[--shadow->count];
}

static void shadow_free_all(struct shadow *shadow)
{
	while (shadow->count)
		shadow_free_at(shadow, shadow->count - 1);
}

/* Mostly small, sometimes page-sized, rarely big. */
static size_t random_size(uint64_t *rng)
{
	unsigned pick = (unsigned)random_between(rng, 0, 99);

	if (pick < 70)
		return random_between(rng, 1, 256);
	if (pick < 90)
		return random_between(rng, 257, 4096);
	return random_between(rng, 4097, 65536);
}

static void random_alloc(struct shadow *shadow, uint64_t *rng)
{
	size_t size = random_size(rng);
	size_t align = random_between(rng, 0, 9) == 0 ? 1ul << random_between(rng, 0, 13)
						      : HEAP_MIN_ALIGN;
	uint8_t *ptr = try_alloc(shadow->heap, size, align);

	if (!ptr)
		return;
	assert_int_equal((uintptr_t)ptr % align, 0);
	shadow_add(shadow, ptr, size);
}

static void random_realloc(struct shadow *shadow, uint64_t *rng)
{
	size_t index = random_between(rng, 0, shadow->count - 1);
	struct shadow_entry old = shadow->live[index];
	size_t size = random_size(rng);
	enum heap_fault fault;
	void *moved;
	kerr_t err;

	pattern_verify(old.ptr, old.size, old.id);
	err = heap_realloc(shadow->heap, old.ptr, size, &moved, &fault);
	assert_int_equal(fault, HEAP_FAULT_NONE);
	if (err == K_ENOMEM) {
		pattern_verify(old.ptr, old.size, old.id); /* untouched on failure */
		return;
	}
	assert_int_equal(err, K_OK);
	pattern_verify(moved, size < old.size ? size : old.size, old.id);
	shadow->live[index] = shadow->live[--shadow->count];
	shadow_add(shadow, moved, size);
}

static void run_random_ops(struct heap *heap, uint64_t seed, unsigned ops)
{
	static struct shadow shadow;
	uint64_t rng = seed;

	memset(&shadow, 0, sizeof(shadow));
	shadow.heap = heap;
	for (unsigned op = 0; op < ops; op++) {
		unsigned pick = (unsigned)random_between(&rng, 0, 99);

		if (shadow.count == 0 || (pick < 50 && shadow.count < RANDOM_LIVE_MAX))
			random_alloc(&shadow, &rng);
		else if (pick < 85)
			shadow_free_at(&shadow, random_between(&rng, 0, shadow.count - 1));
		else
			random_realloc(&shadow, &rng);
		assert_heap_ok(heap);
		assert_int_equal(stats_of(heap).live_allocations, shadow.count);
	}
	shadow_free_all(&shadow);
	assert_heap_ok(heap);
}

/* ---------------------------------------------------------- init */

static void init_rejects_arena_without_room(void **state)
{
	struct heap heap;
	void *arena = aligned_alloc(HEAP_PAGE_SIZE, 2 * HEAP_PAGE_SIZE);

	(void)state;
	assert_int_equal(heap_init(&heap, "tiny", arena, 100), K_EINVAL);
	/* One page: the descriptor table fills it, nothing left to allocate. */
	assert_int_equal(heap_init(&heap, "tiny", arena, HEAP_PAGE_SIZE), K_EINVAL);
	/* Unaligned and just under two pages: trimmed to one page. */
	assert_int_equal(heap_init(&heap, "tiny", (char *)arena + 1, 2 * HEAP_PAGE_SIZE - 1),
			 K_EINVAL);
	assert_int_equal(heap_init(&heap, "small", arena, 2 * HEAP_PAGE_SIZE), K_OK);
	assert_heap_ok(&heap);
	assert_int_equal(stats_of(&heap).total_bytes, HEAP_PAGE_SIZE);
	free(arena);
}

static void init_makes_everything_free(void **state)
{
	struct test_heap *t = test_heap_new(4u << 20);
	struct heap_stats stats = stats_of(&t->heap);

	(void)state;
	assert_true(stats.total_bytes > (4u << 20) - 64 * HEAP_PAGE_SIZE);
	assert_int_equal(stats.free_bytes, stats.total_bytes);
	assert_int_equal(stats.in_use_bytes, 0);
	assert_int_equal(stats.slab_spare_bytes, 0);
	assert_true(stats.largest_free_block >= (1u << 20));
	assert_int_equal(stats.live_allocations, 0);
	test_heap_delete(t);
}

/* ---------------------------------------------------------- basic behaviour */

static void zero_size_allocates_nothing(void **state)
{
	struct test_heap *t = test_heap_new(1u << 20);
	void *ptr = (void *)1;

	(void)state;
	assert_int_equal(heap_alloc(&t->heap, 0, HEAP_MIN_ALIGN, &ptr), K_OK);
	assert_null(ptr);
	assert_int_equal(stats_of(&t->heap).alloc_count, 0);
	assert_int_equal(stats_of(&t->heap).fail_count, 0);
	assert_int_equal(heap_free_checked(&t->heap, NULL), HEAP_FAULT_NONE);
	assert_heap_ok(&t->heap);
	test_heap_delete(t);
}

static void bad_alignment_is_rejected(void **state)
{
	struct test_heap *t = test_heap_new(1u << 20);
	const size_t bad[] = { 0, 3, 48, 4097, (size_t)1 << 31 };
	void *ptr;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(heap_alloc(&t->heap, 64, bad[i], &ptr), K_EINVAL);
		assert_null(ptr);
	}
	assert_int_equal(stats_of(&t->heap).fail_count, 0);
	test_heap_delete(t);
}

static void every_size_class_is_aligned(void **state)
{
	struct test_heap *t = test_heap_new(4u << 20);
	void *ptrs[2 * 16];
	size_t n = 0;

	(void)state;
	for (size_t size = 1; size <= 16384; size *= 2) {
		ptrs[n] = must_alloc(&t->heap, size, HEAP_MIN_ALIGN);
		assert_int_equal((uintptr_t)ptrs[n++] % HEAP_MIN_ALIGN, 0);
		ptrs[n] = must_alloc(&t->heap, size + 1, HEAP_MIN_ALIGN);
		assert_int_equal((uintptr_t)ptrs[n++] % HEAP_MIN_ALIGN, 0);
		assert_heap_ok(&t->heap);
	}
	while (n)
		must_free(&t->heap, ptrs[--n]);
	assert_heap_ok(&t->heap);
	test_heap_delete(t);
}

static void aligned_allocation_honours_alignment(void **state)
{
	struct test_heap *t = test_heap_new(8u << 20);
	const size_t sizes[] = { 1, 15, 16, 100, 2000, 3000, 5000 };

	(void)state;
	for (size_t align = 1; align <= (1u << 20); align *= 2) {
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			void *ptr = must_alloc(&t->heap, sizes[i], align);

			assert_int_equal((uintptr_t)ptr % align, 0);
			memset(ptr, 0x5a, sizes[i]);
			assert_heap_ok(&t->heap);
			must_free(&t->heap, ptr);
		}
	}
	assert_all_free(&t->heap);
	test_heap_delete(t);
}

/* ---------------------------------------------------------- randomised */

static void random_sequences_match_shadow(void **state)
{
	const uint64_t seeds[] = { 1, 0x9e3779b97f4a7c15ull, 0xdeadbeefcafef00dull, 42 };

	(void)state;
	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		struct test_heap *t = test_heap_new(8u << 20);

		run_random_ops(&t->heap, seeds[i], 4000);
		assert_all_free(&t->heap);
		test_heap_delete(t);
	}
}

static void random_sequences_in_tight_arena(void **state)
{
	/* 1 MiB: large requests fail often, so the ENOMEM paths get exercised
	 * in the middle of everything else. */
	struct test_heap *t = test_heap_new(1u << 20);

	(void)state;
	run_random_ops(&t->heap, 7, 6000);
	assert_true(stats_of(&t->heap).fail_count > 0);
	assert_all_free(&t->heap);
	test_heap_delete(t);
}

/* ---------------------------------------------------------- fragmentation */

#define FRAG_COUNT 4096

static void large_allocs_survive_small_fragmentation(void **state)
{
	struct test_heap *t = test_heap_new(4u << 20);
	static void *small[FRAG_COUNT];
	void *big[256];
	size_t big_count = 0, fitting;

	(void)state;
	for (size_t i = 0; i < FRAG_COUNT; i++)
		small[i] = must_alloc(&t->heap, 200, HEAP_MIN_ALIGN);
	for (size_t i = 0; i < FRAG_COUNT; i += 2)
		must_free(&t->heap, small[i]);
	assert_heap_ok(&t->heap);

	/* Half-empty slab pages cannot serve 64 KiB, but the untouched pages
	 * can: every byte of free buddy memory is still usable. */
	fitting = blocks_that_fit(&t->heap, 4); /* 60000 + red zone -> 64 KiB */
	assert_true(fitting >= 16);
	while (big_count < 256 && (big[big_count] = try_alloc(&t->heap, 60000, HEAP_MIN_ALIGN)))
		big_count++;
	assert_int_equal(big_count, fitting);
	assert_heap_ok(&t->heap);

	while (big_count)
		must_free(&t->heap, big[--big_count]);
	for (size_t i = 1; i < FRAG_COUNT; i += 2)
		must_free(&t->heap, small[i]);
	assert_heap_ok(&t->heap);
	assert_all_free(&t->heap);
	test_heap_delete(t);
}

static void freed_pages_coalesce_into_large_blocks(void **state)
{
	struct test_heap *t = test_heap_new(4u << 20);
	static void *pages[1024];
	size_t count = 0, largest_before = stats_of(&t->heap).largest_free_block;

	(void)state;
	while (count < 1024 && (pages[count] = try_alloc(&t->heap, 3000, HEAP_MIN_ALIGN)))
		count++;
	assert_null(try_alloc(&t->heap, 3000, HEAP_MIN_ALIGN)); /* full */
	for (size_t i = 0; i < count; i += 2)
		must_free(&t->heap, pages[i]);
	/* Every other page free: lots of memory, no two pages adjacent. */
	assert_null(try_alloc(&t->heap, 8192, HEAP_MIN_ALIGN));
	for (size_t i = 1; i < count; i += 2)
		must_free(&t->heap, pages[i]);
	assert_heap_ok(&t->heap);
	assert_int_equal(stats_of(&t->heap).largest_free_block, largest_before);
	must_free(&t->heap, must_alloc(&t->heap, largest_before - 4096, HEAP_MIN_ALIGN));
	test_heap_delete(t);
}

/* ---------------------------------------------------------- exhaustion */

static void exhaustion_fails_cleanly_and_recovers(void **state)
{
	struct test_heap *t = test_heap_new(2u << 20);
	static struct shadow shadow;
	uint64_t rng = 99;
	size_t largest = stats_of(&t->heap).largest_free_block;

	(void)state;
	memset(&shadow, 0, sizeof(shadow));
	shadow.heap = &t->heap;
	/* Fill with ever smaller requests until even 1 byte fails. */
	for (size_t size = 32768; size >= 1; size /= 2) {
		uint8_t *ptr;

		while (shadow.count < SHADOW_CAPACITY &&
		       (ptr = try_alloc(&t->heap, size + random_between(&rng, 0, size / 2), 1)))
			shadow_add(&shadow, ptr, size);
		assert_heap_ok(&t->heap);
		assert_true(shadow.count < SHADOW_CAPACITY);
	}
	assert_true(stats_of(&t->heap).fail_count > 0);
	assert_null(try_alloc(&t->heap, largest, HEAP_MIN_ALIGN));
	assert_heap_ok(&t->heap);
	shadow_free_all(&shadow);
	assert_heap_ok(&t->heap);
	assert_all_free(&t->heap);
	must_free(&t->heap, must_alloc(&t->heap, largest - HEAP_PAGE_SIZE, HEAP_MIN_ALIGN));
	test_heap_delete(t);
}

static void huge_requests_fail_without_damage(void **state)
{
	struct test_heap *t = test_heap_new(1u << 20);

	(void)state;
	assert_null(try_alloc(&t->heap, SIZE_MAX, HEAP_MIN_ALIGN));
	assert_null(try_alloc(&t->heap, SIZE_MAX - 8, HEAP_MIN_ALIGN));
	assert_null(try_alloc(&t->heap, (size_t)1 << 40, HEAP_MIN_ALIGN));
	assert_null(try_alloc(&t->heap, 2u << 20, HEAP_MIN_ALIGN));
	assert_int_equal(stats_of(&t->heap).fail_count, 4);
	assert_all_free(&t->heap);
	assert_heap_ok(&t->heap);
	test_heap_delete(t);
}

/* ---------------------------------------------------------- bad frees */

static void double_free_is_detected(void **state)
{
	struct test_heap *t = test_heap_new(1u << 20);
	void *small = must_alloc(&t->heap, 100, HEAP_MIN_ALIGN);
	void *keep = must_alloc(&t->heap, 100, HEAP_MIN_ALIGN); /* keeps the slab page */
	void *block = must_alloc(&t->heap, 10000, HEAP_MIN_ALIGN);
	struct heap_stats before;

	(void)state;
	must_free(&t->heap, small);
	must_free(&t->heap, block);
	before = stats_of(&t->heap);
	assert_int_equal(heap_free_checked(&t->heap, small), HEAP_FAULT_DOUBLE_FREE);
	/* The block merged with its buddies: still recognised as free memory. */
	assert_int_equal(heap_free_checked(&t->heap, block), HEAP_FAULT_DOUBLE_FREE);
	assert_int_equal(heap_free_checked(&t->heap, (char *)block + 4096), HEAP_FAULT_DOUBLE_FREE);
	assert_int_equal(stats_of(&t->heap).free_count, before.free_count);
	assert_int_equal(stats_of(&t->heap).free_bytes, before.free_bytes);
	assert_heap_ok(&t->heap);
	must_free(&t->heap, keep);
	test_heap_delete(t);
}

static void foreign_pointers_are_detected(void **state)
{
	struct test_heap *t = test_heap_new(1u << 20);
	char *small = must_alloc(&t->heap, 100, HEAP_MIN_ALIGN);
	char *block = must_alloc(&t->heap, 3 * HEAP_PAGE_SIZE, HEAP_MIN_ALIGN);
	int on_stack;

	(void)state;
	assert_int_equal(heap_free_checked(&t->heap, &on_stack), HEAP_FAULT_FOREIGN);
	assert_int_equal(heap_free_checked(&t->heap, (void *)t->heap.base), HEAP_FAULT_FOREIGN);
	assert_int_equal(heap_free_checked(&t->heap, (void *)(allocatable_start(&t->heap) - 16)),
			 HEAP_FAULT_FOREIGN);
	assert_int_equal(heap_free_checked(&t->heap, (void *)allocatable_end(&t->heap)),
			 HEAP_FAULT_FOREIGN);
	assert_int_equal(heap_free_checked(&t->heap, small + 1), HEAP_FAULT_NOT_START);
	assert_int_equal(heap_free_checked(&t->heap, small + 16), HEAP_FAULT_NOT_START);
	assert_int_equal(heap_free_checked(&t->heap, block + 8), HEAP_FAULT_NOT_START);
	assert_int_equal(heap_free_checked(&t->heap, block + 2 * HEAP_PAGE_SIZE),
			 HEAP_FAULT_NOT_START);
	assert_int_equal(heap_free_checked(&t->heap, block + 3 * HEAP_PAGE_SIZE + 5),
			 HEAP_FAULT_NOT_START);
	assert_int_equal(stats_of(&t->heap).live_allocations, 2);
	assert_heap_ok(&t->heap);
	must_free(&t->heap, small);
	must_free(&t->heap, block);
	test_heap_delete(t);
}

/* Red zones and poisoning exist only in debug builds. Called before a
 * test allocates anything: skip() does not return. */
static void skip_without_heap_debug(void)
{
	if (!CONFIG_HEAP_DEBUG)
		skip();
}

static void overrun_into_red_zone_is_detected(void **state)
{
	struct test_heap *t;
	char *small, *block, saved;

	(void)state;
	skip_without_heap_debug();
	t = test_heap_new(1u << 20);
	small = must_alloc(&t->heap, 100, HEAP_MIN_ALIGN);
	block = must_alloc(&t->heap, 5000, HEAP_MIN_ALIGN);

	saved = small[100];
	small[100] = 0; /* one byte past the end */
	assert_int_equal(heap_check(&t->heap), HEAP_FAULT_REDZONE);
	assert_int_equal(heap_free_checked(&t->heap, small), HEAP_FAULT_REDZONE);
	small[100] = saved;
	must_free(&t->heap, small);

	saved = block[5003];
	block[5003] = 'x';
	assert_int_equal(heap_free_checked(&t->heap, block), HEAP_FAULT_REDZONE);
	block[5003] = saved;
	must_free(&t->heap, block);
	assert_heap_ok(&t->heap);
	test_heap_delete(t);
}

static void overwritten_slab_trailer_is_detected(void **state)
{
	struct test_heap *t;
	uint8_t *ptr, saved;

	(void)state;
	skip_without_heap_debug();
	t = test_heap_new(1u << 20);
	ptr = must_alloc(&t->heap, 40, HEAP_MIN_ALIGN); /* 40 + 16 -> 64-byte slot */
	saved = ptr[63];
	ptr[63] ^= 1; /* the trailer's last byte */
	assert_int_equal(heap_free_checked(&t->heap, ptr), HEAP_FAULT_REDZONE);
	ptr[63] = saved;
	must_free(&t->heap, ptr);
	test_heap_delete(t);
}

static void freed_memory_is_poisoned(void **state)
{
	struct test_heap *t;
	uint8_t *keep, *ptr;

	(void)state;
	skip_without_heap_debug();
	t = test_heap_new(1u << 20);
	keep = must_alloc(&t->heap, 100, HEAP_MIN_ALIGN); /* keeps the slab page alive */
	ptr = must_alloc(&t->heap, 100, HEAP_MIN_ALIGN);
	memset(ptr, 0x11, 100);
	must_free(&t->heap, ptr);
	for (size_t i = 0; i < 100; i++)
		assert_int_equal(ptr[i], 0x6b);
	must_free(&t->heap, keep);
	test_heap_delete(t);
}

static void heap_check_detects_tampering(void **state)
{
	struct test_heap *t = test_heap_new(1u << 20);
	void *ptr = must_alloc(&t->heap, 100, HEAP_MIN_ALIGN);
	uint32_t slab = (uint32_t)(((uintptr_t)ptr - t->heap.base) >> HEAP_PAGE_SHIFT);
	struct heap_page saved = t->heap.pages[slab];

	(void)state;
	t->heap.pages[slab].slab_live++;
	assert_int_equal(heap_check(&t->heap), HEAP_FAULT_CORRUPT);
	t->heap.pages[slab] = saved;

	t->heap.pages[slab].prev = 5; /* bad back link on the partial list */
	assert_int_equal(heap_check(&t->heap), HEAP_FAULT_CORRUPT);
	t->heap.pages[slab] = saved;

	t->heap.pages[slab].state = PAGE_TAIL; /* its block vanishes from the tiling */
	assert_int_equal(heap_check(&t->heap), HEAP_FAULT_CORRUPT);
	t->heap.pages[slab] = saved;

	t->heap.free_bytes += HEAP_PAGE_SIZE;
	assert_int_equal(heap_check(&t->heap), HEAP_FAULT_CORRUPT);
	t->heap.free_bytes -= HEAP_PAGE_SIZE;
	assert_heap_ok(&t->heap);
	must_free(&t->heap, ptr);
	test_heap_delete(t);
}

/* ---------------------------------------------------------- realloc */

static void realloc_grows_and_shrinks_keeping_contents(void **state)
{
	struct test_heap *t = test_heap_new(2u << 20);
	const size_t sizes[] = { 10, 100, 2000, 5000, 100000, 300, 20, 70000, 1 };
	enum heap_fault fault;
	uint8_t *ptr = must_alloc(&t->heap, 5, HEAP_MIN_ALIGN);
	size_t size = 5;

	(void)state;
	pattern_fill(ptr, size, 77);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		void *moved;

		assert_int_equal(heap_realloc(&t->heap, ptr, sizes[i], &moved, &fault), K_OK);
		pattern_verify(moved, size < sizes[i] ? size : sizes[i], 77);
		ptr = moved;
		size = sizes[i];
		pattern_fill(ptr, size, 77);
		assert_heap_ok(&t->heap);
	}
	must_free(&t->heap, ptr);
	assert_int_equal(stats_of(&t->heap).live_allocations, 0);
	test_heap_delete(t);
}

static void realloc_within_slot_stays_in_place(void **state)
{
	struct test_heap *t = test_heap_new(1u << 20);
	enum heap_fault fault;
	void *ptr = must_alloc(&t->heap, 40, HEAP_MIN_ALIGN), *moved;

	(void)state;
	assert_int_equal(heap_realloc(&t->heap, ptr, 44, &moved, &fault), K_OK);
	assert_ptr_equal(moved, ptr);
	assert_int_equal(heap_realloc(&t->heap, ptr, 36, &moved, &fault), K_OK);
	assert_ptr_equal(moved, ptr);
	assert_heap_ok(&t->heap);
	must_free(&t->heap, ptr);
	test_heap_delete(t);
}

static void realloc_failure_keeps_old_allocation(void **state)
{
	struct test_heap *t = test_heap_new(1u << 20);
	enum heap_fault fault;
	uint8_t *ptr = must_alloc(&t->heap, 300, HEAP_MIN_ALIGN);
	void *moved = ptr;

	(void)state;
	pattern_fill(ptr, 300, 5);
	assert_int_equal(heap_realloc(&t->heap, ptr, 8u << 20, &moved, &fault), K_ENOMEM);
	assert_null(moved);
	assert_int_equal(fault, HEAP_FAULT_NONE);
	pattern_verify(ptr, 300, 5);
	assert_heap_ok(&t->heap);
	must_free(&t->heap, ptr);
	test_heap_delete(t);
}

static void realloc_of_bad_pointer_changes_nothing(void **state)
{
	struct test_heap *t = test_heap_new(1u << 20);
	enum heap_fault fault;
	char *ptr = must_alloc(&t->heap, 300, HEAP_MIN_ALIGN);
	void *moved;

	(void)state;
	assert_int_equal(heap_realloc(&t->heap, ptr + 4, 900, &moved, &fault), K_EFAULT);
	assert_int_equal(fault, HEAP_FAULT_NOT_START);
	assert_int_equal(heap_realloc(&t->heap, ptr + 4, 0, &moved, &fault), K_EFAULT);
	assert_int_equal(fault, HEAP_FAULT_NOT_START);
	assert_int_equal(stats_of(&t->heap).live_allocations, 1);
	must_free(&t->heap, ptr);
	test_heap_delete(t);
}

/* ---------------------------------------------------------- concurrency */

#define THREADS 4
#define THREAD_OPS 20000
#define THREAD_SLOTS 64

struct worker {
	pthread_t thread;
	struct heap *heap;
	uint64_t seed;
	unsigned failures;
};

static bool verify_thread_pattern(const uint8_t *ptr, size_t size, uint32_t id)
{
	for (size_t i = 0; i < size; i++) {
		if (ptr[i] != pattern_byte(id, i))
			return false;
	}
	return true;
}

/* cmocka's asserts are not thread safe: count failures, assert in main. */
static void *worker_run(void *arg)
{
	struct worker *w = arg;
	uint8_t *ptrs[THREAD_SLOTS] = { 0 };
	size_t sizes[THREAD_SLOTS] = { 0 };
	uint64_t rng = w->seed;

	for (unsigned op = 0; op < THREAD_OPS; op++) {
		size_t slot = random_between(&rng, 0, THREAD_SLOTS - 1);
		uint32_t id = (uint32_t)(w->seed * 1000 + slot);
		void *fresh;

		if (ptrs[slot]) {
			w->failures += !verify_thread_pattern(ptrs[slot], sizes[slot], id);
			w->failures += heap_free_checked(w->heap, ptrs[slot]) != HEAP_FAULT_NONE;
			ptrs[slot] = NULL;
			continue;
		}
		sizes[slot] = random_size(&rng);
		if (heap_alloc(w->heap, sizes[slot], HEAP_MIN_ALIGN, &fresh) == K_OK) {
			ptrs[slot] = fresh;
			pattern_fill(ptrs[slot], sizes[slot], id);
		}
	}
	for (size_t slot = 0; slot < THREAD_SLOTS; slot++)
		w->failures += heap_free_checked(w->heap, ptrs[slot]) != HEAP_FAULT_NONE;
	return NULL;
}

static void threads_share_one_heap(void **state)
{
	struct test_heap *t = test_heap_new(16u << 20);
	struct worker workers[THREADS];

	(void)state;
	for (size_t i = 0; i < THREADS; i++) {
		workers[i] = (struct worker){ .heap = &t->heap, .seed = i + 1 };
		assert_int_equal(pthread_create(&workers[i].thread, NULL, worker_run, &workers[i]), 0);
	}
	for (size_t i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(workers[i].thread, NULL), 0);
		assert_int_equal(workers[i].failures, 0);
	}
	assert_heap_ok(&t->heap);
	assert_int_equal(stats_of(&t->heap).live_allocations, 0);
	assert_int_equal(stats_of(&t->heap).alloc_count, stats_of(&t->heap).free_count);
	test_heap_delete(t);
}

/* ---------------------------------------------------------- region choice */

#define MiB (1ull << 20)

struct fake_map {
	struct limine_memmap_response response;
	struct limine_memmap_entry entries[8];
	struct limine_memmap_entry *pointers[8];
};

static void fake_map_add(struct fake_map *map, uint64_t base, uint64_t length, uint64_t type)
{
	size_t i = map->response.entry_count++;

	map->entries[i] = (struct limine_memmap_entry){ base, length, type };
	map->pointers[i] = &map->entries[i];
	map->response.entries = map->pointers;
}

static kerr_t choose(struct fake_map *map, uint64_t *base, uint64_t *size)
{
	return heap_choose_region(&map->response, base, size);
}

static void region_is_largest_usable_cut_to_heap_size(void **state)
{
	struct fake_map map = { 0 };
	uint64_t base, size;

	(void)state;
	fake_map_add(&map, 0, 0x9f000, LIMINE_MEMMAP_USABLE);
	fake_map_add(&map, 0x100000, 20 * MiB, LIMINE_MEMMAP_USABLE);
	fake_map_add(&map, 64 * MiB, 512 * MiB, LIMINE_MEMMAP_RESERVED);
	fake_map_add(&map, 32 * MiB, 30 * MiB, LIMINE_MEMMAP_USABLE);
	assert_int_equal(choose(&map, &base, &size), K_OK);
	assert_int_equal(base, 32 * MiB);
	assert_int_equal(size, KERNEL_HEAP_SIZE);
}

static void region_skips_low_memory_and_rounds_to_2mib(void **state)
{
	struct fake_map map = { 0 };
	uint64_t base, size;

	(void)state;
	/* 0 .. 7 MiB: the usable part starts at 2 MiB, 5 MiB long. */
	fake_map_add(&map, 0, 7 * MiB, LIMINE_MEMMAP_USABLE);
	assert_int_equal(choose(&map, &base, &size), K_OK);
	assert_int_equal(base, 2 * MiB);
	assert_int_equal(size, 5 * MiB);
}

static void region_too_small_after_rounding_is_refused(void **state)
{
	struct fake_map map = { 0 };
	uint64_t base = 1, size = 1;

	(void)state;
	fake_map_add(&map, 0x100000, 5 * MiB, LIMINE_MEMMAP_USABLE);   /* 2..6 MiB = 4 MiB: ok */
	fake_map_add(&map, 9 * MiB, 5 * MiB, LIMINE_MEMMAP_USABLE);    /* 10..14 MiB: ok */
	fake_map_add(&map, 33 * MiB, 4 * MiB + 1, LIMINE_MEMMAP_USABLE); /* 34..37: too small */
	fake_map_add(&map, 64 * MiB, 100 * MiB, LIMINE_MEMMAP_FRAMEBUFFER);
	assert_int_equal(choose(&map, &base, &size), K_OK);
	assert_int_equal(base, 2 * MiB); /* tie with 10 MiB: lowest wins */
	assert_int_equal(size, 4 * MiB);

	map.response.entry_count = 0;
	fake_map_add(&map, 33 * MiB, 4 * MiB + 1, LIMINE_MEMMAP_USABLE);
	fake_map_add(&map, 0, 1 * MiB, LIMINE_MEMMAP_USABLE);
	assert_int_equal(choose(&map, &base, &size), K_ENOMEM);
	assert_int_equal(base, 0);
	assert_int_equal(size, 0);
	assert_int_equal(heap_choose_region(NULL, &base, &size), K_EINVAL);
}

/* ---------------------------------------------------------- kernel heap */

#define FAKE_PHYS_BASE (64 * MiB)
static void *kernel_arena;

static void kmalloc_before_init_fails(void **state)
{
	uint64_t base = 1, size = 1;

	(void)state;
	assert_null(kmalloc(64));
	kfree(NULL);
	heap_physical_range(&base, &size);
	assert_int_equal(base, 0);
	assert_int_equal(size, 0);
}

/* Boots the global heap from a fake map: its only big usable region is
 * "physical" FAKE_PHYS_BASE, which the fake HHDM maps onto kernel_arena. */
static int kernel_heap_setup(void **state)
{
	struct fake_map map = { 0 };

	(void)state;
	kernel_arena = aligned_alloc(KERNEL_HEAP_PHYS_ALIGN, KERNEL_HEAP_SIZE);
	if (!kernel_arena)
		return -1;
	hhdm_set_offset((uint64_t)(uintptr_t)kernel_arena - FAKE_PHYS_BASE);
	fake_map_add(&map, 0x1000, 0x9e000, LIMINE_MEMMAP_USABLE);
	fake_map_add(&map, FAKE_PHYS_BASE, 256 * MiB, LIMINE_MEMMAP_USABLE);
	return init_kernel_heap(&map.response) == K_OK ? 0 : -1;
}

static int kernel_heap_teardown(void **state)
{
	(void)state;
	free(kernel_arena);
	return 0;
}

static void kernel_heap_reports_its_range(void **state)
{
	struct fake_map map = { 0 };
	uint64_t base, size;

	(void)state;
	heap_physical_range(&base, &size);
	assert_int_equal(base, FAKE_PHYS_BASE);
	assert_int_equal(size, KERNEL_HEAP_SIZE);
	assert_int_equal(heap_kernel()->base, (uintptr_t)kernel_arena);
	fake_map_add(&map, FAKE_PHYS_BASE, 256 * MiB, LIMINE_MEMMAP_USABLE);
	assert_int_equal(init_kernel_heap(&map.response), K_EEXIST);
}

static void kmalloc_zero_returns_null(void **state)
{
	uint64_t fails = stats_of(heap_kernel()).fail_count;

	(void)state;
	assert_null(kmalloc(0));
	assert_null(kzalloc(0));
	assert_int_equal(stats_of(heap_kernel()).fail_count, fails);
}

static void kzalloc_zeroes(void **state)
{
	const size_t sizes[] = { 100, 3000, 20000 };

	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint8_t *dirty = kmalloc(sizes[i]), *clean;

		memset(dirty, 0xaa, sizes[i]);
		kfree(dirty);
		clean = kzalloc(sizes[i]);
		assert_non_null(clean);
		for (size_t j = 0; j < sizes[i]; j++)
			assert_int_equal(clean[j], 0);
		kfree(clean);
	}
	assert_heap_ok(heap_kernel());
}

static void krealloc_follows_realloc_rules(void **state)
{
	size_t live = stats_of(heap_kernel()).live_allocations;
	uint8_t *ptr = krealloc(NULL, 50); /* = kmalloc */

	(void)state;
	assert_non_null(ptr);
	assert_int_equal(stats_of(heap_kernel()).live_allocations, live + 1);
	pattern_fill(ptr, 50, 9);
	ptr = krealloc(ptr, 9000);
	assert_non_null(ptr);
	pattern_verify(ptr, 50, 9);
	ptr = krealloc(ptr, 10);
	pattern_verify(ptr, 10, 9);
	assert_null(krealloc(ptr, 1ull << 40)); /* fails; ptr still ours */
	pattern_verify(ptr, 10, 9);
	assert_null(krealloc(ptr, 0)); /* = kfree */
	assert_int_equal(stats_of(heap_kernel()).live_allocations, live);
	assert_heap_ok(heap_kernel());
}

static void kmalloc_aligned_and_oom_on_kernel_heap(void **state)
{
	uint64_t fails = stats_of(heap_kernel()).fail_count;
	void *ptr = kmalloc_aligned(100, 4096);

	(void)state;
	assert_non_null(ptr);
	assert_int_equal((uintptr_t)ptr % 4096, 0);
	kfree(ptr);
	assert_null(kmalloc(KERNEL_HEAP_SIZE)); /* prints one report line */
	assert_int_equal(stats_of(heap_kernel()).fail_count, fails + 1);
	assert_heap_ok(heap_kernel());
}

int main(void)
{
	const struct CMUnitTest heap_tests[] = {
		cmocka_unit_test(init_rejects_arena_without_room),
		cmocka_unit_test(init_makes_everything_free),
		cmocka_unit_test(zero_size_allocates_nothing),
		cmocka_unit_test(bad_alignment_is_rejected),
		cmocka_unit_test(every_size_class_is_aligned),
		cmocka_unit_test(aligned_allocation_honours_alignment),
		cmocka_unit_test(random_sequences_match_shadow),
		cmocka_unit_test(random_sequences_in_tight_arena),
		cmocka_unit_test(large_allocs_survive_small_fragmentation),
		cmocka_unit_test(freed_pages_coalesce_into_large_blocks),
		cmocka_unit_test(exhaustion_fails_cleanly_and_recovers),
		cmocka_unit_test(huge_requests_fail_without_damage),
		cmocka_unit_test(double_free_is_detected),
		cmocka_unit_test(foreign_pointers_are_detected),
		cmocka_unit_test(overrun_into_red_zone_is_detected),
		cmocka_unit_test(overwritten_slab_trailer_is_detected),
		cmocka_unit_test(freed_memory_is_poisoned),
		cmocka_unit_test(heap_check_detects_tampering),
		cmocka_unit_test(realloc_grows_and_shrinks_keeping_contents),
		cmocka_unit_test(realloc_within_slot_stays_in_place),
		cmocka_unit_test(realloc_failure_keeps_old_allocation),
		cmocka_unit_test(realloc_of_bad_pointer_changes_nothing),
		cmocka_unit_test(threads_share_one_heap),
		cmocka_unit_test(region_is_largest_usable_cut_to_heap_size),
		cmocka_unit_test(region_skips_low_memory_and_rounds_to_2mib),
		cmocka_unit_test(region_too_small_after_rounding_is_refused),
		cmocka_unit_test(kmalloc_before_init_fails),
	};
	const struct CMUnitTest kernel_heap_tests[] = {
		cmocka_unit_test(kernel_heap_reports_its_range),
		cmocka_unit_test(kmalloc_zero_returns_null),
		cmocka_unit_test(kzalloc_zeroes),
		cmocka_unit_test(krealloc_follows_realloc_rules),
		cmocka_unit_test(kmalloc_aligned_and_oom_on_kernel_heap),
	};
	int failed = cmocka_run_group_tests_name("heap", heap_tests, NULL, NULL);

	failed += cmocka_run_group_tests_name("kernel heap", kernel_heap_tests, kernel_heap_setup,
					      kernel_heap_teardown);
	return failed;
}
