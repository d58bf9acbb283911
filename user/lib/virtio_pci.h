/*
 * virtio_pci: a modern (virtio 1.x) PCI device's transport, for any
 * user-space virtio driver (user/lib) -- virtio-net, and the key-store's
 * virtio-rng. It knows nothing of a device type.
 *
 * It finds the function (DeviceInfo, VirtioModernCaps), maps only the
 * pages of its four structures (MapMmio, which claims the function; never
 * the MSI-X table's pages, which the kernel keeps), and walks the
 * initialisation of virtio 1.x, 3.1.1: reset, ACKNOWLEDGE, DRIVER,
 * feature negotiation with a FEATURES_OK read back, queues whose sizes
 * come from the device (capped by the caller's memory), MSI-X vectors
 * read back, DRIVER_OK. A step that fails names why (a constant string,
 * NULL for success) so the driver reports it in one line; a failure after
 * the reset marks the device FAILED.
 *
 * Register offsets are the virtio 1.x specification's, 4.1.4.3 (common
 * configuration) and 4.1.4.4 (notifications).
 */
#ifndef CAMBIOS_USER_VIRTIO_PCI_H
#define CAMBIOS_USER_VIRTIO_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "pci.h"

#define VIRTIO_F_VERSION_1 32u
#define VIRTIO_PCI_QUEUES 8 /* queues a driver may enable (virtio-net: 2) */
#define VIRTIO_NO_VECTOR 0xffffu

/* Device status bits (virtio 1.x, 2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE 1u
#define VIRTIO_STATUS_DRIVER 2u
#define VIRTIO_STATUS_DRIVER_OK 4u
#define VIRTIO_STATUS_FEATURES_OK 8u
#define VIRTIO_STATUS_FAILED 128u

struct virtio_pci {
	struct device dev;
	volatile uint8_t *common;
	volatile uint8_t *notify;
	volatile uint8_t *device_cfg; /* NULL when the device has none */
	uint32_t notify_len, device_cfg_len;
	uint32_t notify_multiplier;
	uint64_t features; /* what was agreed */
	uint32_t notify_at[VIRTIO_PCI_QUEUES]; /* each enabled queue's doorbell offset */
};

/* Where a queue lives for the device: three bus addresses (virtq_layout). */
struct virtio_queue_area {
	uint64_t desc, driver, device;
};

/* virtio_pci_find's reason when the machine has no such function. */
extern const char virtio_pci_none[];

/* The first function with this virtio device ID (0x1040 + type; or a
 * transitional device's 0x1000-series ID, which has the modern structures
 * too), its structures mapped; virtio_pci_none when there is none. */
const char *virtio_pci_find(uint16_t device_id, struct virtio_pci *v);

/* Status 0, then waits for the device to read back 0. */
const char *virtio_pci_reset(struct virtio_pci *v);

/* ACKNOWLEDGE, DRIVER, then the features both sides have among
 * `supported`; fails (FAILED set) when one of `required` is missing or
 * the device refuses FEATURES_OK. Bits are numbered 0..63. */
const char *virtio_pci_negotiate(struct virtio_pci *v, uint64_t supported, uint64_t required);

/* The size the device offers for queue `index`, capped to the largest
 * power of two <= max; 0 when the queue does not exist. */
uint16_t virtio_pci_queue_size(struct virtio_pci *v, uint16_t index, uint16_t max);

/* Queue `index` of `size` entries (from virtio_pci_queue_size) at `area`,
 * interrupting on MSI-X `vector` (the device must accept it), enabled. */
const char *virtio_pci_queue_enable(struct virtio_pci *v, uint16_t index, uint16_t size,
				    const struct virtio_queue_area *area, uint16_t vector);

/* The configuration-change vector (VIRTIO_NO_VECTOR for none). */
const char *virtio_pci_config_vector(struct virtio_pci *v, uint16_t vector);

/* DRIVER_OK: the device may now use its queues. */
void virtio_pci_driver_ok(struct virtio_pci *v);

/* Marks the device FAILED: the driver has given up on it. */
void virtio_pci_fail(struct virtio_pci *v);

/* Tells the device queue `index` has new buffers. */
void virtio_pci_notify(const struct virtio_pci *v, uint16_t index);

#endif
