/*
 * virtio_rng: the host's entropy through a virtio-rng device (virtio 1.x,
 * 5.4), for the key-store's seed.
 *
 * The device is found and brought up through user/lib/virtio_pci, the
 * modern virtio-pci transport virtio-net uses too: DeviceInfo and
 * VirtioModernCaps find it, MapMmio maps its structures' pages (claiming
 * this one PCI function for the key-store and nothing else), only
 * VERSION_1 is offered and required. Its one request queue (at most
 * QUEUE_MAX entries) and a 256-byte buffer share one page of AllocDma;
 * lib/rng_fill posts the buffer, checks every answer and copies it out.
 * No interrupt: the key-store polls, yielding, for RNG_WAIT_TICKS of the
 * kernel's clock at most (GetTime), and the queue asks the device for
 * none. Done or not, the device is reset afterwards, so it never touches
 * the page again.
 *
 * The device is not trusted: a step it fails, or an answer that breaks a
 * rule (rng_fill.h), means no entropy from it -- one line says why -- and
 * never a crash. A machine without the device is no failure: nothing is
 * said.
 *
 * QEMU gives `-device virtio-rng-pci,disable-legacy=on` the modern ID
 * 0x1044 (0x1040 + type 4); without disable-legacy it is the transitional
 * 0x1005, which has the same modern structures as well, so either is used.
 */
#include <abi/device.h>

#include "../../lib/rng_fill.h"
#include "../../lib/virtq.h"
#include "../lib/line.h"
#include "../lib/sys.h"
#include "../lib/virtio_pci.h"
#include "entropy.h"

#define VIRTIO_RNG_MODERN_ID 0x1044
#define VIRTIO_RNG_TRANSITIONAL_ID 0x1005
#define RNG_QUEUE 0
#define QUEUE_MAX 4
#define PAGE 4096u
#define BUF_AT 2048u  /* after the rings (a 4-entry queue's take 118 bytes) */
#define BUF_LEN 256u
#define RNG_WAIT_TICKS 300 /* 3 s of 10 ms ticks for the whole fill */

_Static_assert(BUF_AT + BUF_LEN <= PAGE, "the rings and the buffer share one page");

/* Virtqueue flags the driver writes: "no interrupt, please" (2.7.7). */
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1u

struct waiting {
	const struct virtio_pci *pci;
	int64_t deadline;
};

static void notify(void *ctx)
{
	const struct waiting *w = ctx;

	virtio_pci_notify(w->pci, RNG_QUEUE);
}

static bool wait_a_moment(void *ctx)
{
	const struct waiting *w = ctx;

	(void)sys_yield();
	return sys_call(SYS_GETTIME, 0, 0, 0) < w->deadline;
}

static const char *setup_queue(struct virtio_pci *pci, struct virtq *q, uint8_t **dma,
			       uint64_t *bus)
{
	struct virtq_layout l;
	uint16_t size = virtio_pci_queue_size(pci, RNG_QUEUE, QUEUE_MAX);

	if (size == 0 || !virtq_layout(size, &l) || l.bytes > BUF_AT)
		return "the device offers no usable queue";
	int64_t va = sys_call(SYS_ALLOC_DMA, 1, 0, (uint64_t)(uintptr_t)bus);
	if (va <= 0)
		return "AllocDma refused the queue's page";
	*dma = (uint8_t *)(uintptr_t)va;
	if (!virtq_init(q, size, *dma))
		return "the device offers no usable queue";
	q->avail[0] = VIRTQ_AVAIL_F_NO_INTERRUPT; /* the avail ring's flags: a hint */
	const struct virtio_queue_area area = { *bus + l.desc, *bus + l.avail, *bus + l.used };
	const char *why = virtio_pci_queue_enable(pci, RNG_QUEUE, size, &area, VIRTIO_NO_VECTOR);
	if (!why)
		why = virtio_pci_config_vector(pci, VIRTIO_NO_VECTOR);
	return why;
}

/* Up to DRIVER_OK, then the fill; the device left reset either way once
 * it was found. */
static const char *fill(struct virtio_pci *pci, uint8_t *out, size_t len)
{
	static struct virtq q;
	uint8_t *dma = 0;
	uint64_t bus = 0;

	const char *why = virtio_pci_reset(pci);
	if (!why)
		why = virtio_pci_negotiate(pci, 1ull << VIRTIO_F_VERSION_1, 1ull << VIRTIO_F_VERSION_1);
	if (!why)
		why = setup_queue(pci, &q, &dma, &bus);
	if (!why) {
		struct waiting w = { pci, sys_call(SYS_GETTIME, 0, 0, 0) + RNG_WAIT_TICKS };
		const struct rng_fill_buffer buf = { dma + BUF_AT, bus + BUF_AT, BUF_LEN };
		const struct rng_fill_io io = { notify, wait_a_moment, &w };

		virtio_pci_driver_ok(pci);
		why = rng_fill(&q, &buf, out, len, &io);
	}
	if (why)
		virtio_pci_fail(pci);
	/* Whatever the device did, it is told to stop; one that will not
	 * finish its reset may still write the page, and gives nothing. */
	const char *reset = virtio_pci_reset(pci);
	return why ? why : reset;
}

bool entropy_from_virtio_rng(uint8_t *out, size_t len)
{
	static struct virtio_pci pci;

	const char *why = virtio_pci_find(VIRTIO_RNG_MODERN_ID, &pci);
	if (why == virtio_pci_none)
		why = virtio_pci_find(VIRTIO_RNG_TRANSITIONAL_ID, &pci);
	if (why == virtio_pci_none)
		return false;
	if (!why)
		why = fill(&pci, out, len);
	if (!why)
		return true;
	for (size_t i = 0; i < len; i++)
		((volatile uint8_t *)out)[i] = 0;
	struct line l = { .len = 0 };
	put(&l, "key-store: virtio-rng ");
	put_byte(&l, pci.dev.rec[DEVICE_INFO_BUS]);
	put(&l, ":");
	put_byte(&l, pci.dev.rec[DEVICE_INFO_SLOT]);
	put(&l, ".");
	put_dec(&l, pci.dev.rec[DEVICE_INFO_FUNCTION]);
	put(&l, " gave no entropy: ");
	put(&l, why);
	say(&l);
	return false;
}
