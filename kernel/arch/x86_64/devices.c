/*
 * devices: where the x86_64 kernel's own devices are.
 *
 * The local APIC's address comes from the ACPI MADT (its 32-bit field, or
 * the 64-bit override structure when there is one). The CPU itself also
 * knows it, in IA32_APIC_BASE; that is what it decodes, so when the two
 * disagree the MSR wins and the boot says so, and without a MADT the MSR
 * is all there is. The HHDM reaches 0..4 GiB whatever is there, where
 * every local APIC we know of sits; one above would need mapping, which
 * nothing here does yet, so it stops the boot with the reason.
 *
 * The console stays on COM1, the PC's fixed port 0x3f8: it is in use from
 * the first line, before the tables are read.
 */
#include <arch.h>
#include <firmware.h>
#include <panic.h>
#include <printk.h>
#include <x86_64/insn.h>

#include "devices.h"

#define MSR_APIC_BASE 0x1bu
#define APIC_BASE_ADDR_MASK 0x000ffffffffff000ULL
#define HHDM_ALWAYS_MAPPED (4ULL << 30)
#define LAPIC_SIZE 0x1000ULL

static uint64_t lapic_phys;

static uint64_t lapic_from_msr(void)
{
	return rdmsr(MSR_APIC_BASE) & APIC_BASE_ADDR_MASK;
}

/* The MADT's local APIC address, or false without a usable MADT. */
static bool lapic_from_madt(uint64_t *address)
{
	const struct acpi *acpi = firmware_acpi();
	struct acpi_table madt;

	return acpi && acpi_find(acpi, "APIC", &madt) == ACPI_OK &&
	       acpi_madt_local_apic_address(&madt, address);
}

/* The local APIC's address and the words saying where it came from. */
static const char *locate_lapic(uint64_t *address)
{
	uint64_t msr = lapic_from_msr(), madt;

	*address = msr;
	if (!lapic_from_madt(&madt))
		return "IA32_APIC_BASE (no usable ACPI MADT)";
	if (madt != msr) {
		println("devices: the ACPI MADT puts the local APIC at 0x%llx, the CPU at 0x%llx; using the CPU's",
			(unsigned long long)madt, (unsigned long long)msr);
		return "IA32_APIC_BASE (the ACPI MADT disagrees)";
	}
	return "the ACPI MADT";
}

void arch_devices_init(void)
{
	uint64_t address;
	const char *source = locate_lapic(&address);

	if (address + LAPIC_SIZE > HHDM_ALWAYS_MAPPED)
		panic("devices: the local APIC at 0x%llx is above 4 GiB, outside the direct map",
		      (unsigned long long)address);
	lapic_phys = address;
	println("devices: local APIC at 0x%llx from %s; console on COM1, port 0x3f8 (fixed)",
		(unsigned long long)lapic_phys, source);
}

uint64_t devices_lapic_phys(void)
{
	return lapic_phys ? lapic_phys : lapic_from_msr();
}

/* The loader's HHDM maps all of 0..4 GiB, MMIO included, and the MTRRs
 * keep device ranges uncached (cpu.c): there is nothing to map, only a
 * range to refuse above it. */
bool arch_map_device_memory(uint64_t phys, uint64_t size)
{
	const uint64_t hhdm_covers = 4ULL << 30;

	return size <= hhdm_covers && phys <= hhdm_covers - size;
}

const bool arch_has_port_io = true;

void arch_port_io(uint16_t port, unsigned bytes, bool write, uint32_t *value)
{
	if (bytes == 1 && write)
		outb(port, (uint8_t)*value);
	else if (bytes == 1)
		*value = inb(port);
	else if (bytes == 2 && write)
		outw(port, (uint16_t)*value);
	else if (bytes == 2)
		*value = inw(port);
	else if (write)
		outl(port, *value);
	else
		*value = inl(port);
}
