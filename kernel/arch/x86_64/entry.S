/*
 * entry: the first kernel instruction on x86_64.
 *
 * Limine (or cambios-boot) jumps here in long mode on its own stack with a
 * zero return address pushed. Interrupts are already off, but we say so
 * explicitly: the IDT is empty, and any interrupt now would triple-fault.
 * The frame pointer is cleared so backtraces stop here.
 */
	.section .text.entry, "ax"
	.global _start
	.type _start, @function
_start:
	cli
	cld
	xor %ebp, %ebp
	call kmain
1:	cli
	hlt
	jmp 1b
	.size _start, . - _start
