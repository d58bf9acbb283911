/*
 * pci_assign_test: placing unassigned BARs in the host bridge's windows
 * (lib/pci_assign.c) over a simulated configuration space
 * (tests/support/pci_sim.h), enumerated by lib/pci first as the kernel
 * does.
 *
 * The windows are QEMU virt's (hw/arm/virt.c): I/O ports 0-0xffff at CPU
 * 0x3eff0000, 32-bit memory at 0x10000000-0x3efeffff and 64-bit memory at
 * 512 GiB, bus and CPU addresses equal. Each test builds a few functions,
 * some BARs left at 0 as firmware could leave them, runs the pass and
 * checks where each BAR went -- in the table, in the register, and in the
 * command register's decode -- or why it did not. Every test also checks
 * that no BAR was written with its decode on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <pci.h>
#include <pci_assign.h>

#include "../support/pci_sim.h"

#define CLASS_OTHER 0xff000000u
#define REG_COMMAND 0x04
#define COMMAND_IO 1u
#define COMMAND_MEMORY 2u
#define IO_CPU 0x3eff0000ULL
#define MEM32_BASE 0x10000000ULL
#define MEM64_BASE 0x8000000000ULL
#define GIB (1ULL << 30)

enum { WINDOW_IO, WINDOW_MEM32, WINDOW_MEM64 };

static const struct pci_window virt[] = {
	[WINDOW_IO] = { PCI_WINDOW_IO, false, IO_CPU, 0, 0x10000 },
	[WINDOW_MEM32] = { PCI_WINDOW_MEM32, false, MEM32_BASE, MEM32_BASE, 0x2eff0000 },
	[WINDOW_MEM64] = { PCI_WINDOW_MEM64, false, MEM64_BASE, MEM64_BASE, MEM64_BASE },
};

static struct pci_sim sim;
static struct pci_table table;
static struct pci_assign_result result;
static struct pci_config_access access;

static int setup(void **state)
{
	(void)state;
	pci_sim_init(&sim);
	return 0;
}

/* A plain function (header type 0) at bus:dev.0. */
static struct pci_sim_function *add(uint8_t bus, uint8_t dev)
{
	struct pci_sim_function *f = pci_sim_add(&sim, bus, dev, 0, 0x1234, 0x11e8, CLASS_OTHER, 0);

	assert_non_null(f);
	return f;
}

/* A bridge at bus:dev.0 to bus `secondary`, its memory window [base,
 * limit] (1 MiB granules; base > limit: none). */
static struct pci_sim_function *add_bridge_on(uint8_t bus, uint8_t dev, uint8_t secondary,
					      uint32_t base, uint32_t limit)
{
	struct pci_sim_function *f =
		pci_sim_add(&sim, bus, dev, 0, 0x1b36, 0x0001, 0x06040000u, 1);

	assert_non_null(f);
	pci_sim_bridge_buses(f, bus, secondary, secondary);
	pci_sim_put(f, 0x20, ((base >> 16) & 0xfff0u) | (((limit >> 16) & 0xfff0u) << 16), 4);
	pci_sim_put(f, 0x24, 0x0000fff0u, 4); /* no prefetchable window */
	pci_sim_put(f, 0x1c, 0x00f0u, 2);     /* no I/O window */
	return f;
}

static struct pci_sim_function *add_bridge(uint8_t dev, uint8_t secondary, uint32_t base,
					   uint32_t limit)
{
	return add_bridge_on(0, dev, secondary, base, limit);
}

static enum pci_assign_status run_with(const struct pci_window *windows, unsigned count,
				       const struct pci_range *excluded, unsigned excluded_count,
				       int only)
{
	access = pci_sim_access(&sim, 0, 255);
	enum pci_result r = pci_enumerate(&access, &table);
	assert_true(r == PCI_OK || r == PCI_EFULL);
	struct pci_assign_request req = {
		.access = &access, .table = &table, .windows = windows, .window_count = count,
		.excluded = excluded, .excluded_count = excluded_count, .only = only,
	};
	enum pci_assign_status s = pci_assign(&req, &result);
	assert_int_equal(sim.decode_violations, 0);
	assert_int_equal(sim.misuse, 0);
	return s;
}

