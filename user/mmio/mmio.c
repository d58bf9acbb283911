/* mmio: a user-space driver's first steps, and the refusals around them
 * (system calls 20 MapMmio, 21 AllocDma, 22 DeviceInfo, 23 PortIo and 38
 * VirtioModernCaps). Not part of any image: the boot tests give it as a
 * module (tests/boot/test_devices.py) to a machine with a virtio-net and
 * a virtio-blk device.
 *
 * The first copy (it gets endpoint MMIO_ENDPOINT) finds the virtio-net
 * function through DeviceInfo, where its common configuration is through
 * VirtioModernCaps, maps that BAR -- which claims the device -- and reads
 * the common configuration (features, queue count, status) and the MAC
 * from the device configuration; gets a DMA page and its physical
 * address; then tries what a driver must not do, each refused with its
 * error code and nothing changed (the next mapping lands exactly where it
 * would have without them, and the registers read the same). It spawns a
 * second copy of itself, which finds the endpoint taken and plays the
 * other driver: the virtio-net BAR is refused to it (held), the virtio-blk
 * one is not (it claims it). When the child has ended, its claim has
 * gone with it: the first copy can map the virtio-blk BAR.
 *
 * Every step prints one line; exits 0 when every answer was right, else
 * the number of the first wrong one. */
#include <abi/device.h>
#include <stdbool.h>

#include "../lib/line.h"
#include "../lib/module.h"
#include "../lib/pci.h"
#include "../lib/sys.h"

CAMBIOS_MODULE_ROLE("mmio");

#define MMIO_ENDPOINT 27
#define PAGE 4096ull
#define VIRTIO_NET_MODERN 0x1041
#define VIRTIO_BLK_MODERN 0x1042

/* The virtio 1.x common configuration (virtio spec, 4.1.4.3). */
#define COMMON_DEVICE_FEATURE_SELECT 0x00
#define COMMON_DEVICE_FEATURE 0x04
#define COMMON_NUM_QUEUES 0x12
#define COMMON_DEVICE_STATUS 0x14
#define VIRTIO_F_VERSION_1_HIGH 1u /* feature bit 32: bit 0 of the second word */

/* An address as a system-call argument. */
#define P(x) ((uint64_t)(uintptr_t)(x))

/* The base of the BAR holding the function's virtio common configuration
 * (not its first memory BAR: on QEMU that one holds the MSI-X table,
 * which is the kernel's). */
static bool virtio_bar(const struct device *d, uint64_t *base)
{
	uint8_t caps[VIRTIO_CAPS_SIZE];

	if (sys_call(SYS_VIRTIO_MODERN_CAPS, (uint64_t)d->index, P(caps), sizeof(caps)) != 0 ||
	    !(caps[VIRTIO_CAPS_PRESENT] & VIRTIO_CAPS_HAS_COMMON) ||
	    caps[VIRTIO_CAPS_COMMON + VIRTIO_CAPS_ENTRY_BAR] >= DEVICE_INFO_BARS)
		return false;
	*base = le64(bar_of(d, caps[VIRTIO_CAPS_COMMON + VIRTIO_CAPS_ENTRY_BAR]) +
		     DEVICE_INFO_BAR_BASE);
	return *base != 0;
}

static int64_t map_mmio(uint64_t phys, uint64_t pages)
{
	return sys_call(SYS_MAP_MMIO, phys, pages, 0);
}

static int64_t alloc_dma(uint64_t pages, uint64_t flags, uint64_t *paddr)
{
	return sys_call(SYS_ALLOC_DMA, pages, flags, P(paddr));
}

/* One refusal: the call must answer `want`; prints what was tried. */
static bool refused(const char *what, int64_t got, int64_t want)
{
	return say_answer("mmio: refused ", what, got, want);
}

/* ------------------------------------------------------ the first copy */

struct common {
	uint32_t features_low, features_high;
	uint16_t num_queues;
	uint8_t status;
};

static struct common read_common(volatile uint8_t *cfg)
{
	struct common c;

