/*
 * uefi: the firmware handles cambios-boot keeps while boot services last.
 *
 * Set once by efi_main(); boot_services becomes NULL the moment
 * ExitBootServices succeeds, and every helper that needs the firmware checks
 * it, so nothing can call into a firmware that is gone.
 */
#ifndef CAMBIOS_BOOT_UEFI_H
#define CAMBIOS_BOOT_UEFI_H

#include "efi.h"

extern efi_handle uefi_image;
extern struct efi_system_table *uefi_system_table;
extern struct efi_boot_services *uefi_boot_services; /* NULL after exit */

/* The configuration table with this GUID, or NULL. */
void *uefi_find_config_table(const struct efi_guid *guid);

#endif
