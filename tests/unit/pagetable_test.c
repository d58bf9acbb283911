/*
 * pagetable_test: the portable page tables (lib/pagetable.c), shared by
 * the loader and the kernel.
 *
 * Every test runs for both encodings (x86_64 and AArch64). Tables live in a
 * test arena that hands out fake physical addresses. Mappings are checked
 * three ways: through pt_translate() for every page, by decoding the raw
 * entries for the architectural bits (W^X, block/page/table types), and by
 * an independent walk of the whole table tree that must find exactly the
 * leaves the test asked for and nothing else.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <pagetable.h>

#define ENTRIES 512
#define LEVELS 4
#define ARENA_PAGES 256
#define ARENA_PHYS_BASE 0x100000ULL /* where the fake physical pages start */
#define NO_LIMIT UINT32_MAX
#define MAX_LEAVES 8192
#define MAX_MAPPINGS 16

#define KERNEL_VBASE 0xffffffff80000000ULL
#define KERNEL_PBASE 0x200000ULL
#define HHDM_BASE 0xffff800000000000ULL
#define PAGE_4K PT_PAGE_4K
#define PAGE_2M PT_PAGE_2M
#define PAGE_1G PT_PAGE_1G
#define RX PT_EXEC
#define RO 0u
#define RW PT_WRITE

/* x86_64 entry bits (SDM vol. 3, 4.5). */
#define X86_P (1ULL << 0)
#define X86_RW (1ULL << 1)
#define X86_US (1ULL << 2)
#define X86_PS (1ULL << 7)
#define X86_NX (1ULL << 63)
#define X86_ADDR 0x000ffffffffff000ULL

/* AArch64 stage-1 descriptor bits (ARM ARM D8.3). */
#define A64_VALID (1ULL << 0)
#define A64_TYPE (1ULL << 1) /* table (levels 0-2) or page (level 3) */
#define A64_AP1_EL0 (1ULL << 6)
#define A64_AP2_RO (1ULL << 7)
#define A64_SH_MASK (3ULL << 8)
#define A64_SH_INNER (3ULL << 8)
#define A64_AF (1ULL << 10)
#define A64_PXN (1ULL << 53)
#define A64_UXN (1ULL << 54)
#define A64_ADDR 0x0000fffffffff000ULL

/* ------------------------------------------------------------ arena */

struct arena {
	uint64_t (*pages)[ENTRIES];
	unsigned used;
	unsigned limit; /* allocations allowed before returning 0 */
};

static uint64_t arena_alloc(void *ctx)
{
	struct arena *a = ctx;

	if (a->used == ARENA_PAGES || a->used >= a->limit)
		return 0;
	memset(a->pages[a->used], 0, sizeof(a->pages[0]));
	return ARENA_PHYS_BASE + (uint64_t)a->used++ * PAGE_4K;
}

static uint64_t *arena_ptr(void *ctx, uint64_t phys)
{
	struct arena *a = ctx;

	assert_true(phys >= ARENA_PHYS_BASE && phys % PAGE_4K == 0);
	assert_true((phys - ARENA_PHYS_BASE) / PAGE_4K < a->used);
	return a->pages[(phys - ARENA_PHYS_BASE) / PAGE_4K];
}

struct fixture {
	struct arena arena;
	struct pagetable b;
};

static const enum pt_arch arch_x86 = PT_ARCH_X86_64;
static const enum pt_arch arch_a64 = PT_ARCH_AARCH64;

