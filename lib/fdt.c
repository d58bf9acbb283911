/*
 * fdt: a small, defensive reader for flattened device trees (DTB).
 *
 * Format (Devicetree Specification, "Flattened Devicetree Format"): a
 * big-endian header, then a structure block of 32-bit tokens and a strings
 * block of property names. In the structure block a node is
 * FDT_BEGIN_NODE, its name (NUL-terminated, padded to 4 bytes), its
 * properties (FDT_PROP, value length, name offset, value padded to 4), its
 * child nodes, FDT_END_NODE; FDT_NOP may appear anywhere between tokens.
 * Nothing here allocates or writes; every offset is checked against the
 * block it points into before it is read, since the blob is firmware's.
 * Every walk moves forward through the structure block, so each ends
 * within its size however the blob is damaged; a node's parent is found
 * by walking from the root with the chain of open nodes, since the format
 * links nothing upwards. Inside the reader a property's value is an offset
 * and a length in the structure block, and every byte or cell of it is
 * read through value_byte() / value_cell(), which check it against both
 * the value's length and the block's end, with the one index they read
 * at: a read is safe by the check next to it, not by one made elsewhere
 * (which is also what lets Frama-C's EVA prove it; tests/verify/fdt.c).
 */
#include "fdt.h"

#include <kstring.h>

#define FDT_MAGIC 0xd00dfeedu
#define FDT_VERSION 17 /* the first with size_dt_struct */

/* Header fields (byte offsets, big-endian u32 each). */
#define HDR_MAGIC 0
#define HDR_TOTALSIZE 4
#define HDR_OFF_DT_STRUCT 8
#define HDR_OFF_DT_STRINGS 12
#define HDR_VERSION 20
#define HDR_LAST_COMP_VERSION 24
#define HDR_SIZE_DT_STRINGS 32
#define HDR_SIZE_DT_STRUCT 36
#define HDR_LENGTH 40

/* Structure-block tokens. */
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

#define TOKEN_SIZE 4
#define PROP_LEN 4     /* after the token: value length */
#define PROP_NAMEOFF 8 /* after the token: offset of the name in strings */
#define PROP_VALUE 12  /* after the token: the value */
#define CELL_SIZE 4

/* What the Devicetree Specification says a bus without #address-cells or
 * #size-cells has. */
#define DEFAULT_ADDRESS_CELLS 2
#define DEFAULT_SIZE_CELLS 1
#define MAX_ADDRESS_CELLS 2
#define MAX_SIZE_CELLS 2
/* Never a node's phandle. */
#define PHANDLE_NONE 0u
#define PHANDLE_INVALID 0xffffffffu

uint32_t fdt_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

#ifndef VERIFY_EVA /* WP proves it (tests/verify/fdt.mk); EVA checks the code alone */
/*@ assigns \result \from x; */
#endif
static uint64_t align4(uint64_t x)
{
	return (x + 3) & ~3ULL;
}

/*@ assigns \result \from off, size, total;
    ensures \result <==> off <= total && off + size <= total; */
static bool block_inside(uint32_t off, uint32_t size, uint32_t total)
{
	return off <= total && size <= total - off;
}

uint32_t fdt_total_size(const void *header)
{
	const uint8_t *h = header;

	if (!h || fdt_be32(h + HDR_MAGIC) != FDT_MAGIC)
		return 0;
	return fdt_be32(h + HDR_TOTALSIZE);
}

bool fdt_open(struct fdt *f, const void *blob, size_t size)
{
	const uint8_t *h = blob;

	if (!h || size < HDR_LENGTH || fdt_be32(h + HDR_MAGIC) != FDT_MAGIC ||
	    fdt_be32(h + HDR_VERSION) < FDT_VERSION ||
	    fdt_be32(h + HDR_LAST_COMP_VERSION) > FDT_VERSION)
		return false;
	uint32_t total = fdt_be32(h + HDR_TOTALSIZE);
	uint32_t structs = fdt_be32(h + HDR_OFF_DT_STRUCT);
	uint32_t strings = fdt_be32(h + HDR_OFF_DT_STRINGS);

	f->structs_size = fdt_be32(h + HDR_SIZE_DT_STRUCT);
	f->strings_size = fdt_be32(h + HDR_SIZE_DT_STRINGS);
	/* Node offsets are ints: a blob past INT32_MAX cannot be named. */
	if (total < HDR_LENGTH || total > size || total > INT32_MAX ||
	    !block_inside(structs, f->structs_size, total) ||
	    !block_inside(strings, f->strings_size, total) || (structs % TOKEN_SIZE) != 0)
		return false;
	f->structs = h + structs;
	f->strings = (const char *)h + strings;
	return true;
}

