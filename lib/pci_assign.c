/*
 * pci_assign: placing unassigned BARs in the host bridge's windows (see
 * pci_assign.h).
 *
 * Every range here is inclusive, [first, last], so a window or a BAR that
 * ends at 2^64 - 1 needs no special case; every sum that could pass 2^64
 * is checked first. The search for room is first fit: a candidate
 * address, aligned, moves past the end of the first range it overlaps
 * until it fits or leaves its region. It only ever moves forward, past a
 * different obstacle each time, so it ends after at most as many steps as
 * there are obstacles.
 */
#include "pci_assign.h"

#include "format.h"

/* Type 0 and 1 header offsets (PCI Local Bus Specification 3.0, 6.1;
 * PCI-to-PCI Bridge Architecture Specification 1.2, 3.2). */
#define REG_COMMAND 0x04
#define REG_BAR0 0x10
#define REG_IO_BASE 0x1c        /* I/O base, I/O limit (bytes 0 and 1) */
#define REG_MEMORY_BASE 0x20    /* memory base, memory limit (halves) */
#define REG_PREF_BASE 0x24      /* prefetchable base, limit (halves) */
#define REG_PREF_BASE_UPPER 0x28
#define REG_PREF_LIMIT_UPPER 0x2c
#define REG_IO_UPPER 0x30       /* I/O base upper 16, limit upper 16 */

#define COMMAND_IO (1u << 0)
#define COMMAND_MEMORY (1u << 1)
#define HEADER_BRIDGE 1

#define BAR_IO_FLAGS 0x3u
#define BAR_MEM_FLAGS 0xfu
#define WINDOW_32BIT 1u /* a bridge window's low nibble: upper registers exist */
#define LIMIT_4G 0xffffffffULL
#define MAX_HOPS 256 /* bridges between a function and the root: one a bus */

#define RANK_NEVER (-1)
#define RANK_WORST 3

static const char REASON_NO_WINDOW[] = "the host bridge has no window of its kind";
static const char REASON_NO_BRIDGE_WINDOW[] =
	"behind a bridge without a window of its kind (bridge windows are not assigned)";
static const char REASON_NO_ROOM[] = "no free, aligned room in a window it may use";
static const char REASON_ORPHAN[] = "behind a bridge that is not in the table";
static const char REASON_NOT_KEPT[] = "the BAR did not keep the address written";
static const char REASON_BAD_SIZE[] = "its size is not a power of two";

/* ------------------------------------------------------------ ranges */

/* The last address of [base, base + size), size > 0, or UINT64_MAX when
 * it would run past the top. */
static uint64_t last_of(uint64_t base, uint64_t size)
{
	return size - 1 > UINT64_MAX - base ? UINT64_MAX : base + (size - 1);
}

static bool overlap(uint64_t first_a, uint64_t last_a, uint64_t first_b, uint64_t last_b)
{
	return first_a <= last_b && first_b <= last_a;
}

/* `value` rounded up to a multiple of `align` (a power of two); false if
 * that passes 2^64 - 1. */
static bool align_up(uint64_t value, uint64_t align, uint64_t *out)
{
	uint64_t mask = align - 1;

	if (value > UINT64_MAX - mask)
		return false;
	*out = (value + mask) & ~mask;
	return true;
}

static bool window_valid(const struct pci_window *w)
{
	return (w->kind == PCI_WINDOW_IO || w->kind == PCI_WINDOW_MEM32 ||
		w->kind == PCI_WINDOW_MEM64) &&
	       w->size != 0 && w->size - 1 <= UINT64_MAX - w->bus_base &&
	       w->size - 1 <= UINT64_MAX - w->cpu_base;
}

/* ------------------------------------------------------------ bridges */

