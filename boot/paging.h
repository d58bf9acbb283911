/*
 * paging: building 4-level page tables for the kernel's address space.
 *
 * Portable: both encodings (x86_64 and AArch64 stage 1, 4 KiB granule,
 * 48-bit) live here as data, so host unit tests can build tables for either
 * architecture and walk them back. Table pages come from a caller-supplied
 * allocator and are reached through a caller-supplied accessor, which is
 * the identity in the loader and a test arena on the host.
 *
 * Mappings never overwrite: mapping over an existing mapping is an error,
 * which catches overlapping segments and builder bugs instead of silently
 * losing a mapping. A range is mapped with the largest pages its alignment
 * allows, up to the caller's limit.
 */
#ifndef CAMBIOS_BOOT_PAGING_H
#define CAMBIOS_BOOT_PAGING_H

#include <stdbool.h>
#include <stdint.h>

enum pt_arch { PT_ARCH_X86_64, PT_ARCH_AARCH64 };

/* Mapping attributes. Every mapping is readable and supervisor-only. */
#define PT_WRITE (1u << 0)
#define PT_EXEC (1u << 1)

#define PT_PAGE_4K (1ULL << 12)
#define PT_PAGE_2M (1ULL << 21)
#define PT_PAGE_1G (1ULL << 30)

struct pt_builder {
	enum pt_arch arch;
	bool nx;       /* x86_64: the CPU has no-execute; AArch64: always true */
	uint64_t root; /* physical address of the top-level table */
	/* A zeroed 4 KiB page: its physical address, or 0 when out of memory. */
	uint64_t (*alloc_table)(void *ctx);
	/* Where the table at `phys` can be read and written. */
	uint64_t *(*table_ptr)(void *ctx, uint64_t phys);
	void *ctx;
};

/* Allocates the top-level table. */
bool pt_create(struct pt_builder *b);

/* Maps [va, va+size) to [pa, pa+size) with `flags`, using pages of at most
 * `largest_page` bytes. va, pa and size must be 4 KiB aligned. Fails
 * (returning false) on misalignment, an existing mapping, or no memory. */
bool pt_map(struct pt_builder *b, uint64_t va, uint64_t pa, uint64_t size, unsigned flags,
	    uint64_t largest_page);

/* Walks the tables: the physical address `va` maps to, the mapping's
 * flags and page size. False if unmapped. */
bool pt_translate(const struct pt_builder *b, uint64_t va, uint64_t *pa, unsigned *flags,
		  uint64_t *page_size);

#endif
