/*
 * pci_assign_fuzz: libFuzzer target for BAR assignment (lib/pci_assign.c)
 * over a simulated configuration space (tests/support/pci_sim.h),
 * enumerated by lib/pci first as the kernel does.
 *
 * The input: a header -- the bus range (first, last), which function to
 * place (a byte below 0x80: that table index, else all), three host
 * windows (a kind byte: kind in bits 0-1, 3 being no valid kind,
 * prefetchable in bit 2; then bus base, CPU base and size, 8 bytes each,
 * little-endian) and two excluded ranges (base, size) -- then records of
 * RECORD_SIZE bytes, one function each: its bus, device << 3 | function,
 * a header byte (bit 0 a bridge, bit 7 multi-function), per BAR a kind
 * byte (bits 0-1: none, I/O, 32-bit, 64-bit memory; bit 2 prefetchable),
 * a log2 size and a base byte (0: unassigned, as firmware may leave it),
 * the command register's low byte and, for a bridge, its registers
 * 0x18-0x33 (bus numbers and forwarding windows) raw.
 *
 * Whatever the bytes say, the pass must end, must write no BAR with its
 * decode on, and what it placed must hold: every assigned BAR inside its
 * window (and below 4 GiB for a 32-bit register), naturally aligned (a
 * memory BAR to a page at least), never at address 0, its register holding
 * it and the table its CPU address (memory) or port (I/O), overlapping no
 * other assigned BAR, no BAR the firmware assigned, no excluded range,
 * and, behind a bridge, inside a window of that bridge.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pci.h>
#include <pci_assign.h>

#include "../support/pci_sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define WINDOWS 3
#define WINDOW_BYTES 25
#define EXCLUDED 2
#define HEADER_SIZE (3 + WINDOWS * WINDOW_BYTES + EXCLUDED * 16)
#define BAR_BYTES 3
#define BRIDGE_REGS 0x18
#define BRIDGE_REGS_SIZE (0x34 - BRIDGE_REGS)
#define RECORD_SIZE (4 + PCI_MAX_BARS * BAR_BYTES + BRIDGE_REGS_SIZE)
#define PAGE 4096ULL
#define LIMIT_4G 0xffffffffULL

static struct pci_sim sim;
static struct pci_table table;
static struct pci_table before; /* as enumerated, before the pass */
static struct pci_assign_result result;
static struct pci_window windows[WINDOWS];
static struct pci_range excluded[EXCLUDED];
static uint8_t root_bus;

/* A broken invariant: says which, for the crash report. */
static void fail(int line)
{
	fprintf(stderr, "pci_assign_fuzz: invariant at line %d broken\n", line);
	abort();
}

#define check(ok) ((ok) ? (void)0 : fail(__LINE__))

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void load_header(const uint8_t *h)
{
	static const enum pci_window_kind kinds[] = { PCI_WINDOW_IO, PCI_WINDOW_MEM32,
						      PCI_WINDOW_MEM64, (enum pci_window_kind)0 };

	for (unsigned i = 0; i < WINDOWS; i++) {
		const uint8_t *w = h + 3 + i * WINDOW_BYTES;
		windows[i] = (struct pci_window){
			.kind = kinds[w[0] & 3], .prefetchable = (w[0] & 4) != 0,
			.bus_base = le64(w + 1), .cpu_base = le64(w + 9), .size = le64(w + 17),
		};
	}
	for (unsigned i = 0; i < EXCLUDED; i++) {
		const uint8_t *x = h + 3 + WINDOWS * WINDOW_BYTES + i * 16;
		excluded[i] = (struct pci_range){ .base = le64(x), .size = le64(x + 8) };
	}
}

/* BAR `slot` from its three bytes; returns the slots it took. */
static unsigned add_bar(struct pci_sim_function *f, unsigned slot, const uint8_t *b)
{
	unsigned log2 = b[1] % 64;
	bool pf = (b[0] & 4) != 0;

	switch (b[0] & 3) {
	case 1:
		log2 = 2 + log2 % 30;
		pci_sim_bar_io(f, slot, (uint32_t)b[2] << log2, 1u << log2);
		return 1;
	case 2:
		log2 = 4 + log2 % 28;
		pci_sim_bar_mem32(f, slot, (uint32_t)((uint64_t)b[2] << log2), 1u << log2, pf);
		return 1;
	case 3:
		log2 = 4 + log2 % 60;
		pci_sim_bar_mem64(f, slot, (uint64_t)b[2] << log2, 1ULL << log2, pf);
		return 2;
	default:
		return 1;
	}
}

