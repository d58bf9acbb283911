/*
 * virtq: a split virtqueue's driver side, every device write checked (see
 * virtq.h).
 */
#include "virtq.h"

#define AVAIL_IDX 1 /* avail[]: flags, idx, ring... */
#define AVAIL_RING 2
#define USED_IDX 1  /* used[]: flags, idx, then the elements */
#define USED_RING_OFFSET 4

#ifndef VERIFY_EVA /* WP proves it (tests/verify/virtq.mk); EVA checks the code alone */
/*@ requires 1 <= to <= 16 && n <= 65536;
    assigns \nothing;
    ensures n <= \result < n + to; */
#endif
static size_t align_up(size_t n, size_t to)
{
	return (n + to - 1) / to * to;
}

bool virtq_layout(uint16_t size, struct virtq_layout *out)
{
	if (size == 0 || size > VIRTQ_MAX_SIZE || (size & (size - 1)) != 0)
		return false;
	out->desc = 0;
	out->avail = (size_t)size * sizeof(struct virtq_desc);
	/* flags, idx, the ring, used_event */
	size_t avail_bytes = (3 + (size_t)size) * sizeof(uint16_t);
	out->used = align_up(out->avail + avail_bytes, 4);
	/* flags, idx, the elements, avail_event */
	size_t used_bytes = USED_RING_OFFSET + (size_t)size * sizeof(struct virtq_used_elem) + 2;
	out->bytes = out->used + used_bytes;
	return true;
}

bool virtq_init(struct virtq *q, uint16_t size, void *mem)
{
	struct virtq_layout l;

	if (!virtq_layout(size, &l))
		return false;
	uint8_t *base = mem;
	*q = (struct virtq){
		.size = size,
		.desc = (volatile struct virtq_desc *)(void *)(base + l.desc),
		.avail = (volatile uint16_t *)(void *)(base + l.avail),
		.used = (volatile uint16_t *)(void *)(base + l.used),
		.used_ring = (volatile struct virtq_used_elem *)(void *)(base + l.used +
									 USED_RING_OFFSET),
		.free_count = size,
	};
#ifndef VERIFY_EVA /* WP proves it (tests/verify/virtq.mk); EVA checks the code alone */
	/*@ loop invariant 0 <= i <= size;
	    loop invariant \forall integer j; 0 <= j < i ==> q->free[j] < size;
	    loop assigns i, q->free[0 .. VIRTQ_MAX_SIZE - 1];
	    loop variant size - i; */
#endif
	for (uint16_t i = 0; i < size; i++)
		q->free[i] = (uint16_t)(size - 1 - i); /* descriptor 0 first */
	return true;
}

int virtq_give(struct virtq *q, uint64_t addr, uint32_t len, bool device_writes)
{
	if (q->broken || q->free_count == 0 || len == 0)
		return -1;
	uint16_t id = q->free[--q->free_count];
	q->desc[id] = (struct virtq_desc){
		.addr = addr, .len = len, .flags = device_writes ? VIRTQ_DESC_F_WRITE : 0,
	};
	q->busy[id] = true;
	q->len[id] = len;
	q->held++;
	q->avail[AVAIL_RING + (q->avail_idx & (q->size - 1))] = id;
	/* The descriptor and its ring entry before the index that hands them over. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	q->avail[AVAIL_IDX] = ++q->avail_idx;
	return id;
}

#ifndef VERIFY_EVA /* WP proves it (tests/verify/virtq.mk); EVA checks the code alone */
/*@ requires \valid(q) && why != \null;
    assigns q->broken;
    ensures q->broken == why && \result == -1; */
#endif
static int stop(struct virtq *q, const char *why)
{
	q->broken = why;
	return -1;
}

int virtq_take(struct virtq *q, uint16_t *id, uint32_t *len)
{
	if (q->broken)
		return -1;
	uint16_t used_idx = q->used[USED_IDX];
	uint16_t ready = (uint16_t)(used_idx - q->used_seen);
	if (ready == 0)
		return 0;
	/* The device holds every descriptor that is not free (q->held, for
	 * readers, says the same); counted from free_count, the take below
	 * visibly has room to give one back. */
	if (ready > q->size - q->free_count)
		return stop(q, "the used index moved past the buffers the device holds");
	/* The entries the index covers, read after it. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	volatile struct virtq_used_elem *e = &q->used_ring[q->used_seen & (q->size - 1)];
	uint32_t which = e->id, wrote = e->len; /* each read once: the device may change them */
	if (which >= q->size)
		return stop(q, "a used entry names a descriptor past the queue");
	if (!q->busy[which])
		return stop(q, "a used entry names a descriptor the device does not hold");
	if (wrote > q->len[which])
		return stop(q, "a used entry's length is past its buffer");
	q->busy[which] = false;
	q->free[q->free_count++] = (uint16_t)which;
	q->held--;
	q->used_seen++;
	*id = (uint16_t)which;
	*len = wrote;
	return 1;
}

const char *virtq_broken(const struct virtq *q)
{
	return q->broken;
}