	*(volatile uint32_t *)(cfg + COMMON_DEVICE_FEATURE_SELECT) = 0;
	c.features_low = *(volatile uint32_t *)(cfg + COMMON_DEVICE_FEATURE);
	*(volatile uint32_t *)(cfg + COMMON_DEVICE_FEATURE_SELECT) = 1;
	c.features_high = *(volatile uint32_t *)(cfg + COMMON_DEVICE_FEATURE);
	c.num_queues = *(volatile uint16_t *)(cfg + COMMON_NUM_QUEUES);
	c.status = *(volatile uint8_t *)(cfg + COMMON_DEVICE_STATUS);
	return c;
}

static void print_common(const struct common *c, volatile uint8_t *mac)
{
	struct line l;

	l.len = 0;

	put(&l, "mmio: common config: device features ");
	put_hex(&l, (uint64_t)c->features_high << 32 | c->features_low);
	put(&l, ", num_queues ");
	put_dec(&l, c->num_queues);
	put(&l, ", device_status ");
	put_hex(&l, c->status);
	put(&l, "; mac ");
	for (unsigned i = 0; i < 6; i++) {
		if (i)
			put(&l, ":");
		put_byte(&l, mac[i]);
	}
	say(&l);
}

/* Where the virtio-net function keeps its common and device
 * configuration: both in one memory BAR, mapped whole. */
struct net {
	struct device dev;
	uint8_t caps[VIRTIO_CAPS_SIZE];
	uint64_t bar_base, bar_pages, va;
	uint32_t common_offset, device_offset;
};

static int find_net(struct net *n)
{
	struct line l;

	l.len = 0;

	if (!pci_find_virtio(VIRTIO_NET_MODERN, &n->dev))
		return 10;
	if (sys_call(SYS_VIRTIO_MODERN_CAPS, (uint64_t)n->dev.index, P(n->caps), sizeof(n->caps)) != 0)
		return 11;
	uint8_t present = n->caps[VIRTIO_CAPS_PRESENT];
	unsigned bar = n->caps[VIRTIO_CAPS_COMMON + VIRTIO_CAPS_ENTRY_BAR];
	if ((present & (VIRTIO_CAPS_HAS_COMMON | VIRTIO_CAPS_HAS_DEVICE)) !=
		    (VIRTIO_CAPS_HAS_COMMON | VIRTIO_CAPS_HAS_DEVICE) ||
	    bar >= DEVICE_INFO_BARS || n->caps[VIRTIO_CAPS_DEVICE + VIRTIO_CAPS_ENTRY_BAR] != bar)
		return 12;
	n->common_offset = le32(n->caps + VIRTIO_CAPS_COMMON + VIRTIO_CAPS_ENTRY_OFFSET);
	n->device_offset = le32(n->caps + VIRTIO_CAPS_DEVICE + VIRTIO_CAPS_ENTRY_OFFSET);
	n->bar_base = le64(bar_of(&n->dev, bar) + DEVICE_INFO_BAR_BASE);
	n->bar_pages = le32(bar_of(&n->dev, bar) + DEVICE_INFO_BAR_SIZE) / PAGE;
	if (!n->bar_base || !n->bar_pages || n->bar_pages > MAP_MMIO_MAX_PAGES)
		return 13;
	put(&l, "mmio: virtio-net at ");
	put_byte(&l, n->dev.rec[DEVICE_INFO_BUS]);
	put(&l, ":");
	put_byte(&l, n->dev.rec[DEVICE_INFO_SLOT]);
	put(&l, ".");
	put_dec(&l, n->dev.rec[DEVICE_INFO_FUNCTION]);
	put(&l, ", virtio structures ");
	put_hex(&l, present);
	put(&l, ", common config in BAR");
	put_dec(&l, bar);
	put(&l, " at +");
	put_hex(&l, n->common_offset);
	put(&l, ", device config at +");
	put_hex(&l, n->device_offset);
	say(&l);
	return 0;
}

