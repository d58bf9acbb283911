/* devices: DeviceInfo through the system call -- every PCI function the
 * kernel found, until the index past the last is refused; the first is
 * the host bridge at 00:00.0; every record counts exactly the BARs it
 * fills; and the refusals (a short buffer, no buffer, a read-only buffer,
 * an index far past the end) write nothing. Then PortIo: on x86_64 a
 * read of the first I/O BAR found succeeds, and the console's port and a
 * misaligned or oversized access are refused; on AArch64, which has no
 * port space, the call does not exist.
 * Exits 0 when every answer was right, else the number of the first wrong
 * one. */
#include "hostile.h"

#include <abi/device.h>
#include <stdbool.h>

CAMBIOS_MODULE_ROLE("devices");

#define MAX_FUNCTIONS 64
#define UNTOUCHED 0xee

static const uint8_t read_only[DEVICE_INFO_SIZE] = { 1 };

/* An address as a system-call argument. */
#define P(x) ((uint64_t)(uintptr_t)(x))

static int64_t device_info(uint64_t index, void *out, uint64_t len)
{
	return sys_call(SYS_DEVICE_INFO, index, P(out), len);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Whether the BAR count says how many of the six slots have a size. */
static bool bars_counted(const uint8_t *rec)
{
	unsigned present = 0;

	for (unsigned i = 0; i < DEVICE_INFO_BARS; i++) {
		const uint8_t *bar = rec + DEVICE_INFO_BAR0 + i * DEVICE_INFO_BAR_STRIDE;
		present += le32(bar + DEVICE_INFO_BAR_SIZE) != 0;
	}
	return present == rec[DEVICE_INFO_BAR_COUNT];
}

/* The base of the record's first I/O BAR, or 0. */
static uint64_t io_bar_of(const uint8_t *rec)
{
	for (unsigned i = 0; i < DEVICE_INFO_BARS; i++) {
		const uint8_t *bar = rec + DEVICE_INFO_BAR0 + i * DEVICE_INFO_BAR_STRIDE;
		if (bar[DEVICE_INFO_BAR_IS_IO] && le32(bar + DEVICE_INFO_BAR_SIZE))
			return le32(bar + DEVICE_INFO_BAR_BASE);
	}
	return 0;
}

static int64_t port_io(uint64_t port, uint64_t value, uint64_t flags)
{
	return sys_call(SYS_PORT_IO, port, value, flags);
}

/* 0 when PortIo answers as this architecture should, else a failure
 * number. */
static int port_io_checks(uint64_t io_bar)
{
#if defined(__x86_64__)
	if (!io_bar)
		return 10; /* q35 has I/O BARs (SATA, SMBus) */
	if (port_io(io_bar, 0, 0) < 0)
		return 11;
	if (port_io(0x3f8, 'x', PORT_IO_WRITE) != SYS_EPERM)
		return 12;
	if (port_io(io_bar + 1, 0, PORT_IO_WIDTH_32 << PORT_IO_WIDTH_SHIFT) != SYS_EINVAL)
		return 13;
	if (port_io(io_bar, 0x100, PORT_IO_WRITE) != SYS_EINVAL)
		return 14;
#else
	(void)io_bar;
	if (port_io(0x3f8, 'x', PORT_IO_WRITE) != SYS_ENOSYS)
		return 15;
#endif
	return 0;
}

static bool host_bridge_first(const uint8_t *rec)
{
	return rec[DEVICE_INFO_CLASS] == 0x06 && rec[DEVICE_INFO_SUBCLASS] == 0x00 &&
	       rec[DEVICE_INFO_BUS] == 0 && rec[DEVICE_INFO_SLOT] == 0 &&
	       rec[DEVICE_INFO_FUNCTION] == 0 && (rec[0] | rec[1]) != 0;
}

int main(void)
{
	static uint8_t rec[DEVICE_INFO_SIZE + 1];
	uint64_t count = 0, io_bar = 0;

	for (; count < MAX_FUNCTIONS; count++) {
		int64_t r = device_info(count, rec, sizeof(rec));
		if (r == SYS_ENOENT)
			break;
		if (r != 0 || !bars_counted(rec))
			return 1;
		if (count == 0 && !host_bridge_first(rec))
			return 2;
		if (!io_bar)
			io_bar = io_bar_of(rec);
	}
	if (count == 0 || count == MAX_FUNCTIONS)
		return 3;
	for (unsigned i = 0; i < sizeof(rec); i++)
		rec[i] = UNTOUCHED;
	if (device_info(0, rec, DEVICE_INFO_SIZE - 1) != SYS_EINVAL)
		return 4;
	if (device_info(0, 0, DEVICE_INFO_SIZE) != SYS_EFAULT)
		return 5;
	if (device_info(0, (void *)(uintptr_t)read_only, DEVICE_INFO_SIZE) != SYS_EFAULT)
		return 6;
	if (device_info((uint64_t)-1, rec, DEVICE_INFO_SIZE) != SYS_ENOENT)
		return 7;
	for (unsigned i = 0; i < sizeof(rec); i++) {
		if (rec[i] != UNTOUCHED)
			return 8;
	}
	/* Exactly 108 bytes: the byte after the record stays. */
	if (device_info(0, rec, sizeof(rec)) != 0 || rec[DEVICE_INFO_SIZE] != UNTOUCHED)
		return 9;
	return port_io_checks(io_bar);
}
