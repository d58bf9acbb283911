/*
 * virtio_pci: the modern virtio-pci transport (see virtio_pci.h).
 *
 * Every register is reached with a volatile access of its own width; a
 * 64-bit queue address is written as two 32-bit halves, low first, which
 * virtio 1.x (4.1.3.1) allows. What the device reads back is believed only
 * as far as it is checked: a queue size is capped to the caller's memory,
 * a notify offset must land inside the notify structure, a vector the
 * device answers with NO_VECTOR is refused.
 */
#include "virtio_pci.h"

#include <abi/device.h>

#include "sys.h"

#define PAGE 4096ull

/* Common configuration (virtio 1.x, 4.1.4.3). */
#define COMMON_DEVICE_FEATURE_SELECT 0x00
#define COMMON_DEVICE_FEATURE 0x04
#define COMMON_DRIVER_FEATURE_SELECT 0x08
#define COMMON_DRIVER_FEATURE 0x0c
#define COMMON_MSIX_CONFIG 0x10
#define COMMON_NUM_QUEUES 0x12
#define COMMON_DEVICE_STATUS 0x14
#define COMMON_QUEUE_SELECT 0x16
#define COMMON_QUEUE_SIZE 0x18
#define COMMON_QUEUE_MSIX_VECTOR 0x1a
#define COMMON_QUEUE_ENABLE 0x1c
#define COMMON_QUEUE_NOTIFY_OFF 0x1e
#define COMMON_QUEUE_DESC 0x20
#define COMMON_QUEUE_DRIVER 0x28
#define COMMON_QUEUE_DEVICE 0x30
#define COMMON_LEN 0x38

#define RESET_POLLS 1000000u

const char virtio_pci_none[] = "no such device";

static void w8(volatile uint8_t *b, unsigned off, uint8_t v) { *(b + off) = v; }
static uint8_t r8(volatile uint8_t *b, unsigned off) { return *(b + off); }
static void w16(volatile uint8_t *b, unsigned off, uint16_t v) { *(volatile uint16_t *)(b + off) = v; }
static uint16_t r16(volatile uint8_t *b, unsigned off) { return *(volatile uint16_t *)(b + off); }
static void w32(volatile uint8_t *b, unsigned off, uint32_t v) { *(volatile uint32_t *)(b + off) = v; }
static uint32_t r32(volatile uint8_t *b, unsigned off) { return *(volatile uint32_t *)(b + off); }

static void w64(volatile uint8_t *b, unsigned off, uint64_t v)
{
	w32(b, off, (uint32_t)v);
	w32(b, off + 4, (uint32_t)(v >> 32));
}

/* Maps the pages holding one structure (its 12-byte VirtioModernCaps
 * entry); NULL when it lies outside its BAR or the mapping is refused.
 * Only those pages: the MSI-X table may share the BAR, and the kernel
 * never maps its pages to a driver. */
static volatile uint8_t *map_structure(const struct device *d, const uint8_t *entry, uint32_t *len)
{
	unsigned bar = entry[VIRTIO_CAPS_ENTRY_BAR];
	uint64_t offset = le32(entry + VIRTIO_CAPS_ENTRY_OFFSET);

	*len = le32(entry + VIRTIO_CAPS_ENTRY_LENGTH);
	if (bar >= DEVICE_INFO_BARS || *len == 0)
		return 0;
	uint64_t bar_size = le32(bar_of(d, bar) + DEVICE_INFO_BAR_SIZE);
	if (bar_of(d, bar)[DEVICE_INFO_BAR_IS_IO] || offset > bar_size || *len > bar_size - offset)
		return 0;
	uint64_t first = offset / PAGE * PAGE;
	uint64_t pages = (offset + *len - first + PAGE - 1) / PAGE;
	uint64_t base = le64(bar_of(d, bar) + DEVICE_INFO_BAR_BASE);
	int64_t va = sys_call(SYS_MAP_MMIO, base + first, pages, 0);
	if (va <= 0)
		return 0;
	return (volatile uint8_t *)(uintptr_t)va + (offset - first);
}

static const char *map_all(struct virtio_pci *v, const uint8_t *caps)
{
	uint32_t common_len, unused;
	uint8_t present = caps[VIRTIO_CAPS_PRESENT];

	if ((present & (VIRTIO_CAPS_HAS_COMMON | VIRTIO_CAPS_HAS_NOTIFY)) !=
	    (VIRTIO_CAPS_HAS_COMMON | VIRTIO_CAPS_HAS_NOTIFY))
		return "no common configuration or notify structure";
	v->common = map_structure(&v->dev, caps + VIRTIO_CAPS_COMMON, &common_len);
	if (!v->common || common_len < COMMON_LEN)
		return "common configuration not mappable (or too short)";
	v->notify = map_structure(&v->dev, caps + VIRTIO_CAPS_NOTIFY, &v->notify_len);
	if (!v->notify)
		return "notify structure not mappable";
	v->notify_multiplier = le32(caps + VIRTIO_CAPS_NOTIFY_MULTIPLIER);
	v->device_cfg = 0;
	v->device_cfg_len = 0;
	if (present & VIRTIO_CAPS_HAS_DEVICE) {
		v->device_cfg = map_structure(&v->dev, caps + VIRTIO_CAPS_DEVICE, &unused);
		if (!v->device_cfg)
			return "device configuration not mappable";
		v->device_cfg_len = unused;
	}
	return 0;
}

const char *virtio_pci_find(uint16_t device_id, struct virtio_pci *v)
{
	uint8_t caps[VIRTIO_CAPS_SIZE];

	if (!pci_find_virtio(device_id, &v->dev))
		return virtio_pci_none;
	if (sys_call(SYS_VIRTIO_MODERN_CAPS, (uint64_t)v->dev.index, (uint64_t)(uintptr_t)caps,
		     sizeof(caps)) != 0)
		return "VirtioModernCaps refused the function";
	v->features = 0;
	for (unsigned q = 0; q < VIRTIO_PCI_QUEUES; q++)
		v->notify_at[q] = UINT32_MAX;
	return map_all(v, caps);
}

const char *virtio_pci_reset(struct virtio_pci *v)
{
	w8(v->common, COMMON_DEVICE_STATUS, 0);
	/* The device says the reset is done by reading back 0 (4.1.4.3.2). */
	for (unsigned i = 0; r8(v->common, COMMON_DEVICE_STATUS) != 0; i++) {
		if (i == RESET_POLLS)
			return "the device never finished its reset";
	}
	return 0;
}

static void set_status(struct virtio_pci *v, uint8_t bits)
{
	w8(v->common, COMMON_DEVICE_STATUS, (uint8_t)(r8(v->common, COMMON_DEVICE_STATUS) | bits));
}

static uint64_t device_features(struct virtio_pci *v)
{
	w32(v->common, COMMON_DEVICE_FEATURE_SELECT, 0);
	uint64_t low = r32(v->common, COMMON_DEVICE_FEATURE);
	w32(v->common, COMMON_DEVICE_FEATURE_SELECT, 1);
	return low | (uint64_t)r32(v->common, COMMON_DEVICE_FEATURE) << 32;
}

const char *virtio_pci_negotiate(struct virtio_pci *v, uint64_t supported, uint64_t required)
{
	set_status(v, VIRTIO_STATUS_ACKNOWLEDGE);
	set_status(v, VIRTIO_STATUS_DRIVER);
	uint64_t agreed = device_features(v) & supported;
	if ((agreed & required) != required) {
		virtio_pci_fail(v);
		return "the device lacks a feature this driver requires";
	}
	w32(v->common, COMMON_DRIVER_FEATURE_SELECT, 0);
	w32(v->common, COMMON_DRIVER_FEATURE, (uint32_t)agreed);
	w32(v->common, COMMON_DRIVER_FEATURE_SELECT, 1);
	w32(v->common, COMMON_DRIVER_FEATURE, (uint32_t)(agreed >> 32));
	set_status(v, VIRTIO_STATUS_FEATURES_OK);
	if (!(r8(v->common, COMMON_DEVICE_STATUS) & VIRTIO_STATUS_FEATURES_OK)) {
		virtio_pci_fail(v);
		return "the device refused FEATURES_OK";
	}
	v->features = agreed;
	return 0;
}

uint16_t virtio_pci_queue_size(struct virtio_pci *v, uint16_t index, uint16_t max)
{
	if (index >= VIRTIO_PCI_QUEUES || index >= r16(v->common, COMMON_NUM_QUEUES))
		return 0;
	w16(v->common, COMMON_QUEUE_SELECT, index);
	uint16_t offered = r16(v->common, COMMON_QUEUE_SIZE);
	uint16_t size = offered < max ? offered : max;
	/* A split queue's size is a power of two (2.6): the largest that fits. */
	while (size & (size - 1))
		size &= (uint16_t)(size - 1);
	return size;
}

const char *virtio_pci_queue_enable(struct virtio_pci *v, uint16_t index, uint16_t size,
				    const struct virtio_queue_area *area, uint16_t vector)
{
	if (index >= VIRTIO_PCI_QUEUES || size == 0)
		return "no such queue";
	w16(v->common, COMMON_QUEUE_SELECT, index);
	w16(v->common, COMMON_QUEUE_SIZE, size);
	w16(v->common, COMMON_QUEUE_MSIX_VECTOR, vector);
	if (vector != VIRTIO_NO_VECTOR && r16(v->common, COMMON_QUEUE_MSIX_VECTOR) != vector)
		return "the device refused the queue's MSI-X vector";
	uint64_t at = (uint64_t)r16(v->common, COMMON_QUEUE_NOTIFY_OFF) * v->notify_multiplier;
	if (at > v->notify_len || v->notify_len - at < sizeof(uint16_t))
		return "the queue's notify offset is outside the notify structure";
	v->notify_at[index] = (uint32_t)at;
	w64(v->common, COMMON_QUEUE_DESC, area->desc);
	w64(v->common, COMMON_QUEUE_DRIVER, area->driver);
	w64(v->common, COMMON_QUEUE_DEVICE, area->device);
	w16(v->common, COMMON_QUEUE_ENABLE, 1);
	return 0;
}

const char *virtio_pci_config_vector(struct virtio_pci *v, uint16_t vector)
{
	w16(v->common, COMMON_MSIX_CONFIG, vector);
	if (r16(v->common, COMMON_MSIX_CONFIG) != vector)
		return "the device refused the configuration vector";
	return 0;
}

void virtio_pci_driver_ok(struct virtio_pci *v)
{
	set_status(v, VIRTIO_STATUS_DRIVER_OK);
}

void virtio_pci_fail(struct virtio_pci *v)
{
	set_status(v, VIRTIO_STATUS_FAILED);
}

void virtio_pci_notify(const struct virtio_pci *v, uint16_t index)
{
	if (index >= VIRTIO_PCI_QUEUES || v->notify_at[index] == UINT32_MAX)
		return;
	/* The queue's index is what a device without NOTIFICATION_DATA reads. */
	w16(v->notify, v->notify_at[index], index);
}
