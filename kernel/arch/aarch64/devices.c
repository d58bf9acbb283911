/*
 * devices: where the AArch64 kernel's own devices are.
 *
 * The GICv3 comes from the ACPI MADT when the firmware has one (its GICD
 * structure; the first GICR range, or failing that the lowest
 * redistributor an enabled GICC names), else from the device tree (the
 * "arm,gic-v3" node: distributor, then redistributor region in `reg`).
 * The console UART comes from the ACPI SPCR (a PL011 or SBSA UART in
 * memory space), else from the device tree (the first enabled
 * "arm,pl011"), with its receive interrupt (the SPCR's GSI, or the node's
 * `interrupts`). What no table names stays at QEMU virt's documented
 * address, and the boot line says so. The GICv3 ITS, which turns MSIs into
 * LPIs (its.c), comes from the MADT's first GIC ITS structure, else the
 * device tree's first enabled "arm,gic-v3-its" node (a child of the GIC's);
 * with neither there is none: an ITS is optional, and QEMU virt's own
 * address holds nothing on machines built without one.
 *
 * The console was already running at QEMU virt's PL011 address before any
 * table could be read (early_mmio.c); if the firmware names another UART,
 * it is mapped and the console moves there. Redistributors are mapped for
 * GICR_MAPPED_CPUS CPUs at most (gic.c looks no further).
 */
#include <arch.h>
#include <firmware.h>
#include <panic.h>
#include <printk.h>

#include "console.h"
#include "devices.h"
#include "mmio.h"

#define GICR_MAPPED_SIZE (GICR_STRIDE * GICR_MAPPED_CPUS)
#define DT_GIC_SPI 0 /* the GIC binding's interrupt types */
#define DT_GIC_PPI 1

static struct board_devices board = {
	.gicd = VIRT_GICD_BASE,
	.gicr = VIRT_GICR_BASE,
	.gicr_size = GICR_MAPPED_SIZE,
	.uart = VIRT_PL011_BASE,
	.uart_intid = VIRT_PL011_INTID,
};

/* What the MADT's structures say of the GIC, gathered in one walk. */
struct madt_gic {
	uint64_t gicd;
	uint64_t gicr, gicr_size;  /* the first GICR range */
	uint64_t lowest_gicc_gicr; /* UINT64_MAX: no GICC names one */
};

static void note_madt_entry(const struct acpi_madt_entry *e, struct madt_gic *found)
{
	struct acpi_gicd gicd;
	struct acpi_gicr gicr;
	struct acpi_gicc gicc;

	if (acpi_madt_gicd(e, &gicd)) {
		found->gicd = gicd.base;
	} else if (acpi_madt_gicr(e, &gicr) && !found->gicr) {
		found->gicr = gicr.base;
		found->gicr_size = gicr.length;
	} else if (acpi_madt_gicc(e, &gicc) && (gicc.flags & ACPI_CPU_ENABLED) && gicc.gicr_base &&
		   gicc.gicr_base < found->lowest_gicc_gicr) {
		found->lowest_gicc_gicr = gicc.gicr_base;
	}
}

static bool gic_from_madt(struct board_devices *b)
{
	const struct acpi *acpi = firmware_acpi();
	struct madt_gic found = { .lowest_gicc_gicr = UINT64_MAX };
	struct acpi_table madt;
	struct acpi_madt_iter it;
	struct acpi_madt_entry e;

	if (!acpi || acpi_find(acpi, "APIC", &madt) != ACPI_OK)
		return false;
	acpi_madt_begin(&it, &madt);
	while (acpi_madt_next(&it, &e))
		note_madt_entry(&e, &found);
	if (!found.gicr && found.lowest_gicc_gicr != UINT64_MAX) {
		found.gicr = found.lowest_gicc_gicr;
		found.gicr_size = GICR_MAPPED_SIZE;
	}
	if (!found.gicd || !found.gicr || !found.gicr_size)
		return false;
	b->gicd = found.gicd;
	b->gicr = found.gicr;
	b->gicr_size = found.gicr_size;
	return true;
}

static bool gic_from_dt(struct board_devices *b)
{
	const struct fdt *dt = firmware_dt();
	int gic = dt ? fdt_find_compatible(dt, FDT_NO_NODE, "arm,gic-v3") : FDT_NO_NODE;
	uint64_t gicd, gicd_size, gicr, gicr_size;

	if (gic == FDT_NO_NODE || !fdt_reg(dt, gic, 0, &gicd, &gicd_size) ||
	    !fdt_reg(dt, gic, 1, &gicr, &gicr_size) || !gicd || !gicr || !gicr_size)
		return false;
	b->gicd = gicd;
	b->gicr = gicr;
	b->gicr_size = gicr_size;
	return true;
}

static bool its_from_madt(uint64_t *its)
{
	const struct acpi *acpi = firmware_acpi();
	struct acpi_table madt;
	struct acpi_madt_iter it;
	struct acpi_madt_entry e;
	struct acpi_gic_its found;

	if (!acpi || acpi_find(acpi, "APIC", &madt) != ACPI_OK)
		return false;
	acpi_madt_begin(&it, &madt);
	while (acpi_madt_next(&it, &e)) {
		if (acpi_madt_gic_its(&e, &found) && found.base) {
			*its = found.base;
			return true;
		}
	}
	return false;
}

