/*
 * fdt_fuzz: libFuzzer target for the device-tree reader (boot/fdt.c).
 *
 * The loader reads the firmware's DTB to find the CPUs. Whatever the blob
 * says, opening it, walking every node (depth-first, a bounded number) and
 * reading properties the loader uses must stay inside the blob. The blob
 * is handed over at exactly its declared size, so a read past its end
 * trips ASan.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <fdt.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HEADER_SIZE 40
#define MAX_NODES 4096
#define MAX_DEPTH 64

static unsigned visited;

static void read_properties(const struct fdt *f, int node)
{
	static const char *const names[] = { "compatible", "reg", "enable-method", "device_type",
					     "#address-cells", "status" };
	const uint8_t *value;
	uint32_t length;
	uint64_t cells;

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (fdt_property(f, node, names[i], &value, &length) && length)
			(void)value[length - 1];
		(void)fdt_property_cells(f, node, names[i], 2, &cells);
	}
	(void)fdt_property_has_string(f, node, "compatible", "arm,psci-1.0");
	(void)fdt_find_child(f, node, "cpus");
}

static void walk(const struct fdt *f, int node, unsigned depth)
{
	for (; node != FDT_NO_NODE && visited < MAX_NODES; node = fdt_next_sibling(f, node)) {
		visited++;
		read_properties(f, node);
		if (depth < MAX_DEPTH)
			walk(f, fdt_first_child(f, node), depth + 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fdt f;

	if (size < HEADER_SIZE)
		return 0;
	uint32_t total = fdt_be32(data + 4);
	if (total < HEADER_SIZE || total > size)
		return 0; /* the loader trusts totalsize to describe the mapped blob */
	uint8_t *blob = malloc(total);
	if (!blob)
		return 0;
	memcpy(blob, data, total);
	visited = 0;
	if (fdt_open(&f, blob))
		walk(&f, fdt_root(&f), 0);
	free(blob);
	return 0;
}
