/*
 * pagetable: 4-level page-table construction and editing (pagetable.h).
 *
 * Levels are numbered from the top: level 0 entries span 512 GiB, level 1
 * 1 GiB, level 2 2 MiB, level 3 4 KiB. Leaves may sit at levels 1-3.
 * Encoding and decoding are the only architecture-specific parts; they are
 * table-driven here so that the walkers are shared.
 *
 * User mappings need the user bit on every level on x86_64 (the CPU ANDs
 * the U/S bits along the walk), so tables created for a user mapping carry
 * it; on AArch64 table descriptors carry no permissions and the leaf's
 * AP[1] grants EL0 access. User pages are never executable by the kernel
 * (AArch64 PXN) and are not global (nG), so an address-space switch only
 * needs ASID or full flushes of user entries.
 */
#include "pagetable.h"

#include <stddef.h>

#define ADDR_MASK 0x000ffffffffff000ULL

/* x86_64 entry bits */
#define X86_P (1ULL << 0)
#define X86_RW (1ULL << 1)
#define X86_US (1ULL << 2)
#define X86_PWT (1ULL << 3)
#define X86_PCD (1ULL << 4)
#define X86_PS (1ULL << 7)
#define X86_SW_SHARED (1ULL << 9)  /* ignored by the CPU: PT_SHARED */
#define X86_NX (1ULL << 63)

/* AArch64 descriptor bits */
#define A64_VALID (1ULL << 0)
#define A64_TABLE_OR_PAGE (1ULL << 1)
#define A64_ATTR_INDEX(i) ((uint64_t)(i) << 2)
#define A64_ATTR_MASK (7ULL << 2)
#define A64_AP_EL0 (1ULL << 6)
#define A64_AP_RO (1ULL << 7)
#define A64_SH_INNER (3ULL << 8)
#define A64_AF (1ULL << 10)
#define A64_NG (1ULL << 11)
#define A64_PXN (1ULL << 53)
#define A64_UXN (1ULL << 54)
#define A64_SW_SHARED (1ULL << 55) /* reserved for software: PT_SHARED */
#define A64_ADDR_MASK 0x0000fffffffff000ULL

static unsigned shift_of(int level)
{
	return 39 - 9 * (unsigned)level;
}

static unsigned index_of(uint64_t va, int level)
{
	return (va >> shift_of(level)) & (PT_ENTRIES - 1);
}

static uint64_t *table_at(const struct pagetable *pt, uint64_t phys)
{
	if (pt->tables_linear)
		return (uint64_t *)(uintptr_t)(phys + pt->tables_offset);
	return pt->table_ptr(pt->ctx, phys);
}

static uint64_t encode_table(const struct pagetable *pt, uint64_t phys, bool user)
{
	if (pt->arch == PT_ARCH_X86_64)
		return phys | X86_P | X86_RW | (user ? X86_US : 0);
	return phys | A64_VALID | A64_TABLE_OR_PAGE;
}

static uint64_t encode_leaf_x86(const struct pagetable *pt, uint64_t phys, int level,
				unsigned flags)
{
	uint64_t e = phys | X86_P;

	if (flags & PT_WRITE)
		e |= X86_RW;
	if (flags & PT_USER)
		e |= X86_US;
	if (level < 3)
		e |= X86_PS;
	if (flags & PT_DEVICE) /* PAT entry 3 (the PAT bit stays clear): UC */
		e |= X86_PCD | X86_PWT;
	if ((!(flags & PT_EXEC) || (flags & PT_DEVICE)) && pt->nx)
		e |= X86_NX;
	if (flags & PT_SHARED)
		e |= X86_SW_SHARED;
	return e;
}

