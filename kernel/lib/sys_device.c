/*
 * sys_device: DeviceInfo and VirtioModernCaps, what a user-space driver
 * learns about the PCI functions the kernel found at boot (pci_host.h),
 * in the original's records (abi/device.h); and PortIo, a driver's way to
 * its device's I/O ports.
 *
 * Anyone may ask for the records: they say where a device is, not how to
 * reach it; reaching it (PortIo here, MapMmio in sys_driver_memory.c)
 * claims the device for the caller (device_claim.h).
 */
#include <syscall.h>

#include <abi/device.h>
#include <abi/syscall.h>
#include <arch.h>
#include <current.h>
#include <device_claim.h>
#include <pci_host.h>
#include <usercopy.h>

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* One BAR's 16 bytes; false when it is absent. */
static bool put_bar(uint8_t *slot, const struct pci_bar *bar)
{
	if (bar->kind == PCI_BAR_NONE || bar->size == 0)
		return false;
	put64(slot + DEVICE_INFO_BAR_BASE, bar->base);
	put32(slot + DEVICE_INFO_BAR_SIZE, bar->size > UINT32_MAX ? UINT32_MAX : (uint32_t)bar->size);
	slot[DEVICE_INFO_BAR_IS_IO] = bar->kind == PCI_BAR_IO;
	return true;
}

static void device_record(const struct pci_function *f, uint8_t out[DEVICE_INFO_SIZE])
{
	uint8_t present = 0;

	for (unsigned i = 0; i < DEVICE_INFO_SIZE; i++)
		out[i] = 0;
	put16(out + DEVICE_INFO_VENDOR, f->vendor);
	put16(out + DEVICE_INFO_DEVICE, f->device);
	out[DEVICE_INFO_CLASS] = f->class_code;
	out[DEVICE_INFO_SUBCLASS] = f->subclass;
	out[DEVICE_INFO_BUS] = f->address.bus;
	out[DEVICE_INFO_SLOT] = f->address.device;
	out[DEVICE_INFO_FUNCTION] = f->address.function;
	out[DEVICE_INFO_PROG_IF] = f->prog_if;
	for (unsigned i = 0; i < f->bar_count && i < DEVICE_INFO_BARS; i++)
		present += put_bar(out + DEVICE_INFO_BAR0 + i * DEVICE_INFO_BAR_STRIDE, &f->bars[i]);
	out[DEVICE_INFO_BAR_COUNT] = present;
}

/* PortIo(port, value, flags) -> the value read (zero-extended), or 0
 * after a write. SYS_ENOSYS where there are no I/O ports (AArch64);
 * SYS_EINVAL for unknown flags, a width other than 8/16/32, a port that is
 * not aligned to the width or a value wider than it; SYS_EPERM for a
 * range that is not wholly inside a PCI function's I/O BAR -- the kernel's
 * own ports (the console, the PIC, the PIT) never are -- or inside one of
 * a function another process holds. The first use claims the function. */
int64_t sys_port_io(const struct syscall_frame *f)
{
	uint64_t port = f->arg[0], flags = f->arg[2];
	uint32_t value = (uint32_t)f->arg[1];
	unsigned width = (unsigned)(flags >> PORT_IO_WIDTH_SHIFT) & 3, bytes = 1u << width;
	bool write = flags & PORT_IO_WRITE;

	if (!arch_has_port_io)
		return SYS_ENOSYS;
	if ((flags & ~7ull) || width > PORT_IO_WIDTH_32 || port > 0xffff || (port & (bytes - 1)))
		return SYS_EINVAL;
	if (write && (f->arg[1] >> (8 * bytes)) != 0) /* wider than the access */
		return SYS_EINVAL;
	unsigned function;
	if (!pci_bar_containing(pci_host_table(), true, port, bytes, &function))
		return SYS_EPERM;
	if (device_claim(function, process_current(), NULL) != K_OK)
		return SYS_EPERM;
	arch_port_io((uint16_t)port, bytes, write, &value);
	return write ? 0 : (int64_t)value;
}