static void run(void)
{
	assert_int_equal(run_with(virt, 3, NULL, 0, PCI_ASSIGN_ALL), PCI_ASSIGN_OK);
}

/* The record of function `fi`'s BAR `slot`. */
static const struct pci_assign_bar *record(unsigned fi, unsigned slot)
{
	for (unsigned i = 0; i < result.count; i++) {
		if (result.bars[i].function == fi && result.bars[i].slot == slot)
			return &result.bars[i];
	}
	fail_msg("no record of function %u bar %u", fi, slot);
	return NULL;
}

/* The function's index in the table. */
static unsigned index_of(uint8_t bus, uint8_t dev)
{
	for (unsigned i = 0; i < table.count; i++) {
		if (table.functions[i].address.bus == bus && table.functions[i].address.device == dev)
			return i;
	}
	fail_msg("no function %02x:%02x.0", bus, dev);
	return 0;
}

/* What BAR `slot` of `f` holds, flags dropped (a 64-bit one: both halves). */
static uint64_t bar_register(const struct pci_sim_function *f, unsigned slot, bool wide)
{
	uint32_t low = pci_sim_get(f, 0x10 + 4 * slot, 4);
	uint64_t value = low & ((low & 1) ? ~3u : ~0xfu);

	if (wide)
		value |= (uint64_t)pci_sim_get(f, 0x14 + 4 * slot, 4) << 32;
	return value;
}

static void assert_assigned(uint8_t bus, uint8_t dev, unsigned slot, uint64_t cpu)
{
	const struct pci_assign_bar *r = record(index_of(bus, dev), slot);

	assert_true(r->assigned);
	assert_null(r->reason);
	assert_int_equal(r->cpu_address, cpu);
	assert_int_equal(table.functions[index_of(bus, dev)].bars[slot].base, cpu);
}

static void clear_command(struct pci_sim_function *f)
{
	pci_sim_put(f, REG_COMMAND, 0, 2);
}

/* ------------------------------------------------------------ placing */

static void a_bar_fits_and_is_programmed(void **state)
{
	char line[PCI_ASSIGN_LINE_MAX];

	(void)state;
	struct pci_sim_function *edu = add(0, 3);
	pci_sim_bar_mem32(edu, 0, 0, 1u << 20, false);
	clear_command(edu); /* as AAVMF leaves a device it does not drive */
	run();
	assert_int_equal(result.count, 1);
	assert_int_equal(result.assigned, 1);
	assert_assigned(0, 3, 0, MEM32_BASE);
	assert_int_equal(bar_register(edu, 0, false), MEM32_BASE);
	assert_int_equal(record(0, 0)->window, WINDOW_MEM32);
	assert_true(record(0, 0)->decode_on);
	assert_int_equal(pci_sim_get(edu, REG_COMMAND, 2), COMMAND_MEMORY);
	(void)pci_assign_format(&table, virt, 3, record(0, 0), line, sizeof(line));
	assert_string_equal(line,
			    "pci: 00:03.0 bar0 assigned 0x10000000 (1M) from the 32-bit memory window");
}

/* Naturally aligned, never over a firmware BAR; small BARs take a whole
 * page each; biggest first. */
