/*
 * fdt_fuzz: libFuzzer target for the device-tree reader (lib/fdt.c).
 *
 * The loader reads the firmware's DTB to find the CPUs, the kernel to find
 * its devices. Whatever the blob says, opening it, walking every node
 * (depth-first, a bounded number), reading the properties both use, each
 * node's parent, `reg` and interrupts, and the lookups by compatible
 * string and phandle must stay inside the blob. The fuzz input is handed
 * over as an exactly-sized copy, so a read past its end trips ASan.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <fdt.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_NODES 4096
#define MAX_DEPTH 64
/* Parent and interrupt lookups walk the tree again for each node: only the
 * first nodes get them, to keep each run quick. */
#define MAX_DEVICES 16
#define MAX_ENTRIES 2

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
	(void)fdt_node_enabled(f, node);
}

static void read_device(const struct fdt *f, int node)
{
	struct fdt_interrupt irq;
	uint64_t address, size;

	(void)fdt_parent(f, node);
	for (uint32_t i = 0; i < MAX_ENTRIES; i++) {
		(void)fdt_reg(f, node, i, &address, &size);
		if (fdt_interrupt(f, node, i, &irq) && irq.cell_count > FDT_INTERRUPT_CELLS_MAX)
			abort();
	}
	/* PCI host bridge windows. */
	struct fdt_pci_range range;
	for (uint32_t i = 0; i < MAX_ENTRIES; i++) {
		if (fdt_pci_range(f, node, i, &range) && range.space > FDT_PCI_SPACE_MEM64)
			abort();
	}
	/* PCI INTx through an interrupt map, for a few slots and every pin. */
	for (uint32_t slot = 0; slot < 4; slot++) {
		for (uint32_t pin = 1; pin <= 4; pin++) {
			if (fdt_pci_intx(f, node, slot << 11, pin, &irq) &&
			    (irq.cell_count == 0 || irq.cell_count > FDT_INTERRUPT_CELLS_MAX))
				abort();
		}
	}
}

static void walk(const struct fdt *f, int node, unsigned depth)
{
	for (; node != FDT_NO_NODE && visited < MAX_NODES; node = fdt_next_sibling(f, node)) {
		visited++;
		read_properties(f, node);
		if (visited < MAX_DEVICES)
			read_device(f, node);
		if (depth < MAX_DEPTH)
			walk(f, fdt_first_child(f, node), depth + 1);
	}
}

static void find_devices(const struct fdt *f)
{
	int hits = 0;

	for (int n = fdt_find_compatible(f, FDT_NO_NODE, "arm,pl011");
	     n != FDT_NO_NODE && hits < MAX_NODES; n = fdt_find_compatible(f, n, "arm,pl011"))
		hits++;
	(void)fdt_find_phandle(f, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fdt f;
	uint8_t *blob = malloc(size ? size : 1);

	if (!blob)
		return 0;
	memcpy(blob, data, size);
	visited = 0;
	if (fdt_open(&f, blob, size)) {
		walk(&f, fdt_root(&f), 0);
		find_devices(&f);
	}
	free(blob);
	return 0;
}