static int setup(void **state)
{
	enum pt_arch arch = *(const enum pt_arch *)*state;
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->arena.pages = aligned_alloc(PAGE_4K, ARENA_PAGES * PAGE_4K);
	if (!f->arena.pages)
		return -1;
	f->arena.limit = NO_LIMIT;
	f->b = (struct pagetable){
		.arch = arch,
		.nx = true,
		.alloc_table = arena_alloc,
		.table_ptr = arena_ptr,
		.ctx = &f->arena,
	};
	if (pt_create(&f->b) != PT_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	free(f->arena.pages);
	free(f);
	return 0;
}

/* ------------------------------------------------------------ independent walker */

struct leaf {
	uint64_t va;
	uint64_t raw;
	uint64_t size;
	int level;
};

struct walk {
	struct leaf leaves[MAX_LEAVES];
	unsigned count;
	unsigned tables; /* tables reached, root included */
	unsigned top_level_leaves;
};

static struct walk walked;

static bool raw_valid(enum pt_arch arch, uint64_t e)
{
	return arch == PT_ARCH_X86_64 ? (e & X86_P) : (e & A64_VALID);
}

static bool raw_is_table(enum pt_arch arch, uint64_t e, int level)
{
	if (level == LEVELS - 1)
		return false;
	return arch == PT_ARCH_X86_64 ? !(e & X86_PS) : (e & A64_TYPE) != 0;
}

static uint64_t raw_addr(enum pt_arch arch, uint64_t e)
{
	return e & (arch == PT_ARCH_X86_64 ? X86_ADDR : A64_ADDR);
}

static uint64_t span_of(int level)
{
	return 1ULL << (39 - 9 * level);
}

static uint64_t canonical(uint64_t va)
{
	return (va & (1ULL << 47)) ? va | 0xffff000000000000ULL : va;
}

static void walk_table(struct fixture *f, uint64_t phys, int level, uint64_t base)
{
	const uint64_t *t = arena_ptr(&f->arena, phys);

	walked.tables++;
	for (unsigned i = 0; i < ENTRIES; i++) {
		uint64_t e = t[i], va = canonical(base + i * span_of(level));

		if (!raw_valid(f->b.arch, e))
			continue;
		if (raw_is_table(f->b.arch, e, level)) {
			walk_table(f, raw_addr(f->b.arch, e), level + 1, va);
			continue;
		}
		if (level == 0) {
			walked.top_level_leaves++;
			continue;
		}
		assert_true(walked.count < MAX_LEAVES);
		walked.leaves[walked.count++] = (struct leaf){ va, e, span_of(level), level };
	}
}

static void walk_all(struct fixture *f)
{
	memset(&walked, 0, sizeof(walked));
	walk_table(f, f->b.root, 0, 0);
	assert_int_equal(walked.top_level_leaves, 0);
}

/* ------------------------------------------------------------ expected mappings */

struct mapping {
	uint64_t va, pa, size;
	unsigned flags;
	uint64_t largest;
};

struct plan {
	struct mapping m[MAX_MAPPINGS];
	unsigned count;
};

static struct plan expected;

/* Maps and records what was mapped, for the checks below. */
static void map_ok(struct fixture *f, uint64_t va, uint64_t pa, uint64_t size, unsigned flags,
		   uint64_t largest)
{
	assert_int_equal(pt_map(&f->b, va, pa, size, flags, largest), PT_OK);
	assert_true(expected.count < MAX_MAPPINGS);
	expected.m[expected.count++] = (struct mapping){ va, pa, size, flags, largest };
}

/* The page size the contract promises at `va`: the largest page allowed by
 * the limit, the alignment of va and pa, and what is left to map. */
static uint64_t expected_page(const struct mapping *m, uint64_t va)
{
	static const uint64_t sizes[] = { PAGE_1G, PAGE_2M, PAGE_4K };
	uint64_t pa = m->pa + (va - m->va), left = m->va + m->size - va;

	for (unsigned i = 0; i < 3; i++) {
		uint64_t s = sizes[i];
		if (s <= m->largest && va % s == 0 && pa % s == 0 && left >= s)
			return s;
	}
	return PAGE_4K;
}

/* The flags pt_translate should report: x86 without NX cannot say no-exec. */
static unsigned visible_flags(const struct fixture *f, unsigned flags)
{
	if (f->b.arch == PT_ARCH_X86_64 && !f->b.nx)
		return flags | PT_EXEC;
	return flags;
}

/* The same tables walked as the kernel walks them: through a fixed
 * offset (the arena is one linear block), never through table_ptr. */
static struct pagetable linear_twin(const struct fixture *f)
{
	struct pagetable lin = f->b;

	lin.table_ptr = NULL;
	lin.tables_linear = true;
	lin.tables_offset = (uint64_t)(uintptr_t)f->arena.pages - ARENA_PHYS_BASE;
	return lin;
}

/* pt_user_page answers for 4 KiB user pages, with the write check, and
 * for nothing else. */
static void check_user_page(const struct pagetable *pt, uint64_t va, uint64_t pa, unsigned flags,
			    uint64_t size)
{
	bool user_4k = (flags & PT_USER) && size == PAGE_4K;

	for (int write = 0; write < 2; write++) {
		uint64_t frame = 0;
		bool want = user_4k && (!write || (flags & PT_WRITE));
		assert_int_equal(pt_user_page(pt, va, write, &frame), want);
		if (want)
			assert_true(frame == (pa & ~(PAGE_4K - 1)));
	}
}

/* Translates every page of every expected mapping (first and last byte),
 * through table_ptr and through the linear offset. */
static void check_translations(struct fixture *f)
{
	const struct pagetable lin = linear_twin(f);

	for (unsigned i = 0; i < expected.count; i++) {
		const struct mapping *m = &expected.m[i];
		for (uint64_t off = 0; off < m->size;) {
			uint64_t va = m->va + off, page = expected_page(m, va);
			uint64_t probes[2] = { va, va + page - 1 };
			for (unsigned p = 0; p < 2; p++) {
				uint64_t pa = 0, size = 0;
				unsigned flags = ~0u;
				assert_true(pt_translate(&f->b, probes[p], &pa, &flags, &size));
				assert_true(pa == m->pa + (probes[p] - m->va));
				assert_int_equal(flags, visible_flags(f, m->flags));
				assert_true(size == page);
				uint64_t lin_pa = 0, lin_size = 0;
				unsigned lin_flags = ~0u;
				assert_true(pt_translate(&lin, probes[p], &lin_pa, &lin_flags,
							 &lin_size));
				assert_true(lin_pa == pa && lin_flags == flags && lin_size == size);
				check_user_page(&lin, probes[p], pa, flags, size);
			}
			off += page;
		}
	}
}

/* The whole tree holds exactly the expected leaves. */
static void check_tree(struct fixture *f)
{
	uint64_t expected_bytes = 0, walked_bytes = 0;

	walk_all(f);
	for (unsigned i = 0; i < expected.count; i++)
		expected_bytes += expected.m[i].size;
	for (unsigned l = 0; l < walked.count; l++) {
		const struct leaf *leaf = &walked.leaves[l];
		const struct mapping *owner = NULL;

		for (unsigned i = 0; i < expected.count; i++) {
			const struct mapping *m = &expected.m[i];
			if (leaf->va >= m->va && leaf->va - m->va < m->size)
				owner = m;
		}
		if (!owner)
			print_message("unexpected leaf at %#llx\n", (unsigned long long)leaf->va);
		assert_non_null(owner);
		assert_true(leaf->size == expected_page(owner, leaf->va));
		assert_true(raw_addr(f->b.arch, leaf->raw) == owner->pa + (leaf->va - owner->va));
		walked_bytes += leaf->size;
	}
	assert_true(walked_bytes == expected_bytes);
}

/* Architectural bits of every leaf and table entry. */
static void check_encoding(struct fixture *f)
{
	walk_all(f);
	for (unsigned l = 0; l < walked.count; l++) {
		const struct leaf *leaf = &walked.leaves[l];
		const struct mapping *owner = NULL;

		for (unsigned i = 0; i < expected.count; i++) {
			if (leaf->va >= expected.m[i].va && leaf->va - expected.m[i].va < expected.m[i].size)
				owner = &expected.m[i];
		}
		assert_non_null(owner);
		bool write = owner->flags & PT_WRITE, exec = owner->flags & PT_EXEC;
		uint64_t e = leaf->raw;

		if (f->b.arch == PT_ARCH_X86_64) {
			assert_true(e & X86_P);
			assert_false(e & X86_US);
			assert_int_equal(!!(e & X86_RW), write);
			assert_int_equal(!!(e & X86_PS), leaf->level < LEVELS - 1);
			assert_int_equal(!!(e & X86_NX), !exec && f->b.nx);
		} else {
			assert_true(e & A64_VALID);
			/* Page descriptors at level 3, block descriptors above. */
			assert_int_equal(!!(e & A64_TYPE), leaf->level == LEVELS - 1);
			assert_true(e & A64_AF);
			assert_true((e & A64_SH_MASK) == A64_SH_INNER);
			assert_false(e & A64_AP1_EL0);
			assert_int_equal(!!(e & A64_AP2_RO), !write);
			assert_int_equal(!!(e & A64_PXN), !exec);
			assert_true(e & A64_UXN);
		}
	}
}

/* Table entries: present/valid, table type, no permission restrictions. */
static void check_table_entries(struct fixture *f, uint64_t phys, int level)
{
	const uint64_t *t = arena_ptr(&f->arena, phys);

	for (unsigned i = 0; i < ENTRIES; i++) {
		uint64_t e = t[i];
		if (!raw_valid(f->b.arch, e) || !raw_is_table(f->b.arch, e, level))
			continue;
		if (f->b.arch == PT_ARCH_X86_64) {
			assert_true((e & (X86_P | X86_RW)) == (X86_P | X86_RW));
			assert_false(e & X86_NX);
			assert_false(e & X86_US);
		} else {
			assert_true((e & (A64_VALID | A64_TYPE)) == (A64_VALID | A64_TYPE));
		}
		check_table_entries(f, raw_addr(f->b.arch, e), level + 1);
	}
}

static void check_everything(struct fixture *f)
{
	check_translations(f);
	check_tree(f);
	check_encoding(f);
	check_table_entries(f, f->b.root, 0);
}

static unsigned count_page_sizes(uint64_t size)
{
	unsigned n = 0;

	for (unsigned l = 0; l < walked.count; l++)
		n += walked.leaves[l].size == size;
	return n;
}

/* The kernel-like segments used by several tests. */
#define TEXT_SIZE 0x3000ULL
#define RODATA_SIZE 0x2000ULL
#define DATA_SIZE 0x5000ULL

static void map_kernel(struct fixture *f)
{
	uint64_t va = KERNEL_VBASE, pa = KERNEL_PBASE;

	map_ok(f, va, pa, TEXT_SIZE, RX, PAGE_4K);
	map_ok(f, va + TEXT_SIZE, pa + TEXT_SIZE, RODATA_SIZE, RO, PAGE_4K);
	map_ok(f, va + TEXT_SIZE + RODATA_SIZE, pa + TEXT_SIZE + RODATA_SIZE, DATA_SIZE, RW, PAGE_4K);
}

static struct fixture *begin(void **state)
{
	memset(&expected, 0, sizeof(expected));
	return *state;
}

/* ------------------------------------------------------------ tests */

static void kernel_segments_map_with_4k_pages(void **state)
{
	struct fixture *f = begin(state);

	map_kernel(f);
	check_everything(f);
	assert_int_equal(walked.count, (TEXT_SIZE + RODATA_SIZE + DATA_SIZE) / PAGE_4K);
	/* Root, one table per level below it. */
	assert_int_equal(walked.tables, LEVELS);
}

static void hhdm_uses_1g_and_2m_pages(void **state)
{
	struct fixture *f = begin(state);

	/* From 2 MiB up to 3 GiB: 2 MiB pages to the first 1 GiB boundary,
	 * then 1 GiB pages. */
	map_ok(f, HHDM_BASE + PAGE_2M, PAGE_2M, 3 * PAGE_1G - PAGE_2M, RW, PAGE_1G);
	check_everything(f);
	assert_int_equal(count_page_sizes(PAGE_2M), PAGE_1G / PAGE_2M - 1);
	assert_int_equal(count_page_sizes(PAGE_1G), 2);
	assert_int_equal(count_page_sizes(PAGE_4K), 0);
}

static void kernel_and_hhdm_coexist(void **state)
{
	struct fixture *f = begin(state);

	map_kernel(f);
	map_ok(f, HHDM_BASE, 0, 4 * PAGE_1G, RW, PAGE_1G);
	map_ok(f, HHDM_BASE + 4 * PAGE_1G, 4 * PAGE_1G, 6 * PAGE_2M + 3 * PAGE_4K, RW, PAGE_1G);
	check_everything(f);
	assert_int_equal(count_page_sizes(PAGE_1G), 4);
	assert_int_equal(count_page_sizes(PAGE_2M), 6);
}

static void aligned_range_gets_2m_pages(void **state)
{
	struct fixture *f = begin(state);

	/* 2 MiB-aligned, not 1 GiB-aligned: 2 MiB pages, then a 4 KiB tail. */
	map_ok(f, KERNEL_VBASE + PAGE_2M, 4 * PAGE_2M, 2 * PAGE_2M + 2 * PAGE_4K, RX, PAGE_1G);
	check_everything(f);
	assert_int_equal(count_page_sizes(PAGE_2M), 2);
	assert_int_equal(count_page_sizes(PAGE_4K), 2);
}

static void unaligned_start_uses_4k_until_aligned(void **state)
{
	struct fixture *f = begin(state);

	/* Starts one page below a 2 MiB boundary. */
	map_ok(f, KERNEL_VBASE + PAGE_2M - PAGE_4K, PAGE_2M - PAGE_4K, PAGE_4K + PAGE_2M, RW,
	       PAGE_2M);
	check_everything(f);
	assert_int_equal(count_page_sizes(PAGE_4K), 1);
	assert_int_equal(count_page_sizes(PAGE_2M), 1);
}

static void largest_page_limits_page_size(void **state)
{
	struct fixture *f = begin(state);

	map_ok(f, HHDM_BASE, 0, 2 * PAGE_2M, RW, PAGE_4K);
	map_ok(f, HHDM_BASE + PAGE_1G, PAGE_1G, PAGE_1G, RW, PAGE_2M);
	check_everything(f);
	assert_int_equal(count_page_sizes(PAGE_4K), 2 * PAGE_2M / PAGE_4K);
	assert_int_equal(count_page_sizes(PAGE_2M), PAGE_1G / PAGE_2M);
	assert_int_equal(count_page_sizes(PAGE_1G), 0);
}

static void physical_misalignment_prevents_large_pages(void **state)
{
	struct fixture *f = begin(state);

	/* va is 1 GiB-aligned, pa only 4 KiB-aligned. */
	map_ok(f, HHDM_BASE, PAGE_4K, PAGE_2M, RW, PAGE_1G);
	check_everything(f);
	assert_int_equal(count_page_sizes(PAGE_4K), PAGE_2M / PAGE_4K);
}

static void empty_range_maps_nothing(void **state)
{
	struct fixture *f = begin(state);

	assert_int_equal(pt_map(&f->b, KERNEL_VBASE, KERNEL_PBASE, 0, RW, PAGE_1G), PT_OK);
	walk_all(f);
	assert_int_equal(walked.count, 0);
}

static void unmapped_addresses_do_not_translate(void **state)
{
	struct fixture *f = begin(state);
	static const uint64_t holes[] = {
		0,
		KERNEL_VBASE - 1,
		KERNEL_VBASE + TEXT_SIZE + RODATA_SIZE + DATA_SIZE,
		KERNEL_VBASE + PAGE_2M,
		HHDM_BASE + PAGE_1G,
		HHDM_BASE - PAGE_4K,
		0x00007ffffffff000ULL,
		0xfffffffffffff000ULL,
	};
	uint64_t pa = 0, size = 0;
	unsigned flags = 0;

	map_kernel(f);
	map_ok(f, HHDM_BASE, 0, PAGE_1G, RW, PAGE_1G);
	const struct pagetable lin = linear_twin(f);
	for (size_t i = 0; i < sizeof(holes) / sizeof(holes[0]); i++) {
		assert_false(pt_translate(&f->b, holes[i], &pa, &flags, &size));
		assert_false(pt_user_page(&lin, holes[i], false, &pa));
	}
}

static void mapping_over_a_mapping_fails(void **state)
{
	struct fixture *f = begin(state);

	map_kernel(f);
	/* The same range, one page of it, and a range straddling its end. */
	assert_int_not_equal(pt_map(&f->b, KERNEL_VBASE, KERNEL_PBASE, TEXT_SIZE, RX, PAGE_4K), PT_OK);
	assert_int_not_equal(pt_map(&f->b, KERNEL_VBASE + PAGE_4K, 0x900000, PAGE_4K, RW, PAGE_4K), PT_OK);
	check_everything(f);
}

static void small_page_inside_large_page_fails(void **state)
{
	struct fixture *f = begin(state);

	map_ok(f, HHDM_BASE, 0, PAGE_1G, RW, PAGE_1G);
	map_ok(f, HHDM_BASE + PAGE_1G, PAGE_1G, PAGE_2M, RW, PAGE_2M);
	assert_int_not_equal(pt_map(&f->b, HHDM_BASE + PAGE_2M, PAGE_2M, PAGE_4K, RW, PAGE_4K), PT_OK);
	assert_int_not_equal(pt_map(&f->b, HHDM_BASE + PAGE_2M, PAGE_2M, PAGE_2M, RW, PAGE_2M), PT_OK);
	assert_int_not_equal(pt_map(&f->b, HHDM_BASE + PAGE_1G + PAGE_4K, 0, PAGE_4K, RW, PAGE_4K), PT_OK);
	check_everything(f);
}

static void large_page_over_small_pages_fails(void **state)
{
	struct fixture *f = begin(state);

	map_ok(f, HHDM_BASE + PAGE_2M, PAGE_2M, PAGE_4K, RW, PAGE_4K);
	assert_int_not_equal(pt_map(&f->b, HHDM_BASE, 0, PAGE_1G, RW, PAGE_2M), PT_OK);
	/* The partial work before the conflict stays (pt_map is not atomic);
	 * the original page must still be intact. */
	uint64_t pa = 0, size = 0;
	unsigned flags = 0;
	assert_true(pt_translate(&f->b, HHDM_BASE + PAGE_2M, &pa, &flags, &size));
	assert_true(pa == PAGE_2M && size == PAGE_4K);
	assert_int_not_equal(pt_map(&f->b, HHDM_BASE + PAGE_2M, PAGE_2M, PAGE_1G, RW, PAGE_1G), PT_OK);
}

static void misaligned_arguments_fail(void **state)
{
	struct fixture *f = begin(state);
	static const uint64_t bad[] = { 1, 0x800, PAGE_4K - 1 };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_not_equal(pt_map(&f->b, KERNEL_VBASE + bad[i], KERNEL_PBASE, PAGE_4K, RW, PAGE_4K), PT_OK);
		assert_int_not_equal(pt_map(&f->b, KERNEL_VBASE, KERNEL_PBASE + bad[i], PAGE_4K, RW, PAGE_4K), PT_OK);
		assert_int_not_equal(pt_map(&f->b, KERNEL_VBASE, KERNEL_PBASE, PAGE_4K + bad[i], RW, PAGE_4K), PT_OK);
	}
	walk_all(f);
	assert_int_equal(walked.count, 0);
	assert_int_equal(f->arena.used, 1); /* nothing allocated beyond the root */
}