/* The big-endian cell at `off` in the structure block, if it is inside. */
#ifndef VERIFY_EVA /* WP proves it (tests/verify/fdt.mk); EVA checks the code alone */
/*@ requires fdt_readable(f) && \valid(cell) && \separated(cell, f);
    requires off <= UINT32_MAX * 2;
    assigns *cell;
    ensures \result <==> off + CELL_SIZE <= f->structs_size; */
#endif
static bool struct_cell(const struct fdt *f, uint64_t off, uint32_t *cell)
{
	if (off + CELL_SIZE > f->structs_size)
		return false;
	*cell = fdt_be32(f->structs + off);
	return true;
}

#ifndef VERIFY_EVA /* WP proves it (tests/verify/fdt.mk); EVA checks the code alone */
/*@ requires fdt_readable(f) && \valid(token) && \separated(token, f);
    assigns *token;
    ensures \result ==> 0 <= off && off + TOKEN_SIZE <= f->structs_size; */
#endif
static bool token_at(const struct fdt *f, int off, uint32_t *token)
{
	return off >= 0 && struct_cell(f, (uint64_t)off, token);
}

/* A property's value: `length` bytes at `offset` in the structure block. */
struct value {
	uint32_t offset;
	uint32_t length;
};

/* Byte `at` of a value; false past its end. */
static bool value_byte(const struct fdt *f, const struct value *v, uint64_t at, uint8_t *byte)
{
	uint64_t k = (uint64_t)v->offset + at;

	if (at >= v->length || k >= f->structs_size)
		return false;
	*byte = f->structs[k];
	return true;
}

/* The cell at byte `at` of a value; false if it runs past its end. */
static bool value_cell(const struct fdt *f, const struct value *v, uint64_t at, uint32_t *cell)
{
	if (at + CELL_SIZE > v->length)
		return false;
	return struct_cell(f, (uint64_t)v->offset + at, cell);
}

/* The offset just past the token at `off` and its payload, or FDT_NO_NODE
 * when the token is FDT_END, unknown, or runs past the block. */
#ifndef VERIFY_EVA /* WP proves it (tests/verify/fdt.mk); EVA checks the code alone */
/*@ requires fdt_readable(f);
    assigns \nothing;
    ensures \result == FDT_NO_NODE || 0 <= \result <= f->structs_size; */
#endif
static int skip_token(const struct fdt *f, int off, uint32_t token)
{
	uint64_t pos = (uint64_t)off + TOKEN_SIZE;

	if (off < 0)
		return FDT_NO_NODE;
	switch (token) {
	case FDT_BEGIN_NODE:
#ifndef VERIFY_EVA
		/*@ loop invariant (uint64_t)off + TOKEN_SIZE <= pos;
		    loop invariant pos == (uint64_t)off + TOKEN_SIZE || pos <= f->structs_size;
		    loop assigns pos;
		    loop variant f->structs_size - pos; */
#endif
		while (pos < f->structs_size && f->structs[pos] != '\0')
			pos++;
		pos = align4(pos + 1);
		break;
	case FDT_PROP:
		if (pos + PROP_VALUE - TOKEN_SIZE > f->structs_size)
			return FDT_NO_NODE;
		pos = align4(pos + PROP_VALUE - TOKEN_SIZE + fdt_be32(f->structs + pos));
		break;
	case FDT_END_NODE:
	case FDT_NOP:
		break;
	default:
		return FDT_NO_NODE;
	}
	return pos <= f->structs_size ? (int)pos : FDT_NO_NODE;
}

/* From `off`, past NOPs (and properties, if `skip_props`); returns the
 * offset if a node begins there. */
