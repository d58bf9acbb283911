/*
 * gic: the GICv3 interrupt controller and the generic timer's tick.
 *
 * A GICv3 has three parts: the distributor (shared, routes SPIs), one
 * redistributor per CPU (its SGIs and PPIs, and whether it is awake), and
 * each CPU's interface, reached through ICC_* system registers. The timer
 * is a PPI -- private to its CPU -- so only this CPU's redistributor and
 * interface matter for the tick; the distributor is enabled for the
 * device interrupts (SPIs) of later chapters.
 *
 * The tick comes from the EL1 virtual timer (PPI 27): unlike the physical
 * timer it is always accessible at EL1, whatever EL2 allowed. It counts at
 * CNTFRQ_EL0 and is re-armed with CNTFRQ/hz on every interrupt. The
 * registers are reached at phys + HHDM, where devices.c found them (in the
 * firmware's tables) and mapped them as device memory.
 *
 * MSIs arrive as LPIs (INTIDs from LPI_FIRST), which the ITS (its.c) sets
 * up: LPI LPI_FIRST + s is MSI slot s, router line IRQ_MSI_BASE + s. An
 * LPI has no active state and is enabled in memory, not here, so it is
 * handled like an SPI minus the masking (the MSI-X table masks it, msix.c).
 */
#include <arch.h>
#include <console_input.h>
#include <cpu.h>
#include <firmware.h>
#include <hhdm.h>
#include <ipi.h>
#include <irq_wait.h>
#include <msi.h>
#include <msi_count.h>
#include <panic.h>
#include <pci_host.h>
#include <printk.h>
#include <thread.h>
#include <timer.h>

#include "devices.h"
#include "interrupts.h"
#include "its.h"
#include "mmio.h"
#include "sysreg.h"

#define GICD_CTLR 0x0
#define GICD_TYPER 0x4
#define GICD_CTLR_RWP (1u << 31)
#define GICD_CTLR_ENABLE_GRP1 (1u << 1)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_IGROUPR 0x80
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_IPRIORITYR 0x400
#define GICD_ICFGR 0xc00
#define GICD_IGRPMODR 0xd00
#define GICD_IROUTER 0x6000
#define SPI_FIRST 32
#define SGI_RESCHEDULE 0 /* IPI_RESCHEDULE (ipi.h) */
/* ICC_SGI1R_EL1's fields (GICv3 architecture, 12.2.21). */
#define SGI1R_AFF1_SHIFT 16
#define SGI1R_INTID_SHIFT 24
#define SGI1R_AFF2_SHIFT 32
#define SGI1R_RS_SHIFT 44
#define SGI1R_AFF3_SHIFT 48
#define SPI_PRIORITY 0xa0
#define INTID_LIMIT 1020

#define GICR_TYPER 0x8          /* 64-bit: affinity in bits 63:32, Last = bit 4 */
#define GICR_WAKER 0x14
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_TYPER_LAST (1u << 4)
#define GICR_SGI_BASE 0x10000   /* the second 64 KiB frame: SGIs and PPIs */
#define GICR_IGROUPR0 0x80
#define GICR_ISENABLER0 0x100
#define GICR_IPRIORITYR 0x400
#define GICR_IGRPMODR0 0xd00

#define PPI_PRIORITY 0x80
#define SPURIOUS_FIRST 1020     /* INTIDs 1020-1023 mean "nothing" */
#define SPURIOUS_LAST 1023
#define WAIT_SPINS 1000000u

#define CNTV_CTL_ENABLE (1u << 0)

static uintptr_t gicd;
static unsigned intid_end;    /* one past the last SPI the distributor has */
static uint64_t timer_reload; /* CNTFRQ / hz, the same on every CPU */
static uint64_t msi_counts[IRQ_MSI_LINES]; /* LPIs delivered per MSI slot */

static bool wait_until_clear(uintptr_t reg, uint32_t bits)
{
	for (unsigned i = 0; i < WAIT_SPINS; i++) {
		if (!(mmio_read32(reg) & bits))
			return true;
		arch_cpu_relax();
	}
	return false;
}

/* The redistributor whose affinity is this CPU's MPIDR, or 0. */
static uintptr_t find_redistributor(void)
{
	uint64_t mpidr = read_mpidr_el1();
	uint32_t affinity = (uint32_t)((mpidr & 0xffffff) | ((mpidr >> 32 & 0xff) << 24));
	const struct board_devices *board = board_devices();

	for (uint64_t off = 0; off + GICR_STRIDE <= board->gicr_size; off += GICR_STRIDE) {
		uintptr_t frame = (uintptr_t)phys_to_virt(board->gicr + off);
		uint32_t typer_lo = mmio_read32(frame + GICR_TYPER);
		uint32_t typer_hi = mmio_read32(frame + GICR_TYPER + 4);
		if (typer_hi == affinity)
			return frame;
		if (typer_lo & GICR_TYPER_LAST)
			break;
	}
	return 0;
}