static void bars_are_aligned_and_avoid_firmware_bars(void **state)
{
	(void)state;
	struct pci_sim_function *fw = add(0, 1);
	pci_sim_bar_mem32(fw, 0, MEM32_BASE, 0x1000, false); /* the firmware's */
	struct pci_sim_function *a = add(0, 2);
	pci_sim_bar_mem32(a, 0, 0, 0x10, false);
	pci_sim_bar_mem32(a, 1, 0, 1u << 20, false);
	struct pci_sim_function *b = add(0, 3);
	pci_sim_bar_mem32(b, 2, 0, 0x80, false);
	run();
	assert_int_equal(result.count, 3);
	assert_int_equal(result.assigned, 3);
	assert_int_equal(result.bars[0].size, 1u << 20); /* biggest first */
	assert_assigned(0, 2, 1, MEM32_BASE + (1u << 20));
	assert_assigned(0, 3, 2, MEM32_BASE + 0x1000);
	assert_assigned(0, 2, 0, MEM32_BASE + 0x2000);
	assert_int_equal(bar_register(b, 2, false), MEM32_BASE + 0x1000);
}

static void sixty_four_bit_bars_go_above_4g(void **state)
{
	(void)state;
	struct pci_sim_function *f = add(0, 4);
	pci_sim_bar_mem64(f, 2, 0, 0x4000, true);
	run();
	assert_assigned(0, 4, 2, MEM64_BASE);
	assert_int_equal(bar_register(f, 2, true), MEM64_BASE);
	assert_int_equal(record(0, 2)->window, WINDOW_MEM64);
}

/* A prefetchable 64-bit BAR prefers a prefetchable 64-bit window; a
 * non-prefetchable one never goes there. */
static void prefetchable_windows_take_prefetchable_bars_only(void **state)
{
	const struct pci_window windows[] = {
		virt[WINDOW_MEM32],
		{ PCI_WINDOW_MEM64, true, 0x9000000000ULL, 0x9000000000ULL, GIB },
		virt[WINDOW_MEM64],
	};

	(void)state;
	pci_sim_bar_mem64(add(0, 1), 0, 0, 0x4000, true);
	pci_sim_bar_mem64(add(0, 2), 0, 0, 0x4000, false);
	assert_int_equal(run_with(windows, 3, NULL, 0, PCI_ASSIGN_ALL), PCI_ASSIGN_OK);
	assert_assigned(0, 1, 0, 0x9000000000ULL);
	assert_assigned(0, 2, 0, MEM64_BASE);
}

static void sixty_four_bit_bars_may_use_the_32_bit_window(void **state)
{
	(void)state;
	struct pci_sim_function *f = add(0, 4);
	pci_sim_bar_mem64(f, 0, 0, 0x4000, false);
	assert_int_equal(run_with(virt, 2, NULL, 0, PCI_ASSIGN_ALL), PCI_ASSIGN_OK);
	assert_assigned(0, 4, 0, MEM32_BASE);
	assert_int_equal(bar_register(f, 0, true), MEM32_BASE);
}

/* Only a 64-bit window: a 32-bit BAR finds no room in it above 4 GiB,
 * and takes the part of a window below 4 GiB only. */
static void thirty_two_bit_bars_stay_below_4g(void **state)
{
	const struct pci_window straddling[] = {
		{ PCI_WINDOW_MEM64, false, 0xf0000000, 0xf0000000, 0x20000000 },
	};

	(void)state;
	pci_sim_bar_mem32(add(0, 1), 0, 0, 0x1000, false);
	assert_int_equal(run_with(&virt[WINDOW_MEM64], 1, NULL, 0, PCI_ASSIGN_ALL), PCI_ASSIGN_OK);
	assert_false(record(0, 0)->assigned);
	assert_string_equal(record(0, 0)->reason, "no free, aligned room in a window it may use");

	pci_sim_init(&sim);
	pci_sim_bar_mem32(add(0, 1), 0, 0, 0x10000000, false);
	pci_sim_bar_mem32(add(0, 2), 0, 0, 0x1000, false);
	assert_int_equal(run_with(straddling, 1, NULL, 0, PCI_ASSIGN_ALL), PCI_ASSIGN_OK);
	assert_assigned(0, 1, 0, 0xf0000000);
	assert_false(record(1, 0)->assigned); /* the rest of the window is above 4 GiB */
}

