/*
 * fdt_test: the device-tree reader the loader and the kernel share
 * (lib/fdt.c).
 *
 * Builds small DTBs in memory with a tiny writer (header, empty memory
 * reservation map, structure and strings blocks, all big-endian) and
 * checks node walking, name lookup, properties and cells, parents, lookup
 * by compatible string and phandle, `reg` with the parent's cell counts
 * and `interrupts` through the interrupt parent; then damages blobs (bad
 * magic, blocks outside the blob, a totalsize past the readable bytes,
 * random mutations) and checks the reader refuses or copes without
 * reading out of bounds (ASan).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <fdt.h>

#define BLOB_MAX 4096
#define HEADER_SIZE 40
#define RSVMAP_SIZE 16
#define TOKEN_BEGIN_NODE 1
#define TOKEN_END_NODE 2
#define TOKEN_PROP 3
#define TOKEN_END 9
#define FDT_MAGIC 0xd00dfeedu

struct writer {
	uint8_t structs[BLOB_MAX];
	uint32_t structs_len;
	char strings[BLOB_MAX];
	uint32_t strings_len;
	uint8_t blob[BLOB_MAX];
	uint32_t blob_len;
};

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void emit_u32(struct writer *w, uint32_t v)
{
	put_be32(&w->structs[w->structs_len], v);
	w->structs_len += 4;
}

static void emit_bytes(struct writer *w, const void *data, uint32_t len)
{
	if (len)
		memcpy(&w->structs[w->structs_len], data, len);
	w->structs_len += len;
	while (w->structs_len % 4)
		w->structs[w->structs_len++] = 0;
}

static void begin_node(struct writer *w, const char *name)
{
	emit_u32(w, TOKEN_BEGIN_NODE);
	emit_bytes(w, name, (uint32_t)strlen(name) + 1);
}

static void end_node(struct writer *w)
{
	emit_u32(w, TOKEN_END_NODE);
}

static uint32_t string_offset(struct writer *w, const char *name)
{
	uint32_t off = w->strings_len;

	memcpy(&w->strings[off], name, strlen(name) + 1);
	w->strings_len += (uint32_t)strlen(name) + 1;
	return off;
}

static void prop(struct writer *w, const char *name, const void *value, uint32_t len)
{
	emit_u32(w, TOKEN_PROP);
	emit_u32(w, len);
	emit_u32(w, string_offset(w, name));
	emit_bytes(w, value, len);
}

static void prop_cells(struct writer *w, const char *name, const uint32_t *cells, uint32_t n)
{
	uint8_t be[1024];

	assert_true(n <= sizeof(be) / 4);
	for (uint32_t i = 0; i < n; i++)
		put_be32(&be[i * 4], cells[i]);
	prop(w, name, be, n * 4);
}

static void prop_string(struct writer *w, const char *name, const char *s)
{
	prop(w, name, s, (uint32_t)strlen(s) + 1);
}

static void prop_cell(struct writer *w, const char *name, uint32_t cell)
{
	uint8_t be[4];

	put_be32(be, cell);
	prop(w, name, be, 4);
}

/* Lays out header, reservation map, structure block, strings block. */
static void finish(struct writer *w)
{
	uint32_t off_struct = HEADER_SIZE + RSVMAP_SIZE;
	uint32_t off_strings = off_struct + w->structs_len;

	emit_u32(w, TOKEN_END);
	off_strings = off_struct + w->structs_len;
	memset(w->blob, 0, sizeof(w->blob));
	w->blob_len = off_strings + w->strings_len;
	put_be32(&w->blob[0], FDT_MAGIC);
	put_be32(&w->blob[4], w->blob_len);
	put_be32(&w->blob[8], off_struct);
	put_be32(&w->blob[12], off_strings);
	put_be32(&w->blob[16], HEADER_SIZE);
	put_be32(&w->blob[20], 17);
	put_be32(&w->blob[24], 16);
	put_be32(&w->blob[32], w->strings_len);
	put_be32(&w->blob[36], w->structs_len);
	memcpy(&w->blob[off_struct], w->structs, w->structs_len);
	memcpy(&w->blob[off_strings], w->strings, w->strings_len);
}