static void distributor_enable(void)
{
	mmio_write32(gicd + GICD_CTLR, 0);
	(void)wait_until_clear(gicd + GICD_CTLR, GICD_CTLR_RWP);
	mmio_write32(gicd + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1);
	(void)wait_until_clear(gicd + GICD_CTLR, GICD_CTLR_RWP);
}

/* Wakes this CPU's redistributor and puts its SGIs and PPIs in group 1
 * (firmware may have grouped only some), then enables the timer's PPI and
 * the reschedule IPI's SGI. */
static bool redistributor_enable_timer(uintptr_t gicr)
{
	uint32_t waker = mmio_read32(gicr + GICR_WAKER);

	mmio_write32(gicr + GICR_WAKER, waker & ~GICR_WAKER_PROCESSOR_SLEEP);
	if (!wait_until_clear(gicr + GICR_WAKER, GICR_WAKER_CHILDREN_ASLEEP))
		return false;
	uintptr_t sgi = gicr + GICR_SGI_BASE;
	mmio_write32(sgi + GICR_IGROUPR0, UINT32_MAX);
	mmio_write32(sgi + GICR_IGRPMODR0, 0);
	*(volatile uint8_t *)(sgi + GICR_IPRIORITYR + PPI_VIRTUAL_TIMER) = PPI_PRIORITY;
	*(volatile uint8_t *)(sgi + GICR_IPRIORITYR + SGI_RESCHEDULE) = PPI_PRIORITY;
	mmio_write32(sgi + GICR_ISENABLER0, 1u << PPI_VIRTUAL_TIMER | 1u << SGI_RESCHEDULE);
	return true;
}

/* ------------------------------------------------------------- SPIs */

static void spi_bit(unsigned reg, unsigned intid)
{
	mmio_write32(gicd + reg + 4 * (intid / 32), 1u << (intid % 32));
}

/* Disabling takes effect when RWP clears (GICv3, 12.9.4). */
static void chip_mask(unsigned intid)
{
	if (intid < SPI_FIRST || intid >= intid_end)
		return;
	spi_bit(GICD_ICENABLER, intid);
	(void)wait_until_clear(gicd + GICD_CTLR, GICD_CTLR_RWP);
}

static void chip_unmask(unsigned intid)
{
	if (intid >= SPI_FIRST && intid < intid_end)
		spi_bit(GICD_ISENABLER, intid);
}

/* An SPI goes to the one CPU its GICD_IROUTER names (routing mode 0),
 * by affinity, which is the CPU's hw_id in the register's own layout
 * (Aff3 at 39:32, Aff2-0 at 23:0). */
static void spi_route(unsigned intid, uint64_t affinity)
{
	mmio_write32(gicd + GICD_IROUTER + 8 * intid, (uint32_t)affinity);
	mmio_write32(gicd + GICD_IROUTER + 8 * intid + 4, (uint32_t)(affinity >> 32));
}

static bool chip_route(unsigned intid, unsigned cpu)
{
	const struct cpu *c = cpu_at(cpu);

	if (intid < SPI_FIRST || intid >= intid_end || !c)
		return false;
	spi_route(intid, c->hw_id);
	return true;
}

static const struct irq_chip gic_chip = { chip_mask, chip_unmask, chip_route };

static void spi_set_level(unsigned intid, bool level)
{
	uintptr_t reg = gicd + GICD_ICFGR + 4 * (intid / 16);
	uint32_t edge = 2u << (2 * (intid % 16));
	uint32_t v = mmio_read32(reg);

	mmio_write32(reg, level ? v & ~edge : v | edge);
}

/* One SPI disabled, group 1, SPI_PRIORITY, level, routed to this CPU. */
static void spi_setup(unsigned intid, uint64_t affinity)
{
	uint32_t bit = 1u << (intid % 32);
	uintptr_t group = gicd + GICD_IGROUPR + 4 * (intid / 32);
	uintptr_t mode = gicd + GICD_IGRPMODR + 4 * (intid / 32);

	chip_mask(intid);
	mmio_write32(group, mmio_read32(group) | bit);
	mmio_write32(mode, mmio_read32(mode) & ~bit);
	*(volatile uint8_t *)(gicd + GICD_IPRIORITYR + intid) = SPI_PRIORITY;
	spi_set_level(intid, true);
	spi_route(intid, affinity);
}

/* Every SPI set up and declared to the router; the console's reserved
 * and enabled, its receive interrupt on. */