#ifndef VERIFY_EVA /* WP proves it (tests/verify/fdt.mk); EVA checks the code alone */
/*@ requires fdt_readable(f);
    assigns \nothing;
    ensures fdt_node_or_none(f, \result); */
#endif
static int node_from(const struct fdt *f, int off, bool skip_props)
{
	uint32_t t;

#ifndef VERIFY_EVA
	/*@ loop assigns off, t; */
#endif
	while (token_at(f, off, &t)) {
		if (t == FDT_BEGIN_NODE)
			return off;
		if (t != FDT_NOP && !(skip_props && t == FDT_PROP))
			return FDT_NO_NODE;
		off = skip_token(f, off, t);
	}
	return FDT_NO_NODE;
}

int fdt_root(const struct fdt *f)
{
	return node_from(f, 0, false);
}

int fdt_first_child(const struct fdt *f, int node)
{
	return node_from(f, skip_token(f, node, FDT_BEGIN_NODE), true);
}

int fdt_next_sibling(const struct fdt *f, int node)
{
	int depth = 0, off = node;
	uint32_t t;

#ifndef VERIFY_EVA
	/*@ loop invariant 0 <= depth;
	    loop assigns depth, off, t; */
#endif
	do {
		if (!token_at(f, off, &t))
			return FDT_NO_NODE;
		if (t == FDT_BEGIN_NODE) {
			/* Never taken: every open node has a token of its own in a
			 * block under 2 GiB. Said here so the count cannot overflow. */
			if (depth == INT32_MAX)
				return FDT_NO_NODE;
			depth++;
		} else if (t == FDT_END_NODE) {
			depth--;
		}
		off = skip_token(f, off, t);
	} while (depth > 0 && off != FDT_NO_NODE);
	return node_from(f, off, false);
}

#ifndef VERIFY_EVA /* WP proves it (tests/verify/fdt.mk); EVA checks the code alone */
/*@ requires \valid_read(name + (0 .. n - 1));
    assigns \nothing; */
#endif
static bool has_unit_address(const char *name, size_t n)
{
#ifndef VERIFY_EVA
	/*@ loop invariant 0 <= i <= n;
	    loop assigns i;
	    loop variant n - i; */
#endif
	for (size_t i = 0; i < n; i++) {
		if (name[i] == '@')
			return true;
	}
	return false;
}

/* Whether the name of the node at `node` (after its token, NUL-terminated)
 * is `name`, or `name` and a unit address when `name` has none. Each byte
 * is checked against the block's end as it is read. */
#ifndef VERIFY_EVA /* WP proves it (tests/verify/fdt.mk); EVA checks the code alone */
/*@ requires fdt_readable(f) && valid_read_string(name);
    assigns \nothing; */
#endif
static bool node_name_matches(const struct fdt *f, int node, const char *name)
{
	size_t n = strlen(name);
	uint64_t start = (uint64_t)node + TOKEN_SIZE;
	uint64_t k = start;

#ifndef VERIFY_EVA
	/*@ loop invariant 0 <= i <= n;
	    loop assigns i, k;
	    loop variant n - i; */
#endif
	for (size_t i = 0; i < n; i++, k++) {
		if (k >= f->structs_size || f->structs[k] != (uint8_t)name[i])
			return false;
	}
	if (k >= f->structs_size)
		return false;
	return f->structs[k] == '\0' || (f->structs[k] == '@' && !has_unit_address(name, n));
}

int fdt_find_child(const struct fdt *f, int node, const char *name)
{
#ifndef VERIFY_EVA
	/*@ loop invariant fdt_node_or_none(f, c);
	    loop assigns c; */
#endif
	for (int c = fdt_first_child(f, node); c != FDT_NO_NODE; c = fdt_next_sibling(f, c)) {
		if (skip_token(f, c, FDT_BEGIN_NODE) != FDT_NO_NODE && /* a well-formed name */
		    node_name_matches(f, c, name))
			return c;
	}
	return FDT_NO_NODE;
}

/* Whether the strings block holds `name`, NUL-terminated, at `off`. */
static bool string_is(const struct fdt *f, uint32_t off, const char *name)
{
	size_t n = strlen(name);

	uint64_t end = (uint64_t)off + n;

	return end < f->strings_size && memcmp(f->strings + off, name, n + 1) == 0;
}

