/*
 * acpi: reading the firmware's ACPI tables (RSDP, RSDT/XSDT, MADT, MCFG).
 *
 * One reader for the loader, the kernel and the host tests. Tables are
 * named by physical addresses, which only the caller knows how to reach:
 * the loader runs on the firmware's identity map, the kernel through its
 * HHDM, the tests and the fuzzer in a buffer that stands for memory. So
 * every read goes through the caller's `map` function, which turns a
 * physical range into a pointer or refuses it; nothing is read outside a
 * range `map` accepted.
 *
 * Everything in the tables comes from firmware and is untrusted: the RSDP
 * is checked for its signature and checksums (the 20-byte ACPI 1.0 one and,
 * from revision 2, the extended one), every table for its length (at least
 * a header, at most ACPI_MAX_TABLE_LENGTH, readable as a whole) and its
 * checksum before it is used, and every MADT and MCFG entry is checked
 * against its table's end and its type's length before a field is read.
 * Fields are read byte by byte (tables need not be aligned). Portable and
 * freestanding: no allocation, no libc.
 */
#ifndef CAMBIOS_LIB_ACPI_H
#define CAMBIOS_LIB_ACPI_H

#include <stdbool.h>
#include <stdint.h>

#define ACPI_SIGNATURE_LENGTH 4
#define ACPI_HEADER_LENGTH 36
/* No table we read comes near this; a larger length is damage. */
#define ACPI_MAX_TABLE_LENGTH (16u << 20)

enum acpi_status {
	ACPI_OK = 0,
	ACPI_NOT_FOUND,     /* no table with that signature */
	ACPI_BAD_SIGNATURE, /* not an RSDP / not the table its pointer promised */
	ACPI_BAD_CHECKSUM,
	ACPI_BAD_LENGTH,    /* shorter than its kind allows, or absurdly long */
	ACPI_UNREADABLE,    /* `map` refused the range (or it wraps around) */
};

/* Returns a pointer through which `length` bytes at physical address
 * `phys` can be read, or NULL when they cannot. */
typedef const void *(*acpi_map_fn)(uint64_t phys, uint64_t length, void *ctx);

/* The root of the tables, once the RSDP has been checked. */
struct acpi {
	acpi_map_fn map;
	void *map_ctx;
	uint8_t revision;    /* the RSDP's: 0 for ACPI 1.0, 2 and up after */
	bool xsdt;           /* whether `root` is the XSDT (64-bit entries) */
	const uint8_t *root; /* the RSDT or XSDT, checked */
	uint32_t root_length;
};

/* A checked table: `length` bytes (the header's), all readable. */
struct acpi_table {
	const uint8_t *bytes;
	uint32_t length;
};

/* Checks the RSDP at `rsdp_phys` and the root table it points to: the
 * XSDT when the RSDP has one (revision 2 and up), otherwise, or when the
 * XSDT is unusable, the RSDT. */
enum acpi_status acpi_open(struct acpi *a, uint64_t rsdp_phys, acpi_map_fn map, void *ctx);

/* The first checked table with `signature` ("APIC", "MCFG", "FACP", ...)
 * the root lists. ACPI_NOT_FOUND when none is listed; when some are listed
 * but none passes its checks, why the last one failed. */
enum acpi_status acpi_find(const struct acpi *a, const char signature[ACPI_SIGNATURE_LENGTH],
			   struct acpi_table *out);

/* The words for a status, for boot messages ("bad checksum", ...). */
/*@ assigns \result \from s;
    ensures \valid_read(\result); */
const char *acpi_status_name(enum acpi_status s);

/* Little-endian loads from table bytes (tables need not be aligned). */
/*@ requires \valid_read(p + (0 .. 1));
    assigns \result \from p[0 .. 1]; */
uint16_t acpi_u16(const uint8_t *p);
/*@ requires \valid_read(p + (0 .. 3));
    assigns \result \from p[0 .. 3]; */
uint32_t acpi_u32(const uint8_t *p);
/*@ requires \valid_read(p + (0 .. 7));
    assigns \result \from p[0 .. 7]; */