static struct pci_bridge_window io_window(const struct pci_config_access *a,
					  struct pci_address at)
{
	uint32_t word = pci_read32(a, at, REG_IO_BASE);
	uint32_t base_byte = word & 0xffu, limit_byte = (word >> 8) & 0xffu;
	struct pci_bridge_window w = {
		.base = (uint64_t)(base_byte & 0xf0u) << 8,
		.limit = ((uint64_t)(limit_byte & 0xf0u) << 8) | 0xfffu,
	};

	if ((base_byte & 0xfu) == WINDOW_32BIT) {
		uint32_t upper = pci_read32(a, at, REG_IO_UPPER);
		w.base |= (uint64_t)(upper & 0xffffu) << 16;
		w.limit |= (uint64_t)(upper >> 16) << 16;
	}
	w.present = w.base != 0 && w.base <= w.limit;
	return w;
}

/* A memory window register: base in the low half, limit in the high, each
 * holding address bits 31:20 in its bits 15:4. */
static struct pci_bridge_window memory_window(uint32_t word, uint32_t base_upper,
					      uint32_t limit_upper)
{
	struct pci_bridge_window w = {
		.base = ((uint64_t)(word & 0xfff0u) << 16) | (uint64_t)base_upper << 32,
		.limit = ((uint64_t)((word >> 16) & 0xfff0u) << 16) | 0xfffffu |
			 (uint64_t)limit_upper << 32,
	};

	w.present = w.base != 0 && w.base <= w.limit;
	return w;
}

void pci_assign_bridge_windows(const struct pci_config_access *access,
			       const struct pci_function *f, struct pci_bridge_windows *out)
{
	*out = (struct pci_bridge_windows){ .io.present = false };
	if (f->header_type != HEADER_BRIDGE)
		return;
	out->io = io_window(access, f->address);
	out->memory = memory_window(pci_read32(access, f->address, REG_MEMORY_BASE), 0, 0);
	uint32_t pref = pci_read32(access, f->address, REG_PREF_BASE);
	bool wide = (pref & 0xfu) == WINDOW_32BIT;
	out->prefetchable = memory_window(pref, wide ? pci_read32(access, f->address, REG_PREF_BASE_UPPER) : 0,
					  wide ? pci_read32(access, f->address, REG_PREF_LIMIT_UPPER) : 0);
}

/* The bridge (table index) whose secondary bus is `bus`, or -1. */
static int bridge_to(const struct pci_table *t, uint8_t bus)
{
	for (unsigned i = 0; i < t->count && i < PCI_MAX_FUNCTIONS; i++) {
		const struct pci_function *b = &t->functions[i];
		if (b->header_type == HEADER_BRIDGE && b->secondary_bus == bus)
			return (int)i;
	}
	return -1;
}

/* The bridges between function `fi` and the root bus, a bit per table
 * index; false when the chain breaks or loops. */
static bool ancestors_of(const struct pci_table *t, unsigned fi, uint8_t root, uint64_t *mask)
{
	uint8_t bus = t->functions[fi].address.bus;

	*mask = 0;
	for (unsigned hops = 0; bus != root; hops++) {
		int b = bridge_to(t, bus);
		if (b < 0 || hops >= MAX_HOPS || (*mask & (1ULL << b)))
			return false;
		*mask |= 1ULL << b;
		bus = t->functions[b].address.bus;
	}
	return true;
}

/* ------------------------------------------------------------ the search */

enum space { SPACE_IO, SPACE_MEMORY };

/* Which bridge window a BAR is placed through. */
enum through { THROUGH_IO, THROUGH_MEMORY, THROUGH_PREFETCHABLE };

struct assigner {
	const struct pci_assign_request *req;
	struct pci_assign_result *out;
	uint8_t placed[PCI_MAX_FUNCTIONS]; /* a bit per slot assigned by this pass */
};

/* The BAR being placed, and where it may go. */
struct candidate {
	enum space space;
	uint64_t ancestors;           /* bridges it is behind */
	const struct pci_window *window;
	uint64_t align;               /* and footprint: its size, or a page */
};

