/*
 * frame_bench: how fast the physical frame allocator (kernel/mm/frame.c)
 * is on the host, in operations per second.
 *
 * The pool is the full 2 GiB the bitmap covers. Every scenario first
 * brings the pool to a fill level and scatters the free frames (random
 * frees and re-allocations), then times a loop that keeps that level:
 *
 *   single N%      free a random held frame, allocate one (2 operations)
 *   contig C/A     allocate C contiguous frames aligned to A, keeping up
 *                  to 32 such runs and freeing the oldest (the pool is
 *                  half full of scattered single frames in low memory, so
 *                  the search has holes to skip)
 *
 * Each alloc and each free counts as one operation. Numbers are for
 * comparison between versions on one machine; nothing is asserted.
 */
#define _POSIX_C_SOURCE 200809L

#include <frame.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_clock.h"

#define RING 32

static paddr_t held[FRAME_COUNT];
static size_t nheld;
static uint64_t rng_state = 0x853c49e6748fea9bULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static void die(const char *what, kerr_t err)
{
	fprintf(stderr, "frame_bench: %s: %s\n", what, kerr_name(err));
	exit(1);
}

static void check(kerr_t err, const char *what)
{
	if (err != K_OK)
		die(what, err);
}

/* A fresh 2 GiB pool, filled to `percent` with single frames. */
static void fill_pool(unsigned percent)
{
	uint64_t target;

	frame_init();
	nheld = 0;
	check(frame_add_usable(0, FRAME_MANAGED_LIMIT), "add");
	target = frame_managed_count() * percent / 100;
	while (nheld < target)
		check(frame_alloc(&held[nheld++]), "fill");
}

/* One step of the steady state: a random held frame goes back, a new one
 * comes out. */
static void replace_random_frame(void)
{
	size_t i = (size_t)(rng() % nheld);

	check(frame_free(held[i]), "free");
	check(frame_alloc(&held[i]), "alloc");
}

static void print_row(const char *name, uint64_t ops, double seconds, const char *note)
{
	printf("%-16s %12llu %10.3f %14.0f  %s\n", name, (unsigned long long)ops, seconds,
	       (double)ops / seconds, note);
}

static void bench_single(unsigned percent, uint64_t steps)
{
	char name[32];
	double t0;

	fill_pool(percent);
	for (uint64_t i = 0; i < steps; i++) /* scatter the free frames */
		replace_random_frame();
	t0 = bench_now();
	for (uint64_t i = 0; i < steps; i++)
		replace_random_frame();
	snprintf(name, sizeof(name), "single %u%%", percent);
	print_row(name, 2 * steps, bench_now() - t0, "");
}

static void bench_contiguous(size_t count, size_t align, uint64_t steps)
{
	paddr_t ring[RING];
	size_t in_ring = 0, oldest = 0;
	uint64_t ops = 0, failures = 0;
	char name[32], note[64];
	double t0;

	fill_pool(50);
	for (uint64_t i = 0; i < nheld / 10; i++)
		replace_random_frame();
	t0 = bench_now();
	for (uint64_t i = 0; i < steps; i++) {
		if (in_ring == RING) {
			check(frame_free_contiguous(ring[oldest], count), "free run");
			oldest = (oldest + 1) % RING;
			in_ring--;
			ops++;
		}
		ops++;
		if (frame_alloc_contiguous(count, align, &ring[(oldest + in_ring) % RING]) != K_OK) {
			failures++;
			continue;
		}
		in_ring++;
	}
	snprintf(name, sizeof(name), "contig %zu/%zu", count, align);
	snprintf(note, sizeof(note), "%llu failed", (unsigned long long)failures);
	print_row(name, ops, bench_now() - t0, note);
}

int main(void)
{
	printf("frame allocator, 2 GiB pool (%llu frames); one op = one alloc or one free\n",
	       (unsigned long long)(FRAME_COUNT - 1));
	printf("%-16s %12s %10s %14s\n", "scenario", "ops", "seconds", "ops/s");
	bench_single(10, 2000000);
	bench_single(50, 2000000);
	bench_single(90, 2000000);
	bench_contiguous(16, 1, 1000000);
	bench_contiguous(16, 16, 1000000);
	bench_contiguous(512, 512, 200000);
	return 0;
}