uint64_t acpi_u64(const uint8_t *p);

/*@ // A checked table, as acpi_find hands it out: all its bytes readable.
    predicate acpi_table_readable(struct acpi_table *t) =
	\valid_read(t) && \valid_read(t->bytes + (0 .. t->length - 1));
*/

/* ---------------------------------------------------------------- MADT */

/* Interrupt-controller structure types (ACPI 6.5, 5.2.12). */
enum acpi_madt_type {
	ACPI_MADT_LOCAL_APIC = 0,
	ACPI_MADT_IO_APIC = 1,
	ACPI_MADT_INTERRUPT_OVERRIDE = 2,
	ACPI_MADT_LOCAL_APIC_ADDRESS = 5,
	ACPI_MADT_LOCAL_X2APIC = 9,
	ACPI_MADT_GICC = 11,
	ACPI_MADT_GICD = 12,
	ACPI_MADT_GICR = 14,
	ACPI_MADT_GIC_ITS = 15,
};

/* Local APIC and GICC flags: usable now / may be brought up later. */
#define ACPI_CPU_ENABLED (1u << 0)
#define ACPI_CPU_ONLINE_CAPABLE (1u << 1)

/* One interrupt-controller structure, inside the MADT. */
struct acpi_madt_entry {
	uint8_t type;
	uint8_t length;
	const uint8_t *bytes; /* the whole structure, type and length included */
};

/*@ // A MADT structure, as acpi_madt_next hands it out.
    predicate acpi_entry_readable(struct acpi_madt_entry *e) =
	\valid_read(e) && \valid_read(e->bytes + (0 .. e->length - 1));
*/

/* A walk over the MADT's structures; start it with acpi_madt_begin(). */
struct acpi_madt_iter {
	const struct acpi_table *madt;
	uint32_t offset;
};

/* The MADT's own fields: the 32-bit local APIC address and its flags
 * (bit 0: the machine also has 8259 PICs). False if the table is too short
 * to be a MADT. */
/*@ requires acpi_table_readable(madt);
    requires \valid(local_apic) && \valid(flags);
    requires \separated(local_apic, flags, madt, madt->bytes + (0 .. madt->length - 1));
    assigns *local_apic, *flags;
    ensures \result <==> madt->length >= 44; */
bool acpi_madt_header(const struct acpi_table *madt, uint32_t *local_apic, uint32_t *flags);

/*@ requires \valid(it);
    assigns *it;
    ensures it->madt == madt && it->offset == 44; */
void acpi_madt_begin(struct acpi_madt_iter *it, const struct acpi_table *madt);

/* The next structure, or false at the end. A structure shorter than 2
 * bytes or running past the table ends the walk. */
/*@ requires \valid(it) && \valid(out);
    requires acpi_table_readable(it->madt);
    requires \separated(it, out, it->madt);
    requires \separated(out, it->madt->bytes + (0 .. it->madt->length - 1));
    assigns it->offset, *out;
    ensures \result ==> out->length >= 2 && acpi_entry_readable(out) &&
	out->bytes == it->madt->bytes + \old(it->offset) &&
	it->offset == \old(it->offset) + out->length && it->offset <= it->madt->length; */
bool acpi_madt_next(struct acpi_madt_iter *it, struct acpi_madt_entry *out);

/* The local APIC's physical address: the 64-bit override (type 5) when
 * the MADT has one, otherwise its 32-bit field. False if neither is there. */
bool acpi_madt_local_apic_address(const struct acpi_table *madt, uint64_t *address);

/* A CPU's local APIC (type 0) or local x2APIC (type 9). */
struct acpi_local_apic {
	uint32_t uid;     /* the ACPI processor UID */
	uint32_t apic_id;
	uint32_t flags;   /* ACPI_CPU_* */
};

/* An I/O APIC (type 1): its registers and the first GSI its pins carry. */
struct acpi_io_apic {
	uint8_t id;
	uint32_t address;
	uint32_t gsi_base;
};

