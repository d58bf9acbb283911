/* TEMPORARY until the ITS branch merges: no MSI delivery. */
#include <msi.h>

bool arch_msi_compose(unsigned slot, struct pci_address requester, struct msi_message *out)
{
	(void)slot;
	(void)requester;
	(void)out;
	return false;
}

void arch_msi_release(unsigned slot, struct pci_address requester)
{
	(void)slot;
	(void)requester;
}
