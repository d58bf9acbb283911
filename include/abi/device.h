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

/* PortIo's flags (system call 23): bit 0 write, bits 2:1 the width. */
#define PORT_IO_WRITE 1u
#define PORT_IO_WIDTH_SHIFT 1
#define PORT_IO_WIDTH_8 0u
#define PORT_IO_WIDTH_16 1u
#define PORT_IO_WIDTH_32 2u

#endif
