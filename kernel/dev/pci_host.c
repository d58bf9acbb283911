/*
 * pci_host: finding the configuration space and enumerating it (see
 * pci_host.h).
 *
 * The ECAM window is reached through the HHDM. A bus's megabyte of it is
 * made reachable as device memory the first time the enumeration touches
 * that bus (arch_map_device_memory): 256 buses would be 256 MiB of
 * mappings, and a machine uses a handful. A bus that cannot be mapped
 * reads as absent (all ones), and the boot says which.
 *
 * Without a window, x86_64 falls back to configuration mechanism 1:
 * CONFIG_ADDRESS (port 0xcf8) selects bus, device, function and register,
 * CONFIG_DATA (0xcfc) moves the register -- the first 256 bytes of each
 * function only, which is all lib/pci reads. The two accesses are one
 * operation, so they are made under one lock.
 */
#include <pci_host.h>

#include <arch.h>
#include <firmware.h>
#include <hhdm.h>
#include <pci_assign_host.h>
#include <phys_guard.h>
#include <printk.h>
#include <spinlock.h>

#define ECAM_BUS_SHIFT 20
#define ECAM_DEVICE_SHIFT 15
#define ECAM_FUNCTION_SHIFT 12
#define ECAM_BUS_SIZE (1ULL << ECAM_BUS_SHIFT)
#define ABSENT 0xffffffffu
#define PCI_COMMAND 0x04
#define PCI_COMMAND_BUS_MASTER (1u << 2)
#define PCI_COMMAND_MEMORY 0x2u

struct ecam {
	uint64_t base;          /* the registers of bus `bus_first` */
	uint16_t segment;
	uint8_t bus_first, bus_last;
	const char *source;     /* "MCFG" or "device tree", for the boot line */
	uint64_t mapped[4];     /* a bit per bus: its megabyte is mapped */
	uint64_t unmappable[4]; /* a bit per bus: mapping it failed */
};

static struct ecam ecam;
static struct pci_table table; /* ~38 KiB: static, never on a stack */
/* How the configuration space is reached, once pci_host_init found it
 * (read32 NULL: it did not). */
static struct pci_config_access access;

static bool bit(const uint64_t *bits, unsigned n)
{
	return (bits[n / 64] >> (n % 64)) & 1;
}

static void set_bit(uint64_t *bits, unsigned n)
{
	bits[n / 64] |= 1ULL << (n % 64);
}

/* The register at `offset` of `at`, mapping its bus first; NULL when it
 * is outside the window or its bus cannot be mapped. */
static volatile uint32_t *ecam_register(struct ecam *e, struct pci_address at, uint16_t offset)
{
	if (at.segment != e->segment || at.bus < e->bus_first || at.bus > e->bus_last ||
	    at.device >= PCI_DEVICES_PER_BUS || at.function >= PCI_FUNCTIONS_PER_DEVICE ||
	    offset >= PCI_CONFIG_LEGACY_SIZE || (offset & 3))
		return NULL;
	uint64_t bus = e->base + ((uint64_t)(at.bus - e->bus_first) << ECAM_BUS_SHIFT);
	if (!bit(e->mapped, at.bus)) {
		if (bit(e->unmappable, at.bus))
			return NULL;
		if (!arch_map_device_memory(bus, ECAM_BUS_SIZE)) {
			set_bit(e->unmappable, at.bus);
			println("pci: bus %02x's configuration space at 0x%llx cannot be mapped; it reads as empty",
				at.bus, (unsigned long long)bus);
			return NULL;
		}
		set_bit(e->mapped, at.bus);
	}
	return (volatile uint32_t *)phys_to_virt(bus + ((uint64_t)at.device << ECAM_DEVICE_SHIFT) +
						 ((uint64_t)at.function << ECAM_FUNCTION_SHIFT) +
						 offset);
}

static uint32_t ecam_read32(void *ctx, struct pci_address at, uint16_t offset)
{
	volatile uint32_t *reg = ecam_register(ctx, at, offset);

	return reg ? *reg : ABSENT;
}

static void ecam_write32(void *ctx, struct pci_address at, uint16_t offset, uint32_t value)
{
	volatile uint32_t *reg = ecam_register(ctx, at, offset);

	if (reg)
		*reg = value;
}

/* The first MCFG window (segment 0 is the only one we enumerate). */
static bool ecam_from_mcfg(struct ecam *e)
{
	const struct acpi *acpi = firmware_acpi();
	struct acpi_table mcfg;
	struct acpi_mcfg_entry entry;

	if (!acpi || acpi_find(acpi, "MCFG", &mcfg) != ACPI_OK)
		return false;
	for (uint32_t i = 0; i < acpi_mcfg_count(&mcfg); i++) {
		if (!acpi_mcfg_entry(&mcfg, i, &entry) || entry.segment != 0)
			continue;
		/* MCFG's base is where bus 0 would be, even when the window
		 * starts later. */
		*e = (struct ecam){ .base = entry.base + ((uint64_t)entry.start_bus << ECAM_BUS_SHIFT),
				    .segment = entry.segment, .bus_first = entry.start_bus,
				    .bus_last = entry.end_bus, .source = "MCFG" };
		return true;
	}
	return false;
}

