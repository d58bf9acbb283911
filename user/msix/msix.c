/* msix: a driver's interrupts through MSI-X (system call 76 EnableMsix,
 * then 5 WaitIrq). Not part of any image: the boot tests give it as a
 * module (tests/boot/test_msix.py) to a machine with a virtio-net device,
 * and change the device's link through QEMU's monitor.
 *
 * It finds the virtio-net function and maps its virtio structures' BAR
 * (claiming the device), routes MSI-X table entry 0 to a line of its own,
 * and tries what it must not: entries past the table, a function without
 * MSI-X, a function that does not exist, a line nobody routed. Then it
 * brings the device up far enough for configuration interrupts (virtio
 * 1.x, 3.1.1: reset, ACKNOWLEDGE, DRIVER, VERSION_1 and STATUS features,
 * FEATURES_OK, entry 0 as the configuration vector, DRIVER_OK) -- no
 * queues -- and waits for two of them, printing the link status each one
 * announces. The test turns the link off and on again in between. Every
 * wake-up must find it on the CPU it waited on (a waiter is pinned, and
 * its interrupts are delivered there), which it prints at the end.
 *
 * Every step prints one line; exits 0 when every answer was right, else
 * the number of the first wrong one. */
#include <abi/device.h>
#include <stdbool.h>

#include "../lib/line.h"
#include "../lib/module.h"
#include "../lib/pci.h"
#include "../lib/sys.h"

CAMBIOS_MODULE_ROLE("msix");

#define PAGE 4096ull
#define VIRTIO_NET_MODERN 0x1041
#define INTERRUPTS 2

/* The virtio 1.x common configuration (virtio spec, 4.1.4.3). */
#define COMMON_DEVICE_FEATURE_SELECT 0x00
#define COMMON_DEVICE_FEATURE 0x04
#define COMMON_DRIVER_FEATURE_SELECT 0x08
#define COMMON_DRIVER_FEATURE 0x0c
#define COMMON_CONFIG_MSIX_VECTOR 0x10
#define COMMON_DEVICE_STATUS 0x14

#define STATUS_ACKNOWLEDGE 1u
#define STATUS_DRIVER 2u
#define STATUS_DRIVER_OK 4u
#define STATUS_FEATURES_OK 8u
#define FEATURE_NET_STATUS (1u << 16)    /* the config's status field is valid */
#define FEATURE_VERSION_1_HIGH 1u        /* feature bit 32 */
#define NET_CONFIG_STATUS 6              /* virtio-net config: u16 after the MAC */
#define NET_STATUS_LINK_UP 1u
#define NO_VECTOR 0xffff

struct net {
	struct device dev;
	volatile uint8_t *common, *config;
};

static void mmio_write32(volatile uint8_t *base, unsigned offset, uint32_t v)
{
	*(volatile uint32_t *)(base + offset) = v;
}

static uint32_t mmio_read32(volatile uint8_t *base, unsigned offset)
{
	return *(volatile uint32_t *)(base + offset);
}

/* One answer: prints `what` and the result; true when it is `want`. */
static bool expect(const char *what, int64_t got, int64_t want)
{
	return say_answer("msix: ", what, got, want);
}

/* Finds the device and maps the BAR with its common and device
 * configuration (one BAR on QEMU). */
static int map_net(struct net *n)
{
	uint8_t caps[VIRTIO_CAPS_SIZE];

	if (!pci_find_virtio(VIRTIO_NET_MODERN, &n->dev))
		return 10;
	if (sys_call(SYS_VIRTIO_MODERN_CAPS, (uint64_t)n->dev.index, (uint64_t)(uintptr_t)caps,
		     sizeof(caps)) != 0)
		return 11;
	unsigned bar = caps[VIRTIO_CAPS_COMMON + VIRTIO_CAPS_ENTRY_BAR];
	if (!(caps[VIRTIO_CAPS_PRESENT] & VIRTIO_CAPS_HAS_DEVICE) || bar >= DEVICE_INFO_BARS ||
	    caps[VIRTIO_CAPS_DEVICE + VIRTIO_CAPS_ENTRY_BAR] != bar)
		return 12;
	uint64_t base = le64(bar_of(&n->dev, bar) + DEVICE_INFO_BAR_BASE);
	uint64_t pages = le32(bar_of(&n->dev, bar) + DEVICE_INFO_BAR_SIZE) / PAGE;
	int64_t va = sys_call(SYS_MAP_MMIO, base, pages, 0);
	if (va <= 0)
		return 13;
	uint8_t *at = (uint8_t *)(uintptr_t)va;
	n->common = at + le32(caps + VIRTIO_CAPS_COMMON + VIRTIO_CAPS_ENTRY_OFFSET);
	n->config = at + le32(caps + VIRTIO_CAPS_DEVICE + VIRTIO_CAPS_ENTRY_OFFSET);
	return 0;
}

