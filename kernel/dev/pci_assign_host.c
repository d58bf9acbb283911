/*
 * pci_assign_host: the kernel's run of lib/pci_assign (see
 * pci_assign_host.h).
 *
 * The result record is static (tens of KiB, never on a stack); so are the
 * windows and the exclusions: the memory map's entries, up to
 * EXCLUDED_MAX, and the ECAM window. A memory map longer than that would
 * leave ranges unexcluded, so the pass refuses to run and says so.
 */
#include <pci_assign_host.h>

#include <boot.h>
#include <firmware.h>
#include <printk.h>

#define EXCLUDED_MAX 256
#define REG_COMMAND 0x04
#define REG_BAR0 0x10
#define COMMAND_DECODE 0x3u /* I/O and memory */

static struct pci_assign_result result;
static struct pci_window windows[PCI_ASSIGN_HOST_WINDOWS];
static unsigned window_count;
static struct pci_range excluded[EXCLUDED_MAX];
static const struct pci_config_access *host_access;
static struct pci_table *host_table;

/* The generic ECAM host bridge node, as pci_host finds it. */
static int host_node(const struct fdt *dt)
{
	uint64_t base, size;
	int node = FDT_NO_NODE;

	while ((node = fdt_find_compatible(dt, node, "pci-host-ecam-generic")) != FDT_NO_NODE) {
		if (fdt_node_enabled(dt, node) && fdt_reg(dt, node, 0, &base, &size))
			return node;
	}
	return FDT_NO_NODE;
}

static bool window_of(const struct fdt_pci_range *r, struct pci_window *out)
{
	static const enum pci_window_kind kinds[] = {
		[FDT_PCI_SPACE_IO] = PCI_WINDOW_IO,
		[FDT_PCI_SPACE_MEM32] = PCI_WINDOW_MEM32,
		[FDT_PCI_SPACE_MEM64] = PCI_WINDOW_MEM64,
	};

	if (r->space == FDT_PCI_SPACE_CONFIG || r->space > FDT_PCI_SPACE_MEM64)
		return false;
	*out = (struct pci_window){ .kind = kinds[r->space], .prefetchable = r->prefetchable,
				    .cpu_base = r->cpu_address, .bus_base = r->bus_address,
				    .size = r->size };
	return true;
}

unsigned pci_assign_host_windows(struct pci_window *out, unsigned max)
{
	const struct fdt *dt = firmware_dt();
	struct fdt_pci_range r;
	unsigned count = 0;
	int node = dt ? host_node(dt) : FDT_NO_NODE;

	if (node == FDT_NO_NODE)
		return 0;
	for (uint32_t i = 0; count < max && fdt_pci_range(dt, node, i, &r); i++) {
		if (window_of(&r, &out[count]))
			count++;
	}
	return count;
}

/* The memory map and the ECAM window; false when they do not all fit. */
static bool collect_exclusions(unsigned *count)
{
	const struct limine_memmap_response *map = boot_memmap();
	const struct fdt *dt = firmware_dt();
	uint64_t base, size;
	unsigned n = 0;

	if (map) {
		if (map->entry_count >= EXCLUDED_MAX)
			return false;
		for (uint64_t i = 0; i < map->entry_count; i++)
			excluded[n++] = (struct pci_range){ map->entries[i]->base, map->entries[i]->length };
	}
	int node = dt ? host_node(dt) : FDT_NO_NODE;
	if (node != FDT_NO_NODE && fdt_reg(dt, node, 0, &base, &size))
		excluded[n++] = (struct pci_range){ base, size };
	*count = n;
	return true;
}

static void print_results(void)
{
	char line[PCI_ASSIGN_LINE_MAX];

	for (unsigned i = 0; i < result.count; i++) {
		(void)pci_assign_format(host_table, windows, window_count, &result.bars[i],
					line, sizeof(line));
		println("%s", line);
	}
	if (result.count)
		println("pci: %u of %u unassigned BARs assigned from the device tree's windows",
			result.assigned, result.count);
}

/* The pass over function `only` (or all); how many BARs it assigned, or
 * -1 without windows. */
static int assign(int only)
{
	unsigned excluded_count = 0;

	window_count = pci_assign_host_windows(windows, PCI_ASSIGN_HOST_WINDOWS);

	if (window_count == 0 || !host_table)
		return -1;
	if (!collect_exclusions(&excluded_count)) {
		println("pci: the memory map has too many entries to keep BARs off them; "
			"no BAR assigned");
		return 0;
	}
	struct pci_assign_request req = {
		.access = host_access, .table = host_table, .windows = windows,
		.window_count = window_count, .excluded = excluded,
		.excluded_count = excluded_count, .only = only,
	};
	enum pci_assign_status s = pci_assign(&req, &result);
	if (s != PCI_ASSIGN_OK) {
		println("pci: BARs not assigned: %s", pci_assign_status_name(s));
		return 0;
	}
	print_results();
	return (int)result.assigned;
}

void pci_assign_host_run(const struct pci_config_access *access, struct pci_table *table)
{
	host_access = access;
	host_table = table;
	(void)assign(PCI_ASSIGN_ALL);
}

#if CONFIG_SELFTEST
static uint32_t rd(struct pci_address at, unsigned offset)
{
	return host_access->read32(host_access->ctx, at, (uint16_t)offset);
}

static void wr(struct pci_address at, unsigned offset, uint32_t value)
{
	host_access->write32(host_access->ctx, at, (uint16_t)offset, value);
}

int pci_assign_host_again(unsigned function, unsigned slot)
{
	if (!host_table || function >= host_table->count || slot >= PCI_MAX_BARS)
		return -1;
	struct pci_function *f = &host_table->functions[function];
	unsigned offset = REG_BAR0 + 4 * slot;
	uint32_t flags = rd(f->address, offset) & 0xfu;

	wr(f->address, REG_COMMAND, (rd(f->address, REG_COMMAND) & 0xffffu) & ~COMMAND_DECODE);
	wr(f->address, offset, flags & ((flags & 1) ? 0x3u : 0xfu));
	if (f->bars[slot].kind == PCI_BAR_MEM64)
		wr(f->address, offset + 4, 0);
	if (pci_read_function(host_access, f->address, f) != PCI_OK)
		return -1;
	return assign((int)function);
}

uint64_t pci_assign_host_bar_register(unsigned function, unsigned slot)
{
	if (!host_table || function >= host_table->count || slot >= PCI_MAX_BARS)
		return 0;
	const struct pci_function *f = &host_table->functions[function];
	unsigned offset = REG_BAR0 + 4 * slot;
	uint32_t low = rd(f->address, offset);
	uint64_t value = low & ((low & 1) ? ~0x3u : ~0xfu);

	if (f->bars[slot].kind == PCI_BAR_MEM64)
		value |= (uint64_t)rd(f->address, offset + 4) << 32;
	return value;
}
#endif
