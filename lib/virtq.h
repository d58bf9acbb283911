/*
 * virtq: the driver's side of a virtio 1.x split virtqueue, for a device
 * that is not trusted.
 *
 * A queue is three areas in memory the device reads and writes by DMA:
 * the descriptor table (16 bytes a buffer: address, length, flags), the
 * available ring (the driver's: which descriptors it hands over) and the
 * used ring (the device's: which it gave back, and how many bytes it
 * wrote). Here every buffer is one descriptor -- a virtio-net frame with
 * its header fits one, VERSION_1 allowing any layout -- that the device
 * either reads (transmit) or writes (receive).
 *
 * The device is not trusted (a buggy or hostile one, or a fake in the
 * tests): everything it writes is checked before it is used. The used
 * index may move on by at most the buffers it holds; each used entry must
 * name a descriptor it holds (in range, handed over, not yet given back),
 * with a length no longer than that buffer. The first violation breaks
 * the queue: virtq_broken() says why, and the queue takes and gives back
 * nothing more -- the driver reports it and stops, never trusting a
 * half-checked entry.
 *
 * Memory ordering: the driver's writes to a descriptor and the ring entry
 * are ordered before the available index that publishes them, and the
 * used index is read before the entries it covers (C11 fences; the DMA
 * device of the machines we run on sees memory as another CPU does).
 * Portable and freestanding: the virtio-net driver (user space) is built
 * on it, the host tests and a fuzz target drive it.
 */
#ifndef CAMBIOS_LIB_VIRTQ_H
#define CAMBIOS_LIB_VIRTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VIRTQ_MAX_SIZE 256 /* queue sizes 1..256, powers of two (a device may offer more) */

#define VIRTQ_DESC_F_NEXT 1u
#define VIRTQ_DESC_F_WRITE 2u /* the device writes the buffer */

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

/* Where the three areas lie in one block of memory, from its start. */
struct virtq_layout {
	size_t desc, avail, used, bytes;
};

struct virtq {
	uint16_t size;
	volatile struct virtq_desc *desc;
	volatile uint16_t *avail;          /* flags, idx, ring[size], used_event */
	volatile uint16_t *used;           /* flags, idx, then the elements */
	volatile struct virtq_used_elem *used_ring;
	uint16_t avail_idx;                /* the next available index to publish */
	uint16_t used_seen;                /* the next used index to take */
	uint16_t held;                     /* buffers the device holds */
	uint16_t free[VIRTQ_MAX_SIZE];     /* descriptors not handed over */
	uint16_t free_count;
	bool busy[VIRTQ_MAX_SIZE];         /* handed over, not yet given back */
	uint32_t len[VIRTQ_MAX_SIZE];      /* each busy buffer's length */
	const char *broken;                /* why the queue stopped; NULL while it works */
};

/* The layout of a queue of `size` entries (its areas aligned as virtio
 * 1.x requires: 16, 2 and 4 bytes); false for a size that is not a power
 * of two in 1..VIRTQ_MAX_SIZE. */
#ifndef VERIFY_EVA /* WP proves it (tests/verify/virtq.mk); EVA checks the code alone */
/*@ requires \valid(out);
    behavior good:
      assumes 1 <= size <= VIRTQ_MAX_SIZE && (size & (size - 1)) == 0;
      assigns *out;
      ensures \result == \true;
      ensures out->desc == 0 && out->avail == 16 * size;
      ensures out->used >= out->avail + 2 * (3 + size);
      ensures out->bytes == out->used + 4 + 8 * size + 2;
    behavior bad:
      assumes !(1 <= size <= VIRTQ_MAX_SIZE && (size & (size - 1)) == 0);
      assigns \nothing;
      ensures \result == \false;
    complete behaviors;
    disjoint behaviors; */
#endif
bool virtq_layout(uint16_t size, struct virtq_layout *out);

/* A queue of `size` entries over `mem` (zeroed, virtq_layout's bytes
 * long, aligned to 16); false for a bad size. */
#ifndef VERIFY_EVA /* WP proves it (tests/verify/virtq.mk); EVA checks the code alone */
/*@ requires \valid(q);
    assigns *q;
    ensures \result <==> (1 <= size <= VIRTQ_MAX_SIZE && (size & (size - 1)) == 0);
    ensures \result ==> q->size == size && q->free_count == size && q->held == 0 &&
	    q->broken == \null;
    ensures \result ==> \forall integer i; 0 <= i < size ==> q->free[i] < size; */
#endif
bool virtq_init(struct virtq *q, uint16_t size, void *mem);

/* Hands the device one buffer at bus address `addr`, `len` bytes, that it
 * writes (`device_writes`) or reads. Returns its descriptor number, or -1
 * when every descriptor is handed over, the queue is broken, or len is 0.
 * Published at once: the caller then notifies the device. */
#ifndef VERIFY_EVA /* WP proves it (tests/verify/virtq.mk); EVA checks the code alone */
/*@ requires \valid(q);
    requires 1 <= q->size <= VIRTQ_MAX_SIZE;
    requires q->free_count <= q->size;
    requires \forall integer i; 0 <= i < q->free_count ==> q->free[i] < q->size;
    requires \valid(q->desc + (0 .. q->size - 1));
    requires \valid(q->avail + (0 .. q->size + 2));
    requires \separated(q, q->desc + (0 .. q->size - 1), q->avail + (0 .. q->size + 2));
    assigns q->free_count, q->busy[0 .. VIRTQ_MAX_SIZE - 1], q->len[0 .. VIRTQ_MAX_SIZE - 1],
	    q->held, q->avail_idx, q->desc[0 .. q->size - 1], q->avail[0 .. q->size + 2];
    ensures -1 <= \result < q->size;
    ensures \result >= 0 ==> len != 0 && q->busy[\result] && q->len[\result] == len;
    ensures \result == -1 ==> q->free_count == \old(q->free_count); */
#endif
int virtq_give(struct virtq *q, uint64_t addr, uint32_t len, bool device_writes);

/* The next buffer the device gave back: 1 with *id (the number
 * virtq_give returned) and *len (bytes it wrote; at most the buffer's),
 * 0 when there is none yet, -1 when the queue is broken (now or before). */
#ifndef VERIFY_EVA /* WP proves it (tests/verify/virtq.mk); EVA checks the code alone */
/*@ requires \valid(q) && \valid(id) && \valid(len);
    requires 1 <= q->size <= VIRTQ_MAX_SIZE;
    requires q->free_count <= q->size;
    requires \valid_read(q->used + (0 .. 1));
    requires \valid_read(q->used_ring + (0 .. q->size - 1));
    requires \separated(q, id, len);
    assigns q->broken, q->busy[0 .. VIRTQ_MAX_SIZE - 1], q->free[0 .. VIRTQ_MAX_SIZE - 1],
	    q->free_count, q->held, q->used_seen, *id, *len;
    ensures -1 <= \result <= 1;
    ensures \old(q->broken) != \null ==> \result == -1;
    ensures \result == -1 ==> q->broken != \null;
    ensures \result == 1 ==> *id < q->size && *len <= q->len[*id] && !q->busy[*id];
    ensures q->free_count <= q->size; */
#endif
int virtq_take(struct virtq *q, uint16_t *id, uint32_t *len);

/* Why the queue stopped, or NULL. */
#ifndef VERIFY_EVA /* WP proves it (tests/verify/virtq.mk); EVA checks the code alone */
/*@ requires \valid_read(q);
    assigns \nothing;
    ensures \result == q->broken; */
#endif
const char *virtq_broken(const struct virtq *q);

#endif
