/*
 * interrupts: AArch64 interrupt numbers (GICv3 INTIDs) and the IRQ entry.
 */
#ifndef CAMBIOS_AARCH64_INTERRUPTS_H
#define CAMBIOS_AARCH64_INTERRUPTS_H

/* The EL1 virtual timer's private peripheral interrupt. */
#define PPI_VIRTUAL_TIMER 27

/* Acknowledges and handles one IRQ (gic.c); called by the vectors. */
void aarch64_interrupt(void);

#endif
