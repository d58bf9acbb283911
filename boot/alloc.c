/*
 * alloc: loader memory with Limine types (see alloc.h).
 */
#include "alloc.h"

#include <kstring.h>

#include "uefi.h"

#define PAGE_SIZE 4096ULL
#define ARENA_CHUNK (64 * 1024ULL)

static struct mm_range overlays[ALLOC_MAX_OVERLAYS];
static size_t overlay_count;

static uint8_t *arena_next;
static uint64_t arena_left;

int alloc_add_overlay(uint64_t base, uint64_t length, uint64_t limine_type)
{
	if (overlay_count == ALLOC_MAX_OVERLAYS)
		return -1;
	overlays[overlay_count++] = (struct mm_range){ base, length, limine_type };
	return 0;
}

const struct mm_range *alloc_overlays(size_t *count)
{
	*count = overlay_count;
	return overlays;
}

uint64_t alloc_pages(uint64_t bytes, uint64_t align, uint64_t limine_type, uint64_t max_address)
{
	uint64_t pages = (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t extra = align > PAGE_SIZE ? align / PAGE_SIZE - 1 : 0;
	efi_phys_addr addr = max_address;
	uint32_t how = max_address == UINT64_MAX ? EFI_ALLOCATE_ANY_PAGES : EFI_ALLOCATE_MAX_ADDRESS;

	if (!uefi_boot_services || pages == 0)
		return 0;
	if (EFI_IS_ERROR(uefi_boot_services->allocate_pages(how, EFI_LOADER_DATA, pages + extra,
							     &addr)))
		return 0;
	uint64_t aligned = (addr + align - 1) & ~(align - 1);
	memset((void *)(uintptr_t)aligned, 0, pages * PAGE_SIZE);
	/* The alignment slack stays allocated and reclaimable; returning
	 * it would only fragment the firmware's map. */
	if (limine_type != LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE &&
	    alloc_add_overlay(aligned, pages * PAGE_SIZE, limine_type) != 0)
		return 0;
	return aligned;
}

void *alloc_arena(uint64_t bytes)
{
	bytes = (bytes + 15) & ~15ULL;
	if (bytes > arena_left) {
		uint64_t chunk = bytes > ARENA_CHUNK ? bytes : ARENA_CHUNK;
		uint64_t phys = alloc_pages(chunk, PAGE_SIZE, LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE,
					    UINT64_MAX);
		if (!phys)
			return NULL;
		arena_next = (uint8_t *)(uintptr_t)phys;
		arena_left = (chunk + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	}
	void *p = arena_next;
	arena_next += bytes;
	arena_left -= bytes;
	return p;
}

char *alloc_arena_string(const char *s)
{
	size_t n = strlen(s) + 1;
	char *copy = alloc_arena(n);

	if (copy)
		memcpy(copy, s, n);
	return copy;
}