/* MPS INTI flags: polarity (bits 1:0) and trigger mode (bits 3:2). "Bus"
 * means as the bus defines it: for ISA, active high and edge-triggered. */
enum acpi_polarity {
	ACPI_POLARITY_BUS = 0,
	ACPI_POLARITY_HIGH = 1,
	ACPI_POLARITY_RESERVED = 2,
	ACPI_POLARITY_LOW = 3,
};

enum acpi_trigger {
	ACPI_TRIGGER_BUS = 0,
	ACPI_TRIGGER_EDGE = 1,
	ACPI_TRIGGER_RESERVED = 2,
	ACPI_TRIGGER_LEVEL = 3,
};

/* An interrupt source override (type 2): ISA IRQ `source` arrives on
 * `gsi`, with this polarity and trigger mode. */
struct acpi_interrupt_override {
	uint8_t bus; /* 0: ISA */
	uint8_t source;
	uint32_t gsi;
	enum acpi_polarity polarity;
	enum acpi_trigger trigger;
};

/* A GIC CPU interface (type 11): one CPU and its GIC frames. */
struct acpi_gicc {
	uint32_t cpu_interface;
	uint32_t uid;
	uint32_t flags;     /* ACPI_CPU_* */
	uint64_t gicc_base; /* GICv2 memory-mapped CPU interface */
	uint64_t gicr_base; /* this CPU's GICv3 redistributor, 0 when given by a GICR entry */
	uint64_t mpidr;
};

/* The GIC distributor (type 12). */
struct acpi_gicd {
	uint32_t id;
	uint64_t base;
	uint8_t version; /* 0: find out from the hardware; 1 to 4: GICv1-v4 */
};

/* A GICv3 redistributor discovery range (type 14). */
struct acpi_gicr {
	uint64_t base;
	uint32_t length;
};

/* A GICv3 Interrupt Translation Service (type 15): where MSIs are
 * written and turned into LPIs. */
struct acpi_gic_its {
	uint32_t id;
	uint64_t base; /* its registers: control frame, then GITS_TRANSLATER's */
};

/* Each decodes one structure; false when it is of another type or shorter
 * than its type's layout needs. acpi_madt_local_apic takes types 0 and 9. */
/*@ requires acpi_entry_readable(e) && \valid(out);
    requires \separated(out, e, e->bytes + (0 .. e->length - 1));
    assigns *out;
    ensures \result <==> (e->type == 0 && e->length >= 8) || (e->type == 9 && e->length >= 16); */
bool acpi_madt_local_apic(const struct acpi_madt_entry *e, struct acpi_local_apic *out);
/*@ requires acpi_entry_readable(e) && \valid(out);
    requires \separated(out, e, e->bytes + (0 .. e->length - 1));
    assigns *out;
    ensures \result <==> e->type == 1 && e->length >= 12; */
bool acpi_madt_io_apic(const struct acpi_madt_entry *e, struct acpi_io_apic *out);
/*@ requires acpi_entry_readable(e) && \valid(out);
    requires \separated(out, e, e->bytes + (0 .. e->length - 1));
    assigns *out;
    ensures \result <==> e->type == 2 && e->length >= 10;
    ensures \result ==> out->polarity <= 3 && out->trigger <= 3; */
bool acpi_madt_interrupt_override(const struct acpi_madt_entry *e,
				  struct acpi_interrupt_override *out);
/*@ requires acpi_entry_readable(e) && \valid(out);
    requires \separated(out, e, e->bytes + (0 .. e->length - 1));
    assigns *out;
    ensures \result <==> e->type == 11 && e->length >= 76; */
bool acpi_madt_gicc(const struct acpi_madt_entry *e, struct acpi_gicc *out);
/*@ requires acpi_entry_readable(e) && \valid(out);
    requires \separated(out, e, e->bytes + (0 .. e->length - 1));
    assigns *out;
    ensures \result <==> e->type == 12 && e->length >= 24; */