static bool its_from_dt(uint64_t *its)
{
	const struct fdt *dt = firmware_dt();
	uint64_t size;

	if (!dt)
		return false;
	for (int n = fdt_find_compatible(dt, FDT_NO_NODE, "arm,gic-v3-its"); n != FDT_NO_NODE;
	     n = fdt_find_compatible(dt, n, "arm,gic-v3-its")) {
		if (fdt_node_enabled(dt, n) && fdt_reg(dt, n, 0, its, &size) && *its &&
		    size >= GITS_SIZE)
			return true;
	}
	return false;
}

/* The GIC INTID of a device-tree interrupt specifier <type number flags>
 * (type 0: SPI, 32 + number; 1: PPI, 16 + number); 0 if it is neither. */
static unsigned dt_intid(const struct fdt_interrupt *irq)
{
	if (irq->cell_count < 2)
		return 0;
	if (irq->cells[0] == DT_GIC_SPI && irq->cells[1] < 988)
		return 32 + irq->cells[1];
	if (irq->cells[0] == DT_GIC_PPI && irq->cells[1] < 16)
		return 16 + irq->cells[1];
	return 0;
}

static bool uart_from_spcr(uint64_t *uart, unsigned *intid)
{
	const struct acpi *acpi = firmware_acpi();
	struct acpi_table table;
	struct acpi_spcr spcr;

	if (!acpi || acpi_find(acpi, "SPCR", &table) != ACPI_OK || !acpi_spcr(&table, &spcr))
		return false;
	if (spcr.interface_type != ACPI_SPCR_PL011 && spcr.interface_type != ACPI_SPCR_SBSA &&
	    spcr.interface_type != ACPI_SPCR_SBSA_32BIT)
		return false;
	if (spcr.address_space != ACPI_ADDRESS_SPACE_MEMORY || !spcr.address)
		return false;
	*uart = spcr.address;
	if ((spcr.interrupt_type & ACPI_SPCR_INTERRUPT_GIC) && spcr.gsi >= 32 && spcr.gsi < 1020)
		*intid = spcr.gsi;
	return true;
}

static bool uart_from_dt(uint64_t *uart, unsigned *intid)
{
	const struct fdt *dt = firmware_dt();
	struct fdt_interrupt irq;
	uint64_t size;

	if (!dt)
		return false;
	for (int n = fdt_find_compatible(dt, FDT_NO_NODE, "arm,pl011"); n != FDT_NO_NODE;
	     n = fdt_find_compatible(dt, n, "arm,pl011")) {
		if (fdt_node_enabled(dt, n) && fdt_reg(dt, n, 0, uart, &size) && *uart) {
			if (fdt_interrupt(dt, n, 0, &irq) && dt_intid(&irq))
				*intid = dt_intid(&irq);
			return true;
		}
	}
	return false;
}

/* Each returns the words saying where the address came from. */
static const char *locate_gic(struct board_devices *b)
{
	if (gic_from_madt(b))
		return "the ACPI MADT";
	if (gic_from_dt(b))
		return "the device tree";
	return "QEMU virt's documented addresses (no table names a GICv3)";
}

static const char *locate_uart(uint64_t *uart, unsigned *intid)
{
	if (uart_from_spcr(uart, intid))
		return "the ACPI SPCR";
	if (uart_from_dt(uart, intid))
		return "the device tree";
	return "QEMU virt's documented address (no table names a PL011)";
}

static void locate_its(struct board_devices *b)
{
	if (its_from_madt(&b->its))
		b->its_source = "the ACPI MADT";
	else if (its_from_dt(&b->its))
		b->its_source = "the device tree";
	else
		b->its = 0;
}

static void move_console(uint64_t uart)
{
	if (uart == board.uart)
		return;
	if (!mmio_map_device(uart, PL011_SIZE))
		panic("devices: cannot map the PL011 at 0x%llx", (unsigned long long)uart);
	console_use_uart(uart);
	board.uart = uart;
}

void arch_devices_init(void)
{
	uint64_t uart = board.uart;
	const char *gic_source = locate_gic(&board);
	unsigned intid = board.uart_intid;
	const char *uart_source = locate_uart(&uart, &intid);

	if (board.gicr_size > GICR_MAPPED_SIZE)
		board.gicr_size = GICR_MAPPED_SIZE;
	if (!mmio_map_device(board.gicd, GICD_SIZE) ||
	    !mmio_map_device(board.gicr, board.gicr_size))
		panic("devices: cannot map the GIC at 0x%llx and 0x%llx",
		      (unsigned long long)board.gicd, (unsigned long long)board.gicr);
	locate_its(&board);
	if (board.its && !mmio_map_device(board.its, GITS_SIZE))
		panic("devices: cannot map the GIC ITS at 0x%llx", (unsigned long long)board.its);
	move_console(uart);
	board.uart_intid = intid;
	println("devices: GICv3 distributor at 0x%llx, redistributors at 0x%llx from %s; PL011 console at 0x%llx (INTID %u) from %s",
		(unsigned long long)board.gicd, (unsigned long long)board.gicr, gic_source,
		(unsigned long long)board.uart, board.uart_intid, uart_source);
}

const struct board_devices *board_devices(void)
{
	return &board;
}

bool arch_map_device_memory(uint64_t phys, uint64_t size)
{
	return mmio_map_device(phys, size);
}

/* No I/O port space: PCI I/O BARs are reached through the host bridge's
 * memory window instead. */
const bool arch_has_port_io = false;

void arch_port_io(uint16_t port, unsigned bytes, bool write, uint32_t *value)
{
	(void)port;
	(void)bytes;
	(void)write;
	(void)value;
}
