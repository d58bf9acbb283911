/*
 * fdt: reading a flattened device tree (the DTB the firmware publishes).
 *
 * One reader for the loader, the kernel and the host tests: it walks
 * nodes and reads properties in place and read-only. The loader asks the
 * device tree where CPUs are and how to start them when there are no ACPI
 * tables; the kernel asks where its devices are (by compatible string,
 * their `reg` and `interrupts`). A node is named by the offset of its
 * FDT_BEGIN_NODE token in the structure block; every walk checks its
 * bounds, because the blob comes from firmware. All values in a DTB are
 * big-endian. Portable and freestanding: no allocation, no libc.
 */
#ifndef CAMBIOS_LIB_FDT_H
#define CAMBIOS_LIB_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FDT_NO_NODE (-1)
#define FDT_HEADER_SIZE 40

/* Nodes nested deeper than this are not looked into by the walks that
 * need a node's ancestors (fdt_parent, the interrupt parent). Real trees
 * are under ten levels deep. */
#define FDT_MAX_DEPTH 32

/* The most cells one interrupt specifier may have (#interrupt-cells);
 * the GIC uses 3. */
#define FDT_INTERRUPT_CELLS_MAX 4

struct fdt {
	const uint8_t *structs; /* the structure block */
	uint32_t structs_size;
	const char *strings;    /* the strings block (property names) */
	uint32_t strings_size;
};

/*@ // What fdt_open guarantees of a `struct fdt` it accepted, and what
    // every walk and lookup below relies on.
    predicate fdt_readable(struct fdt *f) =
	\valid_read(f) && f->structs_size <= INT32_MAX &&
	\valid_read(f->structs + (0 .. f->structs_size - 1)) &&
	\valid_read(f->strings + (0 .. f->strings_size - 1));

    // What a walk hands out: FDT_NO_NODE, or the offset of a token that
    // lies inside the structure block.
    predicate fdt_node_or_none(struct fdt *f, integer node) =
	node == FDT_NO_NODE || (0 <= node && node + 4 <= f->structs_size);
*/

/* One interrupt of a node: the controller it goes to and its specifier,
 * `cell_count` cells as that controller's #interrupt-cells says. */
struct fdt_interrupt {
	int controller;
	uint32_t cell_count;
	uint32_t cells[FDT_INTERRUPT_CELLS_MAX];
};

/* The blob's declared size (header `totalsize`), or 0 when `header` does
 * not start with the DTB magic. For callers that only have a pointer: the
 * header is FDT_HEADER_SIZE bytes and must be readable. */
/*@ requires header == \null ||
	\valid_read((const uint8_t *)header + (0 .. FDT_HEADER_SIZE - 1));
    assigns \result \from ((const uint8_t *)header)[0 .. 7], header;
    ensures header == \null ==> \result == 0; */
uint32_t fdt_total_size(const void *header);

/* Checks the header of the blob at `blob`, of which `size` bytes are
 * readable; false if it is not a DTB this reader understands (magic,
 * version 17 layout, totalsize within `size`, blocks inside totalsize). */
/*@ requires \valid(f);
    requires blob == \null || \valid_read((const uint8_t *)blob + (0 .. size - 1));
    requires \separated(f, (const uint8_t *)blob + (0 .. size - 1));
    assigns *f \from ((const uint8_t *)blob)[0 .. size - 1], blob, size;
    ensures \result ==> f->structs_size <= INT32_MAX &&
	\valid_read(f->structs + (0 .. f->structs_size - 1)) &&
	\valid_read(f->strings + (0 .. f->strings_size - 1)); */
bool fdt_open(struct fdt *f, const void *blob, size_t size);

/* The root node, or FDT_NO_NODE. */
#ifndef VERIFY_EVA /* WP proves it (tests/verify/fdt.mk); EVA checks the code alone */
/*@ requires fdt_readable(f);
    assigns \nothing;
    ensures fdt_node_or_none(f, \result); */
#endif
int fdt_root(const struct fdt *f);

/* The first child of `node` / the next sibling of `node`, or FDT_NO_NODE. */
#ifndef VERIFY_EVA /* WP proves it (tests/verify/fdt.mk); EVA checks the code alone */
/*@ requires fdt_readable(f);
    assigns \nothing;
    ensures fdt_node_or_none(f, \result); */
#endif
int fdt_first_child(const struct fdt *f, int node);
#ifndef VERIFY_EVA /* WP proves it (tests/verify/fdt.mk); EVA checks the code alone */
/*@ requires fdt_readable(f);
    assigns \nothing;
    ensures fdt_node_or_none(f, \result); */
#endif
int fdt_next_sibling(const struct fdt *f, int node);

/* The parent of `node`, or FDT_NO_NODE for the root, for something that is
 * not a node, or past FDT_MAX_DEPTH. */
#ifndef VERIFY_EVA /* WP proves it (tests/verify/fdt.mk); EVA checks the code alone */
/*@ requires fdt_readable(f);
    assigns \nothing;
    ensures fdt_node_or_none(f, \result); */
#endif
int fdt_parent(const struct fdt *f, int node);

/* The child of `node` called `name`: the full name ("cpu@1") or, when
 * `name` has no unit address, the part before '@' ("cpus"). */
#ifndef VERIFY_EVA /* WP proves it (tests/verify/fdt.mk); EVA checks the code alone */
/*@ requires fdt_readable(f);
    requires valid_read_string(name);
    assigns \nothing;
    ensures fdt_node_or_none(f, \result); */
#endif
int fdt_find_child(const struct fdt *f, int node, const char *name);

