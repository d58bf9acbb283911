/*
 * acpi (verify harness): the ACPI reader over physical memory of unknown
 * bytes, reached through a map function that accepts or refuses any range.
 *
 * The callers hand acpi_open the RSDP address the bootloader found and a
 * map that turns a physical range into a pointer or refuses it (the
 * kernel's refuses what the HHDM does not cover); everything the tables
 * hold is firmware's. So here the RSDP address is any 64-bit number, and
 * map_model accepts or refuses any range: what it accepts reads as unknown
 * bytes. A range shorter than a table header (the RSDP's 20 bytes, a
 * signature's 4) is handed out as the last bytes of `memory`, so one byte
 * read past it is an alarm; a longer one starts at `memory`, whose cap only
 * sizes the analysis buffer: the code bounds every read of a table by the
 * length the table declares, never by a number of its own, so a reader that
 * ran past any length would run past CAP with the longest (EVA keeps the
 * length as one interval up to CAP). Longer ranges are refused, as a map
 * may. The signature looked up is unknown too (callers pass literals).
 *
 * Every decoder is run on the tables acpi_find returns and, for the fixed
 * fields at fixed offsets, on exactly-sized tables of every length up to
 * SMALL (past the last field any decoder reads; one analysis state per
 * length), so a decoder that read a field its length check did not cover
 * would read past the end. The MADT structure decoders are run on
 * exactly-sized structures of every length 0-255 (the length is a byte):
 * that is acpi_madt_next's contract (acpi.h, proven by WP), the shape every
 * structure the walk hands out has.
 */
#include <__fc_builtin.h>
#include <acpi.h>

#define CAP 1024
#define SMALL 64
#define ENTRY_MAX 255

static uint8_t memory[CAP];
static uint8_t small_table[SMALL];
static uint8_t entry_bytes[ENTRY_MAX];

static const void *map_model(uint64_t phys, uint64_t length, void *ctx)
{
	(void)phys;
	(void)ctx;
	if (length > CAP || Frama_C_nondet(0, 1))
		return 0;
	if (length < ACPI_HEADER_LENGTH)
		return memory + (CAP - length);
	return memory;
}

static void decode(const struct acpi_madt_entry *e)
{
	struct acpi_local_apic cpu;
	struct acpi_io_apic io;
	struct acpi_interrupt_override iso;
	struct acpi_gicc gicc;
	struct acpi_gicd gicd;
	struct acpi_gicr gicr;
	struct acpi_gic_its its;

	(void)acpi_madt_local_apic(e, &cpu);
	(void)acpi_madt_io_apic(e, &io);
	(void)acpi_madt_interrupt_override(e, &iso);
	(void)acpi_madt_gicc(e, &gicc);
	(void)acpi_madt_gicd(e, &gicd);
	(void)acpi_madt_gicr(e, &gicr);
	(void)acpi_madt_gic_its(e, &its);
}

/* Every reader of a checked table, as the kernel and the loader use them. */
static void read_table(const struct acpi_table *t)
{
	struct acpi_madt_iter it;
	struct acpi_madt_entry e;
	struct acpi_mcfg_entry m;
	struct acpi_spcr spcr;
	uint32_t local_apic, flags;
	uint64_t address;

	(void)acpi_madt_header(t, &local_apic, &flags);
	(void)acpi_madt_local_apic_address(t, &address);
	acpi_madt_begin(&it, t);
	while (acpi_madt_next(&it, &e)) {
	}
	(void)acpi_mcfg_count(t);
	(void)acpi_mcfg_entry(t, Frama_C_unsigned_int_interval(0, UINT32_MAX), &m);
	(void)acpi_spcr(t, &spcr);
}

int main(void)
{
	struct acpi a;
	struct acpi_table t;
	struct acpi_madt_entry e;
	char signature[ACPI_SIGNATURE_LENGTH];
	uint64_t rsdp = (uint64_t)Frama_C_unsigned_int_interval(0, UINT32_MAX) << 32 |
			Frama_C_unsigned_int_interval(0, UINT32_MAX);

	Frama_C_make_unknown((char *)memory, CAP);
	Frama_C_make_unknown((char *)small_table, SMALL);
	Frama_C_make_unknown((char *)entry_bytes, ENTRY_MAX);
	Frama_C_make_unknown(signature, sizeof(signature));

	if (acpi_open(&a, rsdp, map_model, 0) == ACPI_OK &&
	    acpi_find(&a, signature, &t) == ACPI_OK) {
		read_table(&t);
	}

	/*@ loop unroll SMALL + 1; */
	for (uint32_t length = 0; length <= SMALL; length++) {
		t.length = length;
		t.bytes = small_table + (SMALL - length);
		read_table(&t);
	}

	e.type = (uint8_t)Frama_C_interval(0, UINT8_MAX);
	/*@ loop unroll ENTRY_MAX + 1; */
	for (uint32_t length = 0; length <= ENTRY_MAX; length++) {
		e.length = (uint8_t)length;
		e.bytes = entry_bytes + (ENTRY_MAX - length);
		decode(&e);
	}

	(void)acpi_status_name((enum acpi_status)Frama_C_int_interval(-1, ACPI_UNREADABLE + 1));
	return 0;
}
