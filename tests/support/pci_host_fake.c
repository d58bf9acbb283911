/*
 * pci_host_fake: see pci_host_fake.h.
 */
#include "pci_host_fake.h"

#include <irq_wait.h>
#include <string.h>

static const struct pci_table empty;
static const struct pci_table *current = &empty;
static unsigned quiesced[PCI_MAX_FUNCTIONS];

void pci_host_fake_set(const struct pci_table *table)
{
	current = table ? table : &empty;
	memset(quiesced, 0, sizeof(quiesced));
}

unsigned pci_host_fake_quiesced(unsigned function)
{
	return function < PCI_MAX_FUNCTIONS ? quiesced[function] : 0;
}

void pci_host_init(void)
{
}

const struct pci_table *pci_host_table(void)
{
	return current;
}

/* As x86_64 reads it: the interrupt line register, for a function with a
 * pin. */
bool arch_irq_pci_line(const struct pci_function *f, unsigned *line)
{
	if (f->interrupt_pin == 0 || f->interrupt_line == 0xff)
		return false;
	*line = f->interrupt_line;
	return true;
}

uint16_t pci_host_quiesce(unsigned function)
{
	if (function < PCI_MAX_FUNCTIONS)
		quiesced[function]++;
	return 0x0002; /* memory decode on, bus mastering off */
}
