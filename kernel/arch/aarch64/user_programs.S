/*
 * user_programs: the self-test user programs for AArch64 (see
 * kernel/include/user_programs.h). Position-independent: they run from
 * wherever the self-test maps them (addresses come from adr and from a
 * literal pool inside the block). System calls follow include/abi/syscall.h:
 * number in x8, arguments in x0, x1.
 */
#include <abi/syscall.h>
#include <selftest.h>

#define SYS_UNKNOWN 12345
#define NOT_STOPPED 99
#define PRINT_TOO_LONG 257

	.section .rodata
	.p2align 4
	.global user_programs_start
user_programs_start:

/* Data first: the assembler needs message_length before its uses. */
	.p2align 3
kernel_address:
	.quad 0xffffffff80000000
spin_count:
	.word 100000000
message:
	.ascii "user: hello from EL0\n"
	.set message_length, . - message

	.p2align 2

	.global user_program_syscalls
user_program_syscalls:
	mov x8, #SYS_TEST_ECHO
	mov x0, #41
	svc #0
	cmp x0, #42
	b.ne 1f
	mov x8, #SYS_PRINT
	adr x0, message
	mov x1, #message_length
	svc #0
	mov x2, #message_length /* cmp takes no symbolic immediate */
	cmp x0, x2
	b.ne 2f
	mov x8, #SYS_PRINT
	ldr x0, kernel_address
	mov x1, #8
	svc #0
	cmn x0, #-(SYS_EFAULT)  /* cmn: compare with the negative result */
	b.ne 3f
	mov x8, #SYS_PRINT
	adr x0, message
	mov x1, #PRINT_TOO_LONG
	svc #0
	cmn x0, #-(SYS_EINVAL)
	b.ne 4f
	mov x8, #SYS_UNKNOWN
	svc #0
	cmn x0, #-(SYS_ENOSYS)
	b.ne 5f
	mov x0, #0
	b exit
1:	mov x0, #1
	b exit
2:	mov x0, #2
	b exit
3:	mov x0, #3
	b exit
4:	mov x0, #4
	b exit
5:	mov x0, #5
exit:
	mov x8, #SYS_EXIT
	svc #0
	udf #0

	.global user_program_spin
user_program_spin:
	ldr w1, spin_count
1:	subs w1, w1, #1
	b.ne 1b
	mov x0, #0
	b exit

	.global user_program_write_code
user_program_write_code:
	adr x1, user_program_write_code
	strb wzr, [x1]
	mov x0, #NOT_STOPPED
	b exit

	.global user_program_read_kernel
user_program_read_kernel:
	ldr x1, kernel_address
	ldr x1, [x1]
	mov x0, #NOT_STOPPED
	b exit

	.global user_program_read_null
user_program_read_null:
	mov x1, #0
	ldr x1, [x1]
	mov x0, #NOT_STOPPED
	b exit

	.global user_programs_end
user_programs_end:
