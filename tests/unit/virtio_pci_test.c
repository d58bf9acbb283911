/*
 * virtio_pci_test: user/lib/virtio_pci (the modern virtio-pci transport)
 * over a fake machine -- DeviceInfo, VirtioModernCaps and MapMmio answered
 * here, the device's BAR plain memory. Registers in plain memory read back
 * what was last written, which is enough to see what the transport writes
 * where, and to set what the device "offers": features, queue sizes,
 * notify offsets, each checked before it is believed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../user/lib/virtio_pci.h"

#define BAR_BASE 0xfe000000ull
#define BAR_SIZE 0x4000u
#define NET_ID 0x1041
#define COMMON_AT 0x0000u
#define DEVICE_AT 0x2000u
#define NOTIFY_AT 0x3000u
#define MULTIPLIER 4u

/* Common configuration offsets (virtio 1.x, 4.1.4.3), as the test sees them. */
#define DEVICE_FEATURE 0x04
#define DRIVER_FEATURE_SELECT 0x08
#define DRIVER_FEATURE 0x0c
#define NUM_QUEUES 0x12
#define STATUS 0x14
#define QUEUE_SIZE 0x18
#define QUEUE_MSIX_VECTOR 0x1a
#define QUEUE_ENABLE 0x1c
#define QUEUE_NOTIFY_OFF 0x1e
#define QUEUE_DESC 0x20
#define QUEUE_DEVICE 0x30

static _Alignas(4096) uint8_t bar[BAR_SIZE];
static uint8_t caps[VIRTIO_CAPS_SIZE];
static unsigned maps;
static uint64_t mapped_phys[8], mapped_pages[8];

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)v); put16(p + 2, (uint16_t)(v >> 16)); }
static uint16_t get16(unsigned at) { return (uint16_t)(bar[at] | bar[at + 1] << 8); }
static uint32_t get32(unsigned at) { return get16(at) | (uint32_t)get16(at + 2) << 16; }

static void cap_entry(unsigned at, uint8_t bar_no, uint32_t offset, uint32_t len)
{
	caps[at + VIRTIO_CAPS_ENTRY_BAR] = bar_no;
	put32(caps + at + VIRTIO_CAPS_ENTRY_OFFSET, offset);
	put32(caps + at + VIRTIO_CAPS_ENTRY_LENGTH, len);
}

/* Function 0: a host bridge; function 1: the virtio-net device, BAR 4. */
static int64_t device_info(uint64_t index, uint8_t *out)
{
	memset(out, 0, DEVICE_INFO_SIZE);
	if (index == 0) {
		put16(out, 0x8086);
		return 0;
	}
	if (index != 1)
		return SYS_ENOENT;
	put16(out, VIRTIO_VENDOR);
	put16(out + DEVICE_INFO_DEVICE, NET_ID);
	uint8_t *b = out + DEVICE_INFO_BAR0 + 4 * DEVICE_INFO_BAR_STRIDE;
	put32(b + DEVICE_INFO_BAR_BASE, (uint32_t)BAR_BASE);
	put32(b + DEVICE_INFO_BAR_BASE + 4, 0);
	put32(b + DEVICE_INFO_BAR_SIZE, BAR_SIZE);
	return 0;
}

static int64_t map_mmio(uint64_t phys, uint64_t pages)
{
	if (phys < BAR_BASE || phys % 4096 || pages == 0 || phys - BAR_BASE + pages * 4096 > BAR_SIZE)
		return SYS_EINVAL;
	mapped_phys[maps % 8] = phys;
	mapped_pages[maps % 8] = pages;
	maps++;
	return (int64_t)(uintptr_t)(bar + (phys - BAR_BASE));
}

int64_t sys_call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	(void)a2;
	if (nr == SYS_DEVICE_INFO)
		return device_info(a0, (uint8_t *)(uintptr_t)a1);
	if (nr == SYS_VIRTIO_MODERN_CAPS) {
		if (a0 != 1)
			return SYS_EINVAL;
		memcpy((void *)(uintptr_t)a1, caps, sizeof(caps));
		return 0;
	}
	if (nr == SYS_MAP_MMIO)
		return map_mmio(a0, a1);
	return SYS_ENOSYS;
}

int64_t sys_call4(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	(void)a3;
	return sys_call(nr, a0, a1, a2);
}

static struct virtio_pci v;

static int setup(void **state)
{
	(void)state;
	memset(bar, 0, sizeof(bar));
	memset(caps, 0, sizeof(caps));
	cap_entry(VIRTIO_CAPS_COMMON, 4, COMMON_AT, 0x1000);
	cap_entry(VIRTIO_CAPS_ISR, 4, 0x1000, 0x1000);
	cap_entry(VIRTIO_CAPS_DEVICE, 4, DEVICE_AT, 0x1000);
	cap_entry(VIRTIO_CAPS_NOTIFY, 4, NOTIFY_AT, 0x1000);
	put32(caps + VIRTIO_CAPS_NOTIFY_MULTIPLIER, MULTIPLIER);
	caps[VIRTIO_CAPS_PRESENT] = 0xf;
	maps = 0;
	return 0;
}

static void finds_and_maps_only_its_structures(void **state)
{
	(void)state;
	assert_null(virtio_pci_find(NET_ID, &v));
	assert_int_equal(v.dev.index, 1);
	assert_ptr_equal(v.common, bar + COMMON_AT);
	assert_ptr_equal(v.device_cfg, bar + DEVICE_AT);
	assert_ptr_equal(v.notify, bar + NOTIFY_AT);
	/* Three mappings of one page each, the ISR's page never asked for. */
	assert_int_equal(maps, 3);
	for (unsigned i = 0; i < maps; i++) {
		assert_int_equal(mapped_pages[i], 1);
		assert_int_not_equal(mapped_phys[i], BAR_BASE + 0x1000);
	}
}

static void no_such_device(void **state)
{
	(void)state;
	assert_ptr_equal(virtio_pci_find(0x1044, &v), virtio_pci_none);
	assert_int_equal(maps, 0);
}

static void structures_outside_their_bar_are_refused(void **state)
{
	(void)state;
	cap_entry(VIRTIO_CAPS_NOTIFY, 4, BAR_SIZE - 0x800, 0x1000);
	assert_non_null(strstr(virtio_pci_find(NET_ID, &v), "notify"));
	setup(NULL);
	cap_entry(VIRTIO_CAPS_COMMON, 4, 0, 0x30); /* shorter than the registers */
	assert_non_null(strstr(virtio_pci_find(NET_ID, &v), "common"));
	setup(NULL);
	cap_entry(VIRTIO_CAPS_DEVICE, 9, 0, 0x100); /* no BAR 9 */
	assert_non_null(strstr(virtio_pci_find(NET_ID, &v), "device configuration"));
	setup(NULL);
	caps[VIRTIO_CAPS_PRESENT] = VIRTIO_CAPS_HAS_COMMON;
	assert_non_null(virtio_pci_find(NET_ID, &v));
	assert_int_equal(maps, 0);
}

static void negotiates_only_what_both_support(void **state)
{
	const uint64_t supported = 1ull << VIRTIO_F_VERSION_1 | 1ull << 5;

	(void)state;
	assert_null(virtio_pci_find(NET_ID, &v));
	/* Plain memory: both halves read 0x21, bits 0, 5, 32 and 37 offered. */
	put32(bar + DEVICE_FEATURE, 0x21);
	assert_null(virtio_pci_negotiate(&v, supported, 1ull << VIRTIO_F_VERSION_1));
	assert_int_equal(v.features, supported);
	assert_int_equal(get32(DRIVER_FEATURE_SELECT), 1);
	assert_int_equal(get32(DRIVER_FEATURE), 1); /* the high half: VERSION_1 alone */
	assert_int_equal(bar[STATUS], VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
					      VIRTIO_STATUS_FEATURES_OK);
}

static void refuses_a_device_without_version_1(void **state)
{
	(void)state;
	assert_null(virtio_pci_find(NET_ID, &v));
	put32(bar + DEVICE_FEATURE, 0x20); /* bits 5 and 37: no VERSION_1 */
	assert_non_null(virtio_pci_negotiate(&v, 1ull << VIRTIO_F_VERSION_1 | 1ull << 5,
					     1ull << VIRTIO_F_VERSION_1));
	assert_true(bar[STATUS] & VIRTIO_STATUS_FAILED);
	assert_false(bar[STATUS] & VIRTIO_STATUS_FEATURES_OK);
	assert_int_equal(v.features, 0);
}

