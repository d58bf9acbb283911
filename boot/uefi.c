/*
 * uefi: the firmware handles and the tables it publishes (see uefi.h).
 *
 * While the loader runs, the firmware's memory is identity-mapped, so a
 * physical address from a table is a pointer the loader can read.
 */
#include "uefi.h"

#include <fdt.h>
#include <kstring.h>

efi_handle uefi_image;
struct efi_system_table *uefi_system_table;
struct efi_boot_services *uefi_boot_services;

void *uefi_find_config_table(const struct efi_guid *guid)
{
	const struct efi_configuration_table *t = uefi_system_table->configuration_table;

	for (uint64_t i = 0; i < uefi_system_table->number_of_table_entries; i++) {
		if (!memcmp(&t[i].vendor_guid, guid, sizeof(*guid)))
			return t[i].vendor_table;
	}
	return NULL;
}

const void *uefi_find_rsdp(void)
{
	static const struct efi_guid acpi20 = EFI_ACPI_20_TABLE_GUID;
	static const struct efi_guid acpi10 = EFI_ACPI_10_TABLE_GUID;
	const void *rsdp = uefi_find_config_table(&acpi20);

	return rsdp ? rsdp : uefi_find_config_table(&acpi10);
}

static const void *identity_map(uint64_t phys, uint64_t length, void *ctx)
{
	(void)length;
	(void)ctx;
	return (const void *)(uintptr_t)phys;
}

enum acpi_status uefi_open_acpi(struct acpi *a)
{
	const void *rsdp = uefi_find_rsdp();

	if (!rsdp)
		return ACPI_NOT_FOUND;
	return acpi_open(a, (uint64_t)(uintptr_t)rsdp, identity_map, NULL);
}

const void *uefi_find_dtb(uint32_t *size)
{
	static const struct efi_guid dtb_guid = EFI_DTB_TABLE_GUID;
	const void *dtb = uefi_find_config_table(&dtb_guid);

	*size = dtb ? fdt_total_size(dtb) : 0;
	return *size ? dtb : NULL;
}
