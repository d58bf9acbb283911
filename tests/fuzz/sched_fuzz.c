/*
 * sched_fuzz: libFuzzer target driving one CPU's run queue with arbitrary
 * sequences of ticks, yields, blocks, wake-ups and terminations, checked
 * step by step against the shadow model (tests/support/sched_model.c) and
 * the scheduler's own invariant checker. A disagreement aborts.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../support/sched_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sched_model_boot();
	if (sched_model_run(data, size) != 0)
		abort();
	return 0;
}