/* The device tree's generic ECAM host bridge: `reg` is the window of the
 * buses in `bus-range` (all 256 when it is missing), from the first. */
static bool ecam_from_device_tree(struct ecam *e)
{
	const struct fdt *dt = firmware_dt();
	const uint8_t *range;
	uint32_t range_length;
	uint64_t base, size;
	int node = FDT_NO_NODE;

	if (!dt)
		return false;
	while ((node = fdt_find_compatible(dt, node, "pci-host-ecam-generic")) != FDT_NO_NODE) {
		if (fdt_node_enabled(dt, node) && fdt_reg(dt, node, 0, &base, &size))
			break;
	}
	if (node == FDT_NO_NODE)
		return false;
	uint32_t first = 0, last = 255;
	if (fdt_property(dt, node, "bus-range", &range, &range_length) && range_length >= 8) {
		first = fdt_be32(range);
		last = fdt_be32(range + 4);
	}
	uint64_t buses = size >> ECAM_BUS_SHIFT;
	if (first > last || last > 255 || buses == 0)
		return false;
	if (last - first + 1 > buses)
		last = first + (uint32_t)buses - 1; /* never past the window */
	*e = (struct ecam){ .base = base, .segment = 0, .bus_first = (uint8_t)first,
			    .bus_last = (uint8_t)last, .source = "device tree" };
	return true;
}

#define CONFIG_ADDRESS 0xcf8
#define CONFIG_DATA 0xcfc
#define CONFIG_ENABLE 0x80000000u

/* The two port accesses of one register, from any CPU. A leaf lock:
 * nothing is taken under it. */
static struct spinlock mechanism1_lock = SPINLOCK_INIT("pci-config", LOCK_PCI_CONFIG);

/* CONFIG_ADDRESS for `at`'s register `offset`; 0 for one mechanism 1
 * cannot reach. */
static uint32_t mechanism1_address(struct pci_address at, uint16_t offset)
{
	if (at.segment != 0 || at.device >= PCI_DEVICES_PER_BUS ||
	    at.function >= PCI_FUNCTIONS_PER_DEVICE || offset >= PCI_CONFIG_LEGACY_SIZE ||
	    (offset & 3))
		return 0;
	return CONFIG_ENABLE | (uint32_t)at.bus << 16 | (uint32_t)at.device << 11 |
	       (uint32_t)at.function << 8 | offset;
}

/* One register through the ports: select it, then move it. */
static void mechanism1_access(struct pci_address at, uint16_t offset, bool write, uint32_t *value)
{
	uint32_t address = mechanism1_address(at, offset);

	if (!address)
		return;
	arch_irqflags_t flags = spin_lock_irqsave(&mechanism1_lock);
	arch_port_io(CONFIG_ADDRESS, 4, true, &address);
	arch_port_io(CONFIG_DATA, 4, write, value);
	spin_unlock_irqrestore(&mechanism1_lock, flags);
}

static uint32_t mechanism1_read32(void *ctx, struct pci_address at, uint16_t offset)
{
	uint32_t value = ABSENT; /* what an unreachable register reads as */

	(void)ctx;
	mechanism1_access(at, offset, false, &value);
	return value;
}

static void mechanism1_write32(void *ctx, struct pci_address at, uint16_t offset, uint32_t value)
{
	(void)ctx;
	mechanism1_access(at, offset, true, &value);
}

/* Whether the machine answers mechanism 1: CONFIG_ADDRESS keeps the
 * enable bit written to it (the classic probe), and is put back after. */
static bool mechanism1_present(void)
{
	uint32_t saved, probe = CONFIG_ENABLE, seen;

	if (!arch_has_port_io)
		return false;
	arch_irqflags_t flags = spin_lock_irqsave(&mechanism1_lock);
	arch_port_io(CONFIG_ADDRESS, 4, false, &saved);
	arch_port_io(CONFIG_ADDRESS, 4, true, &probe);
	arch_port_io(CONFIG_ADDRESS, 4, false, &seen);
	arch_port_io(CONFIG_ADDRESS, 4, true, &saved);
	spin_unlock_irqrestore(&mechanism1_lock, flags);
	return seen == CONFIG_ENABLE;
}

/* The ECAM window the firmware describes, as the configuration access;
 * false without one. */
