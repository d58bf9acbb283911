/*
 * pci_host_fake: see pci_host_fake.h.
 */
#include "pci_host_fake.h"

#include <irq_wait.h>
#include <string.h>

static const struct pci_table empty;
static const struct pci_table *current = &empty;
static unsigned quiesced[PCI_MAX_FUNCTIONS];
static uint32_t config[PCI_MAX_FUNCTIONS][PCI_FAKE_CONFIG_WORDS];
static uint32_t msix[PCI_MAX_FUNCTIONS][PCI_FAKE_MSIX_ENTRIES][4];
static bool bus_master[PCI_MAX_FUNCTIONS];
static bool msi_possible = true;
static unsigned msi_released[IRQ_MSI_LINES];

void pci_host_fake_set(const struct pci_table *table)
{
	current = table ? table : &empty;
	memset(quiesced, 0, sizeof(quiesced));
	memset(config, 0, sizeof(config));
	memset(msix, 0, sizeof(msix));
	memset(bus_master, 0, sizeof(bus_master));
	memset(msi_released, 0, sizeof(msi_released));
	msi_possible = true;
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

bool pci_host_enable_bus_master(unsigned function)
{
	if (function >= current->count)
		return false;
	bus_master[function] = true;
	return true;
}

uint32_t pci_host_config_read(unsigned function, uint16_t offset)
{
	if (function >= current->count || offset / 4 >= PCI_FAKE_CONFIG_WORDS)
		return 0xffffffffu;
	return config[function][offset / 4];
}

void pci_host_config_write(unsigned function, uint16_t offset, uint32_t value)
{
	if (function < current->count && offset / 4 < PCI_FAKE_CONFIG_WORDS)
		config[function][offset / 4] = value;
}

volatile uint32_t *pci_host_msix_entry(unsigned function, unsigned entry)
{
	if (function >= current->count || entry >= PCI_FAKE_MSIX_ENTRIES ||
	    entry >= current->functions[function].msix.table_size)
		return NULL;
	return msix[function][entry];
}

uint32_t pci_host_fake_config(unsigned function, uint16_t offset)
{
	return pci_host_config_read(function, offset);
}

void pci_host_fake_config_set(unsigned function, uint16_t offset, uint32_t value)
{
	if (function < PCI_MAX_FUNCTIONS && offset / 4 < PCI_FAKE_CONFIG_WORDS)
		config[function][offset / 4] = value;
}

volatile uint32_t *pci_host_fake_msix(unsigned function, unsigned entry)
{
	return function < PCI_MAX_FUNCTIONS && entry < PCI_FAKE_MSIX_ENTRIES ? msix[function][entry]
									     : NULL;
}

bool pci_host_fake_bus_master(unsigned function)
{
	return function < PCI_MAX_FUNCTIONS && bus_master[function];
}

void pci_host_fake_msi_possible(bool possible)
{
	msi_possible = possible;
}

unsigned pci_host_fake_msi_released(unsigned slot)
{
	return slot < IRQ_MSI_LINES ? msi_released[slot] : 0;
}

bool arch_msi_compose(unsigned slot, struct pci_address requester, struct msi_message *out)
{
	(void)requester;
	if (!msi_possible || slot >= IRQ_MSI_LINES)
		return false;
	*out = (struct msi_message){ .address = 0xfee00000u, .data = PCI_FAKE_MSI_DATA + slot };
	return true;
}

/* The x86_64 shape: the CPU's number as the destination. */
bool arch_msi_retarget(unsigned slot, unsigned cpu, struct msi_message *out)
{
	if (!msi_possible || slot >= IRQ_MSI_LINES)
		return false;
	*out = (struct msi_message){ .address = 0xfee00000u | cpu << 12,
				     .data = PCI_FAKE_MSI_DATA + slot };
	return true;
}

void arch_msi_release(unsigned slot, struct pci_address requester)
{
	(void)requester;
	if (slot < IRQ_MSI_LINES)
		msi_released[slot]++;
}
