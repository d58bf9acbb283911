/*
 * device_guard: the x86_64 kernel's own device registers, put on the list
 * no user mapping may touch (phys_guard.h): the local APIC, as
 * arch_devices_init() found it, and every I/O APIC the ACPI MADT names.
 * Both sit outside every PCI BAR on a sane machine; the list is for the
 * machine that is not.
 */
#include <arch.h>
#include <firmware.h>
#include <phys_guard.h>

#include "devices.h"

#define APIC_REGISTERS_SIZE 0x1000ULL

static void guard_io_apics(void)
{
	const struct acpi *acpi = firmware_acpi();
	struct acpi_table madt;
	struct acpi_madt_iter it;
	struct acpi_madt_entry e;
	struct acpi_io_apic io;

	if (!acpi || acpi_find(acpi, "APIC", &madt) != ACPI_OK)
		return;
	acpi_madt_begin(&it, &madt);
	while (acpi_madt_next(&it, &e)) {
		if (acpi_madt_io_apic(&e, &io))
			phys_guard_add(io.address, APIC_REGISTERS_SIZE, "an I/O APIC");
	}
}

void arch_guard_own_devices(void)
{
	phys_guard_add(devices_lapic_phys(), APIC_REGISTERS_SIZE, "the local APIC");
	guard_io_apics();
}
