/*
 * virtq_fuzz: libFuzzer target for lib/virtq against a device that writes
 * whatever the fuzzer says.
 *
 * The input is a script: each 8-byte step either hands over a buffer,
 * lets the "device" write a used entry (any id, any length) and move the
 * used index (by any amount), or takes what the queue offers. Whatever the
 * device writes, a buffer the queue gives back must be one it handed over
 * and has not given back since, with no more bytes than its length, and a
 * broken queue must stay broken, giving and taking nothing.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <virtq.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SIZE 16
#define STEP 8

static _Alignas(16) uint8_t mem[4096];

struct shadow {
	bool out[SIZE]; /* handed over and not given back, as the driver saw it */
	uint32_t len[SIZE];
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void give(struct virtq *q, struct shadow *s, const uint8_t *step)
{
	uint32_t len = get16(step + 1);
	int id = virtq_give(q, 0x100000 + (uint64_t)len, len, step[3] & 1);

	if (id >= 0) {
		if (id >= SIZE || s->out[id] || virtq_broken(q) || len == 0)
			__builtin_trap();
		s->out[id] = true;
		s->len[id] = len;
	}
}

static void device_writes(const struct virtq_layout *l, const uint8_t *step)
{
	uint16_t *used = (uint16_t *)(void *)(mem + l->used);
	struct virtq_used_elem *ring = (struct virtq_used_elem *)(void *)(mem + l->used + 4);
	uint16_t at = used[1];

	ring[at % SIZE] = (struct virtq_used_elem){ .id = step[1], .len = get32(step + 2) };
	used[1] = (uint16_t)(at + step[6]);
}

static void take(struct virtq *q, struct shadow *s)
{
	uint16_t id;
	uint32_t len;
	bool was_broken = virtq_broken(q) != NULL;
	int got = virtq_take(q, &id, &len);

	if (got == 1) {
		if (was_broken || id >= SIZE || !s->out[id] || len > s->len[id])
			__builtin_trap();
		s->out[id] = false;
	} else if (got == -1 && !virtq_broken(q)) {
		__builtin_trap();
	} else if (was_broken && got != -1) {
		__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct virtq_layout l;
	static struct virtq q;
	struct shadow s = { 0 };

	memset(mem, 0, sizeof(mem));
	if (!virtq_layout(SIZE, &l) || !virtq_init(&q, SIZE, mem))
		__builtin_trap();
	for (size_t at = 0; at + STEP <= size; at += STEP) {
		const uint8_t *step = data + at;
		switch (step[0] % 3) {
		case 0: give(&q, &s, step); break;
		case 1: device_writes(&l, step); break;
		default: take(&q, &s); break;
		}
	}
	return 0;
}