bool acpi_madt_gicd(const struct acpi_madt_entry *e, struct acpi_gicd *out);
/*@ requires acpi_entry_readable(e) && \valid(out);
    requires \separated(out, e, e->bytes + (0 .. e->length - 1));
    assigns *out;
    ensures \result <==> e->type == 14 && e->length >= 16; */
bool acpi_madt_gicr(const struct acpi_madt_entry *e, struct acpi_gicr *out);
/*@ requires acpi_entry_readable(e) && \valid(out);
    requires \separated(out, e, e->bytes + (0 .. e->length - 1));
    assigns *out;
    ensures \result <==> e->type == 15 && e->length >= 20; */
bool acpi_madt_gic_its(const struct acpi_madt_entry *e, struct acpi_gic_its *out);

/* ---------------------------------------------------------------- MCFG */

/* One PCI Express ECAM window: buses start_bus..end_bus of `segment`. */
struct acpi_mcfg_entry {
	uint64_t base;
	uint16_t segment;
	uint8_t start_bus;
	uint8_t end_bus;
};

/* How many whole entries the MCFG holds (0 if it is too short). */
/*@ requires \valid_read(mcfg);
    assigns \result \from mcfg->length;
    ensures mcfg->length < 44 ==> \result == 0;
    ensures mcfg->length >= 44 ==> \result == (mcfg->length - 44) / 16;
    ensures 44 + (integer)\result * 16 <= mcfg->length || \result == 0; */
uint32_t acpi_mcfg_count(const struct acpi_table *mcfg);

/* Entry `index`; false past the end or for a bus range that runs
 * backwards. */
/*@ requires acpi_table_readable(mcfg) && \valid(out);
    requires \separated(out, mcfg, mcfg->bytes + (0 .. mcfg->length - 1));
    assigns *out;
    ensures \result ==> out->start_bus <= out->end_bus;
    ensures \result ==> mcfg->length >= 44 && index < (mcfg->length - 44) / 16; */
bool acpi_mcfg_entry(const struct acpi_table *mcfg, uint32_t index, struct acpi_mcfg_entry *out);

/* ---------------------------------------------------------------- SPCR */

/* SPCR interface types (the DBG2 serial port subtypes) for the UARTs we
 * drive, and the address spaces of its Generic Address Structure. */
#define ACPI_SPCR_16550 0x00
#define ACPI_SPCR_PL011 0x03
#define ACPI_SPCR_SBSA_32BIT 0x0d /* SBSA generic UART: a PL011 subset */
#define ACPI_SPCR_SBSA 0x0e
#define ACPI_ADDRESS_SPACE_MEMORY 0
#define ACPI_ADDRESS_SPACE_IO 1

/* SPCR interrupt types (a bit each; several may be set). */
#define ACPI_SPCR_INTERRUPT_PIC (1u << 0)    /* an 8259 IRQ */
#define ACPI_SPCR_INTERRUPT_IO_APIC (1u << 1)
#define ACPI_SPCR_INTERRUPT_SAPIC (1u << 2)
#define ACPI_SPCR_INTERRUPT_GIC (1u << 3)    /* an ARM GIC interrupt (its INTID) */

/* The serial port the firmware's console used (the SPCR table). */
struct acpi_spcr {
	uint8_t interface_type;
	uint8_t address_space; /* ACPI_ADDRESS_SPACE_* */
	uint64_t address;
	uint8_t interrupt_type; /* ACPI_SPCR_INTERRUPT_*; 0: none, or a table too short */
	uint32_t gsi;           /* its global system interrupt (a GIC INTID on Arm) */
};

/* Decodes the SPCR; false if the table is too short for its base address.
 * A table that ends before the interrupt fields reads as having none. */
/*@ requires acpi_table_readable(spcr) && \valid(out);
    requires \separated(out, spcr, spcr->bytes + (0 .. spcr->length - 1));
    assigns *out;
    ensures \result <==> spcr->length >= 52;
    ensures \result && spcr->length < 58 ==> out->interrupt_type == 0 && out->gsi == 0; */
bool acpi_spcr(const struct acpi_table *spcr, struct acpi_spcr *out);

#endif
