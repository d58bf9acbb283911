/*
 * rng_fill: bytes from a virtio entropy device's request queue (virtio
 * 1.x, 5.4), the device not trusted.
 *
 * A virtio-rng device has one queue and no configuration: the driver
 * hands it a buffer the device writes, and the device gives it back with
 * the number of bytes it filled with entropy. Here one buffer at a time is
 * posted (at most what is still missing), the device is notified, and the
 * driver waits -- for a bounded time -- for the buffer to come back; what
 * the device wrote is copied out, the buffer wiped, and the next request
 * posted until the caller's bytes are all in.
 *
 * Everything the device writes is checked before it is used: lib/virtq's
 * checks (the used index moves by no more than the buffers the device
 * holds, the entry names a descriptor it holds, its length fits the
 * buffer), then here the buffer given back must be the one just posted and
 * its length no more than was asked. A device that answers too little too
 * often (RNG_FILL_MAX_REQUESTS requests in all), or not at all in the time
 * the caller allows, gives nothing either. On any failure the output is
 * zeroed and the reason returned: the caller uses all of the bytes or
 * none, and treats a failing device as no source, never as a fault.
 *
 * What the bytes are worth cannot be checked: a hostile device may write
 * anything. Callers mix them with their other sources (the key-store
 * hashes all its sources together), so they add entropy or nothing.
 *
 * Portable and freestanding: the key-store (user/key-store/virtio_rng.c)
 * drives a real device with it; tests/unit/rng_fill_test.c drives it
 * against fake ones, honest and hostile.
 */
#ifndef CAMBIOS_LIB_RNG_FILL_H
#define CAMBIOS_LIB_RNG_FILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "virtq.h"

/* Requests one fill may make: short answers (even empty ones) are
 * allowed, an endless trickle is not. */
#define RNG_FILL_MAX_REQUESTS 16

/* How the fill reaches the device and lets time pass. */
struct rng_fill_io {
	void (*notify)(void *ctx); /* the queue holds a new buffer */
	bool (*wait)(void *ctx);   /* lets the device work for a moment; false once
				    * the time allowed for the whole fill is up */
	void *ctx;
};

/* The one buffer the device writes: where the driver reads it, where the
 * device writes it (bus address), and its size. It must not overlap the
 * queue's rings. */
struct rng_fill_buffer {
	volatile uint8_t *cpu;
	uint64_t bus;
	uint32_t len;
};

/* Fills out[0..len) from the device through queue `q` (set up, enabled,
 * holding no buffer) and `buf`. NULL when every byte came from the device;
 * otherwise why not, out all zero, and the queue not to be used again. */
const char *rng_fill(struct virtq *q, const struct rng_fill_buffer *buf, uint8_t *out, size_t len,
		     const struct rng_fill_io *io);

#endif
