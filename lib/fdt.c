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
 * links nothing upwards.
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

static uint64_t align4(uint64_t x)
{
	return (x + 3) & ~3ULL;
}

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

static bool token_at(const struct fdt *f, int off, uint32_t *token)
{
	if (off < 0 || (uint64_t)off + TOKEN_SIZE > f->structs_size)
		return false;
	*token = fdt_be32(f->structs + off);
	return true;
}

/* The offset just past the token at `off` and its payload, or FDT_NO_NODE
 * when the token is FDT_END, unknown, or runs past the block. */
static int skip_token(const struct fdt *f, int off, uint32_t token)
{
	uint64_t pos = (uint64_t)off + TOKEN_SIZE;

	if (off < 0)
		return FDT_NO_NODE;
	switch (token) {
	case FDT_BEGIN_NODE:
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
static int node_from(const struct fdt *f, int off, bool skip_props)
{
	uint32_t t;

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

	do {
		if (!token_at(f, off, &t))
			return FDT_NO_NODE;
		if (t == FDT_BEGIN_NODE)
			depth++;
		else if (t == FDT_END_NODE)
			depth--;
		off = skip_token(f, off, t);
	} while (depth > 0 && off != FDT_NO_NODE);
	return node_from(f, off, false);
}

/* The node's name; only once skip_token() has proven it NUL-terminated. */
static const char *node_name(const struct fdt *f, int node)
{
	return (const char *)f->structs + node + TOKEN_SIZE;
}

static bool has_unit_address(const char *name)
{
	for (; *name; name++) {
		if (*name == '@')
			return true;
	}
	return false;
}

static bool name_matches(const char *node, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(node, name, n) != 0)
		return false;
	return node[n] == '\0' || (node[n] == '@' && !has_unit_address(name));
}

int fdt_find_child(const struct fdt *f, int node, const char *name)
{
	for (int c = fdt_first_child(f, node); c != FDT_NO_NODE; c = fdt_next_sibling(f, c)) {
		if (skip_token(f, c, FDT_BEGIN_NODE) != FDT_NO_NODE && /* name in bounds */
		    name_matches(node_name(f, c), name))
			return c;
	}
	return FDT_NO_NODE;
}

/* Whether the strings block holds `name`, NUL-terminated, at `off`. */
static bool string_is(const struct fdt *f, uint32_t off, const char *name)
{
	size_t n = strlen(name);

	return off < f->strings_size && n < f->strings_size - off &&
	       memcmp(f->strings + off, name, n + 1) == 0;
}

bool fdt_property(const struct fdt *f, int node, const char *name, const uint8_t **value,
		  uint32_t *length)
{
	int off = skip_token(f, node, FDT_BEGIN_NODE);
	uint32_t t;

	while (token_at(f, off, &t) && (t == FDT_PROP || t == FDT_NOP)) {
		int next = skip_token(f, off, t);

		if (next == FDT_NO_NODE)
			return false;
		if (t == FDT_PROP && string_is(f, fdt_be32(f->structs + off + PROP_NAMEOFF), name)) {
			*value = f->structs + off + PROP_VALUE;
			*length = fdt_be32(f->structs + off + PROP_LEN);
			return true;
		}
		off = next;
	}
	return false;
}

bool fdt_property_has_string(const struct fdt *f, int node, const char *name, const char *s)
{
	const uint8_t *v;
	uint32_t len;
	size_t n = strlen(s);

	if (!fdt_property(f, node, name, &v, &len))
		return false;
	for (uint32_t pos = 0; pos < len;) {
		const char *item = (const char *)v + pos;
		uint32_t item_len = 0;

		while (pos + item_len < len && item[item_len] != '\0')
			item_len++;
		if (item_len == n && pos + item_len < len && memcmp(item, s, n) == 0)
			return true;
		pos += item_len + 1;
	}
	return false;
}

/* A number of `cells` big-endian cells (0 to 2) at `p`. */
static uint64_t read_cells(const uint8_t *p, uint32_t cells)
{
	uint64_t value = 0;

	for (uint32_t i = 0; i < cells; i++)
		value = value << 32 | fdt_be32(p + i * CELL_SIZE);
	return value;
}

bool fdt_property_cells(const struct fdt *f, int node, const char *name, uint32_t cells,
			uint64_t *value)
{
	const uint8_t *v;
	uint32_t len;

	if (cells < 1 || cells > 2 || !fdt_property(f, node, name, &v, &len) ||
	    len < cells * CELL_SIZE)
		return false;
	*value = read_cells(v, cells);
	return true;
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
	int open[FDT_MAX_DEPTH];
	int depth = 0;
	uint32_t t;

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
	const uint8_t *v;
	uint32_t len;

	if (bus == FDT_NO_NODE)
		return false;
	uint64_t address_cells = bus_cells(f, bus, "#address-cells", DEFAULT_ADDRESS_CELLS);
	uint64_t size_cells = bus_cells(f, bus, "#size-cells", DEFAULT_SIZE_CELLS);
	if (address_cells < 1 || address_cells > MAX_ADDRESS_CELLS || size_cells > MAX_SIZE_CELLS ||
	    !fdt_property(f, node, "reg", &v, &len))
		return false;
	uint64_t entry_size = (address_cells + size_cells) * CELL_SIZE;
	if (index >= len / entry_size)
		return false;
	v += index * entry_size;
	*address = read_cells(v, (uint32_t)address_cells);
	*size = read_cells(v + address_cells * CELL_SIZE, (uint32_t)size_cells);
	return true;
}

/* The controller `node`'s interrupts go to: the phandle in
 * `interrupt-parent` of the node or of its nearest ancestor with one. */
static int interrupt_parent(const struct fdt *f, int node)
{
	uint64_t phandle;

	for (int n = node; n != FDT_NO_NODE; n = fdt_parent(f, n)) {
		if (fdt_property_cells(f, n, "interrupt-parent", 1, &phandle))
			return fdt_find_phandle(f, (uint32_t)phandle);
	}
	return FDT_NO_NODE;
}

bool fdt_interrupt(const struct fdt *f, int node, uint32_t index, struct fdt_interrupt *out)
{
	const uint8_t *v;
	uint32_t len;
	uint64_t cells;
	int controller;

	/* The property first: the controller costs walks over the tree. */
	if (!fdt_property(f, node, "interrupts", &v, &len))
		return false;
	controller = interrupt_parent(f, node);
	if (controller == FDT_NO_NODE ||
	    !fdt_property_cells(f, controller, "#interrupt-cells", 1, &cells) || cells < 1 ||
	    cells > FDT_INTERRUPT_CELLS_MAX || index >= len / (cells * CELL_SIZE))
		return false;
	v += (uint64_t)index * cells * CELL_SIZE;
	out->controller = controller;
	out->cell_count = (uint32_t)cells;
	for (uint32_t i = 0; i < cells; i++)
		out->cells[i] = fdt_be32(v + i * CELL_SIZE);
	return true;
}

/* A node's #cells property `name`, or `fallback` if it has none; false if
 * it is there but unreadable or above `max`. */
static bool cells_of(const struct fdt *f, int node, const char *name, uint32_t fallback,
		     uint32_t max, uint32_t *out)
{
	const uint8_t *v;
	uint32_t len;
	uint64_t cells;

	if (!fdt_property(f, node, name, &v, &len)) {
		*out = fallback;
		return fallback <= max;
	}
	if (!fdt_property_cells(f, node, name, 1, &cells) || cells > max)
		return false;
	*out = (uint32_t)cells;
	return true;
}

#define PCI_KEY_CELLS (FDT_PCI_ADDRESS_CELLS + FDT_PCI_INTERRUPT_CELLS)

/* Whether the map entry's child cells at `v`, masked, equal `key`. */
static bool key_matches(const uint8_t *v, const uint32_t key[PCI_KEY_CELLS],
			const uint32_t mask[PCI_KEY_CELLS])
{
	for (uint32_t i = 0; i < PCI_KEY_CELLS; i++) {
		if ((fdt_be32(v + i * CELL_SIZE) & mask[i]) != key[i])
			return false;
	}
	return true;
}

/* interrupt-map-mask, or all ones without one. */
static bool read_map_mask(const struct fdt *f, int host, uint32_t mask[PCI_KEY_CELLS])
{
	const uint8_t *v;
	uint32_t len;

	for (uint32_t i = 0; i < PCI_KEY_CELLS; i++)
		mask[i] = UINT32_MAX;
	if (!fdt_property(f, host, "interrupt-map-mask", &v, &len))
		return true;
	if (len != PCI_KEY_CELLS * CELL_SIZE)
		return false;
	for (uint32_t i = 0; i < PCI_KEY_CELLS; i++)
		mask[i] = fdt_be32(v + i * CELL_SIZE);
	return true;
}

bool fdt_pci_intx(const struct fdt *f, int host, uint32_t phys_hi, uint32_t pin,
		  struct fdt_interrupt *out)
{
	uint32_t mask[PCI_KEY_CELLS], key[PCI_KEY_CELLS];
	uint32_t address_cells, interrupt_cells;
	const uint8_t *v;
	uint32_t len;

	if (pin < 1 || pin > 4 || !fdt_property(f, host, "interrupt-map", &v, &len) ||
	    !cells_of(f, host, "#address-cells", 0, FDT_PCI_ADDRESS_CELLS, &address_cells) ||
	    !cells_of(f, host, "#interrupt-cells", 0, FDT_PCI_INTERRUPT_CELLS, &interrupt_cells) ||
	    address_cells != FDT_PCI_ADDRESS_CELLS || interrupt_cells != FDT_PCI_INTERRUPT_CELLS ||
	    !read_map_mask(f, host, mask))
		return false;
	const uint32_t unmasked[PCI_KEY_CELLS] = { phys_hi, 0, 0, pin };
	for (uint32_t i = 0; i < PCI_KEY_CELLS; i++)
		key[i] = unmasked[i] & mask[i];
	const uint32_t child = PCI_KEY_CELLS * CELL_SIZE;
	for (uint32_t at = 0; len - at >= child + CELL_SIZE;) {
		const uint8_t *e = v + at;
		int parent = fdt_find_phandle(f, fdt_be32(e + child));
		uint32_t parent_address, parent_cells;
		if (parent == FDT_NO_NODE ||
		    !cells_of(f, parent, "#address-cells", 0, 3, &parent_address) ||
		    !cells_of(f, parent, "#interrupt-cells", 0, FDT_INTERRUPT_CELLS_MAX,
			      &parent_cells) || parent_cells == 0)
			return false;
		uint32_t size = child + CELL_SIZE + (parent_address + parent_cells) * CELL_SIZE;
		if (len - at < size)
			return false;
		if (key_matches(e, key, mask)) {
			const uint8_t *spec = e + child + CELL_SIZE + parent_address * CELL_SIZE;
			out->controller = parent;
			out->cell_count = parent_cells;
			for (uint32_t i = 0; i < parent_cells; i++)
				out->cells[i] = fdt_be32(spec + i * CELL_SIZE);
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
	uint32_t child_cells, parent_cells, size_cells;
	const uint8_t *v;
	uint32_t len;

	if (parent == FDT_NO_NODE || !fdt_property(f, host, "ranges", &v, &len) ||
	    !cells_of(f, host, "#address-cells", 0, FDT_PCI_ADDRESS_CELLS, &child_cells) ||
	    child_cells != FDT_PCI_ADDRESS_CELLS ||
	    !cells_of(f, parent, "#address-cells", DEFAULT_ADDRESS_CELLS, MAX_ADDRESS_CELLS,
		      &parent_cells) || parent_cells < 1 ||
	    !cells_of(f, host, "#size-cells", DEFAULT_SIZE_CELLS, MAX_SIZE_CELLS, &size_cells) ||
	    size_cells < 1)
		return false;
	uint32_t entry_size = (child_cells + parent_cells + size_cells) * CELL_SIZE;
	if (index >= len / entry_size)
		return false;
	v += (uint64_t)index * entry_size;
	uint32_t phys_hi = fdt_be32(v);
	out->space = (phys_hi >> PCI_PHYS_HI_SPACE_SHIFT) & PCI_PHYS_HI_SPACE_MASK;
	out->prefetchable = (phys_hi & PCI_PHYS_HI_PREFETCHABLE) != 0;
	out->bus_address = read_cells(v + CELL_SIZE, 2);
	out->cpu_address = read_cells(v + child_cells * CELL_SIZE, parent_cells);
	out->size = read_cells(v + (child_cells + parent_cells) * CELL_SIZE, size_cells);
	return true;
}
