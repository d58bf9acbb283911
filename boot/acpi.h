/*
 * acpi: finding ACPI tables and walking the MADT.
 *
 * Portable and defensive: tables come from firmware and are checked for
 * signature, length and checksum before use. The loader reaches them by
 * physical (identity) address; host tests pass buffers.
 */
#ifndef CAMBIOS_BOOT_ACPI_H
#define CAMBIOS_BOOT_ACPI_H

#include <stdbool.h>
#include <stdint.h>

/* MADT interrupt-controller structure types we care about. */
#define MADT_LOCAL_APIC 0
#define MADT_LOCAL_X2APIC 9
#define MADT_GICC 11

/* The table with `signature` (e.g. "APIC", "FACP") found through the RSDP's
 * XSDT (or RSDT for ACPI 1.0), or NULL. Returns the table's total length in
 * *length. */
const uint8_t *acpi_find_table(const void *rsdp, const char signature[4], uint32_t *length);

/* Calls `visit` for every interrupt-controller structure in the MADT, in
 * order, with its type, its bytes and its length. Stops early if `visit`
 * returns false. Structures that would run past the table end the walk. */
void acpi_madt_walk(const uint8_t *madt, uint32_t length,
		    bool (*visit)(uint8_t type, const uint8_t *entry, uint8_t entry_length,
				  void *ctx),
		    void *ctx);

/* Little-endian loads from table bytes (tables need not be aligned). */
uint16_t acpi_u16(const uint8_t *p);
uint32_t acpi_u32(const uint8_t *p);
uint64_t acpi_u64(const uint8_t *p);

#endif
