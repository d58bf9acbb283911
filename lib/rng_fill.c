/*
 * rng_fill: a virtio entropy device's answers, checked and copied out (see
 * rng_fill.h).
 */
#include "rng_fill.h"

/* Volatile, so that zeroing what is about to be dropped is never elided. */
static void wipe(volatile uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = 0;
}

static const char *fail(uint8_t *out, size_t len, const char *why)
{
	wipe(out, len);
	return why;
}

/* Waits for descriptor `posted` (asked to fill `asked` bytes) to come
 * back: NULL with *wrote, or why it did not come back as it should. */
static const char *answer(struct virtq *q, int posted, uint32_t asked, uint32_t *wrote,
			  const struct rng_fill_io *io)
{
	uint16_t id;
	uint32_t len;

	for (;;) {
		int taken = virtq_take(q, &id, &len);
		if (taken < 0)
			return virtq_broken(q);
		if (taken == 1)
			break;
		if (!io->wait(io->ctx))
			return "the device did not answer in time";
	}
	/* lib/virtq has held the device to what it holds; with one buffer out,
	 * these hold too -- checked here all the same, the bytes being read. */
	if (id != (uint16_t)posted)
		return "the device gave back a buffer it was not just given";
	if (len > asked)
		return "the device says it wrote more than was asked";
	*wrote = len;
	return 0;
}

const char *rng_fill(struct virtq *q, const struct rng_fill_buffer *buf, uint8_t *out, size_t len,
		     const struct rng_fill_io *io)
{
	size_t got = 0;

	if (buf->len == 0)
		return fail(out, len, "no buffer to post");
	if (virtq_broken(q))
		return fail(out, len, virtq_broken(q));
	if (q->held != 0)
		return fail(out, len, "the queue already holds buffers");
	for (unsigned requests = 0; got < len; requests++) {
		if (requests == RNG_FILL_MAX_REQUESTS)
			return fail(out, len, "the device answered too little, too often");
		uint32_t ask = len - got < buf->len ? (uint32_t)(len - got) : buf->len;
		int id = virtq_give(q, buf->bus, ask, true);
		if (id < 0)
			return fail(out, len, "the queue took no buffer");
		io->notify(io->ctx);
		uint32_t wrote = 0;
		const char *why = answer(q, id, ask, &wrote, io);
		if (why)
			return fail(out, len, why);
		/* Each byte read once, then wiped: the next request starts clean. */
		for (uint32_t i = 0; i < wrote; i++) {
			out[got + i] = buf->cpu[i];
			buf->cpu[i] = 0;
		}
		got += wrote;
	}
	return 0;
}
