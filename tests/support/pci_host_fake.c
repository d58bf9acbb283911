/*
 * pci_host_fake: see pci_host_fake.h.
 */
#include "pci_host_fake.h"

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

uint16_t pci_host_quiesce(unsigned function)
{
	if (function < PCI_MAX_FUNCTIONS)
		quiesced[function]++;
	return 0x0002; /* memory decode on, bus mastering off */
}