static void out_of_memory_fails_cleanly(void **state)
{
	struct fixture *f = begin(state);

	/* The root exists; allow one more table where three are needed. */
	f->arena.limit = f->arena.used + 1;
	assert_int_not_equal(pt_map(&f->b, KERNEL_VBASE, KERNEL_PBASE, PAGE_4K, RW, PAGE_4K), PT_OK);
	/* Nothing half-built is reachable: no leaves, no table entry to 0. */
	walk_all(f);
	assert_int_equal(walked.count, 0);
	uint64_t pa, size;
	unsigned flags;
	assert_false(pt_translate(&f->b, KERNEL_VBASE, &pa, &flags, &size));
	/* With memory back, the same mapping succeeds and reuses the table. */
	f->arena.limit = NO_LIMIT;
	map_ok(f, KERNEL_VBASE, KERNEL_PBASE, PAGE_4K, RW, PAGE_4K);
	check_everything(f);
	assert_int_equal(walked.tables, LEVELS);
}

static void out_of_memory_on_create_fails(void **state)
{
	struct fixture *f = begin(state);
	struct pagetable b = f->b;

	f->arena.limit = f->arena.used;
	assert_int_equal(pt_create(&b), PT_ENOMEM);
	assert_true(b.root == 0);
}

static void x86_without_nx_sets_no_nx_bits(void **state)
{
	struct fixture *f = begin(state);

	f->b.nx = false;
	map_kernel(f);
	map_ok(f, HHDM_BASE, 0, PAGE_1G + PAGE_2M, RW, PAGE_1G);
	check_everything(f);
	for (unsigned l = 0; l < walked.count; l++)
		assert_false(walked.leaves[l].raw & X86_NX);
}

