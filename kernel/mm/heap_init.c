/*
 * heap_init: the boot step that gives the kernel heap its memory.
 *
 * Kept apart from heap.c so that the allocator stays free of boot
 * protocol and HHDM details (heap.c builds for host tests as is).
 *
 * The region rule (see heap_choose_region in heap.h): only USABLE memory;
 * nothing below 1 MiB (BIOS data, real-mode structures, the AP
 * trampoline); the base rounded up to 2 MiB so the heap's large buddy
 * blocks are large-page aligned in physical memory too; the largest such
 * region wins, because it leaves the most contiguous memory intact around
 * the heap for the frame allocator; and the heap takes KERNEL_HEAP_SIZE
 * from its start. The frame allocator, which comes next, must reserve
 * exactly that range: heap_physical_range() tells it.
 */
#include <heap.h>

#include <hhdm.h>
#include <printk.h>

/* Written once by init_kernel_heap on the BSP, before other CPUs run. */
static uint64_t kernel_heap_phys_base;
static uint64_t kernel_heap_phys_size;

static uint64_t align_up_u64(uint64_t x, uint64_t align)
{
	return x > UINT64_MAX - (align - 1) ? UINT64_MAX & ~(align - 1) : (x + align - 1) & ~(align - 1);
}

/* The part of `entry` the heap could use, if it is big enough. */
static bool usable_part(const struct limine_memmap_entry *entry, uint64_t *base, uint64_t *len)
{
	uint64_t start, end;

	if (!entry || entry->type != LIMINE_MEMMAP_USABLE)
		return false;
	end = entry->length > UINT64_MAX - entry->base ? UINT64_MAX : entry->base + entry->length;
	end &= ~(uint64_t)(HEAP_PAGE_SIZE - 1);
	start = entry->base < KERNEL_HEAP_MIN_PHYS ? KERNEL_HEAP_MIN_PHYS : entry->base;
	start = align_up_u64(start, KERNEL_HEAP_PHYS_ALIGN);
	if (start >= end || end - start < KERNEL_HEAP_MIN_SIZE)
		return false;
	*base = start;
	*len = end - start;
	return true;
}

kerr_t heap_choose_region(const struct limine_memmap_response *map, uint64_t *phys_base,
			  uint64_t *size)
{
	uint64_t best_base = 0, best_len = 0;

	*phys_base = *size = 0;
	if (!map || (map->entry_count && !map->entries))
		return K_EINVAL;
	for (uint64_t i = 0; i < map->entry_count; i++) {
		uint64_t base, len;

		if (!usable_part(map->entries[i], &base, &len))
			continue;
		if (len > best_len || (len == best_len && base < best_base)) {
			best_base = base;
			best_len = len;
		}
	}
	if (best_len == 0)
		return K_ENOMEM;
	*phys_base = best_base;
	*size = best_len < KERNEL_HEAP_SIZE ? best_len : KERNEL_HEAP_SIZE;
	return K_OK;
}

kerr_t init_kernel_heap(const struct limine_memmap_response *map)
{
	uint64_t base, size;
	void *virt;
	kerr_t err;

	if (kernel_heap_phys_size != 0)
		return K_EEXIST;
	err = heap_choose_region(map, &base, &size);
	if (err != K_OK)
		return err;
	virt = phys_to_virt(base);
	err = heap_init(heap_kernel(), "kernel heap", virt, (size_t)size);
	if (err != K_OK)
		return err;
	kernel_heap_phys_base = base;
	kernel_heap_phys_size = size;
	println("heap: %zu KiB at phys 0x%016llx (virt 0x%016llx)", (size_t)(size >> 10),
		(unsigned long long)base, (unsigned long long)(uintptr_t)virt);
	return K_OK;
}

void heap_physical_range(uint64_t *phys_base, uint64_t *size)
{
	*phys_base = kernel_heap_phys_base;
	*size = kernel_heap_phys_size;
}
