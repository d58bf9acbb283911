/*
 * blake3_bench: BLAKE3 throughput -- ours against b3sum, one thread.
 *
 * Prints MiB/s for 1 KiB, 64 KiB and 16 MiB inputs hashed by lib/crypto
 * (this binary's build flags; `make bench` builds it twice, once with the
 * kernel's flags: no SIMD, freestanding) and by `b3sum --num-threads 1`
 * on a 16 MiB file. b3sum's figure includes process start-up and reading
 * the file, so it is measured over many repetitions. Figures only: nothing
 * is asserted about time.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <crypto/blake3.h>

#include "bench_clock.h"

#ifndef BENCH_FLAVOUR
#define BENCH_FLAVOUR "host -O2"
#endif

#define MIB (1024.0 * 1024.0)
#define TARGET_BYTES (256u << 20)

static double ours(const uint8_t *data, size_t len)
{
	uint8_t out[BLAKE3_OUT_LEN];
	size_t rounds = TARGET_BYTES / len;
	double start = bench_now();
	volatile uint8_t sink = 0;

	for (size_t i = 0; i < rounds; i++) {
		blake3_hash(data, len, out);
		sink ^= out[0];
	}
	(void)sink;
	return (double)rounds * (double)len / MIB / (bench_now() - start);
}

static double b3sum_single_thread(const uint8_t *data, size_t len)
{
	char path[] = "/tmp/blake3_bench.XXXXXX", cmd[256];
	const int repeats = 16;
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "wb");

	fwrite(data, 1, len, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "b3sum --num-threads 1 --no-names %s > /dev/null", path);
	double start = bench_now();
	for (int i = 0; i < repeats; i++) {
		if (system(cmd) != 0) {
			remove(path);
			return -1;
		}
	}
	double rate = (double)repeats * (double)len / MIB / (bench_now() - start);
	remove(path);
	return rate;
}

int main(void)
{
	static const size_t sizes[] = { 1024, 64 * 1024, 16u << 20 };
	uint8_t *data = malloc(16u << 20);

	for (size_t i = 0; i < (16u << 20); i++)
		data[i] = (uint8_t)(i * 131 + 7);
	printf("blake3_bench (%s): MiB/s, one thread\n", BENCH_FLAVOUR);
	printf("%-10s %12s\n", "input", "ours");
	for (size_t i = 0; i < 3; i++)
		printf("%-10zu %12.1f\n", sizes[i], ours(data, sizes[i]));
	double b3 = b3sum_single_thread(data, 16u << 20);
	double mine = ours(data, 16u << 20);
	if (b3 > 0)
		printf("b3sum --num-threads 1, 16 MiB file: %.1f MiB/s; ours/b3sum = %.2f\n", b3,
		       mine / b3);
	else
		printf("b3sum: not available\n");
	free(data);
	return 0;
}