static uint64_t encode_leaf_a64(uint64_t phys, int level, unsigned flags)
{
	uint64_t e = phys | A64_VALID | A64_AF;

	/* Device memory is always outer shareable; its SH field is ignored. */
	if (flags & PT_DEVICE)
		e |= A64_ATTR_INDEX(PT_A64_MAIR_DEVICE) | A64_UXN | A64_PXN;
	else
		e |= A64_SH_INNER;
	if (level == 3)
		e |= A64_TABLE_OR_PAGE;
	if (!(flags & PT_WRITE))
		e |= A64_AP_RO;
	if (flags & PT_SHARED)
		e |= A64_SW_SHARED;
	if (flags & PT_USER) {
		/* EL0 may use it; EL1 never executes it. */
		e |= A64_AP_EL0 | A64_NG | A64_PXN;
		if (!(flags & PT_EXEC))
			e |= A64_UXN;
	} else {
		/* Kernel memory: EL0 never executes it. */
		e |= A64_UXN;
		if (!(flags & PT_EXEC))
			e |= A64_PXN;
	}
	return e;
}

static uint64_t encode_leaf(const struct pagetable *pt, uint64_t phys, int level, unsigned flags)
{
	if (pt->arch == PT_ARCH_X86_64)
		return encode_leaf_x86(pt, phys, level, flags);
	return encode_leaf_a64(phys, level, flags);
}

static bool entry_valid(const struct pagetable *pt, uint64_t e)
{
	/* Both valid bits are bit 0; each arch's name says which one is meant.
	 * NOLINTNEXTLINE(misc-redundant-expression) */
	return pt->arch == PT_ARCH_X86_64 ? (e & X86_P) != 0 : (e & A64_VALID) != 0;
}

static bool entry_is_table(const struct pagetable *pt, uint64_t e, int level)
{
	if (level == 3)
		return false;
	if (pt->arch == PT_ARCH_X86_64)
		return !(e & X86_PS);
	return (e & A64_TABLE_OR_PAGE) != 0;
}

static uint64_t entry_addr(const struct pagetable *pt, uint64_t e)
{
	return e & (pt->arch == PT_ARCH_X86_64 ? ADDR_MASK : A64_ADDR_MASK);
}

static unsigned decode_flags(const struct pagetable *pt, uint64_t e)
{
	unsigned flags = 0;

	if (pt->arch == PT_ARCH_X86_64) {
		flags |= (e & X86_RW) ? PT_WRITE : 0;
		flags |= (e & X86_US) ? PT_USER : 0;
		flags |= !(e & X86_NX) ? PT_EXEC : 0;
		flags |= (e & X86_PCD) ? PT_DEVICE : 0;
		flags |= (e & X86_SW_SHARED) ? PT_SHARED : 0;
		return flags;
	}
	flags |= !(e & A64_AP_RO) ? PT_WRITE : 0;
	flags |= (e & A64_ATTR_MASK) == A64_ATTR_INDEX(PT_A64_MAIR_DEVICE) ? PT_DEVICE : 0;
	flags |= (e & A64_SW_SHARED) ? PT_SHARED : 0;
	if (e & A64_AP_EL0)
		flags |= PT_USER | (!(e & A64_UXN) ? PT_EXEC : 0);
	else
		flags |= !(e & A64_PXN) ? PT_EXEC : 0;
	return flags;
}

enum pt_result pt_create(struct pagetable *pt)
{
	pt->root = pt->alloc_table(pt->ctx);
	return pt->root ? PT_OK : PT_ENOMEM;
}

/* The entry for `va` at `level`, creating tables above it when `create`.
 * NULL with *err set if out of memory, missing, or a larger leaf is in the
 * way. */
static uint64_t *walk_to(struct pagetable *pt, uint64_t va, int level, bool create, bool user,
			 enum pt_result *err)
{
	uint64_t *table = table_at(pt, pt->root);

	for (int l = 0; l < level; l++) {
		uint64_t *e = &table[index_of(va, l)];

		if (!entry_valid(pt, *e)) {
			uint64_t phys = create ? pt->alloc_table(pt->ctx) : 0;
			if (!phys) {
				*err = create ? PT_ENOMEM : PT_ENOENT;
				return NULL;
			}
			*e = encode_table(pt, phys, user);
		} else if (!entry_is_table(pt, *e, l)) {
			*err = create ? PT_EEXIST : PT_EINVAL;
			return NULL;
		} else if (user && pt->arch == PT_ARCH_X86_64) {
			*e |= X86_US;
		}
		table = table_at(pt, entry_addr(pt, *e));
	}
	return &table[index_of(va, level)];
}

