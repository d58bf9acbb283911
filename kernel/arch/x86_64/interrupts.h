/*
 * interrupts: the x86_64 interrupt vectors above the 32 exceptions.
 *
 * Vector 32 is the local APIC timer. 0xf0-0xff are where the 8259 PICs
 * were remapped (all masked; only spurious interrupts arrive there), and
 * 0xff is also the local APIC's spurious vector.
 */
#ifndef CAMBIOS_X86_INTERRUPTS_H
#define CAMBIOS_X86_INTERRUPTS_H

#define VECTOR_TIMER 32
#define PIC_VECTOR_BASE 0xf0
#define VECTOR_SPURIOUS 0xff

#ifndef __ASSEMBLER__
#include <stdint.h>

/* Handles interrupt `vector` (>= 32) from trap_entry(): counts the tick
 * and acknowledges the APIC (apic.c). */
void x86_interrupt(uint64_t vector);

/* An AP's local APIC on and its timer at the BSP's rate (apic.c). */
void lapic_start_ap(void);
#endif

#endif