static void aarch64_always_sets_pxn(void **state)
{
	struct fixture *f = begin(state);

	/* The nx field is an x86 CPU feature; AArch64 always has PXN. */
	f->b.nx = false;
	map_kernel(f);
	f->b.nx = true; /* what check_encoding() should expect */
	check_everything(f);
}

static void write_xor_execute_is_encoded(void **state)
{
	struct fixture *f = begin(state);

	/* Every flag combination at every page size. */
	static const unsigned combos[] = { RO, RW, RX, RW | RX };
	for (unsigned i = 0; i < 4; i++) {
		uint64_t slot = HHDM_BASE + (uint64_t)i * 2 * PAGE_1G;
		map_ok(f, slot, 0, PAGE_1G, combos[i], PAGE_1G);
		map_ok(f, slot + PAGE_1G, 0, PAGE_2M, combos[i], PAGE_2M);
		map_ok(f, slot + PAGE_1G + PAGE_2M, 0, PAGE_4K, combos[i], PAGE_4K);
	}
	check_everything(f);
	assert_int_equal(count_page_sizes(PAGE_1G), 4);
	assert_int_equal(count_page_sizes(PAGE_2M), 4);
	assert_int_equal(count_page_sizes(PAGE_4K), 4);
}

static void lower_half_addresses_work(void **state)
{
	struct fixture *f = begin(state);

	map_ok(f, 0x1000, 0x1000, PAGE_2M, RX, PAGE_2M);
	map_ok(f, 0x00007fffffe00000ULL, 0x40000000, PAGE_2M, RO, PAGE_2M);
	check_everything(f);
}


