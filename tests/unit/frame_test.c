/*
 * frame_test: the physical frame allocator (kernel/mm/frame.c).
 *
 * Every test starts from frame_init(), which resets the one global
 * allocator. Physical addresses are only numbers here: the allocator never
 * touches frame contents, so no memory backs them.
 *
 * Beyond single behaviours, a randomised sequence of operations is checked
 * against a shadow model (which frames are in the pool, which are handed
 * out), and a few threads hammer the allocator while recording who owns
 * each frame, to catch a frame handed out twice.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <frame.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KIB (1ULL << 10)
#define MIB (1ULL << 20)
#define GIB (1ULL << 30)

static int reset(void **state)
{
	(void)state;
	frame_init();
	return 0;
}

static paddr_t frame_addr(uint64_t frame)
{
	return frame * FRAME_SIZE;
}

static void add(paddr_t base, uint64_t length)
{
	assert_int_equal(frame_add_usable(base, length), K_OK);
}

static void reserve(paddr_t base, uint64_t length)
{
	assert_int_equal(frame_reserve(base, length), K_OK);
}

static paddr_t alloc_one(void)
{
	paddr_t p = 0;

	assert_int_equal(frame_alloc(&p), K_OK);
	return p;
}

static void assert_counts(uint64_t free_frames, uint64_t used, uint64_t managed)
{
	assert_int_equal(frame_free_count(), free_frames);
	assert_int_equal(frame_used_count(), used);
	assert_int_equal(frame_managed_count(), managed);
}

/* ------------------------------------------------------ basic behaviour */

static void starts_with_nothing_to_give(void **state)
{
	paddr_t p;

	(void)state;
	assert_counts(0, 0, 0);
	assert_int_equal(frame_alloc(&p), K_ENOMEM);
	assert_int_equal(frame_alloc_contiguous(1, 1, &p), K_ENOMEM);
	assert_int_equal(frame_free(0x100000), K_EINVAL);
}

static void alloc_free_round_trip(void **state)
{
	paddr_t got[16];

	(void)state;
	add(1 * MIB, 64 * KIB);
	assert_counts(16, 0, 16);
	for (int i = 0; i < 16; i++) {
		got[i] = alloc_one();
		assert_true(got[i] >= 1 * MIB && got[i] < 1 * MIB + 64 * KIB);
		assert_int_equal(got[i] % FRAME_SIZE, 0);
		for (int j = 0; j < i; j++)
			assert_true(got[i] != got[j]);
	}
	assert_counts(0, 16, 16);
	for (int i = 0; i < 16; i++)
		assert_int_equal(frame_free(got[i]), K_OK);
	assert_counts(16, 0, 16);
	/* Freed frames are handed out again. */
	assert_true(alloc_one() >= 1 * MIB);
}

static void add_takes_only_whole_frames(void **state)
{
	(void)state;
	/* [0x1800, 0x4800): whole frames are 0x2000 and 0x3000 only. */
	add(0x1800, 0x3000);
	assert_counts(2, 0, 2);
	assert_int_equal(alloc_one(), 0x2000);
	assert_int_equal(alloc_one(), 0x3000);
	assert_int_equal(frame_alloc(&(paddr_t){0}), K_ENOMEM);
}

static void adding_twice_counts_once(void **state)
{
	(void)state;
	add(1 * MIB, 64 * KIB);
	add(1 * MIB + 32 * KIB, 64 * KIB);
	assert_counts(24, 0, 24);
}

static void every_added_frame_can_be_allocated(void **state)
{
	paddr_t p;

	(void)state;
	/* One frame at a time, each range just past the previous one. */
	for (uint64_t f = 256; f < 256 + 70; f++)
		add(frame_addr(f), FRAME_SIZE);
	for (uint64_t f = 256; f < 256 + 70; f++)
		assert_int_equal(alloc_one(), frame_addr(f));
	assert_counts(0, 70, 70);
	assert_int_equal(frame_free_contiguous(frame_addr(256), 70), K_OK);
	/* ... and as one run, which must reach the very last frame. */
	assert_int_equal(frame_alloc_contiguous(70, 1, &p), K_OK);
	assert_int_equal(p, frame_addr(256));
}

static void reserve_takes_partial_frames_whole(void **state)
{
	(void)state;
	add(0x10000, 16 * FRAME_SIZE);
	/* [0x11800, 0x12800) touches frames 0x11000 and 0x12000. */
	reserve(0x11800, 0x1000);
	assert_counts(14, 0, 14);
	for (int i = 0; i < 14; i++) {
		paddr_t p = alloc_one();

		assert_true(p != 0x11000 && p != 0x12000);
	}
	assert_int_equal(frame_alloc(&(paddr_t){0}), K_ENOMEM);
}

