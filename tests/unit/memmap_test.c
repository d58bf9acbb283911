/*
 * memmap_test: building the Limine memory map from the firmware's
 * (boot/memmap.c).
 *
 * Covers the EFI type mapping, overlays carving firmware ranges (split,
 * trims, exact cover, spanning several entries), sorting, page 0, page
 * alignment, merging rules, capacity, and a randomized comparison against a
 * shadow model that tracks the type of every small unit of a little
 * address space.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <efi.h>
#include <memmap.h>

#define PAGE 0x1000ULL
#define OUT_MAX 256
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define USABLE LIMINE_MEMMAP_USABLE
#define RESERVED LIMINE_MEMMAP_RESERVED
#define ACPI_RECLAIM LIMINE_MEMMAP_ACPI_RECLAIMABLE
#define ACPI_NVS LIMINE_MEMMAP_ACPI_NVS
#define BAD LIMINE_MEMMAP_BAD_MEMORY
#define RECLAIM LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE
#define KERNEL LIMINE_MEMMAP_KERNEL_AND_MODULES
#define FB LIMINE_MEMMAP_FRAMEBUFFER

static struct limine_memmap_entry out[OUT_MAX];
static size_t out_count;

static void build(const struct mm_range *fw, size_t fw_count, const struct mm_range *ov,
		  size_t ov_count)
{
	size_t cap = memmap_capacity_needed(fw_count, ov_count);

	assert_true(cap <= OUT_MAX);
	memset(out, 0, sizeof(out));
	out_count = memmap_build(fw, fw_count, ov, ov_count, out, cap);
}

/* The output must be exactly `want`. */
static void assert_map(const struct mm_range *want, size_t want_count)
{
	if (out_count != want_count) {
		for (size_t i = 0; i < out_count; i++)
			print_message("  got [%#llx, %#llx) type %llu\n",
				      (unsigned long long)out[i].base,
				      (unsigned long long)(out[i].base + out[i].length),
				      (unsigned long long)out[i].type);
	}
	assert_int_equal(out_count, want_count);
	for (size_t i = 0; i < want_count; i++) {
		assert_true(out[i].base == want[i].base);
		assert_true(out[i].length == want[i].length);
		assert_int_equal(out[i].type, want[i].type);
	}
}

/* ------------------------------------------------------------ EFI types */

static void every_efi_type_maps_to_a_limine_type(void **state)
{
	static const struct {
		uint32_t efi;
		uint64_t limine;
	} table[] = {
		{ EFI_RESERVED_MEMORY, RESERVED },
		{ EFI_LOADER_CODE, RECLAIM },
		{ EFI_LOADER_DATA, RECLAIM },
		{ EFI_BOOT_SERVICES_CODE, USABLE },
		{ EFI_BOOT_SERVICES_DATA, USABLE },
		{ EFI_RUNTIME_SERVICES_CODE, RESERVED },
		{ EFI_RUNTIME_SERVICES_DATA, RESERVED },
		{ EFI_CONVENTIONAL_MEMORY, USABLE },
		{ EFI_UNUSABLE_MEMORY, BAD },
		{ EFI_ACPI_RECLAIM_MEMORY, ACPI_RECLAIM },
		{ EFI_ACPI_MEMORY_NVS, ACPI_NVS },
		{ EFI_MEMORY_MAPPED_IO, RESERVED },
		{ EFI_MEMORY_MAPPED_IO_PORT_SPACE, RESERVED },
		{ EFI_PAL_CODE, RESERVED },
		{ EFI_PERSISTENT_MEMORY, RESERVED },
		{ EFI_UNACCEPTED_MEMORY, RESERVED },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(table); i++)
		assert_int_equal(memmap_type_from_efi(table[i].efi), table[i].limine);
}

static void unknown_efi_types_are_reserved(void **state)
{
	/* Past the defined types, OEM (0x70000000+) and OS (0x80000000+). */
	static const uint32_t unknown[] = { 16, 100, 0x70000000, 0x7fffffff, 0x80000000, UINT32_MAX };

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(unknown); i++)
		assert_int_equal(memmap_type_from_efi(unknown[i]), RESERVED);
}

