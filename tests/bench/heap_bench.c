/*
 * heap_bench: throughput of the kernel heap (kernel/mm/heap.c) next to
 * glibc malloc, on the host, in the same run.
 *
 * Each workload replays the same seeded sequence of requests against both
 * allocators and reports operations (allocations + frees) per second. Every
 * allocation has its first and last byte written, so neither allocator
 * gets away with never touching memory. Nothing here asserts anything
 * about time: the numbers are for people, and they vary with the machine.
 *
 * Workloads
 *   steady-N: N live objects; each step frees a random one and allocates
 *     a replacement of random size (a long-running kernel's shape).
 *   fifo: a producer allocates, a consumer frees the oldest, through a
 *     4096-deep queue (message buffers).
 *   threads: 2 threads each run steady-256 on the one shared allocator
 *     (our heap has a single lock; glibc has per-thread arenas).
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <heap.h>

#include "bench_clock.h"

#define ARENA_SIZE (256ul << 20)
/* No more threads than CPUs: a host thread preempted while holding the
 * heap's spinlock leaves the others spinning for a whole time slice, which
 * cannot happen in the kernel (the lock is held with interrupts off). */
#define THREADS 2

struct allocator {
	const char *name;
	void *(*alloc)(size_t size);
	void (*release)(void *ptr);
};

struct workload {
	const char *name;
	size_t min_size, max_size;
	size_t live;     /* objects kept alive (queue depth for fifo) */
	uint64_t steps;  /* alloc+free pairs per thread */
	bool fifo;
	unsigned threads;
};

static struct heap bench_heap;

static void *heap_bench_alloc(size_t size)
{
	void *ptr;

	return heap_alloc(&bench_heap, size, HEAP_MIN_ALIGN, &ptr) == K_OK ? ptr : NULL;
}

static void heap_bench_free(void *ptr)
{
	if (heap_free_checked(&bench_heap, ptr) != HEAP_FAULT_NONE)
		abort(); /* a benchmark of a broken heap measures nothing */
}

static const struct allocator allocators[] = {
	{ "heap", heap_bench_alloc, heap_bench_free },
	{ "glibc", malloc, free },
};

static uint64_t next_random(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 2685821657736338717ull;
}

static void *alloc_touched(const struct allocator *a, size_t size)
{
	volatile char *ptr = a->alloc(size);

	if (!ptr) {
		fprintf(stderr, "%s: out of memory at %zu bytes\n", a->name, size);
		exit(1);
	}
	ptr[0] = 1;
	ptr[size - 1] = 1;
	return (void *)ptr;
}

static size_t random_size(const struct workload *w, uint64_t *rng)
{
	return w->min_size + (size_t)(next_random(rng) % (w->max_size - w->min_size + 1));
}

/* One thread's run: fill `live` slots, then `steps` free+alloc pairs,
 * then free everything. Returns the operations done. */
static uint64_t run_slots(const struct allocator *a, const struct workload *w, uint64_t seed)
{
	void **slots = calloc(w->live, sizeof(*slots));
	uint64_t rng = seed, ops = 0;

	for (size_t i = 0; i < w->live; i++, ops++)
		slots[i] = alloc_touched(a, random_size(w, &rng));
	for (uint64_t step = 0; step < w->steps; step++, ops += 2) {
		size_t victim = w->fifo ? step % w->live : next_random(&rng) % w->live;

		a->release(slots[victim]);
		slots[victim] = alloc_touched(a, random_size(w, &rng));
	}
	for (size_t i = 0; i < w->live; i++, ops++)
		a->release(slots[i]);
	free(slots);
	return ops;
}

struct thread_job {
	pthread_t thread;
	const struct allocator *allocator;
	const struct workload *workload;
	uint64_t seed, ops;
};

static void *thread_main(void *arg)
{
	struct thread_job *job = arg;

	job->ops = run_slots(job->allocator, job->workload, job->seed);
	return NULL;
}

/* Operations per second of `w` on `a`, all threads together. */
static double measure(const struct allocator *a, const struct workload *w, uint64_t *ops_out)
{
	struct thread_job jobs[THREADS];
	uint64_t ops = 0;
	double start = bench_now(), elapsed;

	for (unsigned i = 0; i < w->threads; i++) {
		jobs[i] = (struct thread_job){ .allocator = a, .workload = w, .seed = 1000 + i };
		pthread_create(&jobs[i].thread, NULL, thread_main, &jobs[i]);
	}
	for (unsigned i = 0; i < w->threads; i++) {
		pthread_join(jobs[i].thread, NULL);
		ops += jobs[i].ops;
	}
	elapsed = bench_now() - start;
	*ops_out = ops;
	return (double)ops / elapsed;
}

static const struct workload workloads[] = {
	{ "steady-1000, 16-512 B", 16, 512, 1000, 4000000, false, 1 },
	{ "steady-1000, 16-8192 B", 16, 8192, 1000, 4000000, false, 1 },
	{ "steady-100000, 16-512 B", 16, 512, 100000, 4000000, false, 1 },
	{ "fifo-4096, 16-1024 B", 16, 1024, 4096, 4000000, true, 1 },
	{ "threads 2x steady-256, 16-512 B", 16, 512, 256, 2000000, false, THREADS },
};

int main(void)
{
	void *arena = aligned_alloc(2ul << 20, ARENA_SIZE);

	if (!arena || heap_init(&bench_heap, "bench heap", arena, ARENA_SIZE) != K_OK) {
		fprintf(stderr, "heap_bench: cannot set up a %lu MiB arena\n", ARENA_SIZE >> 20);
		return 1;
	}
	printf("heap_bench: CONFIG_HEAP_DEBUG=%d, arena %lu MiB; Mops/s = million allocs+frees per second\n",
	       CONFIG_HEAP_DEBUG, ARENA_SIZE >> 20);
	printf("%-34s %12s %12s %12s %10s\n", "workload", "ops", "heap Mops/s", "glibc Mops/s",
	       "heap/glibc");
	for (size_t i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++) {
		uint64_t ops;
		double ours = measure(&allocators[0], &workloads[i], &ops);
		double theirs = measure(&allocators[1], &workloads[i], &ops);

		printf("%-34s %12llu %12.2f %12.2f %10.2f\n", workloads[i].name,
		       (unsigned long long)ops, ours / 1e6, theirs / 1e6, ours / theirs);
	}
	if (heap_check(&bench_heap) != HEAP_FAULT_NONE)
		return 1;
	free(arena);
	return 0;
}
