/*
 * address_space: the page tables the kernel wakes up in.
 *
 * Three parts, as Limine builds them for base revision 2:
 *  - the kernel's segments at their link addresses, 4 KiB pages, with the
 *    permissions of their ELF flags (W only if PF_W, X only if PF_X);
 *  - the HHDM: physical 0..4 GiB in full, plus every memory region above
 *    4 GiB that is not reserved or bad, in 1 GiB-aligned spans, read-write;
 *  - an identity map of the same physical ranges, used only while the
 *    loader switches tables (and while APs come up); it is removed before
 *    the kernel runs, so the kernel starts with an empty lower half.
 * Table pages are bootloader-reclaimable and live below 4 GiB, because the
 * x86 AP trampoline loads CR3 while still in 32-bit mode.
 */
#include "loader.h"

#include "alloc.h"
#include "arch.h"
#include "console.h"
#include "uefi.h"

#define PAGE_SIZE 4096ULL
#define GIB (1ULL << 30)
#define FOUR_GIB (4ULL << 30)
#define TABLES_BELOW 0xffffffffULL

static uint64_t alloc_table(void *ctx)
{
	(void)ctx;
	return alloc_pages(PAGE_SIZE, PAGE_SIZE, LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE, TABLES_BELOW);
}

static uint64_t *table_ptr(void *ctx, uint64_t phys)
{
	(void)ctx;
	return (uint64_t *)(uintptr_t)phys;
}

static void init_builder(struct loader *l, struct pagetable *pt)
{
	arch_paging_describe(pt, &l->hhdm_largest_page);
	pt->enforce_wx = false; /* the protocol's HHDM is read-write-execute */
	pt->alloc_table = alloc_table;
	pt->table_ptr = table_ptr;
	pt->ctx = l;
	if (pt_create(pt) != PT_OK)
		console_fatal("out of memory for page tables");
}

static bool page_mapped(const struct pagetable *pt, uint64_t va)
{
	uint64_t pa, size;
	unsigned flags;

	return pt_translate(pt, va, &pa, &flags, &size);
}

static unsigned segment_flags(const struct elf_segment *s)
{
	return ((s->flags & ELF_PF_W) ? PT_WRITE : 0) | ((s->flags & ELF_PF_X) ? PT_EXEC : 0);
}

/* Page by page: two segments may share a page (elf.c allows it only with
 * equal permissions), and the first one maps it. */
static void map_kernel(struct loader *l)
{
	for (unsigned i = 0; i < l->plan.segment_count; i++) {
		const struct elf_segment *s = &l->plan.segments[i];
		uint64_t va = s->vaddr & ~(PAGE_SIZE - 1);
		uint64_t end = (s->vaddr + s->memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

		for (; va < end; va += PAGE_SIZE) {
			uint64_t pa = l->kernel_phys + (va - l->plan.virt_base);
			if (page_mapped(&l->pt, va))
				continue;
			if (pt_map(&l->pt, va, pa, PAGE_SIZE, segment_flags(s), PT_PAGE_4K) != PT_OK)
				console_fatal("cannot map kernel page 0x%llx",
					      (unsigned long long)va);
		}
	}
}

/* Maps [phys, phys+size) at HHDM and identity addresses, skipping what is
 * already mapped (in steps of the largest page). */
static void map_physical(struct loader *l, uint64_t phys, uint64_t size, uint64_t step)
{
	for (uint64_t pa = phys; pa < phys + size; pa += step) {
		if (!page_mapped(&l->pt, pa + l->hhdm) &&
		    pt_map(&l->pt, pa + l->hhdm, pa, step, PT_WRITE | PT_EXEC, step) != PT_OK)
			console_fatal("cannot map HHDM at 0x%llx", (unsigned long long)pa);
		if (!page_mapped(&l->pt_identity, pa) &&
		    pt_map(&l->pt_identity, pa, pa, step, PT_WRITE | PT_EXEC, step) != PT_OK)
			console_fatal("cannot identity-map 0x%llx", (unsigned long long)pa);
	}
}

static bool region_counts_for_hhdm(uint32_t efi_type)
{
	uint64_t t = memmap_type_from_efi(efi_type);

	return t != LIMINE_MEMMAP_RESERVED && t != LIMINE_MEMMAP_BAD_MEMORY;
}

/* Regions above 4 GiB, from a snapshot of the firmware's map. */
static void map_high_regions(struct loader *l)
{
	uint64_t size = 0, key, desc_size;
	uint32_t version;
	efi_status s = uefi_boot_services->get_memory_map(&size, NULL, &key, &desc_size, &version);

	if (s != EFI_BUFFER_TOO_SMALL)
		console_fatal("GetMemoryMap failed (status 0x%llx)", (unsigned long long)s);
	size += 8 * desc_size;
	uint64_t buf = alloc_pages(size, PAGE_SIZE, LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE, UINT64_MAX);
	if (!buf || EFI_IS_ERROR(uefi_boot_services->get_memory_map(
			    &size, (struct efi_memory_descriptor *)(uintptr_t)buf, &key,
			    &desc_size, &version)))
		console_fatal("cannot read the firmware memory map");
	for (uint64_t off = 0; off < size; off += desc_size) {
		const struct efi_memory_descriptor *d = (void *)(uintptr_t)(buf + off);
		uint64_t end = d->physical_start + d->number_of_pages * PAGE_SIZE;

		if (end <= FOUR_GIB || !region_counts_for_hhdm(d->type))
			continue;
		uint64_t lo = d->physical_start & ~(GIB - 1);
		uint64_t hi = (end + GIB - 1) & ~(GIB - 1);
		if (lo < FOUR_GIB)
			lo = FOUR_GIB;
		map_physical(l, lo, hi - lo, l->hhdm_largest_page >= GIB ? GIB : PT_PAGE_2M);
		if (hi > l->hhdm_top)
			l->hhdm_top = hi;
	}
}

void address_space_cover(struct loader *l, uint64_t phys, uint64_t size)
{
	uint64_t lo = phys & ~(PAGE_SIZE - 1);
	uint64_t hi = (phys + size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

	map_physical(l, lo, hi - lo, PAGE_SIZE);
}

void address_space_build(struct loader *l)
{
	init_builder(l, &l->pt);
	if (arch_identity_in_separate_root) {
		init_builder(l, &l->pt_identity);
		l->empty_table = alloc_table(l);
		if (!l->empty_table)
			console_fatal("out of memory for page tables");
	} else {
		l->pt_identity = l->pt;
	}
	map_kernel(l);
	l->hhdm_top = FOUR_GIB;
	map_physical(l, 0, FOUR_GIB, l->hhdm_largest_page);
	map_high_regions(l);
}
