/*
 * pci_host: the kernel's PCI -- where the configuration space is, and the
 * table of functions found in it at boot.
 *
 * pci_host_init() finds the ECAM window (PCI Express enhanced
 * configuration access: 4 KiB of registers per function, one MiB per bus)
 * in the ACPI MCFG table or, without ACPI, in the device tree's
 * `pci-host-ecam-generic` node -- or, on x86_64 without either (QEMU's
 * i440FX `pc` machine), configuration mechanism 1 through ports
 * 0xcf8/0xcfc; enumerates it once with lib/pci (every bus behind bridges,
 * every function, BARs with sizes, capabilities); places the BARs the
 * firmware left unassigned where the device tree gives the host bridge's
 * windows (pci_assign_host.h); and prints one line per function and a
 * summary. The table stays for the driver system calls. A
 * machine with no way in boots on with no PCI, and says so.
 */
#ifndef CAMBIOS_PCI_HOST_H
#define CAMBIOS_PCI_HOST_H

#include <pci.h>

void pci_host_init(void);

/* The functions found at boot (count 0 before pci_host_init or without
 * PCI). */
const struct pci_table *pci_host_table(void);

/* Stops function `function` (an index into the table) from starting DMA:
 * clears its command register's bus-master bit. Run when its holder's
 * claim ends (device_claim.h), so nothing it set going can write memory
 * after the process whose buffers it was given is gone. Its I/O and memory
 * decode stay on: the next driver resets the device through them. */
/* Returns the command register as read back afterwards (0xffff when the
 * function cannot be reached), so the caller can say what it found. */
uint16_t pci_host_quiesce(unsigned function);

/* Turns on function `at`'s memory decode (command register bit 1), which
 * firmware leaves off for devices it has no driver for (AAVMF does); for
 * the kernel's own use of a device (the self-tests). False outside the
 * ECAM window. */
bool pci_host_enable_memory(struct pci_address at);

/* Turns on function `function`'s bus mastering, for the device's own
 * writes to memory: MSI-X messages (msix.c). False when it cannot be
 * reached. */
bool pci_host_enable_bus_master(unsigned function);

/* A 32-bit register of function `function`'s configuration space (offset
 * 4-aligned, below 256); a function past the table, or no PCI, reads as
 * all ones and ignores writes. For the kernel's own programming of a
 * capability (MSI-X message control). */
uint32_t pci_host_config_read(unsigned function, uint16_t offset);
void pci_host_config_write(unsigned function, uint16_t offset, uint32_t value);

/* Entry `entry` of function `function`'s MSI-X table, mapped for the
 * kernel: four 32-bit registers (address low, high, data, vector
 * control). NULL for a function without a usable MSI-X capability, an
 * entry past its table, an unassigned BAR, or a table the kernel cannot
 * map. */
volatile uint32_t *pci_host_msix_entry(unsigned function, unsigned entry);

#endif
