/*
 * user_programs: the self-test user programs for x86_64 (see
 * kernel/include/user_programs.h). Position-independent: they run from
 * wherever the self-test maps them. System calls follow
 * include/abi/syscall.h: number in rax, arguments in rdi, rsi.
 */
#include <abi/syscall.h>
#include <selftest.h>

#define SYS_UNKNOWN 12345
#define NOT_STOPPED 99
#define KERNEL_ADDRESS 0xffffffff80000000
#define PRINT_TOO_LONG 257
#define SPIN_COUNT 100000000

	.section .rodata
	.p2align 4
	.global user_programs_start
user_programs_start:

	.global user_program_syscalls
user_program_syscalls:
	movl $SYS_TEST_ECHO, %eax
	movl $41, %edi
	syscall
	cmpq $42, %rax
	jne 1f
	movl $SYS_PRINT, %eax
	leaq message(%rip), %rdi
	movl $message_length, %esi
	syscall
	cmpq $message_length, %rax
	jne 2f
	movl $SYS_PRINT, %eax
	movabsq $KERNEL_ADDRESS, %rdi
	movl $8, %esi
	syscall
	cmpq $SYS_EFAULT, %rax
	jne 3f
	movl $SYS_PRINT, %eax
	leaq message(%rip), %rdi
	movl $PRINT_TOO_LONG, %esi
	syscall
	cmpq $SYS_EINVAL, %rax
	jne 4f
	movl $SYS_UNKNOWN, %eax
	syscall
	cmpq $SYS_ENOSYS, %rax
	jne 5f
	xorl %edi, %edi
	jmp exit
1:	movl $1, %edi
	jmp exit
2:	movl $2, %edi
	jmp exit
3:	movl $3, %edi
	jmp exit
4:	movl $4, %edi
	jmp exit
5:	movl $5, %edi
exit:
	movl $SYS_EXIT, %eax
	syscall
	ud2

	.global user_program_spin
user_program_spin:
	movl $SPIN_COUNT, %ecx
1:	decl %ecx
	jnz 1b
	xorl %edi, %edi
	jmp exit

	.global user_program_write_code
user_program_write_code:
	leaq user_program_write_code(%rip), %rax
	movb $0, (%rax)
	movl $NOT_STOPPED, %edi
	jmp exit

	.global user_program_read_kernel
user_program_read_kernel:
	movabsq $KERNEL_ADDRESS, %rax
	movq (%rax), %rax
	movl $NOT_STOPPED, %edi
	jmp exit

	.global user_program_read_null
user_program_read_null:
	xorl %eax, %eax
	movq (%rax), %rax
	movl $NOT_STOPPED, %edi
	jmp exit

message:
	.ascii "user: hello from ring 3\n"
	.set message_length, . - message

	.global user_programs_end
user_programs_end:
