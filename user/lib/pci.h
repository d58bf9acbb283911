/*
 * pci: finding PCI functions through DeviceInfo (system call 22) in a
 * user program (user/lib): the record's little-endian fields and a
 * search by virtio device ID.
 */
#ifndef CAMBIOS_USER_PCI_H
#define CAMBIOS_USER_PCI_H

#include <abi/device.h>
#include <stdbool.h>
#include <stdint.h>

#include "sys.h"

#define PCI_FIND_MAX_FUNCTIONS 64 /* DeviceInfo's indices stop below it */
#define VIRTIO_VENDOR 0x1af4

/* A function found: its DeviceInfo index and record. */
struct device {
	int64_t index;
	uint8_t rec[DEVICE_INFO_SIZE];
};

static inline uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* BAR `bar`'s part of the record (DEVICE_INFO_BAR_*). */
static inline const uint8_t *bar_of(const struct device *d, unsigned bar)
{
	return d->rec + DEVICE_INFO_BAR0 + bar * DEVICE_INFO_BAR_STRIDE;
}

/* The first virtio function with this device ID; false if none. */
static inline bool pci_find_virtio(uint16_t device_id, struct device *out)
{
	for (int64_t i = 0; i < PCI_FIND_MAX_FUNCTIONS; i++) {
		if (sys_call(SYS_DEVICE_INFO, (uint64_t)i, (uint64_t)(uintptr_t)out->rec, DEVICE_INFO_SIZE) != 0)
			return false;
		if ((le32(out->rec) & 0xffff) == VIRTIO_VENDOR &&
		    (le32(out->rec + DEVICE_INFO_DEVICE) & 0xffff) == device_id) {
			out->index = i;
			return true;
		}
	}
	return false;
}

#endif
