/*
 * uefi: the firmware handles cambios-boot keeps while boot services last,
 * and the tables the firmware publishes.
 *
 * Set once by efi_main(); boot_services becomes NULL the moment
 * ExitBootServices succeeds, and every helper that needs the firmware checks
 * it, so nothing can call into a firmware that is gone. The ACPI RSDP and
 * the device tree are looked up here and nowhere else: the responses hand
 * them to the kernel, the MP code reads them.
 */
#ifndef CAMBIOS_BOOT_UEFI_H
#define CAMBIOS_BOOT_UEFI_H

#include <acpi.h>

#include "efi.h"

extern efi_handle uefi_image;
extern struct efi_system_table *uefi_system_table;
extern struct efi_boot_services *uefi_boot_services; /* NULL after exit */

/* The configuration table with this GUID, or NULL. */
void *uefi_find_config_table(const struct efi_guid *guid);

/* The ACPI RSDP (the ACPI 2.0+ entry, else the 1.0 one), or NULL. */
const void *uefi_find_rsdp(void);

/* The ACPI tables through the RSDP, on the firmware's identity map;
 * ACPI_NOT_FOUND when the firmware publishes no RSDP. */
enum acpi_status uefi_open_acpi(struct acpi *a);

/* The device tree and its declared size, or NULL when the firmware
 * publishes none (or something without the DTB magic). */
const void *uefi_find_dtb(uint32_t *size);

#endif
