/*
 * firmware: the firmware's own description of the machine -- its ACPI
 * tables and its device tree -- as the bootloader handed them over.
 *
 * firmware_init() opens both once, early in kmain (it needs only the HHDM
 * and the memory map), and prints what it found; afterwards the arch code
 * asks here where its devices are instead of assuming a board
 * (arch_devices_init). Either may be missing: x86_64 machines have no
 * device tree, and AAVMF publishes one only with ACPI off.
 */
#ifndef CAMBIOS_FIRMWARE_H
#define CAMBIOS_FIRMWARE_H

#include <acpi.h>
#include <fdt.h>

void firmware_init(void);

/* The checked ACPI tables, or NULL when there are none usable. */
const struct acpi *firmware_acpi(void);

/* The opened device tree, or NULL when there is none usable. */
const struct fdt *firmware_dt(void);

#endif
