/*
 * orig-abi (AArch64): a program written against the original CambiOS
 * system-call ABI alone -- numbers and registers, nothing of this
 * project's headers or libraries: GetPid (8), Print (10), Yield (7) and
 * Exit (0), number in x8, arguments in x0, x1. It exits with its pid.
 * tests/boot/test_modules.py builds it and adds it with MODULES=.
 */
	.text
	.global _start
_start:
	mov x8, #8
	svc #0
	mov x19, x0
	mov x8, #10
	adr x0, first
	mov x1, #first_len
	svc #0
	mov x8, #7
	svc #0
	mov x8, #10
	adr x0, second
	mov x1, #second_len
	svc #0
	mov x0, x19
	mov x8, #0
	svc #0
	udf #0

	.section .rodata
first:
	.ascii "original ABI: GetPid and Print\n"
	.set first_len, . - first
second:
	.ascii "original ABI: after Yield\n"
	.set second_len, . - second
