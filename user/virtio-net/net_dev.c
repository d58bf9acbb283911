/*
 * net_dev: bringing the virtio-net device up and moving frames through
 * its queues (see net_dev.h).
 */
#include "net_dev.h"

#include <abi/net.h>

#include "../../lib/kstring.h"
#include "../lib/line.h"
#include "../lib/sys.h"
#include "checks.h"

#define PAGE 4096u
/* Rings: one page per queue (32 entries need under 1 KiB of the three
 * areas); then the buffers. */
#define RING_BYTES PAGE
#define RX_BUFS_AT (2 * RING_BYTES)
#define TX_BUFS_AT (RX_BUFS_AT + NET_DEV_QUEUE_MAX * NET_DEV_BUF_SIZE)
#define DMA_BYTES (TX_BUFS_AT + NET_DEV_QUEUE_MAX * NET_DEV_BUF_SIZE)
#define DMA_PAGES (DMA_BYTES / PAGE)
#define MSIX_ENTRY 0

_Static_assert(DMA_PAGES <= ALLOC_DMA_MAX_PAGES, "one AllocDma holds the rings and buffers");
_Static_assert(NET_DEV_HEADER + NET_FRAME_MAX <= NET_DEV_BUF_SIZE, "a frame fits a buffer");

static uint64_t feature(unsigned bit)
{
	return 1ull << bit;
}

static uint32_t rx_buf_at(uint16_t b)
{
	return RX_BUFS_AT + (uint32_t)b * NET_DEV_BUF_SIZE;
}

static uint32_t tx_buf_at(uint16_t b)
{
	return TX_BUFS_AT + (uint32_t)b * NET_DEV_BUF_SIZE;
}

/* The device's MAC when it offered one (device configuration, 5.1.4),
 * else a locally administered address of our own. */
static void read_mac(struct net_dev *d)
{
	if ((d->pci.features & feature(VIRTIO_NET_F_MAC)) && d->pci.device_cfg_len >= 6) {
		for (unsigned i = 0; i < 6; i++)
			d->mac[i] = d->pci.device_cfg[i];
		return;
	}
	const uint8_t own[6] = { 0x02, 0, 0, 0, 0, 1 };
	for (unsigned i = 0; i < 6; i++)
		d->mac[i] = own[i];
}

/* The queue's three areas, as lib/virtq lays them out, for the device. */
static const char *setup_queue(struct net_dev *d, uint16_t index, struct virtq *q,
			       uint32_t at, uint16_t *offered)
{
	struct virtq_layout l;
	uint16_t size = virtio_pci_queue_size(&d->pci, index, NET_DEV_QUEUE_MAX);

	*offered = size;
	if (size == 0 || !virtq_layout(size, &l) || l.bytes > RING_BYTES ||
	    !virtq_init(q, size, d->dma + at))
		return "the device offers no usable queue";
	uint64_t bus = d->dma_bus + at;
	const struct virtio_queue_area area = { bus + l.desc, bus + l.avail, bus + l.used };
	return virtio_pci_queue_enable(&d->pci, index, size, &area, MSIX_ENTRY);
}

static void post_rx(struct net_dev *d, uint16_t b)
{
	int id = virtq_give(&d->rx, d->dma_bus + rx_buf_at(b), NET_DEV_BUF_SIZE, true);

	if (id >= 0)
		d->rx_buf_of[id] = b;
}

static const char *setup_queues(struct net_dev *d)
{
	int64_t va = sys_call(SYS_ALLOC_DMA, DMA_PAGES, 0, (uint64_t)(uintptr_t)&d->dma_bus);

	if (va <= 0)
		return "AllocDma refused the rings and buffers";
	d->dma = (uint8_t *)(uintptr_t)va;
	const char *why = setup_queue(d, NET_DEV_RX_QUEUE, &d->rx, 0, &d->rx_offered);
	if (!why)
		why = setup_queue(d, NET_DEV_TX_QUEUE, &d->tx, RING_BYTES, &d->tx_offered);
	if (why)
		return why;
	d->tx_free_count = 0;
	for (uint16_t b = 0; b < d->tx.size; b++)
		d->tx_free[d->tx_free_count++] = b;
	return virtio_pci_config_vector(&d->pci, VIRTIO_NO_VECTOR);
}

