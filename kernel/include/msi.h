/*
 * msi: message-signalled interrupts (MSI-X) -- a device interrupts by
 * writing a small message (an address and a 32-bit datum) to memory that
 * the interrupt controller decodes, one message per vector, instead of
 * sharing an INTx pin with its neighbours.
 *
 * Each MSI-X vector a driver enables gets a router line of its own
 * (irq.h): slot s of IRQ_MSI_LINES is line IRQ_MSI_BASE + s, on both
 * architectures, and the driver waits on it with WaitIrq like any line.
 * What the message is, and how it reaches irq_interrupt(IRQ_MSI_BASE + s),
 * is the architecture's:
 *  - x86_64: an edge-triggered, fixed-delivery write to the local APIC
 *    window (0xfee00000 | the target's APIC ID << 12), vector
 *    MSI_VECTOR_BASE + s (interrupts.h);
 *  - AArch64: a write of the event ID to the GICv3 ITS's GITS_TRANSLATER,
 *    which the ITS translates, for the writing device's requester ID, into
 *    an LPI (INTID 8192 + s) delivered to the target's redistributor.
 * The target is the BSP until the router steers the line to the CPU its
 * owner waits on (arch_msi_retarget).
 * The vector itself is masked and unmasked through its MSI-X table entry
 * (msix.c), which is the same on both.
 */
#ifndef CAMBIOS_MSI_H
#define CAMBIOS_MSI_H

#include <pci.h>
#include <stdbool.h>
#include <stdint.h>

#define IRQ_MSI_BASE 1024 /* the first MSI line: past every GIC SPI and x86 GSI */
#define IRQ_MSI_LINES 64  /* MSI-X vectors enabled at once, machine-wide */

/* What the device writes to signal one vector. */
struct msi_message {
	uint64_t address;
	uint32_t data;
};

/* Arch: prepares slot `slot` (< IRQ_MSI_LINES) for function `requester`
 * and says what the device must write so that irq_interrupt(IRQ_MSI_BASE
 * + slot) runs on the CPU. False when the machine cannot take MSIs (no
 * ITS), with nothing changed. */
bool arch_msi_compose(unsigned slot, struct pci_address requester, struct msi_message *out);

/* Arch: slot `slot` is no longer used by `requester`: a write of its old
 * message, if one still comes, must reach nobody's line. */
void arch_msi_release(unsigned slot, struct pci_address requester);

/* Arch: slot `slot` (composed, its vector masked) interrupts CPU `cpu`
 * (cpu.h's index) from now on; *out is the message that does it, which
 * the device must be given (it may be the one it has). False, with
 * nothing changed, if the slot is not composed or that CPU cannot take
 * MSIs. A slot composed afresh goes to the BSP again. */
bool arch_msi_retarget(unsigned slot, unsigned cpu, struct msi_message *out);

#endif