/* ------------------------------------------------------------ overlays */

static void overlay_in_the_middle_splits_an_entry(void **state)
{
	const struct mm_range fw[] = { { 0x100000, 0x100000, USABLE } };
	const struct mm_range ov[] = { { 0x140000, 0x10000, KERNEL } };
	const struct mm_range want[] = {
		{ 0x100000, 0x40000, USABLE },
		{ 0x140000, 0x10000, KERNEL },
		{ 0x150000, 0xb0000, USABLE },
	};

	(void)state;
	build(fw, 1, ov, 1);
	assert_map(want, ARRAY_LEN(want));
}

static void overlay_trims_the_left_end(void **state)
{
	const struct mm_range fw[] = { { 0x100000, 0x100000, USABLE } };
	const struct mm_range ov[] = { { 0x100000, 0x3000, FB } };
	const struct mm_range want[] = {
		{ 0x100000, 0x3000, FB },
		{ 0x103000, 0xfd000, USABLE },
	};

	(void)state;
	build(fw, 1, ov, 1);
	assert_map(want, ARRAY_LEN(want));
}

static void overlay_trims_the_right_end(void **state)
{
	const struct mm_range fw[] = { { 0x100000, 0x100000, USABLE } };
	const struct mm_range ov[] = { { 0x1fe000, 0x2000, KERNEL } };
	const struct mm_range want[] = {
		{ 0x100000, 0xfe000, USABLE },
		{ 0x1fe000, 0x2000, KERNEL },
	};

	(void)state;
	build(fw, 1, ov, 1);
	assert_map(want, ARRAY_LEN(want));
}

static void overlay_covering_an_entry_exactly_replaces_it(void **state)
{
	const struct mm_range fw[] = {
		{ 0x1000, 0x1000, RESERVED },
		{ 0x2000, 0x4000, USABLE },
		{ 0x6000, 0x1000, ACPI_NVS },
	};
	const struct mm_range ov[] = { { 0x2000, 0x4000, KERNEL } };
	const struct mm_range want[] = {
		{ 0x1000, 0x1000, RESERVED },
		{ 0x2000, 0x4000, KERNEL },
		{ 0x6000, 0x1000, ACPI_NVS },
	};

	(void)state;
	build(fw, ARRAY_LEN(fw), ov, 1);
	assert_map(want, ARRAY_LEN(want));
}

static void overlay_spanning_several_entries_carves_them_all(void **state)
{
	const struct mm_range fw[] = {
		{ 0x10000, 0x10000, USABLE },
		{ 0x20000, 0x10000, RESERVED },
		{ 0x30000, 0x10000, ACPI_RECLAIM },
		{ 0x40000, 0x10000, USABLE },
	};
	const struct mm_range ov[] = { { 0x18000, 0x30000, FB } };
	const struct mm_range want[] = {
		{ 0x10000, 0x8000, USABLE },
		{ 0x18000, 0x30000, FB },
		{ 0x48000, 0x8000, USABLE },
	};

	(void)state;
	build(fw, ARRAY_LEN(fw), ov, 1);
	assert_map(want, ARRAY_LEN(want));
}

static void later_overlay_wins_over_earlier(void **state)
{
	const struct mm_range fw[] = { { 0x10000, 0x10000, USABLE } };
	const struct mm_range ov[] = {
		{ 0x10000, 0x8000, KERNEL },
		{ 0x14000, 0x2000, FB },
	};
	const struct mm_range want[] = {
		{ 0x10000, 0x4000, KERNEL },
		{ 0x14000, 0x2000, FB },
		{ 0x16000, 0x2000, KERNEL },
		{ 0x18000, 0x8000, USABLE },
	};

	(void)state;
	build(fw, 1, ov, ARRAY_LEN(ov));
	assert_map(want, ARRAY_LEN(want));
}