/* The shape of QEMU virt's CPU description. */
static void build_virt_like(struct writer *w)
{
	static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";

	memset(w, 0, sizeof(*w));
	begin_node(w, "");
	prop_cell(w, "#address-cells", 2);
	begin_node(w, "cpus");
	begin_node(w, "cpu@0");
	prop_string(w, "device_type", "cpu");
	prop_cell(w, "reg", 0);
	prop_string(w, "enable-method", "psci");
	end_node(w);
	begin_node(w, "cpu@1");
	prop_string(w, "device_type", "cpu");
	prop_cell(w, "reg", 0x100);
	end_node(w);
	end_node(w);
	begin_node(w, "psci");
	prop(w, "compatible", psci_compat, sizeof(psci_compat));
	prop_string(w, "method", "hvc");
	end_node(w);
	end_node(w);
	finish(w);
}

/* The shape of QEMU virt's devices: a GICv3 that is everyone's interrupt
 * parent, a PL011, a disabled second UART, PCI under a bus with one
 * address cell, and the 2/2-cell root. */
#define GIC_PHANDLE 0x8001

/* QEMU virt's INTx map (hw/arm/virt.c create_pcie_irq_map): slots 0-3,
 * pins 1-4, INTx of slot s on SPI 3 + (s + x) % 4, level high; the mask
 * keeps the slot's low two bits and the pin. */
#define PCI_SPI_BASE 3
#define MAP_ENTRY_CELLS 10

static void add_intx_map(struct writer *w)
{
	static const uint32_t mask[] = { 0x1800, 0, 0, 7 };
	uint32_t map[16 * MAP_ENTRY_CELLS];
	uint32_t *e = map;

	for (uint32_t slot = 0; slot < 4; slot++) {
		for (uint32_t pin = 1; pin <= 4; pin++) {
			const uint32_t entry[MAP_ENTRY_CELLS] = {
				slot << 11, 0, 0, pin, GIC_PHANDLE, 0, 0,
				0, PCI_SPI_BASE + (slot + pin - 1) % 4, 4,
			};
			memcpy(e, entry, sizeof(entry));
			e += MAP_ENTRY_CELLS;
		}
	}
	prop_cell(w, "#address-cells", 3);
	prop_cell(w, "#interrupt-cells", 1);
	prop_cells(w, "interrupt-map-mask", mask, 4);
	prop_cells(w, "interrupt-map", map, 16 * MAP_ENTRY_CELLS);
}

/* The host bridge's windows, QEMU virt's I/O and 32-bit memory and a
 * prefetchable 64-bit window whose bus and CPU addresses differ; the
 * parent ("bus") has one address cell, the host two size cells. */
#define RANGE_CELLS 6

static const uint32_t pci_ranges[] = {
	0x01000000, 0, 0, 0x3eff0000, 0, 0x10000,
	0x02000000, 0, 0x10000000, 0x10000000, 0, 0x2eff0000,
	0x43000000, 0x80, 0, 0x80000000, 0x1, 0,
};

static void add_pci_ranges(struct writer *w)
{
	prop_cell(w, "#size-cells", 2);
	prop_cells(w, "ranges", pci_ranges, sizeof(pci_ranges) / sizeof(pci_ranges[0]));
}

