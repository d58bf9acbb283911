/*
 * orig-abi (x86_64): a program written against the original CambiOS
 * system-call ABI alone -- numbers and registers, nothing of this
 * project's headers or libraries: GetPid (8), Print (10), Yield (7) and
 * Exit (0), number in rax, arguments in rdi, rsi. It exits with its pid.
 * tests/boot/test_modules.py builds it and adds it with MODULES=.
 */
	.text
	.global _start
_start:
	movl $8, %eax
	syscall
	movq %rax, %rbx
	movl $10, %eax
	leaq first(%rip), %rdi
	movl $first_len, %esi
	syscall
	movl $7, %eax
	syscall
	movl $10, %eax
	leaq second(%rip), %rdi
	movl $second_len, %esi
	syscall
	movq %rbx, %rdi
	movl $0, %eax
	syscall
	ud2

	.section .rodata
first:
	.ascii "original ABI: GetPid and Print\n"
	.set first_len, . - first
second:
	.ascii "original ABI: after Yield\n"
	.set second_len, . - second