static int map_net(struct net *n)
{
	struct line l;

	l.len = 0;
	int64_t va = map_mmio(n->bar_base, n->bar_pages);

	if (va <= 0)
		return 20;
	n->va = (uint64_t)va;
	put(&l, "mmio: BAR ");
	put_hex(&l, n->bar_base);
	put(&l, " (");
	put_dec(&l, (int64_t)n->bar_pages);
	put(&l, " pages) mapped at ");
	put_hex(&l, n->va);
	say(&l);
	return 0;
}

static int dma_page(uint64_t *paddr_out)
{
	struct line l;

	l.len = 0;
	uint64_t paddr = 0;
	int64_t va = alloc_dma(1, 0, &paddr);

	if (va <= 0 || !paddr || paddr % PAGE)
		return 30;
	volatile uint64_t *words = (volatile uint64_t *)(uintptr_t)va;
	for (unsigned i = 0; i < PAGE / 8; i++) {
		if (words[i])
			return 31; /* zeroed */
	}
	words[0] = 0x0123456789abcdefull;
	words[PAGE / 8 - 1] = words[0];
	put(&l, "mmio: DMA page at ");
	put_hex(&l, (uint64_t)va);
	put(&l, ", physical ");
	put_hex(&l, paddr);
	say(&l);
	*paddr_out = paddr;
	return 0;
}

/* Each hostile call, refused with its code. */
static int hostile(const struct net *n, uint64_t dma_paddr)
{
	uint64_t p = 0;
	bool ok = true;

	ok &= refused("MapMmio of RAM (its own DMA page)", map_mmio(dma_paddr, 1), SYS_EPERM);
#if defined(__x86_64__)
	ok &= refused("MapMmio of RAM at 1 MiB", map_mmio(0x100000, 1), SYS_EPERM);
	ok &= refused("MapMmio of the local APIC", map_mmio(0xfee00000, 1), SYS_EPERM);
	ok &= refused("MapMmio of the I/O APIC", map_mmio(0xfec00000, 1), SYS_EPERM);
	ok &= refused("MapMmio of the ECAM window", map_mmio(0xb0000000, 1), SYS_EPERM);
	ok &= refused("PortIo of COM1", sys_call(SYS_PORT_IO, 0x3f8, 'x', PORT_IO_WRITE), SYS_EPERM);
	ok &= refused("PortIo of the PCI config address port",
		      sys_call(SYS_PORT_IO, 0xcf8, 0, PORT_IO_WIDTH_32 << PORT_IO_WIDTH_SHIFT),
		      SYS_EPERM);
#else
	ok &= refused("MapMmio of RAM at 1 GiB", map_mmio(0x40000000, 1), SYS_EPERM);
	ok &= refused("MapMmio of the GIC distributor", map_mmio(0x08000000, 1), SYS_EPERM);
	ok &= refused("MapMmio of the GIC redistributors", map_mmio(0x080a0000, 1), SYS_EPERM);
	ok &= refused("MapMmio of the console UART", map_mmio(0x09000000, 1), SYS_EPERM);
	ok &= refused("MapMmio of the ECAM window", map_mmio(0x4010000000ull, 1), SYS_EPERM);
	ok &= refused("PortIo (no port space)", sys_call(SYS_PORT_IO, 0x3f8, 'x', PORT_IO_WRITE),
		      SYS_ENOSYS);
#endif
	/* QEMU's virtio-pci keeps the MSI-X table and pending bits in BAR 1. */
	const uint8_t *msix_bar = bar_of(&n->dev, 1);
	ok &= refused("MapMmio of its MSI-X table (BAR1)",
		      map_mmio(le64(msix_bar + DEVICE_INFO_BAR_BASE), 1), SYS_EPERM);
	ok &= refused("MapMmio running past the BAR",
		      map_mmio(n->bar_base + (n->bar_pages - 1) * PAGE, 2), SYS_EPERM);
	ok &= refused("MapMmio misaligned", map_mmio(n->bar_base + 8, 1), SYS_EINVAL);
	ok &= refused("MapMmio of 0 pages", map_mmio(n->bar_base, 0), SYS_EINVAL);
	ok &= refused("MapMmio of 257 pages", map_mmio(n->bar_base, MAP_MMIO_MAX_PAGES + 1),
		      SYS_EINVAL);
	ok &= refused("AllocDma of 0 pages", alloc_dma(0, 0, &p), SYS_EINVAL);
	ok &= refused("AllocDma of 65 pages", alloc_dma(ALLOC_DMA_MAX_PAGES + 1, 0, &p), SYS_EINVAL);
	ok &= refused("AllocDma of 2^40 pages", alloc_dma(1ull << 40, 0, &p), SYS_EINVAL);
	ok &= refused("AllocDma with flags", alloc_dma(1, 1, &p), SYS_EINVAL);
	ok &= refused("AllocDma to a bad pointer", sys_call(SYS_ALLOC_DMA, 1, 0, 0), SYS_EFAULT);
	return ok && p == 0 ? 0 : 40;
}

