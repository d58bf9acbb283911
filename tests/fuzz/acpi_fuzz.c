/*
 * acpi_fuzz: libFuzzer target for the ACPI reader (lib/acpi.c).
 *
 * The fuzz input stands for physical memory starting at MEM_BASE, with
 * the RSDP at its first byte; the map function refuses every range outside
 * it, as the kernel's refuses what it has not mapped. Whatever the bytes
 * say, opening the RSDP, looking tables up, walking the MADT with every
 * decoder, reading every MCFG entry and the SPCR must stay inside memory (an
 * exactly-sized heap copy, so ASan sees any read past it), and every table
 * handed back must lie inside memory whole.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <acpi.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MEM_BASE 0x1000u

struct memory {
	const uint8_t *bytes;
	size_t size;
};

static const void *map(uint64_t phys, uint64_t length, void *ctx)
{
	const struct memory *m = ctx;

	if (phys < MEM_BASE || phys - MEM_BASE > m->size || length > m->size - (phys - MEM_BASE))
		return NULL;
	return m->bytes + (phys - MEM_BASE);
}

static void check_inside(const struct memory *m, const struct acpi_table *t)
{
	if (t->bytes < m->bytes || t->length > m->size ||
	    (size_t)(t->bytes - m->bytes) > m->size - t->length)
		abort();
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
	if (acpi_madt_interrupt_override(e, &iso) && (iso.polarity > 3 || iso.trigger > 3))
		abort();
	(void)acpi_madt_gicc(e, &gicc);
	(void)acpi_madt_gicd(e, &gicd);
	(void)acpi_madt_gicr(e, &gicr);
	(void)acpi_madt_gic_its(e, &its);
}

static void read_madt(const struct acpi_table *madt)
{
	struct acpi_madt_iter it;
	struct acpi_madt_entry e;
	uint32_t local_apic, flags;
	uint64_t address;

	(void)acpi_madt_header(madt, &local_apic, &flags);
	(void)acpi_madt_local_apic_address(madt, &address);
	acpi_madt_begin(&it, madt);
	while (acpi_madt_next(&it, &e)) {
		if (e.bytes < madt->bytes || e.bytes + e.length > madt->bytes + madt->length)
			abort();
		decode(&e);
	}
}

static void read_mcfg(const struct acpi_table *mcfg)
{
	struct acpi_mcfg_entry e;

	for (uint32_t i = 0; i <= acpi_mcfg_count(mcfg); i++) {
		if (acpi_mcfg_entry(mcfg, i, &e) && e.end_bus < e.start_bus)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);
	struct memory m = { copy, size };
	struct acpi a;
	struct acpi_table t;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (acpi_open(&a, MEM_BASE, map, &m) == ACPI_OK) {
		if (acpi_find(&a, "APIC", &t) == ACPI_OK) {
			check_inside(&m, &t);
			read_madt(&t);
		}
		if (acpi_find(&a, "MCFG", &t) == ACPI_OK) {
			check_inside(&m, &t);
			read_mcfg(&t);
		}
		if (acpi_find(&a, "SPCR", &t) == ACPI_OK) {
			struct acpi_spcr uart;

			check_inside(&m, &t);
			(void)acpi_spcr(&t, &uart);
		}
	}
	free(copy);
	return 0;
}
