/*
 * ioapic: device interrupts through the I/O APICs (ioapic.c).
 */
#ifndef CAMBIOS_X86_IOAPIC_H
#define CAMBIOS_X86_IOAPIC_H

#include <stdint.h>

/* GSIs 0..IOAPIC_LINES-1 are routed, to vectors IOAPIC_VECTOR_BASE + GSI
 * (interrupts.h keeps them clear of the timer and the PIC's range). */
#define IOAPIC_LINES 64

/* Reads the MADT's I/O APICs and overrides, routes every GSI to the BSP
 * (`bsp_id`, its local APIC ID) masked, starts the router with the kernel's
 * own lines reserved, and prints the seed's ISA lines. */
void ioapic_init(uint8_t bsp_id);

/* ISA IRQ `irq`'s GSI (the MADT's override, else the same number). */
unsigned ioapic_isa_gsi(unsigned irq);

/* The BSP's local APIC ID, where every device interrupt is sent. */
uint8_t ioapic_bsp_apic_id(void);

/* Unmasks one of the kernel's own lines (the console's), for good. */
void ioapic_unmask_kernel_line(unsigned gsi);

#endif
