/*
 * asm/aarch64: assembler macros shared by the loader and the kernel.
 *
 * zero_gprs FIRST clears x<FIRST>..x30. Every hand-off to other code (the
 * loader to the kernel, the kernel to a user program) starts that code
 * with clear registers, so nothing of the previous owner leaks across.
 */
#ifndef CAMBIOS_ASM_AARCH64_H
#define CAMBIOS_ASM_AARCH64_H

#ifdef __ASSEMBLER__
	.macro zero_gprs first
	.irp reg, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	.if \reg >= \first
	mov x\reg, #0
	.endif
	.endr
	.endm
#endif

#endif
