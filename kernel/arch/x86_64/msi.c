/*
 * msi: MSI-X messages on x86_64 (msi.h).
 *
 * A message is a write to the local APIC's window (Intel SDM vol. 3,
 * "Message Signalled Interrupts"): the address 0xfee00000 carries the
 * destination APIC ID in bits 19:12 (physical destination mode, no
 * redirection hint), the data the vector in bits 7:0 with fixed delivery
 * and edge trigger (every other bit 0). Slot s is vector
 * MSI_VECTOR_BASE + s, on every CPU, so the interrupt entry knows the
 * line from the vector alone and nothing has to be set up or torn down
 * per device: a released slot's vector simply has no line behind it (the
 * router counts it spurious). A slot is sent to the BSP until the router
 * steers it; steering is only a new destination in the address.
 */
#include <cpu.h>
#include <msi.h>

#include "interrupts.h"
#include "ioapic.h"

#define MSI_ADDRESS_BASE 0xfee00000u
#define MSI_DESTINATION_SHIFT 12
#define MSI_DESTINATION_LIMIT 0xffu /* 8 bits of APIC ID */

static struct msi_message message(unsigned slot, uint64_t apic_id)
{
	return (struct msi_message){
		.address = MSI_ADDRESS_BASE | (uint32_t)apic_id << MSI_DESTINATION_SHIFT,
		.data = MSI_VECTOR_BASE + slot,
	};
}

bool arch_msi_compose(unsigned slot, struct pci_address requester, struct msi_message *out)
{
	(void)requester;
	if (slot >= IRQ_MSI_LINES)
		return false;
	*out = message(slot, ioapic_bsp_apic_id());
	return true;
}

bool arch_msi_retarget(unsigned slot, unsigned cpu, struct msi_message *out)
{
	const struct cpu *c = cpu_at(cpu);

	if (slot >= IRQ_MSI_LINES || !c || c->hw_id > MSI_DESTINATION_LIMIT)
		return false;
	*out = message(slot, c->hw_id);
	return true;
}

void arch_msi_release(unsigned slot, struct pci_address requester)
{
	(void)slot;
	(void)requester;
}