static void build_devices(struct writer *w)
{
	static const uint32_t gic_reg[] = { 0, 0x08000000, 0, 0x10000, 0, 0x080a0000, 0, 0xf60000 };
	static const uint32_t uart_reg[] = { 0, 0x09000000, 0, 0x1000 };
	static const uint32_t uart_irq[] = { 0, 1, 4, 0, 2, 4 };
	static const uint32_t bus_reg[] = { 0x40000000, 0x1000 };
	static const char uart_compat[] = "arm,pl011\0arm,primecell";

	memset(w, 0, sizeof(*w));
	begin_node(w, "");
	prop_cell(w, "#address-cells", 2);
	prop_cell(w, "#size-cells", 2);
	prop_cell(w, "interrupt-parent", GIC_PHANDLE);
	begin_node(w, "intc@8000000");
	prop_string(w, "compatible", "arm,gic-v3");
	prop_cells(w, "reg", gic_reg, 8);
	prop(w, "interrupt-controller", NULL, 0);
	prop_cell(w, "#interrupt-cells", 3);
	prop_cell(w, "#address-cells", 2);
	prop_cell(w, "phandle", GIC_PHANDLE);
	end_node(w);
	begin_node(w, "pl011@9000000");
	prop(w, "compatible", uart_compat, sizeof(uart_compat));
	prop_cells(w, "reg", uart_reg, 4);
	prop_cells(w, "interrupts", uart_irq, 6);
	end_node(w);
	begin_node(w, "pl011@9040000");
	prop_string(w, "compatible", "arm,pl011");
	prop_string(w, "status", "disabled");
	end_node(w);
	begin_node(w, "bus");
	prop_cell(w, "#address-cells", 1);
	prop_cell(w, "#size-cells", 1);
	begin_node(w, "pcie@40000000");
	prop_string(w, "compatible", "pci-host-ecam-generic");
	prop_cells(w, "reg", bus_reg, 2);
	add_intx_map(w);
	add_pci_ranges(w);
	end_node(w);
	end_node(w);
	end_node(w);
	finish(w);
}

static struct writer w;

static void walks_nodes_and_reads_properties(void **state)
{
	struct fdt f;
	uint64_t reg;

	(void)state;
	build_virt_like(&w);
	assert_true(fdt_open(&f, w.blob, w.blob_len));
	int root = fdt_root(&f);
	assert_int_not_equal(root, FDT_NO_NODE);
	int cpus = fdt_find_child(&f, root, "cpus");
	assert_int_not_equal(cpus, FDT_NO_NODE);

	int cpu0 = fdt_first_child(&f, cpus);
	int cpu1 = fdt_next_sibling(&f, cpu0);
	assert_int_not_equal(cpu0, FDT_NO_NODE);
	assert_int_not_equal(cpu1, FDT_NO_NODE);
	assert_int_equal(fdt_next_sibling(&f, cpu1), FDT_NO_NODE);
	assert_int_equal(fdt_find_child(&f, cpus, "cpu@1"), cpu1);

	assert_true(fdt_property_cells(&f, cpu1, "reg", 1, &reg));
	assert_int_equal(reg, 0x100);
	assert_true(fdt_property_has_string(&f, cpu0, "device_type", "cpu"));
	assert_false(fdt_property_has_string(&f, cpu1, "enable-method", "psci"));
}

static void string_lists_match_any_member(void **state)
{
	struct fdt f;

	(void)state;
	build_virt_like(&w);
	assert_true(fdt_open(&f, w.blob, w.blob_len));
	int psci = fdt_find_child(&f, fdt_root(&f), "psci");
	assert_true(fdt_property_has_string(&f, psci, "compatible", "arm,psci-0.2"));
	assert_true(fdt_property_has_string(&f, psci, "compatible", "arm,psci-1.0"));
	assert_false(fdt_property_has_string(&f, psci, "compatible", "arm,psci"));
	assert_true(fdt_property_has_string(&f, psci, "method", "hvc"));
}

