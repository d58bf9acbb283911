/*
 * interrupts: AArch64 interrupt numbers (GICv3 INTIDs) and the IRQ entry.
 */
#ifndef CAMBIOS_AARCH64_INTERRUPTS_H
#define CAMBIOS_AARCH64_INTERRUPTS_H

/* The EL1 virtual timer's private peripheral interrupt. */
#define PPI_VIRTUAL_TIMER 27

/* Acknowledges and handles one IRQ (gic.c); called by the vectors. */
void aarch64_interrupt(void);

/* The console PL011's receive interrupt on (console.c), and its handler:
 * drains the UART into the console's input ring. */
void console_rx_start(void);
void console_rx_interrupt(void);

/* An AP's redistributor and CPU interface on, and its timer at the BSP's
 * rate (gic.c). */
void gic_start_ap(void);

#endif
