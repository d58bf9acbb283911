/*
 * segments: the kernel's GDT layout, shared by C and assembly.
 *
 * The order is dictated by SYSCALL/SYSRET: SYSCALL loads CS from
 * STAR[47:32] and SS = CS + 8; SYSRET (64-bit) loads CS = STAR[63:48] + 16
 * and SS = STAR[63:48] + 8. So kernel code must be followed by kernel data,
 * and user data must come right before user code.
 */
#ifndef CAMBIOS_X86_SEGMENTS_H
#define CAMBIOS_X86_SEGMENTS_H

#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_USER_DATA 0x18
#define GDT_USER_CODE 0x20
#define GDT_TSS 0x28 /* 16-byte descriptor: two slots */
#define GDT_ENTRIES 7

#define RPL_USER 3
#define USER_CS (GDT_USER_CODE | RPL_USER)
#define USER_SS (GDT_USER_DATA | RPL_USER)

/* Interrupt stack table slots (TSS.IST1..3) for exceptions that must not
 * run on a possibly broken stack. */
#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3

#endif