/* The value of property `name` of `node`, as an offset and a length. */
static bool find_property(const struct fdt *f, int node, const char *name, struct value *out)
{
	int off = skip_token(f, node, FDT_BEGIN_NODE);
	uint32_t t, name_off = 0, length = 0;

	while (token_at(f, off, &t) && (t == FDT_PROP || t == FDT_NOP)) {
		int next = skip_token(f, off, t);

		if (next == FDT_NO_NODE)
			return false;
		/* skip_token() has checked the whole property against the
		 * block's end; the cells are read through the checked reader
		 * all the same. */
		if (t == FDT_PROP && struct_cell(f, (uint64_t)off + PROP_NAMEOFF, &name_off) &&
		    struct_cell(f, (uint64_t)off + PROP_LEN, &length) && string_is(f, name_off, name)) {
			out->offset = (uint32_t)off + PROP_VALUE;
			out->length = length;
			return true;
		}
		off = next;
	}
	return false;
}

bool fdt_property(const struct fdt *f, int node, const char *name, const uint8_t **value,
		  uint32_t *length)
{
	struct value v;

	if (!find_property(f, node, name, &v))
		return false;
	*value = f->structs + v.offset;
	*length = v.length;
	return true;
}

/* Whether the bytes of `v` at `at` are `n` bytes equal to `s`. */
static bool value_bytes_are(const struct fdt *f, const struct value *v, uint64_t at,
			    const char *s, size_t n)
{
	uint8_t c;

	for (size_t i = 0; i < n; i++) {
		if (!value_byte(f, v, at + i, &c) || c != (uint8_t)s[i])
			return false;
	}
	return true;
}

bool fdt_property_has_string(const struct fdt *f, int node, const char *name, const char *s)
{
	struct value v;
	size_t n = strlen(s);
	uint8_t c = 0;

	if (!find_property(f, node, name, &v))
		return false;
	for (uint64_t pos = 0; pos < v.length;) {
		uint64_t item_len = 0;

		while (value_byte(f, &v, pos + item_len, &c) && c != '\0')
			item_len++;
		/* A string counts only with its NUL inside the value. */
		if (item_len == n && pos + item_len < v.length && value_bytes_are(f, &v, pos, s, n))
			return true;
		pos += item_len + 1;
	}
	return false;
}

/* A number of `cells` big-endian cells (0 to 2) at byte `at` of `v`;
 * false if they run past its end. */
static bool read_cells(const struct fdt *f, const struct value *v, uint64_t at, uint32_t cells,
		       uint64_t *number)
{
	uint64_t value = 0;
	uint32_t cell;

	for (uint32_t i = 0; i < cells; i++) {
		if (!value_cell(f, v, at + (uint64_t)i * CELL_SIZE, &cell))
			return false;
		value = value << 32 | cell;
	}
	*number = value;
	return true;
}

bool fdt_property_cells(const struct fdt *f, int node, const char *name, uint32_t cells,
			uint64_t *value)
{
	struct value v;

	return cells >= 1 && cells <= 2 && find_property(f, node, name, &v) &&
	       read_cells(f, &v, 0, cells, value);
}

bool fdt_node_enabled(const struct fdt *f, int node)
{
	const uint8_t *status;
	uint32_t length;

	return !fdt_property(f, node, "status", &status, &length) ||
	       fdt_property_has_string(f, node, "status", "okay") ||
	       fdt_property_has_string(f, node, "status", "ok");
}

/* The next node to begin after the token at `off`, in document order:
 * past properties, NOPs and the ends of nodes. */
static int next_node_in_order(const struct fdt *f, int off)
{
	uint32_t t;

	if (!token_at(f, off, &t))
		return FDT_NO_NODE;
	for (off = skip_token(f, off, t); token_at(f, off, &t); off = skip_token(f, off, t)) {
		if (t == FDT_BEGIN_NODE)
			return off;
	}
	return FDT_NO_NODE;
}