static void overlay_in_a_hole_is_added(void **state)
{
	const struct mm_range fw[] = { { 0x10000, 0x1000, USABLE } };
	const struct mm_range ov[] = { { 0xfd000000, 0x300000, FB } };
	const struct mm_range want[] = {
		{ 0x10000, 0x1000, USABLE },
		{ 0xfd000000, 0x300000, FB },
	};

	(void)state;
	build(fw, 1, ov, 1);
	assert_map(want, ARRAY_LEN(want));
}

/* ------------------------------------------------------------ shape */

static void output_is_sorted(void **state)
{
	const struct mm_range fw[] = {
		{ 0x90000, 0x1000, RESERVED },
		{ 0x10000, 0x1000, ACPI_NVS },
		{ 0x50000, 0x1000, BAD },
		{ 0x30000, 0x1000, ACPI_RECLAIM },
	};
	const struct mm_range ov[] = { { 0x20000, 0x1000, KERNEL } };
	const struct mm_range want[] = {
		{ 0x10000, 0x1000, ACPI_NVS },
		{ 0x20000, 0x1000, KERNEL },
		{ 0x30000, 0x1000, ACPI_RECLAIM },
		{ 0x50000, 0x1000, BAD },
		{ 0x90000, 0x1000, RESERVED },
	};

	(void)state;
	build(fw, ARRAY_LEN(fw), ov, 1);
	assert_map(want, ARRAY_LEN(want));
}

static void page_zero_is_never_usable(void **state)
{
	const struct mm_range fw[] = { { 0, 0xa0000, USABLE } };
	const struct mm_range only_page0[] = { { 0, PAGE, USABLE } };
	const struct mm_range ov[] = { { 0, PAGE, USABLE } };
	const struct mm_range want[] = { { PAGE, 0x9f000, USABLE } };

	(void)state;
	build(fw, 1, NULL, 0);
	assert_map(want, 1);
	build(only_page0, 1, NULL, 0);
	assert_map(NULL, 0);
	/* Not even when an overlay says so. */
	build(fw, 1, ov, 1);
	assert_map(want, 1);
}

static void page_zero_keeps_other_types(void **state)
{
	const struct mm_range fw[] = { { 0, PAGE, RESERVED }, { PAGE, PAGE, USABLE } };

	(void)state;
	build(fw, 2, NULL, 0);
	assert_map(fw, 2);
}

static void usable_is_shrunk_to_page_boundaries(void **state)
{
	const struct mm_range fw[] = { { 0x10000, 0x10000, USABLE } };
	/* Unaligned overlays: the usable remainder must not share their pages. */
	const struct mm_range ov[] = {
		{ 0x10000, 0x1800, KERNEL },
		{ 0x1e800, 0x100, FB },
	};
	const struct mm_range want[] = {
		{ 0x10000, 0x1800, KERNEL },
		{ 0x12000, 0xc000, USABLE },
		{ 0x1e800, 0x100, FB },
		{ 0x1f000, 0x1000, USABLE },
	};

	(void)state;
	build(fw, 1, ov, ARRAY_LEN(ov));
	assert_map(want, ARRAY_LEN(want));
}

static void usable_smaller_than_a_page_disappears(void **state)
{
	const struct mm_range fw[] = { { 0x10800, 0x800, USABLE }, { 0x20000, PAGE, RESERVED } };

	(void)state;
	build(fw, 2, NULL, 0);
	assert_map(&fw[1], 1);
}

/* The Limine protocol: "usable and bootloader reclaimable entries are
 * guaranteed to be 4096 byte aligned for both base and length". */
static void reclaimable_is_page_aligned(void **state)
{
	const struct mm_range fw[] = { { 0x10000, 0x10000, RECLAIM } };
	const struct mm_range ov[] = { { 0x14800, 0x1000, FB } };

	(void)state;
	build(fw, 1, ov, 1);
	assert_true(out_count > 0);
	for (size_t i = 0; i < out_count; i++) {
		if (out[i].type != RECLAIM)
			continue;
		if (out[i].base % PAGE || out[i].length % PAGE)
			print_message("reclaimable [%#llx, +%#llx) is not page-aligned\n",
				      (unsigned long long)out[i].base,
				      (unsigned long long)out[i].length);
		assert_int_equal(out[i].base % PAGE, 0);
		assert_int_equal(out[i].length % PAGE, 0);
	}
}

