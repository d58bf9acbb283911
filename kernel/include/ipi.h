/*
 * ipi: inter-processor interrupts -- one CPU asking another to act now
 * rather than at its next tick.
 *
 * IPI_RESCHEDULE asks the target to run its scheduler as the interrupt
 * ends (it sets need_resched; irq_exit switches): a task made ready on a
 * CPU by another CPU -- a wake-up, a migration -- starts at once instead
 * of up to a tick later. x86_64 sends it as vector VECTOR_IPI_RESCHEDULE
 * through the local APIC's ICR to the target's APIC ID; AArch64 as SGI
 * SGI_RESCHEDULE through ICC_SGI1R_EL1 to the target's affinity. Each
 * CPU counts what it receives, for tests and statistics.
 *
 * IPI_TLB_SHOOTDOWN asks the target to drop a changed mapping from its TLB
 * and say so (tlb.h); x86_64 sends it as vector VECTOR_IPI_TLB_SHOOTDOWN.
 * AArch64 never needs it -- its TLB invalidations are broadcast by the
 * hardware -- so its arch_send_ipi refuses it.
 */
#ifndef CAMBIOS_IPI_H
#define CAMBIOS_IPI_H

#include <kerr.h>
#include <stdint.h>

enum ipi_kind {
	IPI_RESCHEDULE,
	IPI_TLB_SHOOTDOWN,
	IPI_KINDS
};

/* Sends `kind` to CPU `cpu`. K_EINVAL for a CPU that is not online (its
 * controller is not set up to take it), a kind past the list, or one the
 * arch does not send. */
__must_check kerr_t ipi_send(unsigned cpu, enum ipi_kind kind);

/* The arch's interrupt handler, for an IPI that arrived on this CPU. */
void ipi_receive(enum ipi_kind kind);

/* How many IPIs of `kind` CPU `cpu` has received. */
uint64_t ipi_received(unsigned cpu, enum ipi_kind kind);

/* Arch: raises `kind` at the CPU whose interrupt-controller ID is
 * `hw_id` (struct cpu's); K_EINVAL, sending nothing, for a kind the arch
 * has no interrupt for. */
__must_check kerr_t arch_send_ipi(uint64_t hw_id, enum ipi_kind kind);

#endif
