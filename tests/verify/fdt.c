/*
 * fdt (verify harness): the device-tree reader over a blob of unknown bytes
 * of any length, and every walk and lookup over structure and strings
 * blocks of unknown bytes, with any node offset and any index.
 *
 * The loader and the kernel hand fdt_open the firmware's DTB and its size
 * (the kernel: the header's own totalsize; fdt_total_size reads it from a
 * header that is all there is to go on). Here the blob is unknown bytes of
 * every length up to CAP as one interval, and also exactly-sized blobs of
 * every length up to EXACT (past the 40-byte header, so a header field read
 * before its length check would be a read past the end). The cap only sizes
 * the analysis buffer: every read is bounded by a size the blob declares,
 * so a read past any length would be past CAP with the longest.
 *
 * Every other entry point takes the `struct fdt` that fdt_open filled, and
 * depends on it only through fdt_open's contract (fdt.h, proven by WP): a
 * structure block of `structs_size` readable bytes and a strings block of
 * `strings_size`, anywhere in the blob. So they are run on blocks of that
 * shape: unknown bytes, each size any value up to its cap, the node any
 * int (callers pass back what the walks returned, or FDT_NO_NODE), every
 * index and cell count and phandle any 32-bit number. Names are literals
 * of the kinds callers pass: with and without a unit address.
 */
#include <__fc_builtin.h>
#include <fdt.h>

#define CAP 512
#define EXACT 64
#define STRINGS_CAP 128

static uint8_t blob[CAP];
static uint8_t exact[EXACT];
static uint8_t header[FDT_HEADER_SIZE];
static uint8_t structs[CAP];
static char strings[STRINGS_CAP];

static uint32_t any_u32(void)
{
	return Frama_C_unsigned_int_interval(0, UINT32_MAX);
}

static void open_blobs(void)
{
	struct fdt f;

	(void)fdt_total_size(header);
	(void)fdt_open(&f, blob, Frama_C_size_t_interval(0, CAP));
	/*@ loop unroll EXACT + 1; */
	for (size_t size = 0; size <= EXACT; size++)
		(void)fdt_open(&f, exact + (EXACT - size), size);
}

static void walk(const struct fdt *f, int node)
{
	(void)fdt_root(f);
	(void)fdt_first_child(f, node);
	(void)fdt_next_sibling(f, node);
	(void)fdt_parent(f, node);
	(void)fdt_find_child(f, node, "cpus");
	(void)fdt_find_child(f, node, "cpu@0");
	(void)fdt_find_compatible(f, node, "arm,pl011");
	(void)fdt_find_phandle(f, any_u32());
}

static void read_properties(const struct fdt *f, int node)
{
	const uint8_t *value;
	uint32_t length;
	uint64_t number, size;
	struct fdt_interrupt irq;
	struct fdt_pci_range range;

	(void)fdt_property(f, node, "reg", &value, &length);
	(void)fdt_property_has_string(f, node, "enable-method", "psci");
	(void)fdt_property_cells(f, node, "#size-cells", any_u32(), &number);
	(void)fdt_node_enabled(f, node);
	(void)fdt_reg(f, node, any_u32(), &number, &size);
	(void)fdt_interrupt(f, node, any_u32(), &irq);
	(void)fdt_pci_intx(f, node, any_u32(), any_u32(), &irq);
	(void)fdt_pci_range(f, node, any_u32(), &range);
	(void)fdt_be32(structs + Frama_C_unsigned_int_interval(0, CAP - 4));
}

int main(void)
{
	struct fdt f;
	int node = Frama_C_int_interval(-2147483647 - 1, 2147483647);

	Frama_C_make_unknown((char *)blob, CAP);
	Frama_C_make_unknown((char *)exact, EXACT);
	Frama_C_make_unknown((char *)header, FDT_HEADER_SIZE);
	Frama_C_make_unknown((char *)structs, CAP);
	Frama_C_make_unknown(strings, STRINGS_CAP);

	open_blobs();

	f.structs = structs;
	f.structs_size = Frama_C_unsigned_int_interval(0, CAP);
	f.strings = strings;
	f.strings_size = Frama_C_unsigned_int_interval(0, STRINGS_CAP);
	walk(&f, node);
	read_properties(&f, node);
	return 0;
}
