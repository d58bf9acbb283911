/*
 * abi/device: what DeviceInfo (system call 22) writes, shared by the
 * kernel and user programs -- the original CambiOS's 108-byte record,
 * little-endian, one per PCI function:
 *
 *   offset  0  vendor ID, u16          offset  6  bus
 *   offset  2  device ID, u16          offset  7  device (slot)
 *   offset  4  class                   offset  8  function
 *   offset  5  subclass                offset  9  programming interface
 *   offset 10  how many BARs are present (size > 0)
 *   offset 11  0
 *   offset 12  6 BARs of 16 bytes each, in BAR order:
 *                +0 base address, u64
 *                +8 size in bytes, u32 (0: absent; a BAR of 4 GiB or
 *                   more is reported as 0xffffffff -- too large to map
 *                   whole anyway)
 *               +12 1 for an I/O BAR, 0 for memory
 *               +13 3 bytes of 0
 *              A 64-bit BAR takes its own slot; the slot after it, which
 *              holds its upper half, reads as absent.
 */
#ifndef CAMBIOS_ABI_DEVICE_H
#define CAMBIOS_ABI_DEVICE_H

#define DEVICE_INFO_SIZE 108
#define DEVICE_INFO_BARS 6

#define DEVICE_INFO_VENDOR 0
#define DEVICE_INFO_DEVICE 2
#define DEVICE_INFO_CLASS 4
#define DEVICE_INFO_SUBCLASS 5
#define DEVICE_INFO_BUS 6
#define DEVICE_INFO_SLOT 7
#define DEVICE_INFO_FUNCTION 8
#define DEVICE_INFO_PROG_IF 9
#define DEVICE_INFO_BAR_COUNT 10
#define DEVICE_INFO_BAR0 12
#define DEVICE_INFO_BAR_STRIDE 16
#define DEVICE_INFO_BAR_BASE 0
#define DEVICE_INFO_BAR_SIZE 8
#define DEVICE_INFO_BAR_IS_IO 12

/*
 * What VirtioModernCaps (system call 38) writes: where a virtio 1.x PCI
 * function keeps its four register structures, from its vendor-specific
 * capabilities as the kernel parsed and checked them at boot (each lies
 * wholly inside a memory BAR of the function) -- the original CambiOS's
 * 64-byte record, little-endian:
 *
 *   offset  0  common configuration   (12 bytes, as below)
 *   offset 12  notifications          (12 bytes)
 *   offset 24  notify_off_multiplier, u32
 *   offset 28  4 bytes of 0
 *   offset 32  ISR status             (12 bytes)
 *   offset 44  device configuration   (12 bytes)
 *   offset 56  present: a bit per structure found (1 common, 2 notify,
 *              4 ISR, 8 device); 0 for a function that is not a modern
 *              virtio device. Its structure's 12 bytes are 0 when a bit
 *              is clear.
 *   offset 57  7 bytes of 0
 * each structure:
 *   +0 BAR number (0-5), u8     +1 3 bytes of 0
 *   +4 offset inside the BAR, u32
 *   +8 length in bytes, u32
 * A driver maps the BAR (MapMmio) and finds the registers at its offset.
 */
#define VIRTIO_CAPS_SIZE 64
#define VIRTIO_CAPS_COMMON 0
#define VIRTIO_CAPS_NOTIFY 12
#define VIRTIO_CAPS_NOTIFY_MULTIPLIER 24
#define VIRTIO_CAPS_ISR 32
#define VIRTIO_CAPS_DEVICE 44
#define VIRTIO_CAPS_PRESENT 56
#define VIRTIO_CAPS_ENTRY_BAR 0
#define VIRTIO_CAPS_ENTRY_OFFSET 4
#define VIRTIO_CAPS_ENTRY_LENGTH 8
#define VIRTIO_CAPS_HAS_COMMON 1u
#define VIRTIO_CAPS_HAS_NOTIFY 2u
#define VIRTIO_CAPS_HAS_ISR 4u
#define VIRTIO_CAPS_HAS_DEVICE 8u

/* MapMmio (system call 20) and AllocDma (21): their limits. */
#define MAP_MMIO_MAX_PAGES 256
#define ALLOC_DMA_MAX_PAGES 64

/* PortIo's flags (system call 23): bit 0 write, bits 2:1 the width. */
#define PORT_IO_WRITE 1u
#define PORT_IO_WIDTH_SHIFT 1
#define PORT_IO_WIDTH_8 0u
#define PORT_IO_WIDTH_16 1u
#define PORT_IO_WIDTH_32 2u

#endif