static void reserve_outside_pool_changes_nothing(void **state)
{
	(void)state;
	add(1 * MIB, 64 * KIB);
	reserve(4 * MIB, 1 * MIB);
	reserve(3 * GIB, 1 * MIB);
	reserve(1 * MIB, 0);
	assert_counts(16, 0, 16);
}

static void frame_zero_is_never_returned(void **state)
{
	uint64_t n = 0;
	paddr_t p;

	(void)state;
	add(0, 1 * MIB);
	assert_counts(255, 0, 255);
	while (frame_alloc(&p) == K_OK) {
		assert_true(p != 0);
		n++;
	}
	assert_int_equal(n, 255);
	assert_int_equal(frame_free(0), K_EINVAL);
}

static void exhaustion_keeps_counts_exact(void **state)
{
	paddr_t p = 0xdead000;

	(void)state;
	add(1 * MIB, 1 * MIB);
	for (int i = 0; i < 256; i++)
		alloc_one();
	for (int i = 0; i < 3; i++) {
		assert_int_equal(frame_alloc(&p), K_ENOMEM);
		assert_int_equal(frame_alloc_contiguous(2, 1, &p), K_ENOMEM);
	}
	assert_int_equal(p, 0xdead000); /* untouched on failure */
	assert_counts(0, 256, 256);
	assert_int_equal(frame_free(1 * MIB + 5 * FRAME_SIZE), K_OK);
	assert_int_equal(alloc_one(), 1 * MIB + 5 * FRAME_SIZE);
	assert_counts(0, 256, 256);
}

static void double_free_is_rejected(void **state)
{
	paddr_t p;

	(void)state;
	add(1 * MIB, 64 * KIB);
	p = alloc_one();
	assert_int_equal(frame_free(p), K_OK);
	assert_int_equal(frame_free(p), K_EINVAL);
	assert_counts(16, 0, 16);
}

static void freeing_reserved_or_foreign_frames_is_rejected(void **state)
{
	(void)state;
	add(1 * MIB, 64 * KIB);
	reserve(1 * MIB, FRAME_SIZE);
	assert_int_equal(frame_free(1 * MIB), K_EINVAL);              /* reserved */
	assert_int_equal(frame_free(1 * MIB + FRAME_SIZE), K_EINVAL); /* free, never handed out */
	assert_int_equal(frame_free(8 * MIB), K_EINVAL);              /* never usable */
	assert_int_equal(frame_free(1 * MIB + 1), K_EINVAL);          /* unaligned */
	assert_int_equal(frame_free(FRAME_MANAGED_LIMIT), K_EINVAL);  /* beyond the bitmap */
	assert_int_equal(frame_free(UINT64_MAX & ~(FRAME_SIZE - 1)), K_EINVAL);
	assert_counts(15, 0, 15);
}

static void allocated_frames_cannot_be_reserved_or_re_added(void **state)
{
	paddr_t p;

	(void)state;
	add(1 * MIB, 64 * KIB);
	p = alloc_one();
	assert_int_equal(frame_reserve(p, 3 * FRAME_SIZE), K_EBUSY);
	assert_int_equal(frame_add_usable(1 * MIB, 64 * KIB), K_EBUSY);
	assert_counts(15, 1, 16);
	assert_int_equal(frame_free(p), K_OK);
}

static void overflowing_ranges_are_rejected(void **state)
{
	(void)state;
	assert_int_equal(frame_add_usable(UINT64_MAX - FRAME_SIZE, 2 * FRAME_SIZE), K_EINVAL);
	assert_int_equal(frame_reserve(UINT64_MAX, 2), K_EINVAL);
	/* Ending exactly at the top of the address space is fine. */
	assert_int_equal(frame_add_usable(UINT64_MAX - 2 * FRAME_SIZE + 1, 2 * FRAME_SIZE - 1),
	                 K_OK);
	assert_counts(0, 0, 0);
}

static void usable_memory_above_the_limit_is_counted_not_managed(void **state)
{
	(void)state;
	add(FRAME_MANAGED_LIMIT - 16 * FRAME_SIZE, 48 * FRAME_SIZE);
	assert_counts(16, 0, 16);
	assert_int_equal(frame_unmanaged_count(), 32);
	for (int i = 0; i < 16; i++)
		assert_true(alloc_one() < FRAME_MANAGED_LIMIT);
}

/* ----------------------------------------------------------- contiguous */