static void spis_init(void)
{
	uint64_t mpidr = read_mpidr_el1();
	uint64_t affinity = (mpidr & 0xffffff) | ((mpidr >> 32 & 0xff) << 32);
	unsigned console = board_devices()->uart_intid;

	irq_init(&gic_chip);
	for (unsigned intid = SPI_FIRST; intid < intid_end; intid++) {
		spi_setup(intid, affinity);
		(void)irq_line_declare(intid, true);
	}
	if (console >= SPI_FIRST && console < intid_end) {
		(void)irq_line_reserve(console);
		console_input_start(console);
		console_rx_start();
		chip_unmask(console);
		println("interrupts: %u SPIs routed to this CPU, disabled until waited for; console input on INTID %u (the kernel's line)",
			intid_end - SPI_FIRST, console);
	}
}

/* QEMU virt's fixed map of the root bus's slots and pins. */
static unsigned root_bus_intx(struct pci_address at, uint8_t pin)
{
	return VIRT_PCI_INTX_INTID + (at.device + pin - 1u) % 4u;
}

/* From the device tree's interrupt-map (of root-bus slots and pins), when
 * there is one. */
static bool dt_intx(struct pci_address at, uint8_t pin, unsigned *intid)
{
	const struct fdt *dt = firmware_dt();
	int host = dt ? fdt_find_compatible(dt, FDT_NO_NODE, "pci-host-ecam-generic") : FDT_NO_NODE;
	struct fdt_interrupt irq;

	if (host == FDT_NO_NODE)
		return false;
	uint32_t phys_hi = (uint32_t)at.bus << 16 | (uint32_t)at.device << 11 |
			   (uint32_t)at.function << 8;
	if (!fdt_pci_intx(dt, host, phys_hi, pin, &irq) || irq.cell_count < 2 ||
	    irq.cells[0] != 0 || irq.cells[1] >= INTID_LIMIT - SPI_FIRST)
		return false;
	*intid = SPI_FIRST + irq.cells[1];
	return true;
}

/* A function behind bridges interrupts as the root-bus slot its bridges
 * lead to, with the pin they swizzle it to (pci_intx_at_root); the root
 * bus is the enumeration's first. */
bool arch_irq_pci_line(const struct pci_function *f, unsigned *line)
{
	const struct pci_table *table = pci_host_table();
	uint8_t root_bus = table->count ? table->functions[0].address.bus : 0, pin;
	struct pci_address root;

	if (!pci_intx_at_root(table, f, root_bus, &root, &pin))
		return false;
	if (dt_intx(root, pin, line))
		return *line < intid_end;
	if (firmware_dt() || root.bus != 0)
		return false;
	*line = root_bus_intx(root, pin);
	return *line < intid_end;
}

void arch_irq_route_pci(const struct pci_table *table)
{
	const char *source = firmware_dt() ? "the device tree interrupt-map" : "QEMU virt's fixed INTx map (no device tree)";

	for (unsigned i = 0; i < table->count; i++) {
		const struct pci_function *f = &table->functions[i];
		unsigned intid;
		if (!f->interrupt_pin)
			continue;
		if (!arch_irq_pci_line(f, &intid)) {
			println("irq: pci %02x:%02x.%u INT%c: no usable interrupt line",
				f->address.bus, f->address.device, f->address.function,
				'A' + f->interrupt_pin - 1);
			continue;
		}
		println("irq: pci %02x:%02x.%u INT%c -> INTID %u (SPI %u), level, from %s",
			f->address.bus, f->address.device, f->address.function,
			'A' + f->interrupt_pin - 1, intid, intid - SPI_FIRST, source);
	}
}

static void cpu_interface_enable(void)
{
	write_icc_sre_el1(read_icc_sre_el1() | 1); /* system-register access */
	isb();
	write_icc_pmr_el1(0xff);                    /* every priority gets through */
	write_icc_igrpen1_el1(1);
	isb();
}

static void timer_arm(void)
{
	write_cntkctl_el1(1u << 1); /* EL0VCTEN: user code may read CNTVCT_EL0, as under Linux */
	write_cntv_tval_el0(timer_reload);
	write_cntv_ctl_el0(CNTV_CTL_ENABLE);
	isb();
}

void arch_interrupts_init(void)
{
	gicd = (uintptr_t)phys_to_virt(board_devices()->gicd);
	uintptr_t gicr = find_redistributor();
	if (!gicr)
		panic("interrupts: no GICv3 redistributor for this CPU (is the machine gic-version=3?)");
	distributor_enable();
	cpu_interface_enable();
	unsigned lines = ((mmio_read32(gicd + GICD_TYPER) & 0x1f) + 1) * 32;
	intid_end = lines < INTID_LIMIT ? lines : INTID_LIMIT;
	println("interrupts: GICv3 distributor at 0x%llx (%u interrupt lines), redistributor at 0x%llx",
		(unsigned long long)board_devices()->gicd, lines,
		(unsigned long long)virt_to_phys_hhdm((const void *)gicr));
	spis_init();
	its_init(gicd, gicr);
}