static void missing_things_are_reported(void **state)
{
	struct fdt f;
	const uint8_t *value;
	uint32_t len;
	uint64_t cells;

	(void)state;
	build_virt_like(&w);
	assert_true(fdt_open(&f, w.blob, w.blob_len));
	int root = fdt_root(&f);
	assert_int_equal(fdt_find_child(&f, root, "memory"), FDT_NO_NODE);
	assert_false(fdt_property(&f, root, "model", &value, &len));
	/* reg has one cell; asking for two must fail, not read past it. */
	int cpu0 = fdt_first_child(&f, fdt_find_child(&f, root, "cpus"));
	assert_false(fdt_property_cells(&f, cpu0, "reg", 2, &cells));
}

static void bad_headers_are_refused(void **state)
{
	struct fdt f;

	(void)state;
	build_virt_like(&w);
	w.blob[0] ^= 0xff; /* magic */
	assert_false(fdt_open(&f, w.blob, w.blob_len));

	build_virt_like(&w);
	put_be32(&w.blob[8], w.blob_len + 64); /* structure block outside the blob */
	assert_false(fdt_open(&f, w.blob, w.blob_len));

	build_virt_like(&w);
	put_be32(&w.blob[36], 0xfffffff0u); /* structure size overflows */
	assert_false(fdt_open(&f, w.blob, w.blob_len));
}

static void finds_devices_by_compatible_string(void **state)
{
	struct fdt f;

	(void)state;
	build_devices(&w);
	assert_true(fdt_open(&f, w.blob, w.blob_len));
	int gic = fdt_find_compatible(&f, FDT_NO_NODE, "arm,gic-v3");
	int uart = fdt_find_compatible(&f, FDT_NO_NODE, "arm,pl011");
	assert_int_equal(gic, fdt_find_child(&f, fdt_root(&f), "intc"));
	assert_int_equal(uart, fdt_find_child(&f, fdt_root(&f), "pl011@9000000"));
	/* Any member of the list matches; the search resumes after a hit. */
	assert_int_equal(fdt_find_compatible(&f, FDT_NO_NODE, "arm,primecell"), uart);
	int second = fdt_find_compatible(&f, uart, "arm,pl011");
	assert_int_equal(second, fdt_find_child(&f, fdt_root(&f), "pl011@9040000"));
	assert_false(fdt_node_enabled(&f, second));
	assert_true(fdt_node_enabled(&f, uart));
	assert_int_equal(fdt_find_compatible(&f, second, "arm,pl011"), FDT_NO_NODE);
	assert_int_equal(fdt_find_compatible(&f, FDT_NO_NODE, "arm,gic-v2"), FDT_NO_NODE);
}

static void parents_are_found(void **state)
{
	struct fdt f;

	(void)state;
	build_devices(&w);
	assert_true(fdt_open(&f, w.blob, w.blob_len));
	int root = fdt_root(&f);
	int bus = fdt_find_child(&f, root, "bus");
	int pcie = fdt_find_compatible(&f, FDT_NO_NODE, "pci-host-ecam-generic");
	assert_int_equal(fdt_parent(&f, pcie), bus);
	assert_int_equal(fdt_parent(&f, bus), root);
	assert_int_equal(fdt_parent(&f, root), FDT_NO_NODE);
	assert_int_equal(fdt_parent(&f, pcie + 4), FDT_NO_NODE); /* not a node */
}

static void reg_uses_the_parents_cell_counts(void **state)
{
	struct fdt f;
	uint64_t address, size;

	(void)state;
	build_devices(&w);
	assert_true(fdt_open(&f, w.blob, w.blob_len));
	int gic = fdt_find_compatible(&f, FDT_NO_NODE, "arm,gic-v3");
	assert_true(fdt_reg(&f, gic, 0, &address, &size));
	assert_int_equal(address, 0x08000000);
	assert_int_equal(size, 0x10000);
	assert_true(fdt_reg(&f, gic, 1, &address, &size));
	assert_int_equal(address, 0x080a0000);
	assert_int_equal(size, 0xf60000);
	assert_false(fdt_reg(&f, gic, 2, &address, &size));

	int pcie = fdt_find_compatible(&f, FDT_NO_NODE, "pci-host-ecam-generic");
	assert_true(fdt_reg(&f, pcie, 0, &address, &size)); /* 1 + 1 cells */
	assert_int_equal(address, 0x40000000);
	assert_int_equal(size, 0x1000);
	assert_false(fdt_reg(&f, pcie, 1, &address, &size));

	int disabled = fdt_find_child(&f, fdt_root(&f), "pl011@9040000");
	assert_false(fdt_reg(&f, disabled, 0, &address, &size)); /* no reg */
	assert_false(fdt_reg(&f, fdt_root(&f), 0, &address, &size)); /* no parent */
}