static bool same_space(const struct pci_bar *b, enum space s)
{
	if (b->kind == PCI_BAR_IO)
		return s == SPACE_IO;
	return (b->kind == PCI_BAR_MEM32 || b->kind == PCI_BAR_MEM64) && s == SPACE_MEMORY;
}

/* A BAR the firmware assigned, overlapping [first, last]: its end. */
static bool firmware_bar_conflict(const struct assigner *a, enum space s, uint64_t first,
				  uint64_t last, uint64_t *end)
{
	const struct pci_table *t = a->req->table;

	for (unsigned i = 0; i < t->count && i < PCI_MAX_FUNCTIONS; i++) {
		const struct pci_function *f = &t->functions[i];
		for (unsigned slot = 0; slot < f->bar_count && slot < PCI_MAX_BARS; slot++) {
			const struct pci_bar *b = &f->bars[slot];
			if ((a->placed[i] >> slot) & 1 || !same_space(b, s) || b->base == 0 ||
			    b->size == 0)
				continue;
			uint64_t b_last = last_of(b->base, b->size);
			if (overlap(first, last, b->base, b_last)) {
				*end = b_last;
				return true;
			}
		}
	}
	return false;
}

/* A BAR this pass placed, overlapping [first, last]: its footprint's end. */
static bool placed_conflict(const struct assigner *a, enum space s, uint64_t first,
			    uint64_t last, uint64_t *end)
{
	const struct pci_table *t = a->req->table;

	for (unsigned i = 0; i < a->out->count; i++) {
		const struct pci_assign_bar *r = &a->out->bars[i];
		if (!r->assigned || !same_space(&t->functions[r->function].bars[r->slot], s))
			continue;
		uint64_t footprint = s == SPACE_MEMORY && r->size < PCI_ASSIGN_PAGE ? PCI_ASSIGN_PAGE
										     : r->size;
		uint64_t r_last = last_of(r->bus_address, footprint);
		if (overlap(first, last, r->bus_address, r_last)) {
			*end = r_last;
			return true;
		}
	}
	return false;
}

static bool window_conflict(const struct pci_bridge_window *w, uint64_t first, uint64_t last,
			    uint64_t *end)
{
	if (!w->present || !overlap(first, last, w->base, w->limit))
		return false;
	*end = w->limit;
	return true;
}

/* A window of a bridge the BAR is not behind, overlapping [first, last]:
 * that bridge would claim the accesses. */
static bool bridge_conflict(const struct assigner *a, const struct candidate *c, uint64_t first,
			    uint64_t last, uint64_t *end)
{
	const struct pci_table *t = a->req->table;

	for (unsigned i = 0; i < t->count && i < PCI_MAX_FUNCTIONS; i++) {
		if ((c->ancestors >> i) & 1 || t->functions[i].header_type != HEADER_BRIDGE)
			continue;
		const struct pci_bridge_windows *w = &a->out->bridges[i];
		if (c->space == SPACE_IO && window_conflict(&w->io, first, last, end))
			return true;
		if (c->space == SPACE_MEMORY &&
		    (window_conflict(&w->memory, first, last, end) ||
		     window_conflict(&w->prefetchable, first, last, end)))
			return true;
	}
	return false;
}

/* A range the caller excluded, or CPU address 0, overlapping [first,
 * last] (bus addresses of the candidate's window): the bus address of its
 * end in the window. */
static bool excluded_conflict(const struct assigner *a, const struct candidate *c,
			      uint64_t first, uint64_t last, uint64_t *end)
{
	const struct pci_window *w = c->window;
	uint64_t cpu_first = w->cpu_base + (first - w->bus_base);
	uint64_t cpu_last = w->cpu_base + (last - w->bus_base);
	uint64_t window_last = last_of(w->cpu_base, w->size);

	/* CPU address 0 is never used: a table base of 0 means unassigned. */
	if (cpu_first == 0) {
		*end = first;
		return true;
	}
	for (unsigned i = 0; i < a->req->excluded_count; i++) {
		const struct pci_range *x = &a->req->excluded[i];
		if (x->size == 0)
			continue;
		uint64_t x_last = last_of(x->base, x->size);
		if (overlap(cpu_first, cpu_last, x->base, x_last)) {
			uint64_t stop = x_last < window_last ? x_last : window_last;
			*end = w->bus_base + (stop - w->cpu_base);
			return true;
		}
	}
	return false;
}

