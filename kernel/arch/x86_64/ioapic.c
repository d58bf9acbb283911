/*
 * ioapic: device interrupts on x86_64 -- every I/O APIC the ACPI MADT
 * names, routing GSIs to vectors, and the router's mask and unmask.
 *
 * A line is a GSI. GSI g arrives on vector IOAPIC_VECTOR_BASE + g (33 + g,
 * as in the original), for g < IOAPIC_LINES: 64 GSIs, two or three I/O
 * APICs' worth, all a PC or q35 has; higher pins stay masked and
 * unrouted. Every pin starts out sent to the BSP (physical destination,
 * fixed delivery), masked, until its owner waits for it; the router then
 * steers it to the owner's CPU (the destination field, rewritten while
 * the pin is masked).
 *
 * Trigger and polarity. An ISA IRQ arrives on the GSI of the same number,
 * edge-triggered and active high, unless the MADT has an interrupt source
 * override for it, which gives its GSI, polarity and trigger ("bus"
 * meaning ISA's). The seed's ISA lines -- keyboard 1, COM2 3, COM1 4,
 * PS/2 mouse 12, IDE 14 and 15 -- are routed so, like every other ISA
 * IRQ. GSIs above the ISA range are PCI's: level-triggered, active low.
 *
 * PCI INTx. Which GSI a PCI pin reaches is in the ACPI namespace (_PRT),
 * AML we do not interpret. We use the interrupt line register instead,
 * as the firmware wrote it: an ISA IRQ number (OVMF writes the PIRQ
 * router's 8259 routing, 10 or 11 on q35), which QEMU's chipset also
 * presents at the I/O APIC pin of that number, as the MADT's overrides
 * for 10 and 11 (level, active high) describe. The pin is made
 * level-triggered whatever the ISA default. Limits: a line register of
 * 0 or 0xff, or a machine whose chipset does not mirror its PIRQs onto
 * the I/O APIC's ISA pins, leaves the device without a usable line (real
 * hardware needs _PRT); the line is shared by every function the
 * firmware put on it, and WaitIrq gives it to one process.
 *
 * The kernel's own lines: ISA IRQ 0 (the PIT, never used for ticks here,
 * the local APIC timer is) and COM1's IRQ 4, the console's receive line
 * (console_input.c). WaitIrq refuses them.
 *
 * EOI: the handler masks the pin (the router does) and then writes the
 * local APIC's EOI, which for a level-triggered pin also clears its
 * Remote IRR at the I/O APIC; unmasking an asserted level pin later
 * delivers it again at once.
 */
#include <arch.h>
#include <cpu.h>
#include <firmware.h>
#include <hhdm.h>
#include <irq_wait.h>
#include <printk.h>

#include "interrupts.h"
#include "ioapic.h"

#define IOAPIC_MAX 8
#define ISA_IRQS 16
#define IOREGSEL 0x00
#define IOWIN 0x10
#define IOAPIC_REG_VERSION 0x01
#define IOAPIC_REG_RTE 0x10
#define RTE_MASKED (1u << 16)
#define RTE_LEVEL (1u << 15)
#define RTE_ACTIVE_LOW (1u << 13)
#define ISA_TIMER_IRQ 0
#define ISA_COM1_IRQ 4

struct ioapic {
	volatile uint32_t *regs;
	uint32_t gsi_base;
	unsigned pins;
};

struct route {
	bool level, active_low;
};

static struct ioapic ioapics[IOAPIC_MAX];
static unsigned ioapic_count;
static struct acpi_interrupt_override overrides[ISA_IRQS];
static bool has_override[ISA_IRQS];
static uint8_t bsp_apic_id;

static uint32_t ioapic_read(const struct ioapic *io, uint32_t reg)
{
	io->regs[IOREGSEL / 4] = reg;
	return io->regs[IOWIN / 4];
}

static void ioapic_write(const struct ioapic *io, uint32_t reg, uint32_t value)
{
	io->regs[IOREGSEL / 4] = reg;
	io->regs[IOWIN / 4] = value;
}

/* The I/O APIC carrying `gsi`, or NULL. */
static const struct ioapic *ioapic_of(unsigned gsi)
{
	for (unsigned i = 0; i < ioapic_count; i++) {
		if (gsi >= ioapics[i].gsi_base && gsi - ioapics[i].gsi_base < ioapics[i].pins)
			return &ioapics[i];
	}
	return NULL;
}

