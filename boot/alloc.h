/*
 * alloc: memory the loader hands over, with the Limine type it will have.
 *
 * All memory is taken from the firmware as EfiLoaderData (it survives
 * ExitBootServices) and becomes bootloader-reclaimable in the final map
 * unless allocated with another Limine type, which is recorded here and
 * laid over the firmware map at the end (memmap.c). Small objects for the
 * responses come from a bump arena in reclaimable memory. Only usable
 * while boot services exist.
 */
#ifndef CAMBIOS_BOOT_ALLOC_H
#define CAMBIOS_BOOT_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#include "memmap.h"

#define ALLOC_MAX_OVERLAYS 64

/* Zeroed pages for `bytes`, aligned to `align` (a power of two, >= 4 KiB),
 * typed `limine_type`, at or below `max_address` (UINT64_MAX: anywhere).
 * Returns the physical address (= identity address), or 0. */
uint64_t alloc_pages(uint64_t bytes, uint64_t align, uint64_t limine_type, uint64_t max_address);

/* Zeroed, 16-byte aligned memory from the response arena, or NULL. */
void *alloc_arena(uint64_t bytes);

/* A copy of `s` in the arena. */
char *alloc_arena_string(const char *s);

/* The ranges whose Limine type differs from bootloader-reclaimable. */
const struct mm_range *alloc_overlays(size_t *count);

/* Adds a range the loader did not allocate but knows the type of (the
 * framebuffer). Returns 0 on success, -1 when the table is full. */
int alloc_add_overlay(uint64_t base, uint64_t length, uint64_t limine_type);

#endif