static bool conflict(const struct assigner *a, const struct candidate *c, uint64_t first,
		     uint64_t last, uint64_t *end)
{
	return firmware_bar_conflict(a, c->space, first, last, end) ||
	       placed_conflict(a, c->space, first, last, end) ||
	       bridge_conflict(a, c, first, last, end) || excluded_conflict(a, c, first, last, end);
}

/* The lowest free, aligned place for the candidate in bus addresses
 * [first, last]; false when there is none. Never address 0. */
static bool find_room(const struct assigner *a, const struct candidate *c, uint64_t first,
		      uint64_t last, uint64_t *found)
{
	uint64_t at, end, from = first == 0 ? 1 : first;

	while (align_up(from, c->align, &at) && at <= last && c->align - 1 <= last - at) {
		if (!conflict(a, c, at, at + (c->align - 1), &end)) {
			*found = at;
			return true;
		}
		if (end == UINT64_MAX || end < at)
			return false;
		from = end + 1;
	}
	return false;
}

/* ------------------------------------------------------------ choosing windows */

/* How well window `w` suits `bar`: 0 best, RANK_NEVER when it may not go
 * there at all. */
static int window_rank(const struct pci_window *w, const struct pci_bar *bar)
{
	if (bar->kind == PCI_BAR_IO)
		return w->kind == PCI_WINDOW_IO ? 0 : RANK_NEVER;
	if (w->kind == PCI_WINDOW_IO || (w->prefetchable && !bar->prefetchable))
		return RANK_NEVER;
	bool wide_window = w->kind == PCI_WINDOW_MEM64, wide_bar = bar->kind == PCI_BAR_MEM64;
	int rank = wide_window == wide_bar ? 0 : 2;
	return rank + (bar->prefetchable && !w->prefetchable ? 1 : 0);
}

static const struct pci_bridge_window *bridge_window(const struct pci_bridge_windows *w,
						     enum through through)
{
	switch (through) {
	case THROUGH_IO:
		return &w->io;
	case THROUGH_MEMORY:
		return &w->memory;
	case THROUGH_PREFETCHABLE:
		return &w->prefetchable;
	}
	return &w->io;
}

/* Narrows [*first, *last] to the `through` windows of every bridge the
 * candidate is behind; false when one has no such window (*missing then
 * says so) or nothing is left. */
static bool narrow_to_bridges(const struct assigner *a, const struct candidate *c,
			      enum through through, uint64_t *first, uint64_t *last,
			      bool *missing)
{
	for (unsigned i = 0; i < PCI_MAX_FUNCTIONS; i++) {
		if (!((c->ancestors >> i) & 1))
			continue;
		const struct pci_bridge_window *w = bridge_window(&a->out->bridges[i], through);
		if (!w->present) {
			*missing = true;
			return false;
		}
		if (w->base > *first)
			*first = w->base;
		if (w->limit < *last)
			*last = w->limit;
	}
	return *first <= *last;
}

/* What the search of one BAR found, across windows. */
struct search {
	bool window_of_kind;  /* some host window suits it */
	bool bridge_missing;  /* a bridge it is behind has no window of its kind */
	uint64_t found;
};

/* Tries window `w` for the candidate's BAR, through each suitable kind of
 * bridge window. */
static bool try_window(const struct assigner *a, struct candidate *c, const struct pci_bar *bar,
		       struct search *s)
{
	static const enum through io[] = { THROUGH_IO };
	static const enum through memory[] = { THROUGH_MEMORY };
	static const enum through prefetchable[] = { THROUGH_PREFETCHABLE, THROUGH_MEMORY };
	const enum through *ways = bar->kind == PCI_BAR_IO ? io
				   : bar->prefetchable     ? prefetchable
							   : memory;
	unsigned count = ways == prefetchable ? 2 : 1;