void arch_timer_calibration_begin(void)
{
	/* The generic timer's rate is CNTFRQ_EL0: nothing to measure. */
}

void arch_timer_start(unsigned hz)
{
	uint64_t frequency = read_cntfrq_el0();

	if (frequency == 0 || frequency / hz == 0)
		panic("timer: CNTFRQ_EL0 is %llu", (unsigned long long)frequency);
	uintptr_t gicr = find_redistributor();
	if (!gicr || !redistributor_enable_timer(gicr))
		panic("interrupts: the GICv3 redistributor did not wake up");
	timer_reload = frequency / hz;
	timer_arm();
	println("timer: generic timer at %llu Hz, virtual timer every %llu counts, %u Hz on PPI %u",
		(unsigned long long)frequency, (unsigned long long)timer_reload, hz,
		PPI_VIRTUAL_TIMER);
}

/* A CPU without its redistributor (beyond those mapped) runs without a
 * tick rather than stopping the boot. */
void gic_start_ap(void)
{
	uintptr_t gicr = find_redistributor();

	cpu_interface_enable();
	if (gicr && redistributor_enable_timer(gicr)) {
		timer_arm();
		its_start_ap(gicr, cpu_this()->index);
	}
}

/* MSI slot intid - LPI_FIRST; an LPI past the slots, which the ITS never
 * maps, is spurious. */
static void lpi_interrupt(uint32_t intid)
{
	uint32_t slot = intid - LPI_FIRST;

	if (slot >= IRQ_MSI_LINES) {
		(void)irq_dispatch(IRQ_LINES, 0, 0);
		return;
	}
	__atomic_fetch_add(&msi_counts[slot], 1, __ATOMIC_RELAXED);
	irq_interrupt(IRQ_MSI_BASE + slot);
}

uint64_t msi_slot_count(unsigned slot)
{
	return slot < IRQ_MSI_LINES ? __atomic_load_n(&msi_counts[slot], __ATOMIC_RELAXED) : 0;
}

void aarch64_interrupt(void)
{
	uint64_t iar = read_icc_iar1_el1();
	uint32_t intid = (uint32_t)(iar & 0xffffff);

	if (intid >= SPURIOUS_FIRST && intid <= SPURIOUS_LAST)
		return;
	irq_enter();
	if (intid == PPI_VIRTUAL_TIMER) {
		write_cntv_tval_el0(timer_reload); /* the next tick, from now */
		timer_tick();
		sched_on_tick();
	} else if (intid == SGI_RESCHEDULE) {
		ipi_receive(IPI_RESCHEDULE);
	} else if (intid == board_devices()->uart_intid) {
		console_rx_interrupt();
	} else if (intid >= LPI_FIRST) {
		lpi_interrupt(intid);
	} else if (intid >= SPI_FIRST && intid < INTID_LIMIT) {
		irq_interrupt(intid); /* masked here, before the EOI */
	} else {
		(void)irq_dispatch(IRQ_LINES, 0, 0); /* an SGI or PPI nobody asked for */
	}
	write_icc_eoir1_el1(iar);
	irq_exit(); /* may switch threads: after the EOI */
}

/* The target by affinity: Aff0 as a bit of the target list (its range,
 * RS, from Aff0's high bits), the others as fields. The stores the IPI
 * announces (a task queued) are made visible first. Only the reschedule
 * IPI has an SGI: a TLB shootdown is never needed here, since TLBI ...IS
 * reaches every CPU by itself (mmu.c). */
kerr_t arch_send_ipi(uint64_t hw_id, enum ipi_kind kind)
{
	static const uint8_t sgi[IPI_KINDS] = { [IPI_RESCHEDULE] = SGI_RESCHEDULE };
	if (kind != IPI_RESCHEDULE)
		return K_EINVAL;
	uint64_t aff0 = hw_id & 0xff, aff1 = hw_id >> 8 & 0xff, aff2 = hw_id >> 16 & 0xff;
	uint64_t aff3 = hw_id >> 32 & 0xff;

	dsb_ishst();
	write_icc_sgi1r_el1(aff3 << SGI1R_AFF3_SHIFT | (aff0 >> 4) << SGI1R_RS_SHIFT |
			    aff2 << SGI1R_AFF2_SHIFT | (uint64_t)sgi[kind] << SGI1R_INTID_SHIFT |
			    aff1 << SGI1R_AFF1_SHIFT | 1ull << (aff0 & 15));
	isb();
	return K_OK;
}

void arch_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

/* WFI wakes on a pending interrupt even while it is masked; unmasking
 * then takes it, and masking again closes the window. */
void arch_wait_for_interrupt(void)
{
	__asm__ volatile("wfi; msr daifclr, #2; isb; msr daifset, #2" ::: "memory");
}
