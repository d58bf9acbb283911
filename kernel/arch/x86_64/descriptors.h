/*
 * descriptors: set-up of the x86_64 descriptor tables (gdt.c, idt.c).
 */
#ifndef CAMBIOS_X86_DESCRIPTORS_H
#define CAMBIOS_X86_DESCRIPTORS_H

/* GDT with kernel/user segments and the TSS (IST stacks), GS = per-CPU. */
void gdt_init(void);

/* IDT with gates for the 32 CPU exceptions and the interrupts, loaded on
 * this CPU; idt_load() loads the same table on another. */
void idt_init(void);
void idt_load(void);

/* The SYSCALL MSRs of this CPU (syscall.c). */
void syscall_msrs_install(void);

#endif
