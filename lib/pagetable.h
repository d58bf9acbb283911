/*
 * pagetable: 4-level page tables, shared by the loader and the kernel.
 *
 * Portable: both encodings (x86_64, and AArch64 stage 1 with a 4 KiB
 * granule and 48-bit addresses) live here as data, so host unit tests can
 * build tables for either architecture and walk them back. Table pages come
 * from a caller-supplied allocator and are reached through a caller-supplied
 * accessor: the identity map in the loader, the HHDM in the kernel, an
 * arena in tests.
 *
 * Rules the code enforces:
 *  - mapping never overwrites: mapping over an existing mapping fails, which
 *    catches overlapping segments and bookkeeping bugs;
 *  - with `enforce_wx` set (the kernel), no mapping may be both writable and
 *    executable (W^X); the loader turns it off only because the Limine
 *    protocol makes the HHDM read-write-execute;
 *  - unmap and protect work on 4 KiB pages only; they refuse to split a
 *    large page.
 * TLB maintenance is the caller's job: these functions only edit memory.
 */
#ifndef CAMBIOS_LIB_PAGETABLE_H
#define CAMBIOS_LIB_PAGETABLE_H

#include <stdbool.h>
#include <stdint.h>

enum pt_arch { PT_ARCH_X86_64, PT_ARCH_AARCH64 };

/* Mapping attributes. Every mapping is readable. */
#define PT_WRITE (1u << 0)
#define PT_EXEC (1u << 1)
#define PT_USER (1u << 2) /* accessible from user mode (ring 3 / EL0) */
/* Device registers: uncached, strongly ordered enough for MMIO, and never
 * executable whatever else is asked. x86_64: PCD|PWT, PAT entry 3, which
 * is UC in the power-on PAT and in the one the loader (and Limine)
 * installs; AArch64: MAIR slot PT_A64_MAIR_DEVICE, which the kernel sets
 * to Device-nGnRE (the loader leaves Device-nGnRnE there, stricter). */
#define PT_DEVICE (1u << 3)
#define PT_A64_MAIR_DEVICE 2
/* The frame is not the mapping's own (a shared-memory channel's): a bit
 * the hardware ignores (x86_64 bit 9, AArch64 bit 55, both left to
 * software), so that whoever tears a space down knows to leave the frame
 * to its owner. */
#define PT_SHARED (1u << 4)

#define PT_PAGE_4K (1ULL << 12)
#define PT_PAGE_2M (1ULL << 21)
#define PT_PAGE_1G (1ULL << 30)

enum pt_result {
	PT_OK = 0,
	PT_ENOMEM,   /* the table allocator returned nothing */
	PT_EEXIST,   /* something is already mapped there */
	PT_ENOENT,   /* nothing is mapped there */
	PT_EINVAL,   /* misaligned, or would need a large page split */
	PT_EWX,      /* writable and executable at once: refused */
};

struct pagetable {
	enum pt_arch arch;
	bool nx;         /* x86_64: the CPU has no-execute; AArch64: always */
	bool enforce_wx; /* refuse writable+executable mappings */
	uint64_t root;   /* physical address of the top-level table */
	/* A zeroed 4 KiB page: its physical address, or 0 when out of memory. */
	uint64_t (*alloc_table)(void *ctx);
	/* Gives back a table page (pt_destroy_user); may be NULL otherwise. */
	void (*free_table)(void *ctx, uint64_t phys);
	/* Where the table at `phys` can be read and written. */
	uint64_t *(*table_ptr)(void *ctx, uint64_t phys);
	void *ctx;
	/* Set when every table is at phys + tables_offset (the kernel's
	 * HHDM): the walkers then add the offset instead of calling
	 * table_ptr, which matters on the user-copy path, where every system
	 * call with a buffer walks the tables. */
	bool tables_linear;
	uint64_t tables_offset;
};

/* Allocates the top-level table. */
enum pt_result pt_create(struct pagetable *pt);

/* Maps [va, va+size) to [pa, pa+size) with `flags`, using pages of at most
 * `largest_page` bytes. va, pa and size must be 4 KiB aligned. On failure
 * the pages mapped so far by this call stay mapped (callers unmap). */
enum pt_result pt_map(struct pagetable *pt, uint64_t va, uint64_t pa, uint64_t size,
		      unsigned flags, uint64_t largest_page);

/* Removes the 4 KiB mappings of [va, va+size). Every page must be mapped;
 * nothing changes otherwise: on error every mapping is
 * left untouched. */
enum pt_result pt_unmap(struct pagetable *pt, uint64_t va, uint64_t size);

/* Changes the attributes of the 4 KiB mappings of [va, va+size); the same
 * all-or-nothing rule as pt_unmap. */
enum pt_result pt_protect(struct pagetable *pt, uint64_t va, uint64_t size, unsigned flags);

/* The frame of the 4 KiB page holding `va` if it is mapped for user
 * access (and writable, if `write`), found without pt_translate's
 * generality: the user-copy path walks once per system-call buffer. False
 * otherwise, for an address inside a large page, and for tables that are
 * not tables_linear (ask pt_translate, which knows those too). */
bool pt_user_page(const struct pagetable *pt, uint64_t va, bool write, uint64_t *frame);

/* Walks the tables: the physical address `va` maps to, the mapping's
 * flags and page size. False if unmapped. */
bool pt_translate(const struct pagetable *pt, uint64_t va, uint64_t *pa, unsigned *flags,
		  uint64_t *page_size);

/* Frees every table below the top level that serves the lower (user) half
 * of the address space, calling `leaf` for each page still mapped there
 * (the owner decides whether its frame is freed), and clears the lower half
 * of the top-level table. The top-level table itself is the caller's. */
void pt_destroy_user(struct pagetable *pt,
		     void (*leaf)(void *ctx, uint64_t va, uint64_t pa, unsigned flags));

/* Index of the first top-level entry of the upper (kernel) half. */
#define PT_KERNEL_HALF_FIRST_ENTRY 256
#define PT_ENTRIES 512

#endif