static void contiguous_honours_alignment(void **state)
{
	paddr_t p;

	(void)state;
	add(1 * MIB, 8 * MIB);
	assert_int_equal(frame_alloc_contiguous(512, 512, &p), K_OK);
	assert_int_equal(p % (2 * MIB), 0);
	assert_true(p >= 1 * MIB && p + 2 * MIB <= 9 * MIB);
	/* Knock the next-fit position off alignment, then ask again. */
	alloc_one();
	assert_int_equal(frame_alloc_contiguous(3, 16, &p), K_OK);
	assert_int_equal(p % (16 * FRAME_SIZE), 0);
	assert_int_equal(frame_alloc_contiguous(1, 1, &p), K_OK);
	assert_counts(2048 - 517, 517, 2048);
}

static void contiguous_rejects_bad_arguments(void **state)
{
	paddr_t p;

	(void)state;
	add(1 * MIB, 1 * MIB);
	assert_int_equal(frame_alloc_contiguous(0, 1, &p), K_EINVAL);
	assert_int_equal(frame_alloc_contiguous(1, 0, &p), K_EINVAL);
	assert_int_equal(frame_alloc_contiguous(1, 3, &p), K_EINVAL);
	assert_int_equal(frame_alloc_contiguous(1, 2 * FRAME_COUNT, &p), K_EINVAL);
	assert_int_equal(frame_alloc_contiguous(FRAME_COUNT + 1, 1, &p), K_EINVAL);
	assert_int_equal(frame_alloc_contiguous(1, 1, NULL), K_EINVAL);
	assert_int_equal(frame_alloc(NULL), K_EINVAL);
	assert_int_equal(frame_alloc_contiguous(257, 1, &p), K_ENOMEM);
	assert_counts(256, 0, 256);
}

static void contiguous_fails_when_fragmented_and_succeeds_after_frees(void **state)
{
	paddr_t frames[64], p;

	(void)state;
	add(1 * MIB, 64 * FRAME_SIZE);
	for (int i = 0; i < 64; i++)
		frames[i] = alloc_one();
	for (int i = 0; i < 64; i += 2)
		assert_int_equal(frame_free(frames[i]), K_OK);
	assert_int_equal(frame_free_count(), 32);
	assert_int_equal(frame_alloc_contiguous(2, 1, &p), K_ENOMEM);

	/* Frames are handed out in address order here, so freeing frame 11
	 * joins 10 and 12 into a run of three. */
	assert_int_equal(frames[11], 1 * MIB + 11 * FRAME_SIZE);
	assert_int_equal(frame_free(frames[11]), K_OK);
	assert_int_equal(frame_alloc_contiguous(4, 1, &p), K_ENOMEM);
	assert_int_equal(frame_alloc_contiguous(3, 1, &p), K_OK);
	assert_int_equal(p, frames[10]);
	assert_counts(30, 34, 64);
}

/* AllocDma's life: a run of 64 taken at once and given back one frame at
 * a time, in no particular order, as an address space's teardown frees
 * each page it maps; the run is whole again, and no frame of it can be
 * given back twice. */
static void a_run_freed_frame_by_frame_comes_back_whole(void **state)
{
	paddr_t run, again;

	(void)state;
	add(1 * MIB, 128 * FRAME_SIZE);
	alloc_one(); /* something before it */
	assert_int_equal(frame_alloc_contiguous(64, 1, &run), K_OK);
	assert_counts(128 - 65, 65, 128);
	for (int i = 63; i >= 0; i -= 2)
		assert_int_equal(frame_free(run + (paddr_t)i * FRAME_SIZE), K_OK);
	for (int i = 0; i < 64; i += 2)
		assert_int_equal(frame_free(run + (paddr_t)i * FRAME_SIZE), K_OK);
	assert_int_equal(frame_free(run + 5 * FRAME_SIZE), K_EINVAL);
	assert_int_equal(frame_free_contiguous(run, 64), K_EINVAL);
	assert_counts(127, 1, 128);
	assert_int_equal(frame_alloc_contiguous(127, 1, &again), K_OK);
	assert_int_equal(again, run);
}

static void contiguous_finds_a_run_across_the_next_fit_position(void **state)
{
	paddr_t p;

	(void)state;
	/* Frames 256..383; taking them all leaves the next-fit position in
	 * the word that starts at frame 320. */
	add(frame_addr(256), 128 * FRAME_SIZE);
	for (int i = 0; i < 128; i++)
		alloc_one();
	assert_int_equal(frame_free_contiguous(frame_addr(318), 4), K_OK);
	/* The only run of four starts before that position and ends after. */
	assert_int_equal(frame_alloc_contiguous(4, 1, &p), K_OK);
	assert_int_equal(p, frame_addr(318));
}

