/*
 * pci_host_fake: pci_host.h for host builds -- a PCI table the test
 * chooses instead of one enumerated at boot, a record of which
 * functions were quiesced, and the INTx line of a function as x86_64
 * finds it (arch_irq_pci_line, irq_wait.h: its interrupt line register).
 * Each function has a small configuration space (PCI_FAKE_CONFIG_WORDS
 * words, zero at each set) and an MSI-X table of PCI_FAKE_MSIX_ENTRIES
 * entries in host memory; the arch's MSI messages (msi.h) are
 * 0xfee00000 / PCI_FAKE_MSI_DATA + slot, unless the test says the
 * machine has none.
 */
#ifndef CAMBIOS_PCI_HOST_FAKE_H
#define CAMBIOS_PCI_HOST_FAKE_H

#include <pci_host.h>

/* pci_host_table() answers `table` from now on (NULL: an empty table).
 * The quiesce counts start again from zero. */
void pci_host_fake_set(const struct pci_table *table);

/* How many times pci_host_quiesce(function) ran since the last set. */
unsigned pci_host_fake_quiesced(unsigned function);

#define PCI_FAKE_CONFIG_WORDS 64
#define PCI_FAKE_MSIX_ENTRIES 8
#define PCI_FAKE_MSI_DATA 0x40

/* Configuration register `offset` of `function`, as the code under test
 * left it. */
uint32_t pci_host_fake_config(unsigned function, uint16_t offset);

/* Sets a configuration register, as firmware or the device has it. */
void pci_host_fake_config_set(unsigned function, uint16_t offset, uint32_t value);

/* Entry `entry` of `function`'s MSI-X table: four words. */
volatile uint32_t *pci_host_fake_msix(unsigned function, unsigned entry);

/* Whether bus mastering was turned on for `function` since the last set. */
bool pci_host_fake_bus_master(unsigned function);

/* Whether arch_msi_compose succeeds (true at each set). */
void pci_host_fake_msi_possible(bool possible);

/* How many times arch_msi_release(slot) ran since the last set. */
unsigned pci_host_fake_msi_released(unsigned slot);

#endif