/* ------------------------------------------------------------ user mappings and editing */

#define USER_CODE 0x400000ULL
#define USER_STACK 0x7ff000ULL
#define USER_PHYS 0x5000000ULL

static unsigned translated_flags(struct fixture *f, uint64_t va)
{
	uint64_t pa, size;
	unsigned flags = 0;

	assert_true(pt_translate(&f->b, va, &pa, &flags, &size));
	return flags;
}

static bool is_mapped(struct fixture *f, uint64_t va)
{
	uint64_t pa, size;
	unsigned flags;

	return pt_translate(&f->b, va, &pa, &flags, &size);
}

/* The raw leaf for a 4 KiB mapping and the table entries above it. */
static uint64_t raw_walk(struct fixture *f, uint64_t va, uint64_t above[3])
{
	uint64_t *table = arena_ptr(&f->arena, f->b.root);

	for (int level = 0; level < 3; level++) {
		unsigned idx = (va >> (39 - 9 * level)) & (ENTRIES - 1);
		above[level] = table[idx];
		table = arena_ptr(&f->arena, table[idx] & X86_ADDR);
	}
	return table[(va >> 12) & (ENTRIES - 1)];
}

static void user_pages_carry_user_permissions(void **state)
{
	struct fixture *f = begin(state);
	uint64_t above[3];

	assert_int_equal(pt_map(&f->b, USER_CODE, USER_PHYS, PAGE_4K, PT_USER | RX, PAGE_4K), PT_OK);
	assert_int_equal(pt_map(&f->b, USER_STACK, USER_PHYS + PAGE_4K, PAGE_4K, PT_USER | RW,
				PAGE_4K), PT_OK);
	assert_int_equal(translated_flags(f, USER_CODE), PT_USER | RX);
	assert_int_equal(translated_flags(f, USER_STACK), PT_USER | RW);

	uint64_t code = raw_walk(f, USER_CODE, above), stack = raw_walk(f, USER_STACK, above);
	if (f->b.arch == PT_ARCH_X86_64) {
		for (int level = 0; level < 3; level++)
			assert_true(above[level] & X86_US); /* U/S is ANDed along the walk */
		assert_true((code & X86_US) && !(code & X86_RW) && !(code & X86_NX));
		assert_true((stack & X86_US) && (stack & X86_RW) && (stack & X86_NX));
	} else {
		/* EL0 access, EL1 may never execute user pages, user pages are
		 * per-address-space (nG). */
		assert_true((code & A64_AP1_EL0) && (code & A64_AP2_RO) && (code & A64_PXN));
		assert_false(code & A64_UXN);
		assert_true((stack & A64_AP1_EL0) && !(stack & A64_AP2_RO) && (stack & A64_UXN));
		assert_true((code & (1ULL << 11)) && (stack & (1ULL << 11)));
	}
}