static int level_for(uint64_t va, uint64_t pa, uint64_t left, uint64_t largest)
{
	if (largest >= PT_PAGE_1G && !(va % PT_PAGE_1G) && !(pa % PT_PAGE_1G) && left >= PT_PAGE_1G)
		return 1;
	if (largest >= PT_PAGE_2M && !(va % PT_PAGE_2M) && !(pa % PT_PAGE_2M) && left >= PT_PAGE_2M)
		return 2;
	return 3;
}

static enum pt_result check_range(uint64_t va, uint64_t pa, uint64_t size)
{
	if ((va | pa | size) & (PT_PAGE_4K - 1))
		return PT_EINVAL;
	if (va + size < va || pa + size < pa)
		return PT_EINVAL;
	return PT_OK;
}

enum pt_result pt_map(struct pagetable *pt, uint64_t va, uint64_t pa, uint64_t size,
		      unsigned flags, uint64_t largest_page)
{
	enum pt_result err = check_range(va, pa, size);

	if (err != PT_OK)
		return err;
	if (pt->enforce_wx && (flags & PT_WRITE) && (flags & PT_EXEC))
		return PT_EWX;
	while (size > 0) {
		int level = level_for(va, pa, size, largest_page);
		uint64_t step = 1ULL << shift_of(level);
		uint64_t *e = walk_to(pt, va, level, true, (flags & PT_USER) != 0, &err);

		if (!e)
			return err;
		if (entry_valid(pt, *e))
			return PT_EEXIST;
		*e = encode_leaf(pt, pa, level, flags);
		va += step;
		pa += step;
		size -= step;
	}
	return PT_OK;
}

/* The 4 KiB leaf for `va`, or NULL (with *err) if it is not one. */
static uint64_t *leaf_4k(struct pagetable *pt, uint64_t va, enum pt_result *err)
{
	uint64_t *e = walk_to(pt, va, 3, false, false, err);

	if (e && !entry_valid(pt, *e)) {
		*err = PT_ENOENT;
		return NULL;
	}
	return e;
}

/* All-or-nothing: every page of the range must be a mapped 4 KiB page. */
static enum pt_result check_all_4k(struct pagetable *pt, uint64_t va, uint64_t size)
{
	enum pt_result err = check_range(va, 0, size);

	for (uint64_t off = 0; err == PT_OK && off < size; off += PT_PAGE_4K) {
		if (!leaf_4k(pt, va + off, &err))
			return err;
	}
	return err;
}

enum pt_result pt_unmap(struct pagetable *pt, uint64_t va, uint64_t size)
{
	enum pt_result err = check_all_4k(pt, va, size);

	if (err != PT_OK)
		return err;
	for (uint64_t off = 0; off < size; off += PT_PAGE_4K)
		*leaf_4k(pt, va + off, &err) = 0;
	return PT_OK;
}

enum pt_result pt_protect(struct pagetable *pt, uint64_t va, uint64_t size, unsigned flags)
{
	enum pt_result err = check_all_4k(pt, va, size);

	if (err != PT_OK)
		return err;
	if (pt->enforce_wx && (flags & PT_WRITE) && (flags & PT_EXEC))
		return PT_EWX;
	for (uint64_t off = 0; off < size; off += PT_PAGE_4K) {
		uint64_t *e = leaf_4k(pt, va + off, &err);
		*e = encode_leaf(pt, entry_addr(pt, *e), 3, flags);
	}
	return PT_OK;
}