/* The first node after `after` in document order (FDT_NO_NODE: from the
 * root) whose `compatible` list holds `compatible`, or FDT_NO_NODE. Call
 * again with the node found to get the next one. */
/*@ requires fdt_readable(f); */
int fdt_find_compatible(const struct fdt *f, int after, const char *compatible);

/* The node whose `phandle` (or older `linux,phandle`) is `phandle`, or
 * FDT_NO_NODE. */
/*@ requires fdt_readable(f); */
int fdt_find_phandle(const struct fdt *f, uint32_t phandle);

/* The value of property `name` of `node` and its length in bytes; false if
 * the node has no such property. */
/*@ requires fdt_readable(f); */
bool fdt_property(const struct fdt *f, int node, const char *name, const uint8_t **value,
		  uint32_t *length);

/* Whether property `name` of `node` is a string list containing `s`. */
/*@ requires fdt_readable(f); */
bool fdt_property_has_string(const struct fdt *f, int node, const char *name, const char *s);

/* Property `name` as one number of `cells` 32-bit cells (1 or 2); false if
 * it is missing or shorter. */
/*@ requires fdt_readable(f); */
bool fdt_property_cells(const struct fdt *f, int node, const char *name, uint32_t cells,
			uint64_t *value);

/* Whether the node is in use: no `status`, or "okay" (or the older "ok"). */
/*@ requires fdt_readable(f); */
bool fdt_node_enabled(const struct fdt *f, int node);

/* Entry `index` of the node's `reg`: an address and a size, as many cells
 * each as the parent's #address-cells (1 or 2) and #size-cells (0 to 2)
 * say. The address is in the parent bus's space: `ranges` are not applied
 * (on the boards we run on, the buses that hold our devices map 1:1).
 * False when the entry is missing or the cell counts are unusable. */
/*@ requires fdt_readable(f); */
bool fdt_reg(const struct fdt *f, int node, uint32_t index, uint64_t *address, uint64_t *size);

/* Interrupt `index` of the node's `interrupts`, with the controller found
 * through `interrupt-parent` on the node or its nearest ancestor that has
 * one, and that controller's #interrupt-cells (1 to
 * FDT_INTERRUPT_CELLS_MAX). False when any of it is missing or malformed.
 * (`interrupts-extended` and `interrupt-map` are not read.) */
/*@ requires fdt_readable(f); */
bool fdt_interrupt(const struct fdt *f, int node, uint32_t index, struct fdt_interrupt *out);

/* PCI: the cells of a child unit address (phys.hi, mid, lo) and of an
 * INTx specifier (the pin, 1-4) under a PCI host bridge. */
#define FDT_PCI_ADDRESS_CELLS 3
#define FDT_PCI_INTERRUPT_CELLS 1

/* The interrupt INTx pin `pin` (1-4) of the PCI function whose
 * configuration address is `phys_hi` (bus << 16 | device << 11 |
 * function << 8) raises, through the `interrupt-map` and
 * `interrupt-map-mask` of the host bridge node `host` (the PCI binding,
 * IEEE 1275 / devicetree spec 2.4.3): the child address and pin, masked,
 * looked up among the map's entries, each naming its parent controller
 * by phandle with that controller's #address-cells and #interrupt-cells.
 * The swizzle of root-bus slots is the map's own (QEMU virt lists INTx of
 * slots 0-3, masked to the slot's low two bits). False when the node has
 * no map, an entry is malformed or names no controller, or nothing
 * matches. Bridges below the host are not walked: `phys_hi` must be a
 * root-bus function's, or the caller swizzles first. */
/*@ requires fdt_readable(f); */
bool fdt_pci_intx(const struct fdt *f, int host, uint32_t phys_hi, uint32_t pin,
		  struct fdt_interrupt *out);

/* The address spaces of a PCI child address's phys.hi, bits 25:24 (the
 * PCI bus binding, IEEE 1275, 2.2.1.1). */
#define FDT_PCI_SPACE_CONFIG 0
#define FDT_PCI_SPACE_IO 1
#define FDT_PCI_SPACE_MEM32 2
#define FDT_PCI_SPACE_MEM64 3

/* One window of a PCI host bridge: bus addresses [bus_address, +size) in
 * `space` appear to the CPU at [cpu_address, +size). */
struct fdt_pci_range {
	uint32_t space;     /* FDT_PCI_SPACE_* */
	bool prefetchable;  /* phys.hi bit 30 */
	uint64_t bus_address; /* phys.mid:phys.lo */
	uint64_t cpu_address; /* in the parent bus's address space (see fdt_reg) */
	uint64_t size;
};

/* Entry `index` of the `ranges` of PCI host bridge node `host`: a child
 * address of FDT_PCI_ADDRESS_CELLS cells (phys.hi, phys.mid, phys.lo), a
 * parent address of the parent's #address-cells (1 or 2) and a size of
 * the host's own #size-cells (1 or 2). The address and size cells are
 * taken as the binding gives them; whether a window is usable (size 0,
 * ranges that wrap) is the caller's to judge. False when the node has no
 * `ranges`, its #address-cells is not 3, a cell count is unusable or the
 * entry is missing. */
/*@ requires fdt_readable(f); */
bool fdt_pci_range(const struct fdt *f, int host, uint32_t index, struct fdt_pci_range *out);

/* A big-endian 32-bit load from blob bytes (unaligned is fine). */
/*@ requires \valid_read(p + (0 .. 3));
    assigns \result \from p[0 .. 3]; */
uint32_t fdt_be32(const uint8_t *p);

#endif
