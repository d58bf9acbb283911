/*
 * mmio: the QEMU virt board's fixed device addresses and 32-bit register
 * access. The kernel reaches them at phys + HHDM once early_map_mmio() has
 * mapped them as device memory.
 */
#ifndef CAMBIOS_AARCH64_MMIO_H
#define CAMBIOS_AARCH64_MMIO_H

#include <stdint.h>

#define VIRT_PL011_BASE 0x09000000ULL
#define VIRT_PL011_SIZE 0x1000ULL
#define VIRT_GICD_BASE 0x08000000ULL
#define VIRT_GICD_SIZE 0x10000ULL
#define VIRT_GICR_BASE 0x080a0000ULL
#define VIRT_GICR_STRIDE 0x20000ULL /* RD_base + SGI_base frames per CPU */
#define VIRT_GICR_MAPPED_CPUS 8

static inline uint32_t mmio_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(uintptr_t addr, uint32_t value)
{
	*(volatile uint32_t *)addr = value;
}

#endif