static void add_record(const uint8_t *r)
{
	bool bridge = r[2] & 1;
	struct pci_sim_function *f = pci_sim_add(&sim, r[0], (r[1] >> 3) & 31, r[1] & 7, 0x1234,
						 0x5678, 0xff000000u, (uint8_t)(r[2] & 0x81));
	unsigned bars = bridge ? 2 : PCI_MAX_BARS;

	if (!f)
		return;
	for (unsigned slot = 0; slot < bars;)
		slot += add_bar(f, slot, r + 4 + slot * BAR_BYTES);
	pci_sim_put(f, 0x04, r[3], 1);
	if (bridge)
		memcpy(f->config + BRIDGE_REGS, r + 4 + PCI_MAX_BARS * BAR_BYTES, BRIDGE_REGS_SIZE);
}

static void load(const uint8_t *data, size_t size)
{
	uint8_t record[RECORD_SIZE];

	pci_sim_init(&sim);
	load_header(data);
	for (size_t at = HEADER_SIZE; at < size && sim.count < PCI_SIM_MAX; at += RECORD_SIZE) {
		size_t n = size - at < RECORD_SIZE ? size - at : RECORD_SIZE;
		memset(record, 0, sizeof(record));
		memcpy(record, data + at, n);
		add_record(record);
	}
}

static bool overlap(uint64_t a, uint64_t a_last, uint64_t b, uint64_t b_last)
{
	return a <= b_last && b <= a_last;
}

static uint64_t last_of(uint64_t base, uint64_t size)
{
	return size - 1 > UINT64_MAX - base ? UINT64_MAX : base + (size - 1);
}

static bool is_io(const struct pci_assign_bar *r)
{
	return before.functions[r->function].bars[r->slot].kind == PCI_BAR_IO;
}

/* The range a record takes: a small memory BAR its whole page. */
static uint64_t footprint(const struct pci_assign_bar *r)
{
	return !is_io(r) && r->size < PAGE ? PAGE : r->size;
}

static const struct pci_sim_function *sim_function(struct pci_address at)
{
	for (unsigned i = 0; i < sim.count; i++) {
		const struct pci_sim_function *f = &sim.functions[i];
		if (f->bus == at.bus && f->device == at.device && f->function == at.function)
			return f;
	}
	return NULL;
}

/* What the BAR register holds now, flags dropped. */
static uint64_t register_of(const struct pci_assign_bar *r)
{
	const struct pci_function *f = &before.functions[r->function];
	const struct pci_sim_function *s = sim_function(f->address);
	unsigned offset = 0x10 + 4 * r->slot;
	uint32_t low = pci_sim_get(s, offset, 4);
	uint64_t value = low & (f->bars[r->slot].kind == PCI_BAR_IO ? ~3u : ~0xfu);

	if (f->bars[r->slot].kind == PCI_BAR_MEM64)
		value |= (uint64_t)pci_sim_get(s, offset + 4, 4) << 32;
	return value;
}

static bool in_bridge_window(const struct pci_bridge_windows *w, bool io, uint64_t first,
			     uint64_t last)
{
	if (io)
		return w->io.present && first >= w->io.base && last <= w->io.limit;
	return (w->memory.present && first >= w->memory.base && last <= w->memory.limit) ||
	       (w->prefetchable.present && first >= w->prefetchable.base &&
		last <= w->prefetchable.limit);
}

/* Behind a bridge: inside a window of the bridge it sits behind. */
static void check_bridged(const struct pci_assign_bar *r, uint64_t first, uint64_t last)
{
	uint8_t bus = before.functions[r->function].address.bus;

	if (bus == root_bus)
		return;
	for (unsigned i = 0; i < before.count; i++) {
		const struct pci_function *b = &before.functions[i];
		if (b->header_type == 1 && b->secondary_bus == bus) {
			check(in_bridge_window(&result.bridges[i], is_io(r), first, last));
			return;
		}
	}
	check(0); /* assigned behind a bridge that is not there */
}

