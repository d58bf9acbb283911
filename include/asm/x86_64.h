/*
 * asm/x86_64: assembler macros shared by the loader and the kernel.
 *
 * push_callee_saved / pop_callee_saved keep what the System V ABI says a
 * callee must preserve (rbp, rbx, r12-r15), in mirrored order.
 * zero_gprs clears every general-purpose register but rsp; with
 * keep_rdi=1 it also spares rdi (the argument being handed over). Every
 * hand-off to other code (the loader to the kernel, the kernel to a user
 * program) starts that code with clear registers, so nothing of the
 * previous owner leaks across.
 */
#ifndef CAMBIOS_ASM_X86_64_H
#define CAMBIOS_ASM_X86_64_H

#ifdef __ASSEMBLER__
	.macro push_callee_saved
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	.endm

	.macro pop_callee_saved
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	.endm

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