static void adjacent_usable_and_reclaimable_merge(void **state)
{
	const struct mm_range fw[] = {
		{ 0x1000, 0x1000, USABLE },
		{ 0x2000, 0x2000, USABLE },
		{ 0x4000, 0x1000, RECLAIM },
		{ 0x5000, 0x3000, RECLAIM },
		{ 0x8000, 0x1000, USABLE },
	};
	const struct mm_range want[] = {
		{ 0x1000, 0x3000, USABLE },
		{ 0x4000, 0x4000, RECLAIM },
		{ 0x8000, 0x1000, USABLE },
	};

	(void)state;
	build(fw, ARRAY_LEN(fw), NULL, 0);
	assert_map(want, ARRAY_LEN(want));
}

static void other_types_are_not_merged(void **state)
{
	const struct mm_range fw[] = {
		{ 0x1000, 0x1000, RESERVED },     { 0x2000, 0x1000, RESERVED },
		{ 0x3000, 0x1000, ACPI_RECLAIM }, { 0x4000, 0x1000, ACPI_RECLAIM },
		{ 0x5000, 0x1000, ACPI_NVS },     { 0x6000, 0x1000, ACPI_NVS },
		{ 0x7000, 0x1000, BAD },          { 0x8000, 0x1000, BAD },
	};
	const struct mm_range ov[] = {
		{ 0x10000, 0x1000, KERNEL }, { 0x11000, 0x1000, KERNEL },
		{ 0x12000, 0x1000, FB },     { 0x13000, 0x1000, FB },
	};
	const struct mm_range want[] = {
		fw[0], fw[1], fw[2], fw[3], fw[4], fw[5], fw[6], fw[7],
		ov[0], ov[1], ov[2], ov[3],
	};

	(void)state;
	build(fw, ARRAY_LEN(fw), ov, ARRAY_LEN(ov));
	assert_map(want, ARRAY_LEN(want));
}

static void non_adjacent_usable_is_not_merged(void **state)
{
	const struct mm_range fw[] = { { 0x1000, 0x1000, USABLE }, { 0x3000, 0x1000, USABLE } };

	(void)state;
	build(fw, 2, NULL, 0);
	assert_map(fw, 2);
}

/* ------------------------------------------------------------ capacity */

static void capacity_too_small_returns_zero(void **state)
{
	const struct mm_range fw[] = {
		{ 0x1000, 0x1000, RESERVED }, { 0x2000, 0x1000, ACPI_NVS }, { 0x3000, 0x1000, BAD },
	};
	const struct mm_range split_fw[] = { { 0x10000, 0x10000, USABLE } };
	const struct mm_range split_ov[] = { { 0x14000, 0x1000, KERNEL } };

	(void)state;
	assert_int_equal(memmap_build(fw, 3, NULL, 0, out, 2), 0);
	assert_int_equal(memmap_build(fw, 3, NULL, 0, out, 3), 3);
	/* The split needs room for three entries. */
	assert_int_equal(memmap_build(split_fw, 1, split_ov, 1, out, 2), 0);
	assert_int_equal(memmap_build(split_fw, 1, split_ov, 1, out, 3), 3);
	assert_int_equal(memmap_build(fw, 3, NULL, 0, out, 0), 0);
}

static void capacity_needed_covers_every_split(void **state)
{
	/* Each overlay splits one usable entry in two, and page 0 splits one. */
	struct mm_range fw[] = { { 0, 0x100000, USABLE } };
	struct mm_range ov[8];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(ov); i++)
		ov[i] = (struct mm_range){ 0x10000 + i * 0x4000, 0x1000, KERNEL + (i % 2) };
	size_t cap = memmap_capacity_needed(1, ARRAY_LEN(ov));
	assert_true(cap >= 1 + 2 * ARRAY_LEN(ov) + 1);
	assert_int_equal(memmap_build(fw, 1, ov, ARRAY_LEN(ov), out, cap),
			 2 * ARRAY_LEN(ov) + 1);
}