/* The calls that answer one fixed-size record about PCI function arg[0]
 * into the buffer (arg[1], arg[2] bytes): SYS_ENOENT past the last
 * function, SYS_EINVAL for a buffer shorter than the record, SYS_EFAULT for
 * one that is not writable user memory; else exactly `size` bytes written. */
#define RECORD_MAX (DEVICE_INFO_SIZE > VIRTIO_CAPS_SIZE ? DEVICE_INFO_SIZE : VIRTIO_CAPS_SIZE)

static int64_t answer_record(const struct syscall_frame *f, size_t size,
			     void (*fill)(const struct pci_function *fn, uint8_t *out))
{
	const struct pci_table *table = pci_host_table();
	uint8_t record[RECORD_MAX];

	if (f->arg[2] < size)
		return SYS_EINVAL;
	if (f->arg[0] >= table->count)
		return SYS_ENOENT;
	fill(&table->functions[f->arg[0]], record);
	return copy_to_user(f->arg[1], record, size) == K_OK ? 0 : SYS_EFAULT;
}

/* DeviceInfo(index, out, len >= 108) -> 0: the 108-byte record. */
int64_t sys_device_info(const struct syscall_frame *f)
{
	return answer_record(f, DEVICE_INFO_SIZE, device_record);
}

/* One structure's 12 bytes, and its bit in `present`; 0 when absent. */
static unsigned put_virtio_cap(uint8_t *entry, const struct pci_function *f, uint8_t cfg_type,
			       unsigned bit)
{
	const struct pci_virtio_cap *cap = pci_virtio_find(f, cfg_type);

	if (!cap)
		return 0;
	entry[VIRTIO_CAPS_ENTRY_BAR] = cap->bar;
	put32(entry + VIRTIO_CAPS_ENTRY_OFFSET, cap->offset);
	put32(entry + VIRTIO_CAPS_ENTRY_LENGTH, cap->length);
	return bit;
}

static void virtio_record(const struct pci_function *f, uint8_t out[VIRTIO_CAPS_SIZE])
{
	unsigned present = 0;
	const struct pci_virtio_cap *notify = pci_virtio_find(f, PCI_VIRTIO_NOTIFY);

	for (unsigned i = 0; i < VIRTIO_CAPS_SIZE; i++)
		out[i] = 0;
	if (f->vendor != PCI_VENDOR_VIRTIO)
		return; /* another vendor's capability 9 means something else */
	present |= put_virtio_cap(out + VIRTIO_CAPS_COMMON, f, PCI_VIRTIO_COMMON,
				  VIRTIO_CAPS_HAS_COMMON);
	present |= put_virtio_cap(out + VIRTIO_CAPS_NOTIFY, f, PCI_VIRTIO_NOTIFY,
				  VIRTIO_CAPS_HAS_NOTIFY);
	present |= put_virtio_cap(out + VIRTIO_CAPS_ISR, f, PCI_VIRTIO_ISR, VIRTIO_CAPS_HAS_ISR);
	present |= put_virtio_cap(out + VIRTIO_CAPS_DEVICE, f, PCI_VIRTIO_DEVICE,
				  VIRTIO_CAPS_HAS_DEVICE);
	if (notify)
		put32(out + VIRTIO_CAPS_NOTIFY_MULTIPLIER, notify->notify_off_multiplier);
	out[VIRTIO_CAPS_PRESENT] = (uint8_t)present;
}

/* VirtioModernCaps(index, out, len >= 64) -> 0: exactly 64 bytes, present
 * 0 for a function that is not a virtio device (errors: answer_record).
 * Only structures the boot found usable (inside a BAR of the function)
 * are reported. */
int64_t sys_virtio_modern_caps(const struct syscall_frame *f)
{
	return answer_record(f, VIRTIO_CAPS_SIZE, virtio_record);
}
