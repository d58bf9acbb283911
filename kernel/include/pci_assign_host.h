/*
 * pci_assign_host: the kernel's run of lib/pci_assign -- the BARs the
 * firmware left unassigned placed in the host bridge's windows at boot.
 *
 * The windows come from the device tree's `ranges` of the
 * `pci-host-ecam-generic` node (fdt_pci_range), so the pass runs on
 * AArch64 booted with a device tree. ACPI machines describe the windows
 * in the host bridge's _CRS, in AML, which the kernel does not interpret;
 * on x86_64 the firmware assigns every BAR. Without windows nothing runs
 * and nothing is printed. Nothing is placed over RAM or anything else in
 * the bootloader's memory map, nor over the ECAM window (the node's
 * `reg`); both lie outside the windows on every machine we know, and the
 * exclusions make sure.
 *
 * Boot (and the self-tests) only: one caller at a time, before drivers
 * use the devices -- programming a BAR turns its function's decode off
 * for a moment.
 */
#ifndef CAMBIOS_PCI_ASSIGN_HOST_H
#define CAMBIOS_PCI_ASSIGN_HOST_H

#include <pci_assign.h>

#define PCI_ASSIGN_HOST_WINDOWS 8 /* the most `ranges` entries read */

/* Places every unassigned BAR of `table` (enumerated through `access`;
 * both are kept for the self-tests) and prints one line per BAR: where it
 * went, or why it could not. */
void pci_assign_host_run(const struct pci_config_access *access, struct pci_table *table);

/* The host bridge's windows from the device tree, at most `max`; 0
 * without a device tree or windows. */
unsigned pci_assign_host_windows(struct pci_window *out, unsigned max);

#if CONFIG_SELFTEST
/* Self-tests: sets BAR `slot` of table function `function` to 0 with the
 * function's decode off, as firmware may leave a device, re-reads the
 * function and runs the pass for it alone. Returns how many BARs it
 * assigned, or -1 without windows or without pci_assign_host_run. */
int pci_assign_host_again(unsigned function, unsigned slot);

/* Self-tests: what BAR `slot` of table function `function` holds now
 * (both halves of a 64-bit one), flags dropped. */
uint64_t pci_assign_host_bar_register(unsigned function, unsigned slot);
#endif

#endif