/* Everything EnableMsix and WaitIrq must refuse; true when each was. */
static bool refusals(const struct net *n, int64_t line)
{
	bool ok = expect("refused entry 2048", sys_call(SYS_ENABLE_MSIX, (uint64_t)n->dev.index,
							2048, 0), SYS_EINVAL);
	ok &= expect("refused an entry past the table", sys_call(SYS_ENABLE_MSIX,
		     (uint64_t)n->dev.index, 1000, 0), SYS_EINVAL);
	ok &= expect("refused function 0 (the host bridge, no MSI-X)",
		     sys_call(SYS_ENABLE_MSIX, 0, 0, 0), SYS_EINVAL);
	ok &= expect("refused function 64", sys_call(SYS_ENABLE_MSIX, 64, 0, 0), SYS_EINVAL);
	ok &= expect("refused WaitIrq on a line nobody routed",
		     sys_call(SYS_WAIT_IRQ, (uint64_t)line + 1, 0, 0), SYS_EINVAL);
	ok &= expect("the same entry again: the same line",
		     sys_call(SYS_ENABLE_MSIX, (uint64_t)n->dev.index, 0, 0), line);
	return ok;
}

/* virtio 1.x initialisation up to DRIVER_OK, no queues, with MSI-X entry
 * 0 as the configuration-change vector. */
static int bring_up(const struct net *n)
{
	volatile uint8_t *c = n->common;

	c[COMMON_DEVICE_STATUS] = 0; /* reset */
	for (unsigned i = 0; c[COMMON_DEVICE_STATUS] != 0; i++) {
		if (i == 1000000)
			return 40;
	}
	c[COMMON_DEVICE_STATUS] = STATUS_ACKNOWLEDGE | STATUS_DRIVER;
	mmio_write32(c, COMMON_DEVICE_FEATURE_SELECT, 1);
	if (!(mmio_read32(c, COMMON_DEVICE_FEATURE) & FEATURE_VERSION_1_HIGH))
		return 41;
	mmio_write32(c, COMMON_DEVICE_FEATURE_SELECT, 0);
	uint32_t low = mmio_read32(c, COMMON_DEVICE_FEATURE) & FEATURE_NET_STATUS;
	mmio_write32(c, COMMON_DRIVER_FEATURE_SELECT, 0);
	mmio_write32(c, COMMON_DRIVER_FEATURE, low);
	mmio_write32(c, COMMON_DRIVER_FEATURE_SELECT, 1);
	mmio_write32(c, COMMON_DRIVER_FEATURE, FEATURE_VERSION_1_HIGH);
	c[COMMON_DEVICE_STATUS] = STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK;
	if (!(c[COMMON_DEVICE_STATUS] & STATUS_FEATURES_OK))
		return 42;
	*(volatile uint16_t *)(c + COMMON_CONFIG_MSIX_VECTOR) = 0;
	if (*(volatile uint16_t *)(c + COMMON_CONFIG_MSIX_VECTOR) == NO_VECTOR)
		return 43; /* the device would not use the vector */
	if (!low)
		return 44; /* no link status to report */
	c[COMMON_DEVICE_STATUS] = STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK |
				  STATUS_DRIVER_OK;
	return 0;
}

static const char *link(const struct net *n)
{
	uint16_t status = *(volatile uint16_t *)(n->config + NET_CONFIG_STATUS);

	return status & NET_STATUS_LINK_UP ? "up" : "down";
}

static int wait_for_interrupts(const struct net *n, int64_t line)
{
	struct line l;

	l.len = 0;

	put(&l, "msix: device up; waiting on line ");
	put_dec(&l, line);
	put(&l, " for configuration interrupts (link ");
	put(&l, link(n));
	put(&l, ")");
	say(&l);
	int64_t cpu = sys_get_cpu();
	for (unsigned i = 1; i <= INTERRUPTS; i++) {
		if (!expect("WaitIrq", sys_call(SYS_WAIT_IRQ, (uint64_t)line, 0, 0), 0))
			return 50;
		if (!expect("GetCpu after WaitIrq (a waiter stays on its CPU)", sys_get_cpu(), cpu))
			return 51;
		l.len = 0;
		put(&l, "msix: interrupt ");
		put_dec(&l, i);
		put(&l, " on line ");
		put_dec(&l, line);
		put(&l, ": link ");
		put(&l, link(n));
		say(&l);
	}
	l.len = 0;
	put(&l, "msix: every interrupt woke it on CPU ");
	put_dec(&l, cpu);
	say(&l);
	return 0;
}

int main(void)
{
	struct net n;
	struct line l;
	int err = map_net(&n);

	l.len = 0;

	if (err)
		return err;
	int64_t line = sys_call(SYS_ENABLE_MSIX, (uint64_t)n.dev.index, 0, 0);
	put(&l, "msix: virtio-net ");
	put_byte(&l, n.dev.rec[DEVICE_INFO_BUS]);
	put(&l, ":");
	put_byte(&l, n.dev.rec[DEVICE_INFO_SLOT]);
	put(&l, ".");
	put_dec(&l, n.dev.rec[DEVICE_INFO_FUNCTION]);
	put(&l, " MSI-X entry 0 -> line ");
	put_dec(&l, line);
	say(&l);
	if (line < 0)
		return 20;
	if (!refusals(&n, line))
		return 30;
	err = bring_up(&n);
	if (err)
		return err;
	err = wait_for_interrupts(&n, line);
	if (err)
		return err;
	say1("msix: all checks passed");
	return 0;
}
