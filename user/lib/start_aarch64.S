/*
 * start (AArch64): the first instructions of a user program, and the one
 * system-call primitive. The kernel enters with sp at the top of the
 * stack; main's return value is passed to SYS_EXIT.
 */
#include <abi/syscall.h>

	.section .text.start, "ax"
	.global _start
_start:
	mov x29, #0
	mov x30, #0
	bl main
	mov x8, #SYS_EXIT
	svc #0
	udf #0

/* int64_t sys_call(nr, a0, a1, a2): x0..x3 -> x8, x0..x2 */
	.text
	.global sys_call
sys_call:
	mov x8, x0
	mov x0, x1
	mov x1, x2
	mov x2, x3
	svc #0
	ret

/* int64_t sys_call4(nr, a0, a1, a2, a3): x0..x4 -> x8, x0..x3 */
	.global sys_call4
sys_call4:
	mov x8, x0
	mov x0, x1
	mov x1, x2
	mov x2, x3
	mov x3, x4
	svc #0
	ret

	.global sys_exit
sys_exit:
	mov x8, #SYS_EXIT
	svc #0
	udf #0