static void a_bar_that_does_not_fit_is_reported(void **state)
{
	char line[PCI_ASSIGN_LINE_MAX];

	(void)state;
	struct pci_sim_function *f = add(0, 5);
	pci_sim_bar_mem32(f, 0, 0, 0x1000, false);
	pci_sim_bar_mem32(f, 1, 0, 0x80000000u, false); /* 2 GiB: more than the window */
	clear_command(f);
	assert_int_equal(run_with(virt, 2, NULL, 0, PCI_ASSIGN_ALL), PCI_ASSIGN_OK);
	assert_int_equal(result.count, 2);
	assert_int_equal(result.assigned, 1);
	assert_false(record(0, 1)->assigned);
	assert_int_equal(bar_register(f, 1, false), 0);
	/* Its sibling is placed, but memory decode stays off: bar1 would
	 * decode address 0. */
	assert_true(record(0, 0)->assigned);
	assert_false(record(0, 0)->decode_on);
	assert_int_equal(pci_sim_get(f, REG_COMMAND, 2), 0);
	(void)pci_assign_format(&table, virt, 2, record(0, 1), line, sizeof(line));
	assert_string_equal(line, "pci: 00:05.0 bar1 (2G) not assigned: "
				  "no free, aligned room in a window it may use");
	(void)pci_assign_format(&table, virt, 2, record(0, 0), line, sizeof(line));
	assert_string_equal(line, "pci: 00:05.0 bar0 assigned 0x10000000 (4K) from the 32-bit "
				  "memory window (decode left off: another BAR is unassigned)");
}

static void caller_exclusions_are_avoided(void **state)
{
	const struct pci_range excluded[] = {
		{ 0, 0 },                          /* empty: ignored */
		{ MEM32_BASE - 0x1000, 0x1001000 }, /* the window's first 16 MiB */
	};

	(void)state;
	pci_sim_bar_mem32(add(0, 1), 0, 0, 0x1000, false);
	assert_int_equal(run_with(virt, 3, excluded, 2, PCI_ASSIGN_ALL), PCI_ASSIGN_OK);
	assert_assigned(0, 1, 0, MEM32_BASE + 0x1000000);
}

/* ------------------------------------------------------------ hostile sizes */

/* A BAR of 2^63 bytes; a window ending at 2^64 - 1; a window and an
 * exclusion that would wrap; a window whose CPU side starts at 0. */
static void huge_sizes_and_windows_at_the_top_are_safe(void **state)
{
	const struct pci_window top[] = {
		{ PCI_WINDOW_MEM64, false, 0xffffffff00000000ULL, 0xffffffff00000000ULL, 1ULL << 32 },
		{ PCI_WINDOW_MEM64, false, 2, 2, UINT64_MAX }, /* wraps: ignored */
	};
	const struct pci_window upper_half[] = {
		{ PCI_WINDOW_MEM64, false, 0, 1ULL << 63, 1ULL << 63 },
	};
	const struct pci_range wrapping[] = { { UINT64_MAX - 0xfff, UINT64_MAX } };

	(void)state;
	pci_sim_bar_mem64(add(0, 1), 0, 0, 1ULL << 63, false);
	pci_sim_bar_mem64(add(0, 2), 0, 0, 1ULL << 32, false);
	pci_sim_bar_mem64(add(0, 3), 0, 0, 0x1000, false);
	assert_int_equal(run_with(top, 2, NULL, 0, PCI_ASSIGN_ALL), PCI_ASSIGN_OK);
	assert_int_equal(record(0, 0)->size, 1ULL << 63);
	assert_false(record(0, 0)->assigned);
	/* The 4 GiB BAR fills the top window to 2^64 - 1; the 4 KiB one then
	 * finds nowhere. */
	assert_true(record(1, 0)->assigned);
	assert_int_equal(record(1, 0)->bus_address, 0xffffffff00000000ULL);
	assert_false(record(2, 0)->assigned);

	/* 2^63 fits the upper half exactly, but not at CPU address 0 (base 0
	 * means unassigned in the table): nowhere. The 4 KiB BAR goes at the
	 * window's second page. */
	pci_sim_init(&sim);
	pci_sim_bar_mem64(add(0, 1), 0, 0, 1ULL << 63, false);
	pci_sim_bar_mem64(add(0, 3), 0, 0, 0x1000, false);
	assert_int_equal(run_with(upper_half, 1, wrapping, 1, PCI_ASSIGN_ALL), PCI_ASSIGN_OK);
	assert_false(record(0, 0)->assigned);
	assert_true(record(1, 0)->assigned);
	assert_int_equal(record(1, 0)->bus_address, (1ULL << 63) + 0x1000);
	assert_int_equal(record(1, 0)->cpu_address, 0x1000);
}