const char *net_dev_start(struct net_dev *d)
{
	const char *why = virtio_pci_find(VIRTIO_NET_MODERN_ID, &d->pci);

	if (!why)
		why = virtio_pci_reset(&d->pci);
	if (!why)
		why = virtio_pci_negotiate(&d->pci, feature(VIRTIO_F_VERSION_1) |
					   feature(VIRTIO_NET_F_MAC), feature(VIRTIO_F_VERSION_1));
	if (why)
		return why;
	d->line = sys_call(SYS_ENABLE_MSIX, (uint64_t)d->pci.dev.index, MSIX_ENTRY, 0);
	if (d->line < 0)
		why = "EnableMsix refused entry 0";
	if (!why)
		why = setup_queues(d);
	if (why) {
		virtio_pci_fail(&d->pci);
		return why;
	}
	read_mac(d);
	d->count = (struct net_counters){ 0 };
	d->rx_reported = d->tx_reported = false;
	virtio_pci_driver_ok(&d->pci);
	for (uint16_t b = 0; b < d->rx.size; b++)
		post_rx(d, b);
	virtio_pci_notify(&d->pci, NET_DEV_RX_QUEUE);
	return 0;
}

/* One line, once, when the device breaks a queue: it stays stopped. */
static void report_broken(const struct virtq *q, const char *name, bool *reported)
{
	struct line l;

	if (!virtq_broken(q) || *reported)
		return;
	*reported = true;
	l.len = 0;
	put(&l, "virtio-net: the device broke the ");
	put(&l, name);
	put(&l, " queue, stopped: ");
	put(&l, virtq_broken(q));
	say(&l);
}

void net_dev_receive(struct net_dev *d, net_dev_deliver deliver, void *ctx)
{
	uint16_t id;
	uint32_t len;
	bool reposted = false;

	while (virtq_take(&d->rx, &id, &len) == 1) {
		uint16_t b = d->rx_buf_of[id];
		/* lib/virtq has bounded len by the buffer; the frame is checked here. */
		uint32_t frame = check_rx_used(len);
		if (frame == 0) {
			d->count.dropped++;
		} else {
			d->count.rx_frames++;
			d->count.rx_bytes += frame;
			deliver(ctx, d->dma + rx_buf_at(b) + NET_DEV_HEADER, frame);
		}
		post_rx(d, b);
		reposted = true;
	}
	report_broken(&d->rx, "receive", &d->rx_reported);
	if (reposted)
		virtio_pci_notify(&d->pci, NET_DEV_RX_QUEUE);
}

void net_dev_reclaim(struct net_dev *d)
{
	uint16_t id;
	uint32_t len;

	while (virtq_take(&d->tx, &id, &len) == 1)
		d->tx_free[d->tx_free_count++] = d->tx_buf_of[id];
	report_broken(&d->tx, "transmit", &d->tx_reported);
}

bool net_dev_send(struct net_dev *d, const uint8_t *frame, uint32_t len)
{
	net_dev_reclaim(d);
	if (d->tx_free_count == 0 || virtq_broken(&d->tx) || len > NET_FRAME_MAX) {
		d->count.dropped++;
		return false;
	}
	uint16_t b = d->tx_free[--d->tx_free_count];
	uint8_t *buf = d->dma + tx_buf_at(b);
	/* No offloads negotiated: an all-zero header (flags 0, GSO_NONE). */
	memset(buf, 0, NET_DEV_HEADER);
	memcpy(buf + NET_DEV_HEADER, frame, len);
	int id = virtq_give(&d->tx, d->dma_bus + tx_buf_at(b), NET_DEV_HEADER + len, false);
	if (id < 0) {
		d->tx_free[d->tx_free_count++] = b;
		d->count.dropped++;
		return false;
	}
	d->tx_buf_of[id] = b;
	d->count.tx_frames++;
	d->count.tx_bytes += len;
	virtio_pci_notify(&d->pci, NET_DEV_TX_QUEUE);
	return true;
}