/* Every placed BAR where it may be, as the register and table say. */
static void check_placed(const struct pci_assign_bar *r)
{
	check(r->window < WINDOWS && r->reason == NULL && windows[r->window].size != 0);
	const struct pci_window *w = &windows[r->window];
	const struct pci_bar *now = &table.functions[r->function].bars[r->slot];
	const struct pci_bar *was = &before.functions[r->function].bars[r->slot];
	uint64_t last = r->bus_address + (footprint(r) - 1);

	check(was->base == 0 && r->size == was->size && r->bus_address != 0);
	check(r->bus_address % footprint(r) == 0 && last >= r->bus_address);
	check(r->bus_address >= w->bus_base && last - w->bus_base <= w->size - 1);
	check(r->cpu_address == w->cpu_base + (r->bus_address - w->bus_base));
	if (was->kind != PCI_BAR_MEM64)
		check(last <= LIMIT_4G);
	/* Prefetchable means nothing for I/O. */
	check(w->kind && (was->kind == PCI_BAR_IO) == (w->kind == PCI_WINDOW_IO));
	check(was->kind == PCI_BAR_IO || !w->prefetchable || was->prefetchable);
	check(register_of(r) == r->bus_address);
	check(now->base == (is_io(r) ? r->bus_address : r->cpu_address) && now->base != 0);
	for (unsigned i = 0; i < EXCLUDED; i++) {
		uint64_t cpu_last = r->cpu_address + (footprint(r) - 1);
		check(excluded[i].size == 0 || !overlap(r->cpu_address, cpu_last, excluded[i].base,
							 last_of(excluded[i].base, excluded[i].size)));
	}
	check_bridged(r, r->bus_address, last);
}

/* Clear of every BAR the firmware assigned, and of each other. */
static void check_apart(const struct pci_assign_bar *r, unsigned index)
{
	uint64_t last = r->bus_address + (footprint(r) - 1);

	for (unsigned i = 0; i < before.count; i++) {
		const struct pci_function *f = &before.functions[i];
		for (unsigned s = 0; s < f->bar_count; s++) {
			const struct pci_bar *b = &f->bars[s];
			if (b->size && b->base && (b->kind == PCI_BAR_IO) == is_io(r))
				check(!overlap(r->bus_address, last, b->base, last_of(b->base, b->size)));
		}
	}
	for (unsigned i = index + 1; i < result.count; i++) {
		const struct pci_assign_bar *o = &result.bars[i];
		if (o->assigned && is_io(o) == is_io(r))
			check(!overlap(r->bus_address, last, o->bus_address,
				       o->bus_address + (footprint(o) - 1)));
	}
}

static void check_result(void)
{
	char line[PCI_ASSIGN_LINE_MAX];
	unsigned assigned = 0;

	check(result.count <= PCI_ASSIGN_MAX_BARS);
	for (unsigned i = 0; i < result.count; i++) {
		const struct pci_assign_bar *r = &result.bars[i];
		check(r->function < before.count && r->slot < PCI_MAX_BARS);
		check(i == 0 || result.bars[i - 1].size >= r->size);
		check(pci_assign_format(&table, windows, WINDOWS, r, line, sizeof(line)) < sizeof(line));
		if (!r->assigned) {
			check(r->reason != NULL);
			check(table.functions[r->function].bars[r->slot].base == 0);
			continue;
		}
		assigned++;
		check_placed(r);
		check_apart(r, i);
	}
	check(assigned == result.assigned);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < HEADER_SIZE)
		return 0;
	load(data, size);
	root_bus = data[0];
	struct pci_config_access access = pci_sim_access(&sim, data[0], data[1]);
	if (pci_enumerate(&access, &table) == PCI_EINVAL)
		return 0;
	memcpy(&before, &table, sizeof(table));
	sim.decode_violations = 0;
	struct pci_assign_request req = {
		.access = &access, .table = &table, .windows = windows, .window_count = WINDOWS,
		.excluded = excluded, .excluded_count = EXCLUDED,
		.only = data[2] < 0x80 ? data[2] : PCI_ASSIGN_ALL,
	};
	enum pci_assign_status s = pci_assign(&req, &result);

	check(sim.misuse == 0 && sim.decode_violations == 0);
	if (table.dropped) {
		check(s == PCI_ASSIGN_EINCOMPLETE || s == PCI_ASSIGN_EINVAL);
		return 0;
	}
	if (req.only != PCI_ASSIGN_ALL && (unsigned)req.only >= table.count) {
		check(s == PCI_ASSIGN_EINVAL);
		return 0;
	}
	check(s == PCI_ASSIGN_OK);
	check_result();
	return 0;
}