static void rte_set_mask(unsigned gsi, bool masked)
{
	const struct ioapic *io = ioapic_of(gsi);

	if (!io)
		return;
	uint32_t reg = IOAPIC_REG_RTE + 2 * (gsi - io->gsi_base);
	uint32_t low = ioapic_read(io, reg);
	ioapic_write(io, reg, masked ? low | RTE_MASKED : low & ~RTE_MASKED);
}

static void rte_program(unsigned gsi, struct route r)
{
	const struct ioapic *io = ioapic_of(gsi);

	if (!io)
		return;
	uint32_t reg = IOAPIC_REG_RTE + 2 * (gsi - io->gsi_base);
	uint32_t low = RTE_MASKED | (IOAPIC_VECTOR_BASE + gsi) | (r.level ? RTE_LEVEL : 0) |
		       (r.active_low ? RTE_ACTIVE_LOW : 0);
	ioapic_write(io, reg, RTE_MASKED); /* masked while it changes */
	ioapic_write(io, reg + 1, (uint32_t)bsp_apic_id << 24);
	ioapic_write(io, reg, low);
}

static void chip_mask(unsigned line)
{
	rte_set_mask(line, true);
}

static void chip_unmask(unsigned line)
{
	rte_set_mask(line, false);
}

/* The destination is the CPU's local APIC ID, in the entry's high word. */
static bool chip_route(unsigned line, unsigned cpu)
{
	const struct ioapic *io = ioapic_of(line);
	const struct cpu *c = cpu_at(cpu);

	if (!io || !c || c->hw_id > UINT8_MAX)
		return false;
	uint32_t reg = IOAPIC_REG_RTE + 2 * (line - io->gsi_base);
	ioapic_write(io, reg + 1, (uint32_t)c->hw_id << 24);
	return true;
}

static const struct irq_chip ioapic_chip = { chip_mask, chip_unmask, chip_route };

static void note_ioapic(const struct acpi_io_apic *a)
{
	if (ioapic_count == IOAPIC_MAX || a->address == 0) {
		println("interrupts: I/O APIC %u at 0x%x ignored (at most %d)", a->id, a->address,
			IOAPIC_MAX);
		return;
	}
	struct ioapic *io = &ioapics[ioapic_count++];
	io->regs = phys_to_virt(a->address); /* under 4 GiB: in the HHDM, uncached by MTRR */
	io->gsi_base = a->gsi_base;
	io->pins = ((ioapic_read(io, IOAPIC_REG_VERSION) >> 16) & 0xff) + 1;
	println("interrupts: I/O APIC %u at 0x%x, GSIs %u-%u", a->id, a->address, a->gsi_base,
		a->gsi_base + io->pins - 1);
}

static void note_override(const struct acpi_interrupt_override *o)
{
	if (o->bus != 0 || o->source >= ISA_IRQS)
		return;
	overrides[o->source] = *o;
	has_override[o->source] = true;
}

/* Every I/O APIC and ISA override the MADT lists; false without one. */
static bool read_madt(void)
{
	const struct acpi *acpi = firmware_acpi();
	struct acpi_table madt;
	struct acpi_madt_iter it;
	struct acpi_madt_entry e;
	struct acpi_io_apic io;
	struct acpi_interrupt_override o;

	if (!acpi || acpi_find(acpi, "APIC", &madt) != ACPI_OK)
		return false;
	acpi_madt_begin(&it, &madt);
	while (acpi_madt_next(&it, &e)) {
		if (acpi_madt_io_apic(&e, &io))
			note_ioapic(&io);
		else if (acpi_madt_interrupt_override(&e, &o))
			note_override(&o);
	}
	return ioapic_count > 0;
}

/* ISA IRQ `irq`'s GSI and how it signals: the override's, else ISA's. */
static unsigned isa_gsi(unsigned irq, struct route *r)
{
	*r = (struct route){ .level = false, .active_low = false };
	if (irq >= ISA_IRQS || !has_override[irq])
		return irq;
	const struct acpi_interrupt_override *o = &overrides[irq];
	r->level = o->trigger == ACPI_TRIGGER_LEVEL;
	r->active_low = o->polarity == ACPI_POLARITY_LOW;
	return o->gsi;
}