static int64_t spawn_self(void)
{
	return sys_call(SYS_SPAWN, P("mmio"), 4, 0);
}

/* The child ran as the other driver; now its claim is gone with it. */
static int after_child(void)
{
	struct device blk;
	uint64_t base;
	int64_t child = spawn_self();

	if (child <= 0)
		return 50;
	if (sys_call(SYS_WAIT_TASK, (uint64_t)child, 0, 0) != 0)
		return 51;
	if (!pci_find_virtio(VIRTIO_BLK_MODERN, &blk) || !virtio_bar(&blk, &base))
		return 52;
	if (map_mmio(base, 1) <= 0)
		return 53;
	say1("mmio: the virtio-blk BAR the child held is mapped here after it ended");
	return 0;
}

static int first_copy(void)
{
	static struct net n;
	uint64_t dma = 0;
	int r = find_net(&n);

	if (r || (r = map_net(&n)))
		return r;
	volatile uint8_t *common = (volatile uint8_t *)(uintptr_t)(n.va + n.common_offset);
	volatile uint8_t *mac = (volatile uint8_t *)(uintptr_t)(n.va + n.device_offset);
	struct common before = read_common(common);
	print_common(&before, mac);
	if (!(before.features_high & VIRTIO_F_VERSION_1_HIGH) || before.num_queues == 0)
		return 21;
	if ((r = dma_page(&dma)) || (r = hostile(&n, dma)))
		return r;
	/* Nothing the refusals did shows: the registers read the same, and
	 * the next mapping lands right after the first and its guard page. */
	struct common again = read_common(common);
	if (again.features_low != before.features_low || again.num_queues != before.num_queues ||
	    again.status != before.status)
		return 41;
	if (map_mmio(n.bar_base, 1) != (int64_t)(n.va + (n.bar_pages + 1) * PAGE))
		return 42;
	say1("mmio: the refusals changed nothing");
	if ((r = after_child()))
		return r;
	say1("mmio: all checks passed");
	return 0;
}

/* ------------------------------------------------------- the second copy */

static int second_copy(void)
{
	struct net n;
	struct device blk;
	uint64_t base, paddr = 0;

	if (find_net(&n))
		return 60;
	if (!refused("MapMmio of the virtio-net BAR another process holds",
		     map_mmio(n.bar_base, 1), SYS_EPERM))
		return 61;
	if (!pci_find_virtio(VIRTIO_BLK_MODERN, &blk) || !virtio_bar(&blk, &base))
		return 62;
	if (map_mmio(base, 1) <= 0)
		return 63;
	if (alloc_dma(1, 0, &paddr) <= 0 || !paddr)
		return 64;
	say1("mmio: (child) mapped the virtio-blk BAR and got a DMA page of its own");
	return 0;
}

int main(void)
{
	int64_t first = sys_register_endpoint(MMIO_ENDPOINT);

	return first == 0 ? first_copy() : second_copy();
}
