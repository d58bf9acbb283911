/*
 * pci_host_fake: pci_host.h for host builds -- a PCI table the test
 * chooses instead of one enumerated at boot, a record of which
 * functions were quiesced, and the INTx line of a function as x86_64
 * finds it (arch_irq_pci_line, irq_wait.h: its interrupt line register).
 */
#ifndef CAMBIOS_PCI_HOST_FAKE_H
#define CAMBIOS_PCI_HOST_FAKE_H

#include <pci_host.h>

/* pci_host_table() answers `table` from now on (NULL: an empty table).
 * The quiesce counts start again from zero. */
void pci_host_fake_set(const struct pci_table *table);

/* How many times pci_host_quiesce(function) ran since the last set. */
unsigned pci_host_fake_quiesced(unsigned function);

#endif