static void a_bar_that_drops_address_bits_is_put_back(void **state)
{
	const struct pci_window high_io[] = { { PCI_WINDOW_IO, false, IO_CPU, 0x10000, 0x10000 } };

	(void)state;
	struct pci_sim_function *f = add(0, 1);
	pci_sim_bar_io(f, 0, 0, 0x20);
	f->write_mask[4] &= 0xffffu; /* a 16-bit decoder */
	assert_int_equal(run_with(high_io, 1, NULL, 0, PCI_ASSIGN_ALL), PCI_ASSIGN_OK);
	assert_false(record(0, 0)->assigned);
	assert_string_equal(record(0, 0)->reason, "the BAR did not keep the address written");
	assert_int_equal(pci_sim_get(f, 0x10, 4), 1); /* as it was */
	assert_int_equal(table.functions[0].bars[0].base, 0);
}

/* ------------------------------------------------------------ bridges */

/* Behind a bridge the BAR goes in the bridge's window; a root-bus BAR
 * keeps out of that window. */
static void bridged_bars_go_inside_the_bridge_window(void **state)
{
	(void)state;
	add_bridge(2, 1, 0x10400000, 0x104fffff);
	struct pci_sim_function *behind = add(1, 0);
	pci_sim_bar_mem32(behind, 0, 0, 0x1000, false);
	pci_sim_bar_mem32(add(0, 3), 0, 0, 0x800000, false); /* 8 MiB: its first fit holds the window */
	run();
	assert_assigned(1, 0, 0, 0x10400000);
	assert_assigned(0, 3, 0, 0x10800000);
	assert_int_equal(bar_register(behind, 0, false), 0x10400000);
}

static void bridged_bars_outside_the_bridge_window_stay_unassigned(void **state)
{
	(void)state;
	add_bridge(2, 1, 0x10400000, 0x104fffff); /* 1 MiB */
	pci_sim_bar_mem32(add(1, 0), 0, 0, 0x200000, false);
	add_bridge(4, 2, 0xfff00000, 0); /* no memory window */
	pci_sim_bar_mem32(add(2, 0), 0, 0, 0x1000, false);
	run();
	assert_false(record(index_of(1, 0), 0)->assigned);
	assert_string_equal(record(index_of(1, 0), 0)->reason,
			    "no free, aligned room in a window it may use");
	assert_false(record(index_of(2, 0), 0)->assigned);
	assert_string_equal(record(index_of(2, 0), 0)->reason,
			    "behind a bridge without a window of its kind (bridge windows are not assigned)");
}

/* Two bridges deep: inside both windows; a BAR on the middle bus keeps
 * out of the inner bridge's window. */
static void nested_bridges_narrow_the_room(void **state)
{
	(void)state;
	add_bridge(2, 1, 0x10400000, 0x107fffff);
	add_bridge_on(1, 0, 2, 0x10600000, 0x106fffff);
	pci_sim_bar_mem32(add(1, 1), 0, 0, 0x200000, false); /* 2 MiB */
	pci_sim_bar_mem32(add(2, 0), 0, 0, 0x1000, false);
	run();
	assert_assigned(1, 1, 0, 0x10400000);
	assert_assigned(2, 0, 0, 0x10600000);
}

