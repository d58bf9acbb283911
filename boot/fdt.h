/*
 * fdt: reading a flattened device tree (the DTB the firmware publishes).
 *
 * Just enough to walk nodes and read properties, in place and read-only:
 * the loader asks the device tree where CPUs are and how to start them
 * when there are no ACPI tables. A node is named by the offset of its
 * FDT_BEGIN_NODE token in the structure block; every walk checks its
 * bounds, because the blob comes from firmware. All values in a DTB are
 * big-endian.
 */
#ifndef CAMBIOS_BOOT_FDT_H
#define CAMBIOS_BOOT_FDT_H

#include <stdbool.h>
#include <stdint.h>

#define FDT_NO_NODE (-1)

struct fdt {
	const uint8_t *structs; /* the structure block */
	uint32_t structs_size;
	const char *strings;    /* the strings block (property names) */
	uint32_t strings_size;
};

/* Checks the header of the blob at `blob`; false if it is not a DTB this
 * reader understands (magic, version 17 layout, blocks inside totalsize). */
bool fdt_open(struct fdt *f, const void *blob);

/* The root node, or FDT_NO_NODE. */
int fdt_root(const struct fdt *f);

/* The first child of `node` / the next sibling of `node`, or FDT_NO_NODE. */
int fdt_first_child(const struct fdt *f, int node);
int fdt_next_sibling(const struct fdt *f, int node);

/* The child of `node` called `name`: the full name ("cpu@1") or, when
 * `name` has no unit address, the part before '@' ("cpus"). */
int fdt_find_child(const struct fdt *f, int node, const char *name);

/* The value of property `name` of `node` and its length in bytes; false if
 * the node has no such property. */
bool fdt_property(const struct fdt *f, int node, const char *name, const uint8_t **value,
		  uint32_t *length);

/* Whether property `name` of `node` is a string list containing `s`. */
bool fdt_property_has_string(const struct fdt *f, int node, const char *name, const char *s);

/* Property `name` as one number of `cells` 32-bit cells (1 or 2); false if
 * it is missing or shorter. */
bool fdt_property_cells(const struct fdt *f, int node, const char *name, uint32_t cells,
			uint64_t *value);

/* A big-endian 32-bit load from blob bytes (unaligned is fine). */
uint32_t fdt_be32(const uint8_t *p);

#endif
