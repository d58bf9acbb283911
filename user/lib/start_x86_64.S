/*
 * start (x86_64): the first instructions of a user program, and the one
 * system-call primitive. The kernel enters with rsp at the top of the
 * stack; main's return value is passed to SYS_EXIT.
 */
#include <abi/syscall.h>

	.section .text.start, "ax"
	.global _start
_start:
	xorl %ebp, %ebp
	andq $-16, %rsp
	call main
	movq %rax, %rdi
	movl $SYS_EXIT, %eax
	syscall
	ud2

/* int64_t sys_call(nr, a0, a1, a2): rdi, rsi, rdx, rcx -> rax, rdi, rsi, rdx */
	.text
	.global sys_call
sys_call:
	movq %rdi, %rax
	movq %rsi, %rdi
	movq %rdx, %rsi
	movq %rcx, %rdx
	syscall
	ret

/* int64_t sys_call4(nr, a0, a1, a2, a3): the fourth argument goes in r10 */
	.global sys_call4
sys_call4:
	movq %rdi, %rax
	movq %rsi, %rdi
	movq %rdx, %rsi
	movq %rcx, %rdx
	movq %r8, %r10
	syscall
	ret

	.global sys_exit
sys_exit:
	movl $SYS_EXIT, %eax
	syscall
	ud2
