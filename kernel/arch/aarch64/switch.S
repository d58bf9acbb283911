/*
 * switch: moving the CPU from one kernel thread to another (thread.h).
 *
 * void arch_context_switch(uint64_t *save_sp, uint64_t next_sp)
 *   stores the callee-saved registers (AAPCS64: x19-x28, the frame
 *   pointer x29 and the return address x30) on the running thread's stack
 *   -- its SavedContext -- and sp in *save_sp, loads next_sp and reloads
 *   the next thread's SavedContext: `ret` resumes that thread where it
 *   last called this function. A new thread's stack is prepared by
 *   arch_thread_initial_sp so that the first switch returns into
 *   thread_trampoline. The kernel has no FP/SIMD state to keep
 *   (-mgeneral-regs-only).
 */
#define CONTEXT_SIZE 96 /* 12 registers; keeps sp 16-byte aligned */

	.text
	.global arch_context_switch
	.type arch_context_switch, %function
arch_context_switch:
	sub sp, sp, #CONTEXT_SIZE
	stp x19, x20, [sp, #0]
	stp x21, x22, [sp, #16]
	stp x23, x24, [sp, #32]
	stp x25, x26, [sp, #48]
	stp x27, x28, [sp, #64]
	stp x29, x30, [sp, #80]
	mov x9, sp
	str x9, [x0]
	mov sp, x1
	ldp x19, x20, [sp, #0]
	ldp x21, x22, [sp, #16]
	ldp x23, x24, [sp, #32]
	ldp x25, x26, [sp, #48]
	ldp x27, x28, [sp, #64]
	ldp x29, x30, [sp, #80]
	add sp, sp, #CONTEXT_SIZE
	ret
	.size arch_context_switch, . - arch_context_switch

	.global thread_trampoline
	.type thread_trampoline, %function
thread_trampoline:
	bl thread_start
	udf #0
	.size thread_trampoline, . - thread_trampoline