	for (unsigned i = 0; i < count; i++) {
		uint64_t first = c->window->bus_base;
		uint64_t last = c->window->bus_base + (c->window->size - 1);
		/* A 32-bit register (a 32-bit memory BAR, any I/O BAR) holds no
		 * more. */
		if (bar->kind != PCI_BAR_MEM64 && last > LIMIT_4G)
			last = LIMIT_4G;
		if (first > last)
			return false;
		if (c->ancestors && !narrow_to_bridges(a, c, ways[i], &first, &last, &s->bridge_missing))
			continue;
		if (find_room(a, c, first, last, &s->found))
			return true;
	}
	return false;
}

/* Places record `r`'s BAR: the window, or NULL with the reason set. */
static const struct pci_window *place(const struct assigner *a, struct pci_assign_bar *r,
				      uint64_t *bus)
{
	const struct pci_assign_request *req = a->req;
	const struct pci_bar *bar = &req->table->functions[r->function].bars[r->slot];
	struct candidate c = { .space = bar->kind == PCI_BAR_IO ? SPACE_IO : SPACE_MEMORY };
	struct search s = { .window_of_kind = false };

	if (r->size == 0 || (r->size & (r->size - 1))) {
		r->reason = REASON_BAD_SIZE;
		return NULL;
	}
	if (!ancestors_of(req->table, r->function, req->access->bus_first, &c.ancestors)) {
		r->reason = REASON_ORPHAN;
		return NULL;
	}
	c.align = c.space == SPACE_MEMORY && r->size < PCI_ASSIGN_PAGE ? PCI_ASSIGN_PAGE : r->size;
	for (int rank = 0; rank <= RANK_WORST; rank++) {
		for (unsigned w = 0; w < req->window_count; w++) {
			c.window = &req->windows[w];
			if (!window_valid(c.window) || window_rank(c.window, bar) != rank)
				continue;
			s.window_of_kind = true;
			if (try_window(a, &c, bar, &s)) {
				r->window = w;
				*bus = s.found;
				return c.window;
			}
		}
	}
	r->reason = !s.window_of_kind ? REASON_NO_WINDOW
		    : s.bridge_missing ? REASON_NO_BRIDGE_WINDOW
				       : REASON_NO_ROOM;
	return NULL;
}

/* ------------------------------------------------------------ programming */

/* Writes `bus` into BAR `slot` of `f` with decode off, reads it back;
 * false (the BAR put back as it was) when it did not keep it. */
static bool program_bar(const struct pci_config_access *a, const struct pci_function *f,
			unsigned slot, uint64_t bus)
{
	const struct pci_bar *bar = &f->bars[slot];
	bool wide = bar->kind == PCI_BAR_MEM64;
	uint32_t flags = bar->kind == PCI_BAR_IO ? BAR_IO_FLAGS : BAR_MEM_FLAGS;
	unsigned offset = REG_BAR0 + 4 * slot;
	uint32_t command = pci_read32(a, f->address, REG_COMMAND) & 0xffffu;
	bool decoding = (command & (COMMAND_IO | COMMAND_MEMORY)) != 0;

	/* The status half is written as zero: its error bits clear on ones. */
	if (decoding)
		pci_write32(a, f->address, REG_COMMAND, command & ~(COMMAND_IO | COMMAND_MEMORY));
	uint32_t low = pci_read32(a, f->address, offset), high = wide ? pci_read32(a, f->address, offset + 4) : 0;
	pci_write32(a, f->address, offset, (uint32_t)bus | (low & flags));
	if (wide)
		pci_write32(a, f->address, offset + 4, (uint32_t)(bus >> 32));
	uint64_t kept = pci_read32(a, f->address, offset) & ~flags;
	if (wide)
		kept |= (uint64_t)pci_read32(a, f->address, offset + 4) << 32;
	bool ok = kept == bus;
	if (!ok) {
		pci_write32(a, f->address, offset, low);
		if (wide)
			pci_write32(a, f->address, offset + 4, high);
	}
	if (decoding)
		pci_write32(a, f->address, REG_COMMAND, command);
	return ok;
}