int fdt_parent(const struct fdt *f, int node)
{
	int open[FDT_MAX_DEPTH] = { 0 };
	int depth = 0;
	uint32_t t;

#ifndef VERIFY_EVA
	/*@ loop invariant 0 <= depth <= FDT_MAX_DEPTH;
	    loop invariant \forall integer i; 0 <= i < depth ==> fdt_node_or_none(f, open[i]) &&
		open[i] != FDT_NO_NODE;
	    loop assigns off, t, depth, open[0 .. FDT_MAX_DEPTH - 1]; */
#endif
	for (int off = fdt_root(f); off <= node && token_at(f, off, &t);
	     off = skip_token(f, off, t)) {
		if (t == FDT_BEGIN_NODE) {
			if (off == node)
				return depth > 0 ? open[depth - 1] : FDT_NO_NODE;
			if (depth == FDT_MAX_DEPTH)
				return FDT_NO_NODE;
			open[depth++] = off;
		} else if (t == FDT_END_NODE) {
			if (depth == 0)
				return FDT_NO_NODE;
			depth--;
		}
	}
	return FDT_NO_NODE;
}

int fdt_find_compatible(const struct fdt *f, int after, const char *compatible)
{
	int node = after == FDT_NO_NODE ? fdt_root(f) : next_node_in_order(f, after);

	for (; node != FDT_NO_NODE; node = next_node_in_order(f, node)) {
		if (fdt_property_has_string(f, node, "compatible", compatible))
			return node;
	}
	return FDT_NO_NODE;
}

static bool node_has_phandle(const struct fdt *f, int node, uint32_t phandle)
{
	uint64_t value;

	return (fdt_property_cells(f, node, "phandle", 1, &value) ||
		fdt_property_cells(f, node, "linux,phandle", 1, &value)) &&
	       value == phandle;
}

int fdt_find_phandle(const struct fdt *f, uint32_t phandle)
{
	if (phandle == PHANDLE_NONE || phandle == PHANDLE_INVALID)
		return FDT_NO_NODE;
	for (int node = fdt_root(f); node != FDT_NO_NODE; node = next_node_in_order(f, node)) {
		if (node_has_phandle(f, node, phandle))
			return node;
	}
	return FDT_NO_NODE;
}

/* One of a bus's cell counts, or `fallback` when the bus does not say. */
static uint64_t bus_cells(const struct fdt *f, int bus, const char *name, uint64_t fallback)
{
	uint64_t cells;

	return fdt_property_cells(f, bus, name, 1, &cells) ? cells : fallback;
}

bool fdt_reg(const struct fdt *f, int node, uint32_t index, uint64_t *address, uint64_t *size)
{
	int bus = fdt_parent(f, node);
	struct value v;
	uint64_t entry_address, entry_size_value;

	if (bus == FDT_NO_NODE)
		return false;
	uint64_t address_cells = bus_cells(f, bus, "#address-cells", DEFAULT_ADDRESS_CELLS);
	uint64_t size_cells = bus_cells(f, bus, "#size-cells", DEFAULT_SIZE_CELLS);
	if (address_cells < 1 || address_cells > MAX_ADDRESS_CELLS || size_cells > MAX_SIZE_CELLS ||
	    !find_property(f, node, "reg", &v))
		return false;
	uint64_t entry_size = (address_cells + size_cells) * CELL_SIZE;
	if (index >= v.length / entry_size)
		return false;
	uint64_t at = index * entry_size;
	if (!read_cells(f, &v, at, (uint32_t)address_cells, &entry_address) ||
	    !read_cells(f, &v, at + address_cells * CELL_SIZE, (uint32_t)size_cells,
			&entry_size_value))
		return false;
	*address = entry_address;
	*size = entry_size_value;
	return true;
}

/* The controller `node`'s interrupts go to: the phandle in
 * `interrupt-parent` of the node or of its nearest ancestor with one. */
static int interrupt_parent(const struct fdt *f, int node)
{
	uint64_t phandle = 0;

	for (int n = node; n != FDT_NO_NODE; n = fdt_parent(f, n)) {
		if (fdt_property_cells(f, n, "interrupt-parent", 1, &phandle))
			return fdt_find_phandle(f, (uint32_t)phandle);
	}
	return FDT_NO_NODE;
}

/* `count` cells at byte `at` of `v` into `cells`; false if they run past
 * its end. */
