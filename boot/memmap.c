/*
 * memmap: building the Limine memory map (see memmap.h).
 *
 * Method: start from the firmware ranges; for every overlay, cut its span
 * out of every entry it touches (an entry can split in two) and insert the
 * overlay itself. Then sort by base and merge neighbours of the same
 * mergeable type. Sizes here are a few hundred entries at most, so the
 * quadratic steps cost nothing and keep the code obvious.
 */
#include "memmap.h"

#include "efi.h"

#define PAGE_SIZE 4096ULL

uint64_t memmap_type_from_efi(uint32_t efi_type)
{
	switch (efi_type) {
	case EFI_CONVENTIONAL_MEMORY:
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
		return LIMINE_MEMMAP_USABLE;
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
		return LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE;
	case EFI_ACPI_RECLAIM_MEMORY:
		return LIMINE_MEMMAP_ACPI_RECLAIMABLE;
	case EFI_ACPI_MEMORY_NVS:
		return LIMINE_MEMMAP_ACPI_NVS;
	case EFI_UNUSABLE_MEMORY:
		return LIMINE_MEMMAP_BAD_MEMORY;
	default:
		return LIMINE_MEMMAP_RESERVED;
	}
}

size_t memmap_capacity_needed(size_t firmware_count, size_t overlay_count)
{
	/* Each overlay adds itself and can split one entry in two; page 0
	 * can split one more. */
	return firmware_count + 2 * overlay_count + 2;
}

static bool append(struct limine_memmap_entry *out, size_t *n, size_t cap, uint64_t base,
		   uint64_t length, uint64_t type)
{
	if (length == 0)
		return true;
	if (*n == cap)
		return false;
	out[*n] = (struct limine_memmap_entry){ base, length, type };
	(*n)++;
	return true;
}

/* Removes [lo, hi) from every entry for which `applies` holds. */
static bool carve(struct limine_memmap_entry *out, size_t *n, size_t cap, uint64_t lo,
		  uint64_t hi, bool only_usable)
{
	for (size_t i = 0; i < *n; i++) {
		uint64_t a = out[i].base, b = out[i].base + out[i].length;

		if (b <= lo || a >= hi || (only_usable && out[i].type != LIMINE_MEMMAP_USABLE))
			continue;
		if (a < lo && b > hi) {
			out[i].length = lo - a;
			if (!append(out, n, cap, hi, b - hi, out[i].type))
				return false;
		} else if (a < lo) {
			out[i].length = lo - a;
		} else if (b > hi) {
			out[i].base = hi;
			out[i].length = b - hi;
		} else {
			out[i--] = out[--(*n)];
		}
	}
	return true;
}

/* Usable and reclaimable entries are page-granular and may be merged. */
static bool mergeable(uint64_t type)
{
	return type == LIMINE_MEMMAP_USABLE || type == LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE;
}

static void sort_by_base(struct limine_memmap_entry *e, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct limine_memmap_entry key = e[i];
		size_t j = i;

		while (j > 0 && e[j - 1].base > key.base) {
			e[j] = e[j - 1];
			j--;
		}
		e[j] = key;
	}
}

static size_t merge_neighbours(struct limine_memmap_entry *e, size_t n)
{
	size_t out = 0;

	for (size_t i = 0; i < n; i++) {
		if (out > 0 && e[out - 1].type == e[i].type && mergeable(e[i].type) &&
		    e[out - 1].base + e[out - 1].length == e[i].base) {
			e[out - 1].length += e[i].length;
			continue;
		}
		e[out++] = e[i];
	}
	return out;
}

/* Usable and bootloader-reclaimable memory must start and end on page
 * boundaries (the kernel hands it out by pages). An unaligned neighbour can
 * only shrink such an entry inward: the partial pages are left unlisted. */
static void align_page_granular(struct limine_memmap_entry *e, size_t *n)
{
	for (size_t i = 0; i < *n; i++) {
		if (!mergeable(e[i].type))
			continue;
		uint64_t lo = (e[i].base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		uint64_t hi = (e[i].base + e[i].length) & ~(PAGE_SIZE - 1);
		if (hi <= lo) {
			e[i--] = e[--(*n)];
			continue;
		}
		e[i].base = lo;
		e[i].length = hi - lo;
	}
}

size_t memmap_build(const struct mm_range *firmware, size_t firmware_count,
		    const struct mm_range *overlays, size_t overlay_count,
		    struct limine_memmap_entry *out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < firmware_count; i++) {
		if (!append(out, &n, cap, firmware[i].base, firmware[i].length, firmware[i].type))
			return 0;
	}
	for (size_t i = 0; i < overlay_count; i++) {
		const struct mm_range *o = &overlays[i];

		if (!carve(out, &n, cap, o->base, o->base + o->length, false) ||
		    !append(out, &n, cap, o->base, o->length, o->type))
			return 0;
	}
	if (!carve(out, &n, cap, 0, PAGE_SIZE, true))
		return 0;
	align_page_granular(out, &n);
	sort_by_base(out, n);
	return merge_neighbours(out, n);
}