static void interrupts_go_through_the_interrupt_parent(void **state)
{
	struct fdt f;
	struct fdt_interrupt irq;

	(void)state;
	build_devices(&w);
	assert_true(fdt_open(&f, w.blob, w.blob_len));
	int gic = fdt_find_compatible(&f, FDT_NO_NODE, "arm,gic-v3");
	int uart = fdt_find_compatible(&f, FDT_NO_NODE, "arm,pl011");
	assert_int_equal(fdt_find_phandle(&f, GIC_PHANDLE), gic);
	assert_int_equal(fdt_find_phandle(&f, 0), FDT_NO_NODE);
	assert_int_equal(fdt_find_phandle(&f, 0x1234), FDT_NO_NODE);

	assert_true(fdt_interrupt(&f, uart, 0, &irq)); /* interrupt-parent from the root */
	assert_int_equal(irq.controller, gic);
	assert_int_equal(irq.cell_count, 3);
	assert_int_equal(irq.cells[0], 0);
	assert_int_equal(irq.cells[1], 1);
	assert_int_equal(irq.cells[2], 4);
	assert_true(fdt_interrupt(&f, uart, 1, &irq));
	assert_int_equal(irq.cells[1], 2);
	assert_false(fdt_interrupt(&f, uart, 2, &irq));
	assert_false(fdt_interrupt(&f, gic, 0, &irq)); /* no interrupts of its own */
}

static uint32_t phys_hi(uint32_t bus, uint32_t device, uint32_t function)
{
	return bus << 16 | device << 11 | function << 8;
}

static void pci_intx_goes_through_the_interrupt_map(void **state)
{
	struct fdt f;
	struct fdt_interrupt irq;

	(void)state;
	build_devices(&w);
	assert_true(fdt_open(&f, w.blob, w.blob_len));
	int host = fdt_find_compatible(&f, FDT_NO_NODE, "pci-host-ecam-generic");
	int gic = fdt_find_compatible(&f, FDT_NO_NODE, "arm,gic-v3");
	for (uint32_t slot = 0; slot < 8; slot++) {
		for (uint32_t pin = 1; pin <= 4; pin++) {
			/* The mask drops the function and the slot's high bits. */
			assert_true(fdt_pci_intx(&f, host, phys_hi(0, slot, slot % 3), pin, &irq));
			assert_int_equal(irq.controller, gic);
			assert_int_equal(irq.cell_count, 3);
			assert_int_equal(irq.cells[0], 0); /* SPI */
			assert_int_equal(irq.cells[1], PCI_SPI_BASE + (slot + pin - 1) % 4);
			assert_int_equal(irq.cells[2], 4);  /* level, active high */
		}
	}
	assert_false(fdt_pci_intx(&f, host, phys_hi(0, 1, 0), 0, &irq));
	assert_false(fdt_pci_intx(&f, host, phys_hi(0, 1, 0), 5, &irq));
	/* A node without a map. */
	assert_false(fdt_pci_intx(&f, gic, phys_hi(0, 1, 0), 1, &irq));
}

