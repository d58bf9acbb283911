/*
 * descriptors: set-up of the x86_64 descriptor tables (gdt.c, idt.c).
 */
#ifndef CAMBIOS_X86_DESCRIPTORS_H
#define CAMBIOS_X86_DESCRIPTORS_H

/* GDT with kernel/user segments and the TSS (IST stacks), GS = per-CPU. */
void gdt_init(void);

/* IDT with gates for the 32 CPU exceptions. */
void idt_init(void);

#endif