/* Device memory: uncached (x86_64 PCD|PWT, PAT entry 3; AArch64 the
 * device MAIR slot, not inner shareable normal memory), never executable
 * even when asked, and reported back as device memory. */
static void device_pages_are_uncached_and_never_executable(void **state)
{
	struct fixture *f = begin(state);
	uint64_t above[3];

	assert_int_equal(pt_map(&f->b, USER_CODE, 0xfeb80000, PAGE_4K, PT_USER | RW | PT_DEVICE,
				PAGE_4K), PT_OK);
	assert_int_equal(pt_map(&f->b, USER_STACK, 0xfeb81000, PAGE_4K, PT_USER | PT_DEVICE | PT_EXEC,
				PAGE_4K), PT_OK);
	assert_int_equal(translated_flags(f, USER_CODE), PT_USER | RW | PT_DEVICE);
	assert_int_equal(translated_flags(f, USER_STACK), PT_USER | PT_DEVICE);
	uint64_t dev = raw_walk(f, USER_CODE, above), asked_exec = raw_walk(f, USER_STACK, above);
	if (f->b.arch == PT_ARCH_X86_64) {
		assert_int_equal(dev & 0x98, 0x18); /* PCD and PWT set, PAT (bit 7) clear */
		assert_true((dev & X86_NX) && (asked_exec & X86_NX));
	} else {
		assert_int_equal((dev >> 2) & 7, PT_A64_MAIR_DEVICE);
		assert_true((dev & A64_UXN) && (dev & A64_PXN) && (asked_exec & A64_UXN));
	}
	/* Ordinary user memory stays ordinary. */
	assert_int_equal(pt_map(&f->b, USER_CODE + PAGE_4K, USER_PHYS, PAGE_4K, PT_USER | RW, PAGE_4K),
			 PT_OK);
	uint64_t normal = raw_walk(f, USER_CODE + PAGE_4K, above);
	assert_false(translated_flags(f, USER_CODE + PAGE_4K) & PT_DEVICE);
	if (f->b.arch == PT_ARCH_X86_64)
		assert_int_equal(normal & 0x98, 0);
	else
		assert_int_equal((normal >> 2) & 7, 0);
}