static void pci_ranges_are_read_with_their_cell_counts(void **state)
{
	struct fdt f;
	struct fdt_pci_range r;

	(void)state;
	build_devices(&w);
	assert_true(fdt_open(&f, w.blob, w.blob_len));
	int host = fdt_find_compatible(&f, FDT_NO_NODE, "pci-host-ecam-generic");
	assert_true(fdt_pci_range(&f, host, 0, &r));
	assert_int_equal(r.space, FDT_PCI_SPACE_IO);
	assert_false(r.prefetchable);
	assert_int_equal(r.bus_address, 0);
	assert_int_equal(r.cpu_address, 0x3eff0000);
	assert_int_equal(r.size, 0x10000);
	assert_true(fdt_pci_range(&f, host, 1, &r));
	assert_int_equal(r.space, FDT_PCI_SPACE_MEM32);
	assert_int_equal(r.bus_address, 0x10000000);
	assert_int_equal(r.cpu_address, 0x10000000);
	assert_int_equal(r.size, 0x2eff0000);
	assert_true(fdt_pci_range(&f, host, 2, &r));
	assert_int_equal(r.space, FDT_PCI_SPACE_MEM64);
	assert_true(r.prefetchable);
	assert_int_equal(r.bus_address, 0x8000000000ULL);
	assert_int_equal(r.cpu_address, 0x80000000);
	assert_int_equal(r.size, 0x100000000ULL);
	assert_false(fdt_pci_range(&f, host, 3, &r));
	/* A node without ranges. */
	int gic = fdt_find_compatible(&f, FDT_NO_NODE, "arm,gic-v3");
	assert_false(fdt_pci_range(&f, gic, 0, &r));
}

/* A host whose #address-cells is not 3, whose parent's is 3, or whose
 * last entry is cut short. */
static void damaged_pci_ranges_are_refused(void **state)
{
	struct fdt f;
	struct fdt_pci_range r;

	(void)state;
	for (int which = 0; which < 3; which++) {
		memset(&w, 0, sizeof(w));
		begin_node(&w, "");
		prop_cell(&w, "#address-cells", which == 1 ? 3 : 2);
		begin_node(&w, "pcie");
		prop_string(&w, "compatible", "pci-host-ecam-generic");
		prop_cell(&w, "#address-cells", which == 0 ? 2 : 3);
		prop_cell(&w, "#size-cells", 2);
		/* 7 cells an entry (3 + 2 + 2): one and a bit entries. */
		prop_cells(&w, "ranges", pci_ranges, which == 2 ? 10 : 7);
		end_node(&w);
		end_node(&w);
		finish(&w);
		assert_true(fdt_open(&f, w.blob, w.blob_len));
		int host = fdt_find_compatible(&f, FDT_NO_NODE, "pci-host-ecam-generic");
		assert_int_equal(fdt_pci_range(&f, host, 0, &r), which == 2);
		assert_false(fdt_pci_range(&f, host, 1, &r));
	}
}

static void a_damaged_interrupt_map_is_refused(void **state)
{
	struct fdt f;
	struct fdt_interrupt irq;
	static const uint32_t cut[] = { 0x800, 0, 0, 1, GIC_PHANDLE, 0, 0, 0, 4 };
	static const uint32_t orphan[] = { 0x800, 0, 0, 1, 0x1234, 0, 0, 0, 4, 4 };

	(void)state;
	for (int which = 0; which < 2; which++) {
		memset(&w, 0, sizeof(w));
		begin_node(&w, "");
		begin_node(&w, "gic");
		prop_cell(&w, "#interrupt-cells", 3);
		prop_cell(&w, "#address-cells", 2);
		prop_cell(&w, "phandle", GIC_PHANDLE);
		end_node(&w);
		begin_node(&w, "pcie");
		prop_string(&w, "compatible", "pci-host-ecam-generic");
		prop_cell(&w, "#address-cells", 3);
		prop_cell(&w, "#interrupt-cells", 1);
		if (which == 0)
			prop_cells(&w, "interrupt-map", cut, 9);      /* one cell short */
		else
			prop_cells(&w, "interrupt-map", orphan, 10); /* no such phandle */
		end_node(&w);
		end_node(&w);
		finish(&w);
		assert_true(fdt_open(&f, w.blob, w.blob_len));
		int host = fdt_find_compatible(&f, FDT_NO_NODE, "pci-host-ecam-generic");
		assert_false(fdt_pci_intx(&f, host, phys_hi(0, 1, 0), 1, &irq));
	}
}