/* The windows as the PCI-to-PCI bridge specification lays them out: a
 * 32-bit I/O window (upper halves at 0x30), a 64-bit prefetchable one
 * (upper halves at 0x28 and 0x2c); a prefetchable BAR goes through the
 * latter, a plain one through the memory window. */
static void bridge_windows_are_decoded(void **state)
{
	const struct pci_window windows[] = {
		{ PCI_WINDOW_IO, false, IO_CPU, 0, 0x100000 }, /* 20 bits of ports */
		virt[WINDOW_MEM32],
		{ PCI_WINDOW_MEM64, true, MEM64_BASE, MEM64_BASE, MEM64_BASE },
	};
	struct pci_bridge_windows w;

	(void)state;
	struct pci_sim_function *b = add_bridge(2, 1, 0x10400000, 0x104fffff);
	pci_sim_put(b, 0x1c, 0x2111u, 2);                 /* I/O 0x1000-0x2fff, 32-bit */
	pci_sim_put(b, 0x30, 0x00010001u, 4);             /* + 0x10000 */
	pci_sim_put(b, 0x24, 0x00f10011u, 4);             /* 0x00100000-0x00ffffff, 64-bit */
	pci_sim_put(b, 0x28, 0x80, 4);                    /* + 0x80_0000_0000 */
	pci_sim_put(b, 0x2c, 0x80, 4);
	pci_sim_bar_mem64(add(1, 0), 0, 0, 0x100000, true);
	pci_sim_bar_mem32(add(1, 1), 0, 0, 0x1000, false);
	pci_sim_bar_io(add(1, 2), 0, 0, 0x100);
	assert_int_equal(run_with(windows, 3, NULL, 0, PCI_ASSIGN_ALL), PCI_ASSIGN_OK);
	pci_assign_bridge_windows(&access, &table.functions[index_of(0, 2)], &w);
	assert_true(w.io.present);
	assert_int_equal(w.io.base, 0x11000);
	assert_int_equal(w.io.limit, 0x12fff);
	assert_true(w.memory.present);
	assert_int_equal(w.memory.base, 0x10400000);
	assert_int_equal(w.memory.limit, 0x104fffff);
	assert_true(w.prefetchable.present);
	assert_int_equal(w.prefetchable.base, MEM64_BASE + 0x100000);
	assert_int_equal(w.prefetchable.limit, MEM64_BASE + 0xffffff);
	assert_assigned(1, 0, 0, MEM64_BASE + 0x100000);
	assert_assigned(1, 1, 0, 0x10400000);
	assert_int_equal(record(index_of(1, 2), 0)->bus_address, 0x11000);
}

/* ------------------------------------------------------------ I/O */

static void io_bars_go_in_the_io_window(void **state)
{
	char line[PCI_ASSIGN_LINE_MAX];

	(void)state;
	struct pci_sim_function *f = add(0, 6);
	pci_sim_bar_io(f, 0, 0, 0x20);
	pci_sim_bar_io(add(0, 7), 0, 0x20, 0x20); /* the firmware's, at port 0x20 */
	clear_command(f);
	run();
	const struct pci_assign_bar *r = record(index_of(0, 6), 0);
	assert_true(r->assigned);
	assert_int_equal(r->bus_address, 0x40);
	assert_int_equal(r->cpu_address, IO_CPU + 0x40);
	assert_int_equal(r->window, WINDOW_IO);
	/* The table keeps the port number, as for the firmware's I/O BARs. */
	assert_int_equal(table.functions[index_of(0, 6)].bars[0].base, 0x40);
	assert_int_equal(bar_register(f, 0, false), 0x40);
	assert_int_equal(pci_sim_get(f, REG_COMMAND, 2), COMMAND_IO);
	(void)pci_assign_format(&table, virt, 3, r, line, sizeof(line));
	assert_string_equal(line, "pci: 00:06.0 bar0 assigned 0x3eff0040 (32) from the I/O window");
	/* Without an I/O window. */
	pci_sim_bar_io(f, 0, 0, 0x20);
	assert_int_equal(run_with(&virt[WINDOW_MEM32], 2, NULL, 0, PCI_ASSIGN_ALL), PCI_ASSIGN_OK);
	assert_string_equal(record(index_of(0, 6), 0)->reason,
			    "the host bridge has no window of its kind");
}

