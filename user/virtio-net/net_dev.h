/*
 * net_dev: the virtio-net device as the driver (user/virtio-net) drives
 * it -- its two queues, their DMA buffers and the counters.
 *
 * One DMA block holds everything the device reaches: the receive queue's
 * rings, the transmit queue's, then NET_DEV_QUEUE_MAX receive and as many
 * transmit buffers of NET_DEV_BUF_SIZE bytes. Each buffer starts with the
 * 12-byte virtio-net header (virtio 1.x, 5.1.6: VERSION_1 makes it 12
 * bytes, num_buffers included), then the Ethernet frame. Receive buffers
 * are all posted at start and each goes straight back after its frame is
 * taken; transmit buffers return to a free list as the device uses them.
 *
 * Both queues interrupt on MSI-X entry 0, one line: the driver wakes for
 * either and looks at both. The device is not trusted: lib/virtq checks
 * every used entry, and the first bad one stops that queue for good (the
 * driver says so once, and keeps serving what still works).
 */
#ifndef CAMBIOS_VIRTIO_NET_NET_DEV_H
#define CAMBIOS_VIRTIO_NET_NET_DEV_H

#include <stdbool.h>
#include <stdint.h>

#include "../../lib/virtq.h"
#include "../lib/virtio_pci.h"

#define VIRTIO_NET_MODERN_ID 0x1041
#define VIRTIO_NET_F_MAC 5u
#define NET_DEV_HEADER 12u
#define NET_DEV_QUEUE_MAX 32u   /* entries per queue we give memory for */
#define NET_DEV_BUF_SIZE 2048u  /* header + the longest frame, rounded */
#define NET_DEV_RX_QUEUE 0
#define NET_DEV_TX_QUEUE 1

struct net_counters {
	uint64_t rx_frames, rx_bytes, tx_frames, tx_bytes, dropped;
	uint64_t interrupts; /* wake-ups by the device's line */
};

struct net_dev {
	struct virtio_pci pci;
	struct virtq rx, tx;
	uint8_t *dma;
	uint64_t dma_bus;
	int64_t line;                                /* MSI-X entry 0's */
	uint8_t mac[6];
	uint16_t rx_offered, tx_offered;             /* queue sizes the device offered */
	uint16_t rx_buf_of[NET_DEV_QUEUE_MAX];       /* descriptor -> receive buffer */
	uint16_t tx_buf_of[NET_DEV_QUEUE_MAX];       /* descriptor -> transmit buffer */
	uint16_t tx_free[NET_DEV_QUEUE_MAX];
	uint16_t tx_free_count;
	bool rx_reported, tx_reported;               /* a broken queue was reported */
	struct net_counters count;
};

/* Called with each frame received (without the virtio-net header). */
typedef void (*net_dev_deliver)(void *ctx, const uint8_t *frame, uint32_t len);

/* Finds the device, resets it and brings it up to DRIVER_OK with every
 * receive buffer posted. NULL, or why not (virtio_pci_none: no virtio-net device). */
const char *net_dev_start(struct net_dev *d);

/* Every frame the device has received, to `deliver`; buffers reposted. */
void net_dev_receive(struct net_dev *d, net_dev_deliver deliver, void *ctx);

/* Takes back the transmit buffers the device is done with. */
void net_dev_reclaim(struct net_dev *d);

/* Copies a frame into a free transmit buffer and hands it to the device;
 * false (counted as a drop) when none is free or the queue is broken. */
bool net_dev_send(struct net_dev *d, const uint8_t *frame, uint32_t len);

#endif