/* Which ISA IRQ, if any, arrives on `gsi`; ISA_IRQS if none. */
static unsigned isa_irq_on(unsigned gsi)
{
	for (unsigned irq = 0; irq < ISA_IRQS; irq++) {
		struct route r;
		if (isa_gsi(irq, &r) == gsi && (irq == gsi || has_override[irq]))
			return irq;
	}
	return ISA_IRQS;
}

/* How `gsi` signals: as its ISA IRQ's, else as a PCI line. */
static struct route gsi_route(unsigned gsi)
{
	unsigned irq = isa_irq_on(gsi);
	struct route r = { .level = true, .active_low = true };

	if (irq < ISA_IRQS)
		(void)isa_gsi(irq, &r);
	return r;
}

static void route_all(void)
{
	for (unsigned gsi = 0; gsi < IOAPIC_LINES; gsi++) {
		if (!ioapic_of(gsi))
			continue;
		struct route r = gsi_route(gsi);
		rte_program(gsi, r);
		(void)irq_line_declare(gsi, r.level);
	}
}

static void announce_isa(void)
{
	static const struct { unsigned irq; const char *name; } seed[] = {
		{ 1, "keyboard" }, { 3, "COM2" }, { 4, "COM1" }, { 12, "PS/2 mouse" },
		{ 14, "IDE 0" }, { 15, "IDE 1" },
	};

	for (unsigned i = 0; i < sizeof(seed) / sizeof(seed[0]); i++) {
		struct route r;
		unsigned gsi = isa_gsi(seed[i].irq, &r);
		println("interrupts: ISA IRQ %u (%s) -> GSI %u, vector %u, %s, active %s%s",
			seed[i].irq, seed[i].name, gsi, IOAPIC_VECTOR_BASE + gsi,
			r.level ? "level" : "edge", r.active_low ? "low" : "high",
			has_override[seed[i].irq] ? " (MADT override)" : "");
	}
}

unsigned ioapic_isa_gsi(unsigned irq)
{
	struct route r;

	return isa_gsi(irq, &r);
}

void ioapic_init(uint8_t bsp_id)
{
	bsp_apic_id = bsp_id;
	irq_init(&ioapic_chip);
	if (!read_madt()) {
		println("interrupts: no I/O APIC in the ACPI tables: no device interrupts");
		return;
	}
	route_all();
	(void)irq_line_reserve(ioapic_isa_gsi(ISA_TIMER_IRQ));
	(void)irq_line_reserve(ioapic_isa_gsi(ISA_COM1_IRQ));
	announce_isa();
}

uint8_t ioapic_bsp_apic_id(void)
{
	return bsp_apic_id;
}

void ioapic_unmask_kernel_line(unsigned gsi)
{
	rte_set_mask(gsi, false);
}

bool arch_irq_pci_line(const struct pci_function *f, unsigned *line)
{
	struct route r;

	if (f->interrupt_pin == 0 || f->interrupt_line == 0 || f->interrupt_line == 0xff)
		return false;
	*line = isa_gsi(f->interrupt_line, &r);
	return *line < IOAPIC_LINES && ioapic_of(*line);
}

void arch_irq_route_pci(const struct pci_table *table)
{
	for (unsigned i = 0; i < table->count; i++) {
		const struct pci_function *f = &table->functions[i];
		unsigned gsi;
		if (!f->interrupt_pin)
			continue;
		if (!arch_irq_pci_line(f, &gsi)) {
			println("irq: pci %02x:%02x.%u INT%c: no usable interrupt line (register %u)",
				f->address.bus, f->address.device, f->address.function,
				'A' + f->interrupt_pin - 1, f->interrupt_line);
			continue;
		}
		/* PCI INTx is level-triggered, whatever the ISA default was. */
		struct route r = gsi_route(gsi);
		r.level = true;
		struct irq_line_info info;
		if (irq_line_info(gsi, &info) && info.state == IRQ_FREE &&
		    irq_line_set_level(gsi, true) == K_OK)
			rte_program(gsi, r);
		println("irq: pci %02x:%02x.%u INT%c -> GSI %u, vector %u, level, active %s",
			f->address.bus, f->address.device, f->address.function,
			'A' + f->interrupt_pin - 1, gsi, IOAPIC_VECTOR_BASE + gsi,
			r.active_low ? "low" : "high");
	}
}