static void kernel_pages_are_not_user_accessible(void **state)
{
	struct fixture *f = begin(state);
	uint64_t above[3];

	assert_int_equal(pt_map(&f->b, KERNEL_VBASE, KERNEL_PBASE, PAGE_4K, RX, PAGE_4K), PT_OK);
	uint64_t leaf = raw_walk(f, KERNEL_VBASE, above);
	assert_false(translated_flags(f, KERNEL_VBASE) & PT_USER);
	if (f->b.arch == PT_ARCH_X86_64)
		assert_false(leaf & X86_US);
	else
		assert_true(!(leaf & A64_AP1_EL0) && (leaf & A64_UXN));
}

static void write_and_execute_together_is_refused(void **state)
{
	struct fixture *f = begin(state);

	f->b.enforce_wx = true;
	assert_int_equal(pt_map(&f->b, USER_CODE, USER_PHYS, PAGE_4K, PT_USER | RW | RX, PAGE_4K),
			 PT_EWX);
	assert_false(is_mapped(f, USER_CODE));
	assert_int_equal(pt_map(&f->b, USER_CODE, USER_PHYS, PAGE_4K, PT_USER | RW, PAGE_4K), PT_OK);
	assert_int_equal(pt_protect(&f->b, USER_CODE, PAGE_4K, PT_USER | RW | RX), PT_EWX);
	assert_int_equal(translated_flags(f, USER_CODE), PT_USER | RW);
}

static void unmap_removes_exactly_the_range(void **state)
{
	struct fixture *f = begin(state);

	assert_int_equal(pt_map(&f->b, USER_CODE, USER_PHYS, 3 * PAGE_4K, PT_USER, PAGE_4K), PT_OK);
	assert_int_equal(pt_unmap(&f->b, USER_CODE + PAGE_4K, PAGE_4K), PT_OK);
	assert_true(is_mapped(f, USER_CODE));
	assert_false(is_mapped(f, USER_CODE + PAGE_4K));
	assert_true(is_mapped(f, USER_CODE + 2 * PAGE_4K));
}

static void unmap_is_all_or_nothing(void **state)
{
	struct fixture *f = begin(state);

	assert_int_equal(pt_map(&f->b, USER_CODE, USER_PHYS, PAGE_4K, PT_USER, PAGE_4K), PT_OK);
	/* The second page was never mapped: nothing may change. */
	assert_int_equal(pt_unmap(&f->b, USER_CODE, 2 * PAGE_4K), PT_ENOENT);
	assert_true(is_mapped(f, USER_CODE));
	assert_int_equal(pt_unmap(&f->b, USER_CODE + 1, PAGE_4K), PT_EINVAL);
	assert_int_equal(pt_unmap(&f->b, 0x10000000ULL, PAGE_4K), PT_ENOENT);
}

static void unmap_refuses_to_split_a_large_page(void **state)
{
	struct fixture *f = begin(state);

	assert_int_equal(pt_map(&f->b, HHDM_BASE, 0, PAGE_2M, RW, PAGE_2M), PT_OK);
	assert_int_equal(pt_unmap(&f->b, HHDM_BASE + PAGE_4K, PAGE_4K), PT_EINVAL);
	assert_int_equal(pt_protect(&f->b, HHDM_BASE, PAGE_4K, RO), PT_EINVAL);
	assert_true(is_mapped(f, HHDM_BASE + PAGE_4K));
}

static void protect_changes_flags_and_keeps_the_frame(void **state)
{
	struct fixture *f = begin(state);
	uint64_t pa, size;
	unsigned flags;

	assert_int_equal(pt_map(&f->b, USER_STACK, USER_PHYS, PAGE_4K, PT_USER | RW, PAGE_4K), PT_OK);
	assert_int_equal(pt_protect(&f->b, USER_STACK, PAGE_4K, PT_USER), PT_OK);
	assert_true(pt_translate(&f->b, USER_STACK + 0x123, &pa, &flags, &size));
	assert_int_equal(pa, USER_PHYS + 0x123);
	assert_int_equal(flags, PT_USER);
}

static void wrapping_ranges_are_refused(void **state)
{
	struct fixture *f = begin(state);

	assert_int_equal(pt_map(&f->b, 0xfffffffffffff000ULL, 0, 2 * PAGE_4K, RW, PAGE_4K), PT_EINVAL);
	assert_int_equal(pt_map(&f->b, USER_CODE, 0xfffffffffffff000ULL, 2 * PAGE_4K, RW, PAGE_4K),
			 PT_EINVAL);
}