static void empty_input_gives_empty_map(void **state)
{
	(void)state;
	assert_int_equal(memmap_build(NULL, 0, NULL, 0, out, memmap_capacity_needed(0, 0)), 0);
}

/* ------------------------------------------------------------ randomized model */

#define MODEL_PAGES 64
#define FUZZ_ROUNDS 3000
#define FUZZ_SEED 0x9e3779b97f4a7c15ULL
#define HOLE (-1)
#define MAX_FW 64
#define MAX_OV 6
#define MAX_RUN_PAGES 8
#define MAX_OV_UNITS 48

static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

struct model {
	uint64_t unit;       /* bytes per shadow cell */
	unsigned units;      /* cells in the address space */
	int type[MODEL_PAGES * 16];
};

static void paint(struct model *m, uint64_t base, uint64_t length, int type)
{
	for (uint64_t u = base / m->unit; u < (base + length) / m->unit; u++)
		m->type[u] = type;
}

/* What the map should say: overlays painted over firmware, page 0 not
 * usable, each run of usable cells shrunk to whole pages. */
/* Usable and reclaimable runs shrink inward to whole pages. */
static void model_trim_runs(struct model *m, int type)
{
	uint64_t per_page = PAGE / m->unit;

	for (unsigned u = 0; u < m->units;) {
		if (m->type[u] != type) {
			u++;
			continue;
		}
		unsigned end = u;
		while (end < m->units && m->type[end] == type)
			end++;
		uint64_t lo = (u + per_page - 1) / per_page * per_page, hi = end / per_page * per_page;
		for (unsigned v = u; v < end; v++) {
			if (v < lo || v >= hi)
				m->type[v] = HOLE;
		}
		u = end;
	}
}

static void model_expect(struct model *m)
{
	uint64_t per_page = PAGE / m->unit;

	for (uint64_t u = 0; u < per_page; u++) {
		if (m->type[u] == USABLE)
			m->type[u] = HOLE;
	}
	model_trim_runs(m, USABLE);
	model_trim_runs(m, RECLAIM);
}

/* One random case; `unaligned` allows sub-page overlays (never usable or
 * reclaimable ones, which firmware-independent code never produces). */