bool pt_translate(const struct pagetable *pt, uint64_t va, uint64_t *pa, unsigned *flags,
		  uint64_t *page_size)
{
	const uint64_t *table = table_at(pt, pt->root);

	for (int level = 0; level <= 3; level++) {
		uint64_t e = table[index_of(va, level)];

		if (!entry_valid(pt, e))
			return false;
		if (entry_is_table(pt, e, level)) {
			table = table_at(pt, entry_addr(pt, e));
			continue;
		}
		if (level == 0)
			return false; /* no leaves at the top level */
		uint64_t span = 1ULL << shift_of(level);
		*pa = (entry_addr(pt, e) & ~(span - 1)) | (va & (span - 1));
		*flags = decode_flags(pt, e);
		*page_size = span;
		return true;
	}
	return false;
}

/* One level of pt_user_page's walk: the entry for `va` in the table at
 * `table_phys`, through the linear map. */
static uint64_t linear_entry(const struct pagetable *pt, uint64_t table_phys, uint64_t va,
			     int level)
{
	const uint64_t *table = (const uint64_t *)(uintptr_t)(table_phys + pt->tables_offset);

	return table[index_of(va, level)];
}

bool pt_user_page(const struct pagetable *pt, uint64_t va, bool write, uint64_t *frame)
{
	uint64_t e;

	if (!pt->tables_linear)
		return false;
	if (pt->arch == PT_ARCH_X86_64) {
		/* Tables: present and not a large page, at every level above. */
		e = pt->root | X86_P;
		for (int level = 0; level < 3; level++) {
			e = linear_entry(pt, e & ADDR_MASK, va, level);
			if ((e & (X86_P | X86_PS)) != X86_P)
				return false;
		}
		e = linear_entry(pt, e & ADDR_MASK, va, 3);
		uint64_t need = X86_P | X86_US | (write ? X86_RW : 0);
		if ((e & need) != need)
			return false;
		*frame = e & ADDR_MASK;
		return true;
	}
	/* AArch64: table descriptors 0b11 above, a page descriptor 0b11 with
	 * EL0 access (and not read-only, to write) at level 3. */
	const uint64_t kind = A64_VALID | A64_TABLE_OR_PAGE;
	e = pt->root | kind;
	for (int level = 0; level <= 3; level++) {
		e = linear_entry(pt, e & A64_ADDR_MASK, va, level);
		if ((e & kind) != kind)
			return false;
	}
	if (!(e & A64_AP_EL0) || (write && (e & A64_AP_RO)))
		return false;
	*frame = e & A64_ADDR_MASK;
	return true;
}

/* Frees the subtree below `table_phys` (a table at `level` covering the
 * addresses from `base`), reporting leaves. Recurses once per level, so at
 * most four deep. NOLINTNEXTLINE(misc-no-recursion) */
static void destroy_subtree(struct pagetable *pt, uint64_t table_phys, int level, uint64_t base,
			    void (*leaf)(void *ctx, uint64_t va, uint64_t pa, unsigned flags))
{
	uint64_t *table = table_at(pt, table_phys);

	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		uint64_t e = table[i];
		uint64_t va = base + ((uint64_t)i << shift_of(level));

		if (!entry_valid(pt, e))
			continue;
		if (entry_is_table(pt, e, level))
			destroy_subtree(pt, entry_addr(pt, e), level + 1, va, leaf);
		else if (leaf)
			leaf(pt->ctx, va, entry_addr(pt, e), decode_flags(pt, e));
		table[i] = 0;
	}
	if (pt->free_table)
		pt->free_table(pt->ctx, table_phys);
}

void pt_destroy_user(struct pagetable *pt,
		     void (*leaf)(void *ctx, uint64_t va, uint64_t pa, unsigned flags))
{
	uint64_t *top = table_at(pt, pt->root);

	for (unsigned i = 0; i < PT_KERNEL_HALF_FIRST_ENTRY; i++) {
		uint64_t e = top[i];

		if (!entry_valid(pt, e))
			continue;
		if (entry_is_table(pt, e, 0))
			destroy_subtree(pt, entry_addr(pt, e), 1, (uint64_t)i << shift_of(0), leaf);
		top[i] = 0;
	}
}
