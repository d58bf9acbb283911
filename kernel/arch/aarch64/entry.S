/*
 * entry: the first kernel instruction on AArch64.
 *
 * Limine (or cambios-boot) enters at EL1 with SP set to its stack and DAIF
 * masked. We mask again explicitly: VBAR_EL1 holds no vector table yet, so
 * any exception now would jump into nowhere. x29/x30 are cleared so frame
 * walks stop here.
 */
	.section .text.entry, "ax"
	.global _start
	.type _start, %function
_start:
	msr daifset, #0xf
	mov x29, #0
	mov x30, #0
	bl kmain
1:	msr daifset, #0xf
	wfi
	b 1b
	.size _start, . - _start
