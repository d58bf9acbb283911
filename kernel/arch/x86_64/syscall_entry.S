/*
 * syscall_entry: where the `syscall` instruction lands (IA32_LSTAR).
 *
 * The CPU has put the user's rip in rcx and rflags in r11, cleared the
 * flags in SFMASK (interrupts off) and switched to ring 0 -- but not the
 * stack. So: swapgs to reach the per-CPU block, park the user rsp there,
 * switch to the kernel entry stack, build a struct syscall_frame
 * {nr = rax, args = rdi rsi rdx r10 r8 r9} and call syscall_dispatch().
 *
 * Returning with sysretq is only safe to a canonical lower-half rip: sysret
 * to a non-canonical address faults in ring 0 on the user's stack (the
 * classic SYSRET vulnerability). Such a return is refused in C instead.
 * Scratch registers are cleared so no kernel value leaks to user space.
 */
#include "percpu.h"

#define FRAME_SIZE 56           /* struct syscall_frame: nr + 6 arguments */
#define USER_HALF_SHIFT 47      /* rip >> 47 != 0: not a lower-half address */

	.text
	.global syscall_entry
	.p2align 4
syscall_entry:
	swapgs
	movq %rsp, %gs:CPU_USER_SP
	movq %gs:CPU_KERNEL_STACK, %rsp
	pushq %gs:CPU_USER_SP
	pushq %rcx
	pushq %r11
	subq $FRAME_SIZE, %rsp
	movq %rax, 0(%rsp)
	movq %rdi, 8(%rsp)
	movq %rsi, 16(%rsp)
	movq %rdx, 24(%rsp)
	movq %r10, 32(%rsp)
	movq %r8, 40(%rsp)
	movq %r9, 48(%rsp)
	movq %rsp, %rdi
	call syscall_dispatch
	addq $FRAME_SIZE, %rsp
	popq %r11
	popq %rcx
	popq %rsi                   /* the user's rsp */
	movq %rcx, %rdx
	shrq $USER_HALF_SHIFT, %rdx
	jnz 1f
	xorl %edx, %edx
	xorl %edi, %edi
	xorl %r8d, %r8d
	xorl %r9d, %r9d
	xorl %r10d, %r10d
	movq %rsi, %rsp
	xorl %esi, %esi
	swapgs
	sysretq
1:	movq %rcx, %rdi
	call syscall_bad_return
	ud2