static bool access_through_ecam(void)
{
	if (!ecam_from_mcfg(&ecam) && !ecam_from_device_tree(&ecam))
		return false;
	println("pci: ECAM at 0x%llx, segment %u, buses %02x-%02x (%s)",
		(unsigned long long)ecam.base, ecam.segment, ecam.bus_first, ecam.bus_last,
		ecam.source);
	/* The configuration space is the kernel's: a driver that could map
	 * it could move any device's BARs over RAM. */
	phys_guard_add(ecam.base, (uint64_t)(ecam.bus_last - ecam.bus_first + 1) << ECAM_BUS_SHIFT,
		       "the PCI configuration space (ECAM)");
	access = (struct pci_config_access){
		.read32 = ecam_read32, .write32 = ecam_write32, .ctx = &ecam,
		.segment = ecam.segment, .bus_first = ecam.bus_first, .bus_last = ecam.bus_last,
	};
	return true;
}

static bool access_through_mechanism1(void)
{
	if (!mechanism1_present())
		return false;
	println("pci: configuration mechanism 1 (ports 0xcf8/0xcfc), segment 0, buses 00-ff "
		"(no ECAM window in the firmware's tables)");
	access = (struct pci_config_access){
		.read32 = mechanism1_read32, .write32 = mechanism1_write32,
		.segment = 0, .bus_first = 0, .bus_last = 255,
	};
	return true;
}

static void print_table(const struct pci_table *t)
{
	char line[PCI_LINE_MAX];

	for (unsigned i = 0; i < t->count; i++) {
		(void)pci_format_function(&t->functions[i], line, sizeof(line));
		println("%s", line);
	}
	(void)pci_format_summary(t, line, sizeof(line));
	println("%s", line);
}

void pci_host_init(void)
{
	if (!access_through_ecam() && !access_through_mechanism1()) {
		println("pci: no ECAM window in the firmware's tables (no MCFG, no pci-host-ecam-generic) "
			"and no configuration ports; no PCI");
		return;
	}
	enum pci_result r = pci_enumerate(&access, &table);
	if (r != PCI_OK && r != PCI_EFULL)
		println("pci: enumeration failed: %s", pci_result_name(r));
	pci_assign_host_run(&access, &table); /* where the device tree gives windows */
	print_table(&table);
}

/* Sets and clears bits of `at`'s command register; its new value, or
 * 0xffff when the function cannot be reached. The access is the 32-bit
 * word holding the command and status registers; the status half is
 * written as zeros, because its bits are read-only or write-one-to-clear,
 * and writing back what was read would clear the device's error bits. */
static uint16_t update_command(struct pci_address at, uint16_t set, uint16_t clear)
{
	if (!access.read32)
		return 0xffff;
	uint32_t word = access.read32(access.ctx, at, PCI_COMMAND);
	if (word == ABSENT)
		return 0xffff;
	access.write32(access.ctx, at, PCI_COMMAND, ((word & 0xffffu) | set) & ~(uint32_t)clear);
	return (uint16_t)access.read32(access.ctx, at, PCI_COMMAND);
}

bool pci_host_enable_memory(struct pci_address at)
{
	return update_command(at, PCI_COMMAND_MEMORY, 0) != 0xffff;
}

const struct pci_table *pci_host_table(void)
{
	return &table;
}

/* Only the command register's bus-master bit changes. */
uint16_t pci_host_quiesce(unsigned function)
{
	if (function >= table.count)
		return 0xffff;
	return update_command(table.functions[function].address, 0, PCI_COMMAND_BUS_MASTER);
}

bool pci_host_enable_bus_master(unsigned function)
{
	if (function >= table.count)
		return false;
	return update_command(table.functions[function].address, PCI_COMMAND_BUS_MASTER, 0) !=
	       0xffff;
}

uint32_t pci_host_config_read(unsigned function, uint16_t offset)
{
	if (function >= table.count || !access.read32)
		return ABSENT;
	return access.read32(access.ctx, table.functions[function].address, offset);
}

void pci_host_config_write(unsigned function, uint16_t offset, uint32_t value)
{
	if (function < table.count && access.write32)
		access.write32(access.ctx, table.functions[function].address, offset, value);
}

/* The entry's page is mapped as device memory the first time (mapping a
 * page twice is harmless: arch_map_device_memory keeps what is there). */
volatile uint32_t *pci_host_msix_entry(unsigned function, unsigned entry)
{
	const uint64_t page = 4096, entry_size = 16;

	if (function >= table.count)
		return NULL;
	const struct pci_function *f = &table.functions[function];
	const struct pci_msix *m = &f->msix;
	if (!(f->caps & PCI_HAS_MSIX) || m->problem || entry >= m->table_size ||
	    m->table_bar >= f->bar_count)
		return NULL;
	const struct pci_bar *bar = &f->bars[m->table_bar];
	/* lib/pci checked that the table lies inside the BAR. */
	uint64_t at = bar->base + m->table_offset + entry * entry_size;
	if (bar->base == 0 || !arch_map_device_memory(at & ~(page - 1), page))
		return NULL;
	return (volatile uint32_t *)phys_to_virt(at);
}
