/*
 * entry: the first kernel instruction on AArch64.
 *
 * Limine (or cambios-boot) enters at EL1 with SP set to its stack and DAIF
 * masked. We mask again explicitly: VBAR_EL1 holds no vector table yet, so
 * any exception now would jump into nowhere. x29/x30 are cleared so frame
 * walks stop here. Alignment fault checking goes off (SCTLR_EL1.A, bit 1)
 * before any C runs: memcpy loads unaligned words from normal memory
 * (lib/kstring.c), which UEFI requires the firmware to allow anyway.
 */
	.section .text.entry, "ax"
	.global _start
	.type _start, %function
_start:
	msr daifset, #0xf
	mrs x9, sctlr_el1
	bic x9, x9, #(1 << 1)
	msr sctlr_el1, x9
	isb
	mov x29, #0
	mov x30, #0
	bl kmain
1:	msr daifset, #0xf
	wfi
	b 1b
	.size _start, . - _start
