/*
 * memmap: turning the firmware's memory map into Limine's.
 *
 * Portable: the loader converts the final UEFI map (read just before
 * ExitBootServices) into ranges with Limine types, adds the ranges it knows
 * more about itself (kernel and modules, framebuffer), and memmap_build()
 * produces the sorted, non-overlapping, page-aligned map the protocol
 * promises. It runs after ExitBootServices, so it allocates nothing: the
 * caller passes an output array sized beforehand.
 */
#ifndef CAMBIOS_BOOT_MEMMAP_H
#define CAMBIOS_BOOT_MEMMAP_H

#include <limine.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mm_range {
	uint64_t base;
	uint64_t length;
	uint64_t type; /* enum limine_memmap_type */
};

/* The Limine type for an EFI memory type, as seen after ExitBootServices
 * (boot-services memory is free then; the loader's own memory is
 * bootloader-reclaimable). */
uint64_t memmap_type_from_efi(uint32_t efi_type);

/* Worst-case number of output entries for the given input counts. */
size_t memmap_capacity_needed(size_t firmware_count, size_t overlay_count);

/* Builds the map into out[0..cap): firmware ranges, then each overlay
 * carved in on top (an overlay's type wins where it lies). Page 0 is never
 * usable. Returns the entry count, or 0 if `cap` is too small. */
size_t memmap_build(const struct mm_range *firmware, size_t firmware_count,
		    const struct mm_range *overlays, size_t overlay_count,
		    struct limine_memmap_entry *out, size_t cap);

#endif
