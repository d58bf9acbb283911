/*
 * memory: the heap and the frame allocator on the real machine (self-test
 * group).
 *
 * Host unit tests cover the allocators' logic; here they run on the real
 * memory map, through the HHDM, with the real locks. Patterns: many small
 * allocations with a pattern written and verified in each, frees in an
 * interleaved order, a reallocation that must keep its bytes, and frames
 * allocated, written through the HHDM, freed, with the counters back where
 * they started.
 */
#include <selftest.h>

#include <frame.h>
#include <heap.h>
#include <hhdm.h>
#include <kstring.h>
#include <stddef.h>

#define SMALL_ALLOCS 64
#define TEST_FRAMES 32

static size_t size_for(unsigned i)
{
	return 8 + (i * 37) % 3000;
}

static bool heap_patterns(void)
{
	uint8_t *blocks[SMALL_ALLOCS];
	bool ok = true;

	for (unsigned i = 0; i < SMALL_ALLOCS; i++) {
		blocks[i] = kmalloc(size_for(i));
		if (!blocks[i])
			return false;
		selftest_fill_pattern(blocks[i], size_for(i), (uint8_t)i);
	}
	for (unsigned i = 0; i < SMALL_ALLOCS; i += 2) {
		ok &= selftest_pattern_intact(blocks[i], size_for(i), (uint8_t)i);
		kfree(blocks[i]);
	}
	for (unsigned i = 1; i < SMALL_ALLOCS; i += 2) {
		ok &= selftest_pattern_intact(blocks[i], size_for(i), (uint8_t)i);
		kfree(blocks[i]);
	}
	return ok && heap_check(heap_kernel()) == HEAP_FAULT_NONE;
}

static bool heap_realloc_keeps_bytes(void)
{
	uint8_t *p = kmalloc(100);

	if (!p)
		return false;
	selftest_fill_pattern(p, 100, 7);
	uint8_t *q = krealloc(p, 20000);
	bool ok = q && selftest_pattern_intact(q, 100, 7);
	kfree(q ? q : p);
	return ok;
}

static bool heap_aligned(void)
{
	void *p = kmalloc_aligned(512, 4096);
	bool ok = p && ((uintptr_t)p & 4095) == 0;

	kfree(p);
	return ok;
}

static bool frames_round_trip(void)
{
	paddr_t frames[TEST_FRAMES];
	uint64_t free_before = frame_free_count();
	bool ok = true;

	for (unsigned i = 0; i < TEST_FRAMES; i++) {
		if (frame_alloc(&frames[i]) != K_OK)
			return false;
		memset(phys_to_virt(frames[i]), (int)i, FRAME_SIZE);
	}
	ok &= frame_free_count() == free_before - TEST_FRAMES;
	for (unsigned i = 0; i < TEST_FRAMES; i++) {
		ok &= *(uint8_t *)phys_to_virt(frames[i]) == (uint8_t)i;
		ok &= frame_free(frames[i]) == K_OK;
	}
	ok &= frame_free(frames[0]) == K_EINVAL; /* double free is refused */
	return ok && frame_free_count() == free_before;
}

static bool frames_contiguous(void)
{
	paddr_t base;
	uint64_t free_before = frame_free_count();

	if (frame_alloc_contiguous(512, 512, &base) != K_OK)
		return false;
	bool ok = (base & (512 * FRAME_SIZE - 1)) == 0;
	ok &= frame_free_contiguous(base, 512) == K_OK;
	return ok && frame_free_count() == free_before;
}

void selftest_memory(void)
{
	selftest_check(heap_patterns(), "heap.patterns");
	selftest_check(heap_realloc_keeps_bytes(), "heap.realloc_keeps_bytes");
	selftest_check(heap_aligned(), "heap.aligned");
	selftest_check(frames_round_trip(), "frames.round_trip");
	selftest_check(frames_contiguous(), "frames.contiguous_2mib");
}
