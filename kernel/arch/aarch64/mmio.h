/*
 * mmio: device addresses and 32- and 64-bit register access. The kernel reaches
 * devices at phys + HHDM once they are mapped as device memory: the
 * console UART by arch_early_map_mmio(), the rest by mmio_map_device()
 * when devices.c has found them (both in early_mmio.c).
 */
#ifndef CAMBIOS_AARCH64_MMIO_H
#define CAMBIOS_AARCH64_MMIO_H

#include <stdbool.h>
#include <stdint.h>

/* QEMU virt's documented addresses: where the console UART is before the
 * firmware's tables can be read (the kernel's first words come earlier),
 * and what devices.c falls back on when no table names a GIC or UART. */
#define VIRT_PL011_BASE 0x09000000ULL
#define VIRT_GICD_BASE 0x08000000ULL
#define VIRT_GICR_BASE 0x080a0000ULL
#define VIRT_GITS_BASE 0x08080000ULL
#define VIRT_PL011_INTID 33 /* SPI 1 */
/* QEMU virt's PCI INTA-INTD: SPIs 3-6 (INTIDs 35-38), swizzled by slot. */
#define VIRT_PCI_INTX_INTID 35

/* Sizes the architecture fixes. */
#define PL011_SIZE 0x1000ULL
#define GICD_SIZE 0x10000ULL
#define GICR_STRIDE 0x20000ULL /* GICv3: RD_base + SGI_base frames per CPU */
#define GITS_SIZE 0x20000ULL   /* the ITS's control frame, then its translation frame */
/* Redistributors are mapped for this many CPUs at most. */
#define GICR_MAPPED_CPUS 8

/* Sets this CPU's MAIR_EL1 slot for device memory (Device-nGnRE), which
 * the kernel's device mappings and user MapMmio mappings name: the BSP
 * in arch_early_map_mmio(), each AP in arch_ap_init() -- an AP starts
 * with the loader's MAIR, whose slot may say something else. */
void mmio_install_device_attributes(void);

/* Maps [phys, phys + size) at its HHDM address as device memory; false
 * when the page-table pages for it ran out. Idempotent. */
bool mmio_map_device(uint64_t phys, uint64_t size);

static inline uint32_t mmio_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(uintptr_t addr, uint32_t value)
{
	*(volatile uint32_t *)addr = value;
}

/* The GIC's 64-bit registers (GITS_BASER, GICR_PROPBASER...), in one access. */
static inline uint64_t mmio_read64(uintptr_t addr)
{
	return *(volatile uint64_t *)addr;
}

static inline void mmio_write64(uintptr_t addr, uint64_t value)
{
	*(volatile uint64_t *)addr = value;
}

#endif
