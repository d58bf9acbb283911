/*
 * user: entering user mode and coming back (see kernel/include/user.h).
 *
 * int64_t arch_user_run(uint64_t entry, uint64_t sp, uint64_t root)
 *   saves the callee-saved registers and the kernel rsp and CR3, loads the
 *   program's page tables, and enters ring 3 with iretq (rflags: interrupts
 *   on, so the timer can interrupt it; all registers cleared). swapgs leaves the
 *   kernel's per-CPU pointer in IA32_KERNEL_GS_BASE for the next entry.
 * void arch_user_return(int64_t value)
 *   runs in the kernel (after a syscall or exception entry has swapped GS
 *   back), restores CR3, rsp and the callee-saved registers, and returns
 *   `value` from arch_user_run.
 * One saved context for now: user code runs only from the boot CPU.
 */
#include <asm/x86_64.h>

#include "segments.h"

#define USER_RFLAGS 0x202   /* IF, and the reserved bit 1 */

	.bss
	.p2align 3
saved_kernel_rsp:
	.quad 0
saved_kernel_cr3:
	.quad 0

	.text
	.global arch_user_run
	.p2align 4
arch_user_run:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, saved_kernel_rsp(%rip)
	movq %cr3, %rax
	movq %rax, saved_kernel_cr3(%rip)
	movq %rdx, %cr3
	pushq $USER_SS
	pushq %rsi
	pushq $USER_RFLAGS
	pushq $USER_CS
	pushq %rdi
	zero_gprs
	swapgs
	iretq

	.global arch_user_return
	.p2align 4
arch_user_return:
	movq saved_kernel_cr3(%rip), %rax
	movq %rax, %cr3
	movq %rdi, %rax
	movq saved_kernel_rsp(%rip), %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
