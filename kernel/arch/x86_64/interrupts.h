/*
 * interrupts: the x86_64 interrupt vectors above the 32 exceptions.
 *
 * Vector 32 is the local APIC timer, 33-96 the I/O APIC's GSIs 0-63.
 * 0xf0-0xff are where the 8259 PICs
 * were remapped (all masked; only spurious interrupts arrive there), and
 * 0xff is also the local APIC's spurious vector.
 */
#ifndef CAMBIOS_X86_INTERRUPTS_H
#define CAMBIOS_X86_INTERRUPTS_H

#define VECTOR_TIMER 32
#define IOAPIC_VECTOR_BASE 33 /* GSI g: vector 33 + g (ioapic.h) */
#define MSI_VECTOR_BASE 97     /* MSI slot s: vector 97 + s (msi.c), after the GSIs */
#define VECTOR_IPI_RESCHEDULE 0xe0 /* ipi.h */
#define VECTOR_IPI_TLB_SHOOTDOWN 0xe1 /* ipi.h, tlb.h */
#define PIC_VECTOR_BASE 0xf0
#define VECTOR_SPURIOUS 0xff

#ifndef __ASSEMBLER__
#include <stdint.h>

/* Handles interrupt `vector` (>= 32) from trap_entry(): counts the tick
 * and acknowledges the APIC (apic.c). */
void x86_interrupt(uint64_t vector);

/* COM1's receive interrupt on (console.c), and its handler: drains the
 * UART into the console's input ring. */
void console_rx_start(void);
void console_rx_interrupt(void);

/* An AP's local APIC on and its timer at the BSP's rate (apic.c). */
void lapic_start_ap(void);
#endif

#endif