static void a_blob_longer_than_its_buffer_is_refused(void **state)
{
	struct fdt f;

	(void)state;
	build_virt_like(&w);
	assert_false(fdt_open(&f, w.blob, w.blob_len - 1));
	assert_false(fdt_open(&f, w.blob, 39)); /* not even a header */
	assert_int_equal(fdt_total_size(w.blob), w.blob_len);
	w.blob[0] ^= 0xff;
	assert_int_equal(fdt_total_size(w.blob), 0);
}

/* Walks everything reachable, touching every property. */
static void walk_everything(const struct fdt *f, int node, int depth)
{
	const uint8_t *value;
	uint32_t len;
	uint64_t cells;

	if (node == FDT_NO_NODE || depth > 16)
		return;
	(void)fdt_property(f, node, "reg", &value, &len);
	(void)fdt_property_cells(f, node, "reg", 2, &cells);
	(void)fdt_property_has_string(f, node, "compatible", "x");
	(void)fdt_reg(f, node, 0, &cells, &cells);
	struct fdt_interrupt irq;
	(void)fdt_interrupt(f, node, 0, &irq);
	(void)fdt_pci_intx(f, node, 1u << 11, 1, &irq);
	struct fdt_pci_range range;
	(void)fdt_pci_range(f, node, 0, &range);
	(void)fdt_pci_range(f, node, 2, &range);
	(void)fdt_parent(f, node);
	for (int c = fdt_first_child(f, node); c != FDT_NO_NODE; c = fdt_next_sibling(f, c))
		walk_everything(f, c, depth + 1);
}

static void damaged_blobs_never_read_out_of_bounds(void **state)
{
	(void)state;
	srand(1234);
	for (int round = 0; round < 3000; round++) {
		if (round % 2)
			build_virt_like(&w);
		else
			build_devices(&w);
		/* An exactly-sized heap copy, so ASan sees any overread. */
		uint8_t *copy = malloc(w.blob_len);
		memcpy(copy, w.blob, w.blob_len);
		for (int flips = 1 + rand() % 4; flips > 0; flips--) {
			uint32_t at = HEADER_SIZE + (uint32_t)rand() % (w.blob_len - HEADER_SIZE);
			copy[at] ^= (uint8_t)(1u << (rand() % 8));
		}
		struct fdt f;
		if (fdt_open(&f, copy, w.blob_len)) {
			walk_everything(&f, fdt_root(&f), 0);
			(void)fdt_find_compatible(&f, FDT_NO_NODE, "arm,pl011");
		}
		free(copy);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(walks_nodes_and_reads_properties),
		cmocka_unit_test(string_lists_match_any_member),
		cmocka_unit_test(missing_things_are_reported),
		cmocka_unit_test(bad_headers_are_refused),
		cmocka_unit_test(finds_devices_by_compatible_string),
		cmocka_unit_test(parents_are_found),
		cmocka_unit_test(reg_uses_the_parents_cell_counts),
		cmocka_unit_test(interrupts_go_through_the_interrupt_parent),
		cmocka_unit_test(pci_intx_goes_through_the_interrupt_map),
		cmocka_unit_test(pci_ranges_are_read_with_their_cell_counts),
		cmocka_unit_test(damaged_pci_ranges_are_refused),
		cmocka_unit_test(a_damaged_interrupt_map_is_refused),
		cmocka_unit_test(a_blob_longer_than_its_buffer_is_refused),
		cmocka_unit_test(damaged_blobs_never_read_out_of_bounds),
	};

	return cmocka_run_group_tests_name("fdt", tests, NULL, NULL);
}
