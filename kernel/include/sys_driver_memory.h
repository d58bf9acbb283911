/*
 * sys_driver_memory: 20 MapMmio and 21 AllocDma -- the memory a user-space
 * driver needs: its device's registers, and buffers the device can reach.
 *
 * MapMmio(phys, pages) maps [phys, phys + pages * 4 KiB) -- page-aligned,
 * 1 to MAP_MMIO_MAX_PAGES pages, wholly inside one memory BAR of one PCI
 * function -- into the caller as uncached device memory, read+write,
 * never executable, and returns the address. The first use of a
 * function's BAR claims the function for the caller (device_claim.h); a
 * function another process holds is SYS_EPERM, and so is a range touching
 * a page of the function's MSI-X table or pending bits (they steer the
 * device's interrupt writes: the kernel's to program). Whatever the BAR says, a
 * range touching anything the bootloader's memory map describes (RAM, the
 * kernel image, firmware) or one of the kernel's own devices (phys_guard.h)
 * is SYS_EPERM too.
 *
 * AllocDma(pages, flags, &paddr) allocates 1 to ALLOC_DMA_MAX_PAGES
 * physically contiguous frames, zeroes them, maps them read+write, never
 * executable, writes the first frame's physical address to *paddr (a u64)
 * and returns the address. flags must be 0. The memory is ordinary
 * write-back memory: PCI devices on both machines we run on snoop the
 * caches (every x86 PCI host bridge; QEMU virt's is dma-coherent).
 *
 * Each region of either kind has an unmapped guard page on each side, so
 * a driver running off its registers or its buffer faults instead of
 * reaching the next one. Regions come from two areas of their own, above
 * Allocate's (sys_memory.h), in address order; nothing gives them back
 * but the end of the process, which unmaps them, frees the DMA frames and
 * releases the devices (quiesced: bus mastering off) -- so a driver maps
 * what it needs once.
 *
 * Errors, each with nothing changed: SYS_EINVAL for a bad count,
 * alignment or flags or a range that wraps; SYS_EPERM as above; SYS_EFAULT
 * for a paddr pointer that is not writable user memory; SYS_ENOMEM when
 * the area is used up or no contiguous run of frames is free.
 */
#ifndef CAMBIOS_SYS_DRIVER_MEMORY_H
#define CAMBIOS_SYS_DRIVER_MEMORY_H

#include <stdint.h>
#include <syscall.h>

#define USER_MMIO_BASE 0x40000000ULL
#define USER_MMIO_END 0x50000000ULL /* 256 MiB: 255 of the largest mappings */
#define USER_DMA_BASE 0x50000000ULL
#define USER_DMA_END 0x51000000ULL  /* 16 MiB: 4 MiB more than 64 of the largest buffers */

#endif
