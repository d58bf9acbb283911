/*
 * asm/x86_64: assembler macros shared by the loader and the kernel.
 *
 * zero_gprs clears every general-purpose register but rsp; with
 * keep_rdi=1 it also spares rdi (the argument being handed over). Every
 * hand-off to other code (the loader to the kernel, the kernel to a user
 * program) starts that code with clear registers, so nothing of the
 * previous owner leaks across.
 */
#ifndef CAMBIOS_ASM_X86_64_H
#define CAMBIOS_ASM_X86_64_H

#ifdef __ASSEMBLER__
	.macro zero_gprs keep_rdi=0
	.irp reg, eax, ebx, ecx, edx, esi, ebp, r8d, r9d, r10d, r11d, r12d, r13d, r14d, r15d
	xorl %\reg, %\reg
	.endr
	.if \keep_rdi == 0
	xorl %edi, %edi
	.endif
	.endm
#endif

#endif