static bool read_specifier(const struct fdt *f, const struct value *v, uint64_t at,
			   uint32_t count, uint32_t cells[FDT_INTERRUPT_CELLS_MAX])
{
	for (uint32_t i = 0; i < count && i < FDT_INTERRUPT_CELLS_MAX; i++) {
		if (!value_cell(f, v, at + (uint64_t)i * CELL_SIZE, &cells[i]))
			return false;
	}
	return true;
}

bool fdt_interrupt(const struct fdt *f, int node, uint32_t index, struct fdt_interrupt *out)
{
	struct value v;
	uint64_t cells = 0;
	uint32_t spec[FDT_INTERRUPT_CELLS_MAX] = { 0 };
	int controller;

	/* The property first: the controller costs walks over the tree. */
	if (!find_property(f, node, "interrupts", &v))
		return false;
	controller = interrupt_parent(f, node);
	if (controller == FDT_NO_NODE ||
	    !fdt_property_cells(f, controller, "#interrupt-cells", 1, &cells) || cells < 1 ||
	    cells > FDT_INTERRUPT_CELLS_MAX || index >= v.length / (cells * CELL_SIZE) ||
	    !read_specifier(f, &v, (uint64_t)index * cells * CELL_SIZE, (uint32_t)cells, spec))
		return false;
	out->controller = controller;
	out->cell_count = (uint32_t)cells;
	for (uint32_t i = 0; i < FDT_INTERRUPT_CELLS_MAX; i++)
		out->cells[i] = spec[i];
	return true;
}

/* A node's #cells property `name`, or `fallback` if it has none; false if
 * it is there but unreadable or above `max`. */
static bool cells_of(const struct fdt *f, int node, const char *name, uint32_t fallback,
		     uint32_t max, uint32_t *out)
{
	struct value v;
	uint64_t cells;

	if (!find_property(f, node, name, &v)) {
		*out = fallback;
		return fallback <= max;
	}
	if (!fdt_property_cells(f, node, name, 1, &cells) || cells > max)
		return false;
	*out = (uint32_t)cells;
	return true;
}

#define PCI_KEY_CELLS (FDT_PCI_ADDRESS_CELLS + FDT_PCI_INTERRUPT_CELLS)

/* Whether the map entry's child cells at byte `at` of `map`, masked,
 * equal `key` (false too if they run past its end). */
static bool key_matches(const struct fdt *f, const struct value *map, uint64_t at,
			const uint32_t key[PCI_KEY_CELLS], const uint32_t mask[PCI_KEY_CELLS])
{
	uint32_t cell;

	for (uint32_t i = 0; i < PCI_KEY_CELLS; i++) {
		if (!value_cell(f, map, at + (uint64_t)i * CELL_SIZE, &cell) ||
		    (cell & mask[i]) != key[i])
			return false;
	}
	return true;
}

/* interrupt-map-mask, or all ones without one. */
static bool read_map_mask(const struct fdt *f, int host, uint32_t mask[PCI_KEY_CELLS])
{
	struct value v;

	for (uint32_t i = 0; i < PCI_KEY_CELLS; i++)
		mask[i] = UINT32_MAX;
	if (!find_property(f, host, "interrupt-map-mask", &v))
		return true;
	if (v.length != PCI_KEY_CELLS * CELL_SIZE)
		return false;
	for (uint32_t i = 0; i < PCI_KEY_CELLS; i++) {
		if (!value_cell(f, &v, (uint64_t)i * CELL_SIZE, &mask[i]))
			return false;
	}
	return true;
}

bool fdt_pci_intx(const struct fdt *f, int host, uint32_t phys_hi, uint32_t pin,
		  struct fdt_interrupt *out)
{
	uint32_t mask[PCI_KEY_CELLS], key[PCI_KEY_CELLS];
	uint32_t address_cells = 0, interrupt_cells = 0;
	struct value map;