static void queue_sizes_come_from_the_device_capped(void **state)
{
	(void)state;
	assert_null(virtio_pci_find(NET_ID, &v));
	put16(bar + NUM_QUEUES, 2);
	put16(bar + QUEUE_SIZE, 256);
	assert_int_equal(virtio_pci_queue_size(&v, 0, 32), 32);
	put16(bar + QUEUE_SIZE, 24);
	assert_int_equal(virtio_pci_queue_size(&v, 1, 32), 16); /* a power of two */
	put16(bar + QUEUE_SIZE, 8);
	assert_int_equal(virtio_pci_queue_size(&v, 1, 32), 8);
	put16(bar + QUEUE_SIZE, 0);
	assert_int_equal(virtio_pci_queue_size(&v, 0, 32), 0);
	put16(bar + QUEUE_SIZE, 256);
	assert_int_equal(virtio_pci_queue_size(&v, 2, 32), 0); /* past num_queues */
}

static void a_queue_is_set_up_and_notified(void **state)
{
	const struct virtio_queue_area area = { 0x1000, 0x1100, 0x123456789000ull };

	(void)state;
	assert_null(virtio_pci_find(NET_ID, &v));
	put16(bar + QUEUE_NOTIFY_OFF, 3);
	assert_null(virtio_pci_queue_enable(&v, 1, 32, &area, 0));
	assert_int_equal(get16(QUEUE_SIZE), 32);
	assert_int_equal(get16(QUEUE_MSIX_VECTOR), 0);
	assert_int_equal(get32(QUEUE_DESC), 0x1000);
	assert_int_equal(get32(QUEUE_DEVICE), 0x56789000);
	assert_int_equal(get32(QUEUE_DEVICE + 4), 0x1234);
	assert_int_equal(get16(QUEUE_ENABLE), 1);
	virtio_pci_notify(&v, 1);
	assert_int_equal(get16(NOTIFY_AT + 3 * MULTIPLIER), 1);
	virtio_pci_notify(&v, 0); /* never enabled: nothing written */
	assert_int_equal(get16(NOTIFY_AT), 0);
}

static void a_notify_offset_outside_its_structure_is_refused(void **state)
{
	const struct virtio_queue_area area = { 0x1000, 0x1100, 0x1200 };

	(void)state;
	assert_null(virtio_pci_find(NET_ID, &v));
	put16(bar + QUEUE_NOTIFY_OFF, 0x1000 / MULTIPLIER); /* at the structure's end */
	assert_non_null(virtio_pci_queue_enable(&v, 0, 32, &area, 0));
	assert_int_equal(get16(QUEUE_ENABLE), 0);
	put16(bar + QUEUE_NOTIFY_OFF, 0xffff);
	assert_non_null(virtio_pci_queue_enable(&v, 0, 32, &area, 0));
	assert_int_equal(get16(QUEUE_ENABLE), 0);
	put16(bar + QUEUE_NOTIFY_OFF, 0x1000 / MULTIPLIER - 1); /* its last word */
	assert_null(virtio_pci_queue_enable(&v, 0, 32, &area, 0));
	assert_non_null(virtio_pci_queue_enable(&v, VIRTIO_PCI_QUEUES, 32, &area, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(finds_and_maps_only_its_structures, setup),
		cmocka_unit_test_setup(no_such_device, setup),
		cmocka_unit_test_setup(structures_outside_their_bar_are_refused, setup),
		cmocka_unit_test_setup(negotiates_only_what_both_support, setup),
		cmocka_unit_test_setup(refuses_a_device_without_version_1, setup),
		cmocka_unit_test_setup(queue_sizes_come_from_the_device_capped, setup),
		cmocka_unit_test_setup(a_queue_is_set_up_and_notified, setup),
		cmocka_unit_test_setup(a_notify_offset_outside_its_structure_is_refused, setup),
	};

	return cmocka_run_group_tests_name("virtio_pci", tests, NULL, NULL);
}