static void free_contiguous_checks_every_frame(void **state)
{
	paddr_t p;

	(void)state;
	add(1 * MIB, 1 * MIB);
	assert_int_equal(frame_alloc_contiguous(8, 8, &p), K_OK);
	assert_int_equal(frame_free_contiguous(p + 2 * FRAME_SIZE, 4), K_OK);
	assert_counts(252, 4, 256);
	/* Half of this range is already free: nothing may change. */
	assert_int_equal(frame_free_contiguous(p, 8), K_EINVAL);
	assert_int_equal(frame_free_contiguous(p, 0), K_EINVAL);
	assert_int_equal(frame_free_contiguous(FRAME_MANAGED_LIMIT - FRAME_SIZE, 2), K_EINVAL);
	assert_counts(252, 4, 256);
	assert_int_equal(frame_free_contiguous(p, 2), K_OK);
	assert_int_equal(frame_free(p + 6 * FRAME_SIZE), K_OK);
	assert_int_equal(frame_free(p + 7 * FRAME_SIZE), K_OK);
	assert_counts(256, 0, 256);
}

/* ------------------------------------------------------ the memory map */

/* Runs frame_init_from_memmap with stdout (the host console) sent to a
 * temporary file, and returns what it printed. */
static kerr_t init_capturing(const struct limine_memmap_response *map,
                             const struct frame_reservation *reserved, size_t count,
                             char *out, size_t out_size)
{
	FILE *tmp = tmpfile();
	int saved_stdout;
	size_t n;
	kerr_t err;

	assert_non_null(tmp);
	fflush(stdout);
	saved_stdout = dup(STDOUT_FILENO);
	assert_true(saved_stdout >= 0);
	assert_true(dup2(fileno(tmp), STDOUT_FILENO) >= 0);

	err = frame_init_from_memmap(map, reserved, count);

	fflush(stdout);
	assert_true(dup2(saved_stdout, STDOUT_FILENO) >= 0);
	close(saved_stdout);
	rewind(tmp);
	n = fread(out, 1, out_size - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	return err;
}

#define MAP(...) \
	{ .revision = 0, \
	  .entry_count = sizeof((struct limine_memmap_entry *[]){ __VA_ARGS__ }) / \
	                 sizeof(struct limine_memmap_entry *), \
	  .entries = (struct limine_memmap_entry *[]){ __VA_ARGS__ } }

static struct limine_memmap_entry low_ram = { 0, 640 * KIB, LIMINE_MEMMAP_USABLE };
static struct limine_memmap_entry bios = { 640 * KIB, 384 * KIB, LIMINE_MEMMAP_RESERVED };
static struct limine_memmap_entry kernel_image = { 1 * MIB, 2 * MIB,
                                                   LIMINE_MEMMAP_KERNEL_AND_MODULES };
static struct limine_memmap_entry main_ram = { 3 * MIB, 125 * MIB, LIMINE_MEMMAP_USABLE };
static struct limine_memmap_entry acpi = { 128 * MIB, 1 * MIB, LIMINE_MEMMAP_ACPI_RECLAIMABLE };
static struct limine_memmap_entry high_ram = { 4 * GIB, 1 * GIB + 512 * KIB,
                                               LIMINE_MEMMAP_USABLE };

static void memmap_adds_usable_and_reserves_the_rest(void **state)
{
	struct limine_memmap_response map = MAP(&low_ram, &bios, &kernel_image, &main_ram, &acpi);
	struct frame_reservation heap = { 4 * MIB, 8 * MIB, "kernel heap" };
	char out[512];
	/* 160 low frames minus frame 0, plus 125 MiB minus the 8 MiB heap. */
	uint64_t expect = 159 + (125 - 8) * 256;
	paddr_t p;

	(void)state;
	assert_int_equal(init_capturing(&map, &heap, 1, out, sizeof(out)), K_OK);
	assert_counts(expect, 0, expect);
	assert_int_equal(frame_unmanaged_count(), 0);
	assert_string_equal(out, "frames: 30111 free, 0 used of 30111 managed (117 MiB free)\n");
	while (frame_alloc(&p) == K_OK) {
		assert_true(p != 0);
		assert_true(p < 640 * KIB || (p >= 3 * MIB && p < 128 * MIB));
		assert_true(p < 4 * MIB || p >= 12 * MIB);
	}
}

static void memmap_reports_usable_memory_above_2_gib(void **state)
{
	struct limine_memmap_response map = MAP(&main_ram, &high_ram);
	char out[512];

	(void)state;
	assert_int_equal(init_capturing(&map, NULL, 0, out, sizeof(out)), K_OK);
	assert_int_equal(frame_unmanaged_count(), 256 * 1024 + 128);
	/* 1 GiB + 512 KiB rounds up to 1025 MiB: never reported as less. */
	assert_string_equal(out, "frames: 32000 free, 0 used of 32000 managed (125 MiB free)\n"
	                         "frames: 1025 MiB of usable memory outside the 2 GiB window at 0x0 is not managed\n");
}

/* RAM starting at 1 GiB (QEMU virt): the window moves up, so all 2 GiB of
 * it is managed and addresses come back physical. */
static void window_starts_at_the_lowest_usable_memory(void **state)
{
	static struct limine_memmap_entry virt_ram = { 1 * GIB, 2 * GIB + 64 * MIB,
						       LIMINE_MEMMAP_USABLE };
	struct limine_memmap_response map = MAP(&virt_ram);
	char out[512];
	paddr_t p;

	(void)state;
	assert_int_equal(init_capturing(&map, NULL, 0, out, sizeof(out)), K_OK);
	assert_int_equal(frame_window_base(), 1 * GIB);
	assert_int_equal(frame_managed_count(), FRAME_COUNT);
	assert_int_equal(frame_unmanaged_count(), 64 * MIB / FRAME_SIZE);
	assert_string_equal(out, "frames: 524288 free, 0 used of 524288 managed (2048 MiB free)\n"
				 "frames: 64 MiB of usable memory outside the 2 GiB window at 0x40000000 is not managed\n");
	assert_int_equal(frame_alloc(&p), K_OK);
	assert_true(p >= 1 * GIB && p < 3 * GIB);
	assert_int_equal(frame_free(p), K_OK);
	assert_int_equal(frame_free(p), K_EINVAL);
	assert_int_equal(frame_free(0), K_EINVAL);          /* below the window */
	assert_int_equal(frame_free(3 * GIB), K_EINVAL);    /* above it */
	assert_int_equal(frame_alloc_contiguous(512, 512, &p), K_OK);
	assert_int_equal(p % (2 * MIB), 0);
}

/* A window in the top 2 GiB of the address space: its end, base + 2 GiB,
 * is not a 64-bit number. Offsets into the window must still come out
 * right (the window's end once wrapped to a small number, and every
 * address mapped to the window's end: the memory was silently left out).
 * Firmware can report such memory; it must be managed like any other. */
static void window_at_the_top_of_the_address_space_is_managed(void **state)
{
	static const paddr_t top_bases[] = { 0ULL - 2 * GIB, 0ULL - 1 * GIB };

	(void)state;
	for (size_t i = 0; i < sizeof(top_bases) / sizeof(top_bases[0]); i++) {
		paddr_t base = top_bases[i];
		paddr_t p;

		frame_init();
		frame_set_window(base);
		assert_int_equal(frame_window_base(), base);
		add(base + 1 * MIB, 16 * MIB);
		assert_counts(16 * MIB / FRAME_SIZE, 0, 16 * MIB / FRAME_SIZE);
		assert_int_equal(frame_unmanaged_count(), 0);
		assert_int_equal(frame_alloc(&p), K_OK);
		assert_true(p >= base + 1 * MIB && p < base + 17 * MIB);
		assert_int_equal(p % FRAME_SIZE, 0);
		reserve(base + 2 * MIB, FRAME_SIZE);
		assert_counts(16 * MIB / FRAME_SIZE - 2, 1, 16 * MIB / FRAME_SIZE - 1);
		assert_int_equal(frame_free(p), K_OK);
		assert_int_equal(frame_free(p), K_EINVAL);
		/* Up to the last whole frame below 2^64: the partial last frame
		 * (its end is not representable) stays out. */
		frame_init();
		frame_set_window(base);
		add(UINT64_MAX - 8 * FRAME_SIZE, 8 * FRAME_SIZE);
		assert_counts(7, 0, 7);
		assert_int_equal(frame_alloc_contiguous(7, 1, &p), K_OK);
		assert_int_equal(p, UINT64_MAX - 8 * FRAME_SIZE + 1);
		assert_int_equal(frame_free_contiguous(p, 7), K_OK);
	}
}

/* The same through the memory map: the window follows the lowest usable
 * memory up to the top of the address space. */
static void memmap_at_the_top_of_the_address_space_is_managed(void **state)
{
	static struct limine_memmap_entry top_ram = { 0ULL - 2 * GIB + 64 * MIB, 32 * MIB,
						      LIMINE_MEMMAP_USABLE };
	struct limine_memmap_response map = MAP(&top_ram);
	char out[512];

	(void)state;
	assert_int_equal(init_capturing(&map, NULL, 0, out, sizeof(out)), K_OK);
	assert_int_equal(frame_window_base(), 0ULL - 2 * GIB);
	assert_counts(32 * MIB / FRAME_SIZE, 0, 32 * MIB / FRAME_SIZE);
	assert_int_equal(frame_unmanaged_count(), 0);
	assert_string_equal(out, "frames: 8192 free, 0 used of 8192 managed (32 MiB free)\n");
}

static void memmap_rejects_bad_input(void **state)
{
	struct limine_memmap_response map = MAP(&main_ram);
	struct limine_memmap_response holey = MAP(&main_ram, NULL);
	struct frame_reservation bad = { UINT64_MAX, 2, "wrapping" };
	char out[512];

	(void)state;
	assert_int_equal(frame_init_from_memmap(NULL, NULL, 0), K_EINVAL);
	assert_int_equal(frame_init_from_memmap(&map, NULL, 1), K_EINVAL);
	assert_int_equal(init_capturing(&holey, NULL, 0, out, sizeof(out)), K_EINVAL);
	assert_int_equal(init_capturing(&map, &bad, 1, out, sizeof(out)), K_EINVAL);
	assert_string_equal(out, "frames: cannot reserve wrapping 0xffffffffffffffff+0x2: K_EINVAL\n");
}

/* --------------------------------------------- randomised, with a model */

/* The model covers the first 16 MiB; the random tests use nothing above. */
#define MODEL_FRAMES 4096

struct model {
	bool in_pool[MODEL_FRAMES];
	bool handed_out[MODEL_FRAMES];
	uint64_t managed;
	uint64_t used;
};

struct run {
	uint64_t first;
	uint64_t count;
};

static uint64_t rng_state;

static uint64_t rng(void)
{
	/* xorshift64*: deterministic for a given seed. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static uint64_t rng_below(uint64_t n)
{
	return rng() % n;
}

static const struct { paddr_t base; uint64_t length; } random_usable[] = {
	{ 0, 640 * KIB },
	{ 1 * MIB, 7 * MIB },
	{ 9 * MIB + 0x800, 3 * MIB },      /* unaligned at both ends */
	{ 13 * MIB, 3 * MIB - FRAME_SIZE },
};
static const struct { paddr_t base; uint64_t length; } random_reserved[] = {
	{ 2 * MIB, 40 * KIB + 1 },
	{ 6 * MIB + 0x10, 0x20 },
	{ 14 * MIB, 1 * MIB },
};

static bool frame_inside(uint64_t f, paddr_t base, uint64_t length)
{
	return frame_addr(f) >= base && frame_addr(f + 1) <= base + length;
}

static bool frame_touches(uint64_t f, paddr_t base, uint64_t length)
{
	return frame_addr(f) < base + length && frame_addr(f + 1) > base;
}

/* The pool, worked out frame by frame from the same ranges the allocator
 * is given: a second, independent reading of the rounding rules. */
static void model_build(struct model *m)
{
	memset(m, 0, sizeof(*m));
	for (uint64_t f = 1; f < MODEL_FRAMES; f++) {
		bool usable = false, reserved = false;

		for (size_t i = 0; i < sizeof(random_usable) / sizeof(random_usable[0]); i++)
			usable |= frame_inside(f, random_usable[i].base, random_usable[i].length);
		for (size_t i = 0; i < sizeof(random_reserved) / sizeof(random_reserved[0]); i++)
			reserved |= frame_touches(f, random_reserved[i].base, random_reserved[i].length);
		m->in_pool[f] = usable && !reserved;
		m->managed += m->in_pool[f];
	}
	for (size_t i = 0; i < sizeof(random_usable) / sizeof(random_usable[0]); i++)
		add(random_usable[i].base, random_usable[i].length);
	for (size_t i = 0; i < sizeof(random_reserved) / sizeof(random_reserved[0]); i++)
		reserve(random_reserved[i].base, random_reserved[i].length);
}

static void model_check_counts(const struct model *m)
{
	assert_counts(m->managed - m->used, m->used, m->managed);
}

static void model_take(struct model *m, paddr_t base, uint64_t count)
{
	uint64_t first = base / FRAME_SIZE;

	assert_int_equal(base % FRAME_SIZE, 0);
	assert_true(first + count <= MODEL_FRAMES);
	for (uint64_t f = first; f < first + count; f++) {
		assert_true(m->in_pool[f]);
		assert_false(m->handed_out[f]);
		m->handed_out[f] = true;
	}
	m->used += count;
}

static void model_give_back(struct model *m, struct run r)
{
	for (uint64_t f = r.first; f < r.first + r.count; f++)
		m->handed_out[f] = false;
	m->used -= r.count;
}

/* Does any aligned run of count free frames exist? (brute force) */
static bool model_has_run(const struct model *m, uint64_t count, uint64_t align)
{
	for (uint64_t start = 0; start + count <= MODEL_FRAMES; start += align) {
		uint64_t f = start;

		while (f < start + count && m->in_pool[f] && !m->handed_out[f])
			f++;
		if (f == start + count)
			return true;
	}
	return false;
}

/* Every live run holds at least one frame of the model, so this many
 * slots can never run out. */
#define MAX_RUNS MODEL_FRAMES

struct random_world {
	struct model m;
	struct run live[MAX_RUNS];
	size_t nlive;
};

static void random_alloc_one(struct random_world *w)
{
	paddr_t p;
	kerr_t err = frame_alloc(&p);

	if (w->m.used == w->m.managed) {
		assert_int_equal(err, K_ENOMEM);
		return;
	}
	assert_int_equal(err, K_OK);
	model_take(&w->m, p, 1);
	w->live[w->nlive++] = (struct run){ p / FRAME_SIZE, 1 };
}

static void random_alloc_run(struct random_world *w)
{
	uint64_t count = 1 + (rng_below(8) == 0 ? rng_below(300) : rng_below(24));
	uint64_t align = 1ULL << rng_below(8);
	paddr_t p;
	kerr_t err;

	err = frame_alloc_contiguous(count, align, &p);
	if (err == K_ENOMEM) {
		assert_false(model_has_run(&w->m, count, align));
		return;
	}
	assert_int_equal(err, K_OK);
	assert_int_equal((p / FRAME_SIZE) % align, 0);
	model_take(&w->m, p, count);
	w->live[w->nlive++] = (struct run){ p / FRAME_SIZE, count };
}

/* Frees a random live run: whole, or in two pieces. */
static void random_free(struct random_world *w)
{
	size_t i;
	struct run r;

	if (w->nlive == 0)
		return;
	i = rng_below(w->nlive);
	r = w->live[i];
	w->live[i] = w->live[--w->nlive];
	if (r.count > 1 && rng_below(2)) {
		uint64_t split = 1 + rng_below(r.count - 1);

		assert_int_equal(frame_free_contiguous(frame_addr(r.first + split), r.count - split),
		                 K_OK);
		assert_int_equal(frame_free_contiguous(frame_addr(r.first), split), K_OK);
	} else if (r.count == 1) {
		assert_int_equal(frame_free(frame_addr(r.first)), K_OK);
	} else {
		assert_int_equal(frame_free_contiguous(frame_addr(r.first), r.count), K_OK);
	}
	model_give_back(&w->m, r);
}

/* Frees a frame the model says is not handed out: must be refused. */
static void random_bogus_free(struct random_world *w)
{
	uint64_t f = rng_below(MODEL_FRAMES);

	if (w->m.handed_out[f])
		return;
	assert_int_equal(frame_free(frame_addr(f)), K_EINVAL);
	assert_int_equal(frame_free_contiguous(frame_addr(f), 1 + rng_below(4)), K_EINVAL);
}

/* Alternates filling and draining phases, so the sequence visits an
 * exhausted pool, a nearly empty one, and fragmentation in between. */
static void random_run_ops(struct random_world *w, int ops)
{
	for (int op = 0; op < ops; op++) {
		bool filling = (op / 1500) % 2 == 0;
		uint64_t dice = rng_below(100);
		uint64_t allocs = filling ? 90 : 30;

		if (dice < allocs * 3 / 4)
			random_alloc_one(w);
		else if (dice < allocs)
			random_alloc_run(w);
		else if (dice < 95)
			random_free(w);
		else
			random_bogus_free(w);
		model_check_counts(&w->m);
	}
}

/* Drains the allocator one frame at a time: every frame of the pool not
 * yet handed out, and nothing else, comes out exactly once (model_take
 * checks each). Then gives everything back. */
static void drain_and_compare(struct random_world *w)
{
	paddr_t p;

	while (frame_alloc(&p) == K_OK) {
		model_take(&w->m, p, 1);
		w->live[w->nlive++] = (struct run){ p / FRAME_SIZE, 1 };
	}
	assert_int_equal(w->m.used, w->m.managed);
	model_check_counts(&w->m);
	while (w->nlive > 0)
		random_free(w);
	model_check_counts(&w->m);
	assert_int_equal(frame_free_count(), w->m.managed);
}

static void random_ops_match_the_model(void **state)
{
	static const uint64_t seeds[] = { 1, 42, 0x5eed, 0xcafef00d, 20240601 };
	static struct random_world w;

	(void)state;
	for (size_t s = 0; s < sizeof(seeds) / sizeof(seeds[0]); s++) {
		frame_init();
		memset(&w, 0, sizeof(w));
		rng_state = seeds[s];
		model_build(&w.m);
		model_check_counts(&w.m);
		random_run_ops(&w, 20000);
		drain_and_compare(&w);
	}
}

/* ------------------------------------------------------------- threads */

#define THREADS 4
#define THREAD_OPS 20000
#define THREAD_HELD 32
#define THREAD_POOL_FRAMES (16 * 1024) /* 64 MiB */

static atomic_int owner[THREAD_POOL_FRAMES]; /* 0, or 1 + the owning thread */

static void claim(int me, paddr_t p, uint64_t count)
{
	for (uint64_t f = p / FRAME_SIZE; f < p / FRAME_SIZE + count; f++) {
		int expected = 0;

		/* cmocka's asserts are not thread-safe: fail loudly by hand. */
		if (f >= THREAD_POOL_FRAMES ||
		    !atomic_compare_exchange_strong(&owner[f], &expected, me + 1)) {
			fprintf(stderr, "frame %llu handed out twice\n", (unsigned long long)f);
			abort();
		}
	}
}

static void release(struct run h)
{
	for (uint64_t f = h.first; f < h.first + h.count; f++)
		atomic_store(&owner[f], 0);
	if (frame_free_contiguous(frame_addr(h.first), h.count) != K_OK)
		abort();
}

static void *hammer(void *arg)
{
	int me = (int)(intptr_t)arg;
	struct run held[THREAD_HELD];
	size_t n = 0;
	uint64_t seed = 0x9e3779b97f4a7c15ULL * (uint64_t)(me + 1);

	for (int op = 0; op < THREAD_OPS; op++) {
		uint64_t count;
		paddr_t p;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		if (n == THREAD_HELD || (n > 0 && (seed >> 60) < 7)) {
			size_t i = (size_t)((seed >> 20) % n);

			release(held[i]);
			held[i] = held[--n];
			continue;
		}
		count = (seed >> 40) % 4 == 0 ? 1 + (seed >> 30) % 16 : 1;
		if ((count == 1 ? frame_alloc(&p) : frame_alloc_contiguous(count, 1, &p)) != K_OK)
			continue;
		claim(me, p, count);
		held[n++] = (struct run){ p / FRAME_SIZE, count };
	}
	while (n > 0)
		release(held[--n]);
	return NULL;
}

static void threads_never_share_a_frame(void **state)
{
	pthread_t threads[THREADS];

	(void)state;
	add(0, frame_addr(THREAD_POOL_FRAMES));
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, hammer, (void *)(intptr_t)i), 0);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_join(threads[i], NULL), 0);
	assert_counts(THREAD_POOL_FRAMES - 1, 0, THREAD_POOL_FRAMES - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(starts_with_nothing_to_give, reset),
		cmocka_unit_test_setup(window_starts_at_the_lowest_usable_memory, reset),
		cmocka_unit_test_setup(alloc_free_round_trip, reset),
		cmocka_unit_test_setup(add_takes_only_whole_frames, reset),
		cmocka_unit_test_setup(adding_twice_counts_once, reset),
		cmocka_unit_test_setup(every_added_frame_can_be_allocated, reset),
		cmocka_unit_test_setup(reserve_takes_partial_frames_whole, reset),
		cmocka_unit_test_setup(reserve_outside_pool_changes_nothing, reset),
		cmocka_unit_test_setup(frame_zero_is_never_returned, reset),
		cmocka_unit_test_setup(exhaustion_keeps_counts_exact, reset),
		cmocka_unit_test_setup(double_free_is_rejected, reset),
		cmocka_unit_test_setup(freeing_reserved_or_foreign_frames_is_rejected, reset),
		cmocka_unit_test_setup(allocated_frames_cannot_be_reserved_or_re_added, reset),
		cmocka_unit_test_setup(overflowing_ranges_are_rejected, reset),
		cmocka_unit_test_setup(usable_memory_above_the_limit_is_counted_not_managed, reset),
		cmocka_unit_test_setup(contiguous_honours_alignment, reset),
		cmocka_unit_test_setup(contiguous_rejects_bad_arguments, reset),
		cmocka_unit_test_setup(a_run_freed_frame_by_frame_comes_back_whole, reset),
		cmocka_unit_test_setup(contiguous_fails_when_fragmented_and_succeeds_after_frees,
		                       reset),
		cmocka_unit_test_setup(contiguous_finds_a_run_across_the_next_fit_position, reset),
		cmocka_unit_test_setup(free_contiguous_checks_every_frame, reset),
		cmocka_unit_test_setup(memmap_adds_usable_and_reserves_the_rest, reset),
		cmocka_unit_test_setup(memmap_reports_usable_memory_above_2_gib, reset),
		cmocka_unit_test_setup(memmap_rejects_bad_input, reset),
		cmocka_unit_test_setup(window_at_the_top_of_the_address_space_is_managed, reset),
		cmocka_unit_test_setup(memmap_at_the_top_of_the_address_space_is_managed, reset),
		cmocka_unit_test_setup(random_ops_match_the_model, reset),
		cmocka_unit_test_setup(threads_never_share_a_frame, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
