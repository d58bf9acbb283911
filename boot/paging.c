/*
 * paging: 4-level page-table construction (see paging.h).
 *
 * Levels are numbered from the top: level 0 entries span 512 GiB, level 1
 * 1 GiB, level 2 2 MiB, level 3 4 KiB. Leaves may sit at levels 1-3.
 */
#include "paging.h"

#include <stddef.h>

#define ENTRIES 512
#define ADDR_MASK 0x000ffffffffff000ULL

/* x86_64 entry bits */
#define X86_P (1ULL << 0)
#define X86_RW (1ULL << 1)
#define X86_PS (1ULL << 7)
#define X86_NX (1ULL << 63)

/* AArch64 descriptor bits */
#define A64_VALID (1ULL << 0)
#define A64_TABLE_OR_PAGE (1ULL << 1)
#define A64_AP_RO (1ULL << 7)
#define A64_SH_INNER (3ULL << 8)
#define A64_AF (1ULL << 10)
#define A64_PXN (1ULL << 53)
#define A64_UXN (1ULL << 54)
#define A64_ADDR_MASK 0x0000fffffffff000ULL

static unsigned shift_of(int level)
{
	return 39 - 9 * (unsigned)level;
}

static unsigned index_of(uint64_t va, int level)
{
	return (va >> shift_of(level)) & (ENTRIES - 1);
}

static uint64_t encode_table(const struct pt_builder *b, uint64_t phys)
{
	if (b->arch == PT_ARCH_X86_64)
		return phys | X86_P | X86_RW;
	return phys | A64_VALID | A64_TABLE_OR_PAGE;
}

static uint64_t encode_leaf(const struct pt_builder *b, uint64_t phys, int level, unsigned flags)
{
	if (b->arch == PT_ARCH_X86_64) {
		uint64_t e = phys | X86_P;
		if (flags & PT_WRITE)
			e |= X86_RW;
		if (level < 3)
			e |= X86_PS;
		if (!(flags & PT_EXEC) && b->nx)
			e |= X86_NX;
		return e;
	}
	/* EL0 never gets kernel mappings: AP[1] stays 0 and UXN is set. */
	uint64_t e = phys | A64_VALID | A64_AF | A64_SH_INNER | A64_UXN;
	if (level == 3)
		e |= A64_TABLE_OR_PAGE;
	if (!(flags & PT_WRITE))
		e |= A64_AP_RO;
	if (!(flags & PT_EXEC))
		e |= A64_PXN;
	return e;
}

static bool entry_valid(const struct pt_builder *b, uint64_t e)
{
	return b->arch == PT_ARCH_X86_64 ? (e & X86_P) != 0 : (e & A64_VALID) != 0;
}

static bool entry_is_table(const struct pt_builder *b, uint64_t e, int level)
{
	if (level == 3)
		return false;
	if (b->arch == PT_ARCH_X86_64)
		return !(e & X86_PS);
	return (e & A64_TABLE_OR_PAGE) != 0;
}

static uint64_t entry_addr(const struct pt_builder *b, uint64_t e)
{
	return e & (b->arch == PT_ARCH_X86_64 ? ADDR_MASK : A64_ADDR_MASK);
}

static unsigned decode_flags(const struct pt_builder *b, uint64_t e)
{
	unsigned flags = 0;

	if (b->arch == PT_ARCH_X86_64) {
		if (e & X86_RW)
			flags |= PT_WRITE;
		if (!(e & X86_NX))
			flags |= PT_EXEC;
	} else {
		if (!(e & A64_AP_RO))
			flags |= PT_WRITE;
		if (!(e & A64_PXN))
			flags |= PT_EXEC;
	}
	return flags;
}

bool pt_create(struct pt_builder *b)
{
	b->root = b->alloc_table(b->ctx);
	return b->root != 0;
}

/* The entry for `va` at `level`, creating tables above it. NULL if out of
 * memory or a larger leaf is in the way. */
static uint64_t *walk_to(struct pt_builder *b, uint64_t va, int level)
{
	uint64_t *table = b->table_ptr(b->ctx, b->root);

	for (int l = 0; l < level; l++) {
		uint64_t *e = &table[index_of(va, l)];

		if (!entry_valid(b, *e)) {
			uint64_t phys = b->alloc_table(b->ctx);
			if (!phys)
				return NULL;
			*e = encode_table(b, phys);
		} else if (!entry_is_table(b, *e, l)) {
			return NULL;
		}
		table = b->table_ptr(b->ctx, entry_addr(b, *e));
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

bool pt_map(struct pt_builder *b, uint64_t va, uint64_t pa, uint64_t size, unsigned flags,
	    uint64_t largest_page)
{
	if ((va | pa | size) & (PT_PAGE_4K - 1))
		return false;
	while (size > 0) {
		int level = level_for(va, pa, size, largest_page);
		uint64_t step = 1ULL << shift_of(level);
		uint64_t *e = walk_to(b, va, level);

		if (!e || entry_valid(b, *e))
			return false;
		*e = encode_leaf(b, pa, level, flags);
		va += step;
		pa += step;
		size -= step;
	}
	return true;
}

bool pt_translate(const struct pt_builder *b, uint64_t va, uint64_t *pa, unsigned *flags,
		  uint64_t *page_size)
{
	const uint64_t *table = b->table_ptr(b->ctx, b->root);

	for (int level = 0; level <= 3; level++) {
		uint64_t e = table[index_of(va, level)];

		if (!entry_valid(b, e))
			return false;
		if (entry_is_table(b, e, level)) {
			table = b->table_ptr(b->ctx, entry_addr(b, e));
			continue;
		}
		if (level == 0)
			return false; /* no leaves at the top level */
		uint64_t span = 1ULL << shift_of(level);
		*pa = (entry_addr(b, e) & ~(span - 1)) | (va & (span - 1));
		*flags = decode_flags(b, e);
		*page_size = span;
		return true;
	}
	return false;
}