	if (pin < 1 || pin > 4 || !find_property(f, host, "interrupt-map", &map) ||
	    !cells_of(f, host, "#address-cells", 0, FDT_PCI_ADDRESS_CELLS, &address_cells) ||
	    !cells_of(f, host, "#interrupt-cells", 0, FDT_PCI_INTERRUPT_CELLS, &interrupt_cells) ||
	    address_cells != FDT_PCI_ADDRESS_CELLS || interrupt_cells != FDT_PCI_INTERRUPT_CELLS ||
	    !read_map_mask(f, host, mask))
		return false;
	const uint32_t unmasked[PCI_KEY_CELLS] = { phys_hi, 0, 0, pin };
	for (uint32_t i = 0; i < PCI_KEY_CELLS; i++)
		key[i] = unmasked[i] & mask[i];
	const uint32_t child = PCI_KEY_CELLS * CELL_SIZE;
	uint32_t phandle;
	/* Each entry: the child cells, the parent's phandle, the parent's
	 * address and interrupt cells; `at` only grows, to the map's end. */
	for (uint64_t at = 0; at + child + CELL_SIZE <= map.length;) {
		if (!value_cell(f, &map, at + child, &phandle))
			return false;
		int parent = fdt_find_phandle(f, phandle);
		uint32_t parent_address = 0, parent_cells = 0;
		uint32_t spec[FDT_INTERRUPT_CELLS_MAX] = { 0 };
		if (parent == FDT_NO_NODE ||
		    !cells_of(f, parent, "#address-cells", 0, 3, &parent_address) ||
		    !cells_of(f, parent, "#interrupt-cells", 0, FDT_INTERRUPT_CELLS_MAX,
			      &parent_cells) || parent_cells == 0)
			return false;
		uint64_t size = child + CELL_SIZE + (uint64_t)(parent_address + parent_cells) * CELL_SIZE;
		if (map.length - at < size)
			return false;
		if (key_matches(f, &map, at, key, mask)) {
			uint64_t spec_at = at + child + CELL_SIZE + (uint64_t)parent_address * CELL_SIZE;
			if (!read_specifier(f, &map, spec_at, parent_cells, spec))
				return false;
			out->controller = parent;
			out->cell_count = parent_cells;
			for (uint32_t i = 0; i < FDT_INTERRUPT_CELLS_MAX; i++)
				out->cells[i] = spec[i];
			return true;
		}
		at += size;
	}
	return false;
}

#define PCI_PHYS_HI_SPACE_SHIFT 24
#define PCI_PHYS_HI_SPACE_MASK 3u
#define PCI_PHYS_HI_PREFETCHABLE (1u << 30)

bool fdt_pci_range(const struct fdt *f, int host, uint32_t index, struct fdt_pci_range *out)
{
	int parent = fdt_parent(f, host);
	uint32_t child_cells = 0, parent_cells = 0, size_cells = 0, phys_hi;
	uint64_t bus_address, cpu_address, size;
	struct value v;

	if (parent == FDT_NO_NODE || !find_property(f, host, "ranges", &v) ||
	    !cells_of(f, host, "#address-cells", 0, FDT_PCI_ADDRESS_CELLS, &child_cells) ||
	    child_cells != FDT_PCI_ADDRESS_CELLS ||
	    !cells_of(f, parent, "#address-cells", DEFAULT_ADDRESS_CELLS, MAX_ADDRESS_CELLS,
		      &parent_cells) || parent_cells < 1 ||
	    !cells_of(f, host, "#size-cells", DEFAULT_SIZE_CELLS, MAX_SIZE_CELLS, &size_cells) ||
	    size_cells < 1)
		return false;
	uint32_t entry_size = (child_cells + parent_cells + size_cells) * CELL_SIZE;
	if (index >= v.length / entry_size)
		return false;
	uint64_t at = (uint64_t)index * entry_size;
	if (!value_cell(f, &v, at, &phys_hi) || !read_cells(f, &v, at + CELL_SIZE, 2, &bus_address) ||
	    !read_cells(f, &v, at + child_cells * CELL_SIZE, parent_cells, &cpu_address) ||
	    !read_cells(f, &v, at + (uint64_t)(child_cells + parent_cells) * CELL_SIZE, size_cells,
			&size))
		return false;
	out->space = (phys_hi >> PCI_PHYS_HI_SPACE_SHIFT) & PCI_PHYS_HI_SPACE_MASK;
	out->prefetchable = (phys_hi & PCI_PHYS_HI_PREFETCHABLE) != 0;
	out->bus_address = bus_address;
	out->cpu_address = cpu_address;
	out->size = size;
	return true;
}