/* Whether every BAR of function `f` in space `s` has an address. */
static bool space_complete(const struct pci_function *f, enum space s)
{
	for (unsigned slot = 0; slot < f->bar_count && slot < PCI_MAX_BARS; slot++) {
		if (same_space(&f->bars[slot], s) && f->bars[slot].size != 0 &&
		    f->bars[slot].base == 0)
			return false;
	}
	return true;
}

/* Turns on the decode of each space in which function `fi` got a BAR and
 * has no BAR left unassigned; marks its records. */
static void enable_decode(const struct assigner *a, unsigned fi)
{
	const struct pci_function *f = &a->req->table->functions[fi];
	uint32_t set = 0;

	for (unsigned i = 0; i < a->out->count; i++) {
		struct pci_assign_bar *r = &a->out->bars[i];
		if (r->function != fi || !r->assigned)
			continue;
		bool io = f->bars[r->slot].kind == PCI_BAR_IO;
		r->decode_on = space_complete(f, io ? SPACE_IO : SPACE_MEMORY);
		if (r->decode_on)
			set |= io ? COMMAND_IO : COMMAND_MEMORY;
	}
	if (!set)
		return;
	uint32_t command = pci_read32(a->req->access, f->address, REG_COMMAND) & 0xffffu;
	pci_write32(a->req->access, f->address, REG_COMMAND, command | set);
}

/* ------------------------------------------------------------ the pass */

static bool wanted(const struct pci_assign_request *req, unsigned fi)
{
	return req->only == PCI_ASSIGN_ALL || (unsigned)req->only == fi;
}

/* Records every unassigned BAR to place. */
static void collect(const struct pci_assign_request *req, struct pci_assign_result *out)
{
	const struct pci_table *t = req->table;

	for (unsigned i = 0; i < t->count && i < PCI_MAX_FUNCTIONS; i++) {
		const struct pci_function *f = &t->functions[i];
		if (!wanted(req, i))
			continue;
		for (unsigned slot = 0; slot < f->bar_count && slot < PCI_MAX_BARS; slot++) {
			const struct pci_bar *b = &f->bars[slot];
			if (b->kind == PCI_BAR_NONE || b->size == 0 || b->base != 0 ||
			    out->count == PCI_ASSIGN_MAX_BARS)
				continue;
			out->bars[out->count++] = (struct pci_assign_bar){
				.function = i, .slot = slot, .size = b->size };
		}
	}
}

/* Biggest first; equal sizes keep table order (insertion sort: stable,
 * and a few hundred records at most). */
static void sort_by_size(struct pci_assign_result *out)
{
	for (unsigned i = 1; i < out->count; i++) {
		struct pci_assign_bar r = out->bars[i];
		unsigned j = i;
		for (; j > 0 && out->bars[j - 1].size < r.size; j--)
			out->bars[j] = out->bars[j - 1];
		out->bars[j] = r;
	}
}

static void assign_one(struct assigner *a, struct pci_assign_bar *r)
{
	struct pci_function *f = &a->req->table->functions[r->function];
	uint64_t bus = 0;
	const struct pci_window *w = place(a, r, &bus);

	if (!w)
		return;
	if (!program_bar(a->req->access, f, r->slot, bus)) {
		r->reason = REASON_NOT_KEPT;
		return;
	}
	r->assigned = true;
	r->bus_address = bus;
	r->cpu_address = w->cpu_base + (bus - w->bus_base);
	a->placed[r->function] |= (uint8_t)(1u << r->slot);
	a->out->assigned++;
	f->bars[r->slot].base = f->bars[r->slot].kind == PCI_BAR_IO ? bus : r->cpu_address;
}