struct destroy_log {
	unsigned leaves;
	unsigned tables_freed;
	unsigned shared;
	uint64_t leaf_pa_sum;
};

static struct destroy_log destroy_log;

static void count_leaf(void *ctx, uint64_t va, uint64_t pa, unsigned flags)
{
	(void)ctx;
	assert_true(va < 0x0000800000000000ULL);
	destroy_log.shared += (flags & PT_SHARED) != 0;
	destroy_log.leaves++;
	destroy_log.leaf_pa_sum += pa;
}

static void count_free(void *ctx, uint64_t phys)
{
	(void)ctx;
	(void)phys;
	destroy_log.tables_freed++;
}

static void destroy_user_frees_the_lower_half_only(void **state)
{
	struct fixture *f = begin(state);

	f->b.free_table = count_free;
	assert_int_equal(pt_map(&f->b, USER_CODE, USER_PHYS, PAGE_4K, PT_USER | RX, PAGE_4K), PT_OK);
	assert_int_equal(pt_map(&f->b, USER_STACK, USER_PHYS + PAGE_4K, PAGE_4K, PT_USER | RW,
				PAGE_4K), PT_OK);
	/* A shared frame (a channel's): reported as such, so it is left alone. */
	assert_int_equal(pt_map(&f->b, 0x40000000000ULL, USER_PHYS + 2 * PAGE_4K, PAGE_4K,
				PT_USER | RW | PT_SHARED, PAGE_4K), PT_OK);
	assert_int_equal(pt_map(&f->b, KERNEL_VBASE, KERNEL_PBASE, PAGE_4K, RX, PAGE_4K), PT_OK);
	unsigned tables_before = f->arena.used;
	uint64_t pa, size;
	unsigned flags;
	assert_true(pt_translate(&f->b, 0x40000000000ULL, &pa, &flags, &size));
	assert_int_equal(pa, USER_PHYS + 2 * PAGE_4K); /* the bit is not part of the address */
	assert_int_equal(flags, PT_USER | PT_WRITE | PT_SHARED);
	assert_true(pt_translate(&f->b, USER_STACK, &pa, &flags, &size));
	assert_int_equal(flags & PT_SHARED, 0);

	destroy_log = (struct destroy_log){ 0 };
	pt_destroy_user(&f->b, count_leaf);
	assert_int_equal(destroy_log.leaves, 3);
	assert_int_equal(destroy_log.shared, 1);
	assert_int_equal(destroy_log.leaf_pa_sum, 3 * USER_PHYS + 3 * PAGE_4K);
	/* User tables: for 0x400000 and 0x7ff000 one L1 and one L2 table
	 * and an L3 table each (they sit in different 2 MiB slots); for
	 * 0x40000000000 (another L0 entry) an L1, L2, L3 chain. The kernel's
	 * chain (3 tables) and the root stay. */
	assert_int_equal(destroy_log.tables_freed, 4 + 3);
	assert_int_equal(tables_before, 1 + 7 + 3);
	assert_false(is_mapped(f, USER_CODE));
	assert_false(is_mapped(f, USER_STACK));
	assert_true(is_mapped(f, KERNEL_VBASE));
}

#define BOTH(fn)                                                                  \
	{ #fn " (x86_64)", fn, setup, teardown, (void *)&arch_x86 },              \
	{ #fn " (aarch64)", fn, setup, teardown, (void *)&arch_a64 }

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(kernel_segments_map_with_4k_pages),
		BOTH(hhdm_uses_1g_and_2m_pages),
		BOTH(kernel_and_hhdm_coexist),
		BOTH(aligned_range_gets_2m_pages),
		BOTH(unaligned_start_uses_4k_until_aligned),
		BOTH(largest_page_limits_page_size),
		BOTH(physical_misalignment_prevents_large_pages),
		BOTH(empty_range_maps_nothing),
		BOTH(unmapped_addresses_do_not_translate),
		BOTH(mapping_over_a_mapping_fails),
		BOTH(small_page_inside_large_page_fails),
		BOTH(large_page_over_small_pages_fails),
		BOTH(misaligned_arguments_fail),
		BOTH(out_of_memory_fails_cleanly),
		BOTH(out_of_memory_on_create_fails),
		{ "x86_without_nx_sets_no_nx_bits", x86_without_nx_sets_no_nx_bits, setup, teardown,
		  (void *)&arch_x86 },
		{ "aarch64_always_sets_pxn", aarch64_always_sets_pxn, setup, teardown,
		  (void *)&arch_a64 },
		BOTH(write_xor_execute_is_encoded),
		BOTH(lower_half_addresses_work),
		BOTH(user_pages_carry_user_permissions),
		BOTH(device_pages_are_uncached_and_never_executable),
		BOTH(kernel_pages_are_not_user_accessible),
		BOTH(write_and_execute_together_is_refused),
		BOTH(unmap_removes_exactly_the_range),
		BOTH(unmap_is_all_or_nothing),
		BOTH(unmap_refuses_to_split_a_large_page),
		BOTH(protect_changes_flags_and_keeps_the_frame),
		BOTH(wrapping_ranges_are_refused),
		BOTH(destroy_user_frees_the_lower_half_only),
	};

	return cmocka_run_group_tests_name("pagetable", tests, NULL, NULL);
}
