/*
 * switch: moving the CPU from one kernel thread to another (thread.h).
 *
 * void arch_context_switch(uint64_t *save_sp, uint64_t next_sp)
 *   pushes the callee-saved registers (the System V ABI says the caller
 *   keeps the rest) on the running thread's stack -- with the return
 *   address the call pushed, that is its SavedContext -- stores rsp in
 *   *save_sp, loads next_sp and pops the next thread's SavedContext: the
 *   `ret` resumes that thread where it last called this function.
 * A new thread's stack is prepared by arch_thread_initial_sp (thread.c of
 * the arch) so that the first switch "returns" into thread_trampoline.
 */
#include <asm/x86_64.h>

	.text
	.global arch_context_switch
	.p2align 4
arch_context_switch:
	push_callee_saved
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	pop_callee_saved
	ret

/* A new thread's first instructions: a C call needs rsp 16-byte aligned. */
	.global thread_trampoline
	.p2align 4
thread_trampoline:
	andq $-16, %rsp
	call thread_start
	ud2