enum pci_assign_status pci_assign(const struct pci_assign_request *req,
				  struct pci_assign_result *out)
{
	struct assigner a = { .req = req, .out = out };

	out->count = 0;
	out->assigned = 0;
	if (!req->access || !req->access->read32 || !req->access->write32 || !req->table ||
	    (req->window_count && !req->windows) || (req->excluded_count && !req->excluded) ||
	    req->table->count > PCI_MAX_FUNCTIONS ||
	    (req->only != PCI_ASSIGN_ALL && (req->only < 0 || (unsigned)req->only >= req->table->count)))
		return PCI_ASSIGN_EINVAL;
	if (req->table->dropped)
		return PCI_ASSIGN_EINCOMPLETE;
	for (unsigned i = 0; i < req->table->count; i++)
		pci_assign_bridge_windows(req->access, &req->table->functions[i], &out->bridges[i]);
	collect(req, out);
	sort_by_size(out);
	for (unsigned i = 0; i < out->count; i++)
		assign_one(&a, &out->bars[i]);
	for (unsigned i = 0; i < req->table->count; i++) {
		if (a.placed[i])
			enable_decode(&a, i);
	}
	return PCI_ASSIGN_OK;
}

const char *pci_assign_status_name(enum pci_assign_status s)
{
	switch (s) {
	case PCI_ASSIGN_OK:
		return "ok";
	case PCI_ASSIGN_EINVAL:
		return "invalid request";
	case PCI_ASSIGN_EINCOMPLETE:
		return "table incomplete";
	}
	return "unknown";
}

/* ------------------------------------------------------------ boot lines */

/* Sizes as people write them: 4K, 16M, 2G; bytes when not a multiple. */
static size_t format_size(char *buf, size_t size, uint64_t bytes)
{
	static const char units[] = { 'G', 'M', 'K' };

	for (unsigned i = 0; i < sizeof(units); i++) {
		unsigned shift = 30 - 10 * i;
		if (bytes >= (1ULL << shift) && bytes % (1ULL << shift) == 0)
			return format_snprintf(buf, size, "%llu%c",
					       (unsigned long long)(bytes >> shift), units[i]);
	}
	return format_snprintf(buf, size, "%llu", (unsigned long long)bytes);
}

static const char *window_name(const struct pci_window *w)
{
	switch (w->kind) {
	case PCI_WINDOW_IO:
		return "I/O";
	case PCI_WINDOW_MEM32:
		return w->prefetchable ? "prefetchable 32-bit memory" : "32-bit memory";
	case PCI_WINDOW_MEM64:
		return w->prefetchable ? "prefetchable 64-bit memory" : "64-bit memory";
	}
	return "unknown";
}

size_t pci_assign_format(const struct pci_table *table, const struct pci_window *windows,
			 unsigned window_count, const struct pci_assign_bar *bar, char *buf,
			 size_t size)
{
	char bytes[24];
	struct pci_address at = { 0 };

	if (bar->function < table->count && bar->function < PCI_MAX_FUNCTIONS)
		at = table->functions[bar->function].address;
	(void)format_size(bytes, sizeof(bytes), bar->size);
	if (!bar->assigned)
		return format_snprintf(buf, size, "pci: %02x:%02x.%u bar%u (%s) not assigned: %s",
				       at.bus, at.device, at.function, bar->slot, bytes,
				       bar->reason ? bar->reason : "?");
	const char *from = bar->window < window_count ? window_name(&windows[bar->window]) : "?";
	return format_snprintf(buf, size, "pci: %02x:%02x.%u bar%u assigned 0x%llx (%s) from the %s window%s",
			       at.bus, at.device, at.function, bar->slot,
			       (unsigned long long)bar->cpu_address, bytes, from,
			       bar->decode_on ? "" : " (decode left off: another BAR is unassigned)");
}