static void run_model_case(bool unaligned)
{
	static struct model want, got;
	struct mm_range fw[MAX_FW], ov[MAX_OV];
	size_t fw_count = 0, ov_count = (size_t)(rng() % (MAX_OV + 1));
	static const uint64_t unaligned_types[] = { RESERVED, KERNEL, FB, BAD };

	memset(&want, 0, sizeof(want));
	want.unit = unaligned ? PAGE / 4 : PAGE;
	want.units = (unsigned)(MODEL_PAGES * PAGE / want.unit);
	for (unsigned u = 0; u < want.units; u++)
		want.type[u] = HOLE;
	/* Firmware: page-aligned, non-overlapping runs with random gaps. */
	for (uint64_t page = 0; page < MODEL_PAGES && fw_count < MAX_FW;) {
		uint64_t run = 1 + rng() % MAX_RUN_PAGES;
		if (page + run > MODEL_PAGES)
			run = MODEL_PAGES - page;
		if (rng() % 4) {
			fw[fw_count] = (struct mm_range){ page * PAGE, run * PAGE,
							  rng() % LIMINE_MEMMAP_TYPE_COUNT };
			paint(&want, fw[fw_count].base, fw[fw_count].length, (int)fw[fw_count].type);
			fw_count++;
		}
		page += run;
	}
	/* Shuffle so the builder has to sort. */
	for (size_t i = fw_count; i > 1; i--) {
		size_t j = (size_t)(rng() % i);
		struct mm_range t = fw[i - 1];
		fw[i - 1] = fw[j];
		fw[j] = t;
	}
	for (size_t i = 0; i < ov_count; i++) {
		uint64_t units = 1 + rng() % MAX_OV_UNITS;
		uint64_t start = rng() % want.units;
		if (start + units > want.units)
			units = want.units - start;
		uint64_t type = unaligned ? unaligned_types[rng() % ARRAY_LEN(unaligned_types)]
					  : rng() % LIMINE_MEMMAP_TYPE_COUNT;
		ov[i] = (struct mm_range){ start * want.unit, units * want.unit, type };
		paint(&want, ov[i].base, ov[i].length, (int)type);
	}
	model_expect(&want);

	build(fw, fw_count, ov, ov_count);

	/* Replay the output into a second shadow, checking its shape. */
	memset(&got, 0, sizeof(got));
	got.unit = want.unit;
	got.units = want.units;
	for (unsigned u = 0; u < got.units; u++)
		got.type[u] = HOLE;
	for (size_t i = 0; i < out_count; i++) {
		const struct limine_memmap_entry *e = &out[i];
		assert_true(e->length > 0);
		assert_true(e->base % got.unit == 0 && e->length % got.unit == 0);
		assert_true(e->base + e->length <= (uint64_t)got.units * got.unit);
		if (e->type == USABLE)
			assert_true(e->base % PAGE == 0 && e->length % PAGE == 0 && e->base >= PAGE);
		if (i > 0) {
			const struct limine_memmap_entry *p = &out[i - 1];
			assert_true(p->base + p->length <= e->base); /* sorted, disjoint */
			bool mergeable = e->type == USABLE || e->type == RECLAIM;
			assert_false(mergeable && p->type == e->type && p->base + p->length == e->base);
		}
		for (uint64_t u = e->base / got.unit; u < (e->base + e->length) / got.unit; u++) {
			assert_int_equal(got.type[u], HOLE);
			got.type[u] = (int)e->type;
		}
	}
	for (unsigned u = 0; u < want.units; u++) {
		if (want.type[u] != got.type[u])
			print_message("cell %u (%#llx): want type %d, got %d\n", u,
				      (unsigned long long)(u * want.unit), want.type[u], got.type[u]);
		assert_int_equal(want.type[u], got.type[u]);
	}
}

static void random_page_aligned_maps_match_model(void **state)
{
	(void)state;
	rng_state = FUZZ_SEED;
	for (unsigned round = 0; round < FUZZ_ROUNDS; round++)
		run_model_case(false);
}

static void random_unaligned_overlays_match_model(void **state)
{
	(void)state;
	rng_state = FUZZ_SEED ^ 1;
	for (unsigned round = 0; round < FUZZ_ROUNDS; round++)
		run_model_case(true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_efi_type_maps_to_a_limine_type),
		cmocka_unit_test(unknown_efi_types_are_reserved),
		cmocka_unit_test(overlay_in_the_middle_splits_an_entry),
		cmocka_unit_test(overlay_trims_the_left_end),
		cmocka_unit_test(overlay_trims_the_right_end),
		cmocka_unit_test(overlay_covering_an_entry_exactly_replaces_it),
		cmocka_unit_test(overlay_spanning_several_entries_carves_them_all),
		cmocka_unit_test(later_overlay_wins_over_earlier),
		cmocka_unit_test(overlay_in_a_hole_is_added),
		cmocka_unit_test(output_is_sorted),
		cmocka_unit_test(page_zero_is_never_usable),
		cmocka_unit_test(page_zero_keeps_other_types),
		cmocka_unit_test(usable_is_shrunk_to_page_boundaries),
		cmocka_unit_test(usable_smaller_than_a_page_disappears),
		cmocka_unit_test(reclaimable_is_page_aligned),
		cmocka_unit_test(adjacent_usable_and_reclaimable_merge),
		cmocka_unit_test(other_types_are_not_merged),
		cmocka_unit_test(non_adjacent_usable_is_not_merged),
		cmocka_unit_test(capacity_too_small_returns_zero),
		cmocka_unit_test(capacity_needed_covers_every_split),
		cmocka_unit_test(empty_input_gives_empty_map),
		cmocka_unit_test(random_page_aligned_maps_match_model),
		cmocka_unit_test(random_unaligned_overlays_match_model),
	};

	return cmocka_run_group_tests_name("memmap", tests, NULL, NULL);
}