/* ------------------------------------------------------------ the request */

static void only_the_chosen_function_is_placed(void **state)
{
	(void)state;
	struct pci_sim_function *a = add(0, 1);
	pci_sim_bar_mem32(a, 0, 0, 0x1000, false);
	pci_sim_bar_mem32(add(0, 2), 0, 0, 0x1000, false);
	assert_int_equal(run_with(virt, 3, NULL, 0, 1), PCI_ASSIGN_OK);
	assert_int_equal(result.count, 1);
	assert_assigned(0, 2, 0, MEM32_BASE);
	assert_int_equal(bar_register(a, 0, false), 0);
}

static void bad_requests_and_incomplete_tables_are_refused(void **state)
{
	(void)state;
	pci_sim_bar_mem32(add(0, 1), 0, 0, 0x1000, false);
	assert_int_equal(run_with(virt, 3, NULL, 0, 1), PCI_ASSIGN_EINVAL);
	assert_int_equal(run_with(virt, 3, NULL, 0, -2), PCI_ASSIGN_EINVAL);
	assert_int_equal(run_with(NULL, 3, NULL, 0, PCI_ASSIGN_ALL), PCI_ASSIGN_EINVAL);
	/* More functions than the table holds: the others' BARs are unknown. */
	for (uint8_t bus = 1; bus < 3; bus++) {
		for (uint8_t dev = 0; dev < 32 && sim.count < PCI_SIM_MAX; dev++)
			pci_sim_bar_mem32(add(bus, dev), 0, 0, 0x1000, false);
	}
	add_bridge(2, 1, 0xfff00000, 0);
	add_bridge(3, 2, 0xfff00000, 0);
	assert_int_equal(run_with(virt, 3, NULL, 0, PCI_ASSIGN_ALL), PCI_ASSIGN_EINCOMPLETE);
	assert_int_equal(result.count, 0);
	assert_string_equal(pci_assign_status_name(PCI_ASSIGN_EINCOMPLETE), "table incomplete");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(a_bar_fits_and_is_programmed, setup),
		cmocka_unit_test_setup(bars_are_aligned_and_avoid_firmware_bars, setup),
		cmocka_unit_test_setup(sixty_four_bit_bars_go_above_4g, setup),
		cmocka_unit_test_setup(prefetchable_windows_take_prefetchable_bars_only, setup),
		cmocka_unit_test_setup(sixty_four_bit_bars_may_use_the_32_bit_window, setup),
		cmocka_unit_test_setup(thirty_two_bit_bars_stay_below_4g, setup),
		cmocka_unit_test_setup(a_bar_that_does_not_fit_is_reported, setup),
		cmocka_unit_test_setup(caller_exclusions_are_avoided, setup),
		cmocka_unit_test_setup(huge_sizes_and_windows_at_the_top_are_safe, setup),
		cmocka_unit_test_setup(a_bar_that_drops_address_bits_is_put_back, setup),
		cmocka_unit_test_setup(bridged_bars_go_inside_the_bridge_window, setup),
		cmocka_unit_test_setup(bridged_bars_outside_the_bridge_window_stay_unassigned, setup),
		cmocka_unit_test_setup(nested_bridges_narrow_the_room, setup),
		cmocka_unit_test_setup(bridge_windows_are_decoded, setup),
		cmocka_unit_test_setup(io_bars_go_in_the_io_window, setup),
		cmocka_unit_test_setup(only_the_chosen_function_is_placed, setup),
		cmocka_unit_test_setup(bad_requests_and_incomplete_tables_are_refused, setup),
	};

	return cmocka_run_group_tests_name("pci_assign", tests, NULL, NULL);
}
