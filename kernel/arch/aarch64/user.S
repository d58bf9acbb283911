/*
 * user: the two halves of running a user program (see user.c).
 *
 * user_enter() works like the first return of setjmp: it saves what the
 * AAPCS64 says a callee must preserve (x19-x29, the return address x30,
 * SP) plus DAIF into a struct user_kernel_context, then drops to EL0 with
 * ERET instead of returning. user_context_resume() is the longjmp: it
 * reloads that context and returns from user_enter() with a value. The
 * caller therefore sees an ordinary call that returns once.
 *
 * Why this is safe: while the user program runs, SP_EL1 stays at the SP
 * user_enter() saved, so every exception from EL0 pushes its frame below
 * it, and the caller's stack frames above it are untouched. Resuming
 * discards whatever exception frames were in progress (the syscall that
 * called SYS_EXIT, or the faulting user access).
 */
#include <asm/aarch64.h>

#include "trap_frame.h"

/* Every register a program can read, but the general ones, cleared:
 * V0-V31, FPCR, FPSR, the thread pointers. The kernel itself never uses
 * FP/SIMD (-mgeneral-regs-only), so these are some program's. Called with
 * bl just before the general registers are cleared (x30 included). */
	.text
	.arch_extension fp   /* the file is built -mgeneral-regs-only */
	.arch_extension simd
	.type clear_user_state, %function
clear_user_state:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	movi v\n\().2d, #0
	.endr
	msr fpcr, xzr
	msr fpsr, xzr
	msr tpidr_el0, xzr
	msr tpidrro_el0, xzr
	ret
	.size clear_user_state, . - clear_user_state

/* int64_t user_enter(struct user_kernel_context *ctx, uint64_t entry,
 *                    uint64_t sp)    x0 = ctx, x1 = entry, x2 = sp */
	.global user_enter
	.type user_enter, %function
user_enter:
	stp x19, x20, [x0, #UKC_X19 + 0 * 8]
	stp x21, x22, [x0, #UKC_X19 + 2 * 8]
	stp x23, x24, [x0, #UKC_X19 + 4 * 8]
	stp x25, x26, [x0, #UKC_X19 + 6 * 8]
	stp x27, x28, [x0, #UKC_X19 + 8 * 8]
	stp x29, x30, [x0, #UKC_X29]
	mov x9, sp
	str x9, [x0, #UKC_SP]
	mrs x9, daif
	str x9, [x0, #UKC_DAIF]

	msr sp_el0, x2
	msr elr_el1, x1
	mov x9, #SPSR_EL0T_IRQS_ON
	msr spsr_el1, x9

	/* The user program starts with every register it can read zero:
	 * nothing of the kernel's (addresses, the context pointer) or of the
	 * previous program's (its FP/SIMD values, its thread pointers) leaks
	 * into EL0. The kernel itself never uses FP/SIMD
	 * (-mgeneral-regs-only), so these are the previous program's. */
	bl clear_user_state
	zero_gprs 0
	eret
	.size user_enter, . - user_enter

/* void arch_user_enter(uint64_t entry, uint64_t sp)    x0 = entry, x1 = sp
 * A user thread's way into its program, from its own kernel stack, for
 * good: exceptions from EL0 land on SP_EL1 as it is here. */
	.global arch_user_enter
	.type arch_user_enter, %function
arch_user_enter:
	msr daifset, #0xf
	msr sp_el0, x1
	msr elr_el1, x0
	mov x9, #SPSR_EL0T_IRQS_ON
	msr spsr_el1, x9
	bl clear_user_state
	zero_gprs 0
	eret
	.size arch_user_enter, . - arch_user_enter

/* void user_context_resume(const struct user_kernel_context *ctx,
 *                          int64_t value)     x0 = ctx, x1 = value */
	.global user_context_resume
	.type user_context_resume, %function
user_context_resume:
	ldp x19, x20, [x0, #UKC_X19 + 0 * 8]
	ldp x21, x22, [x0, #UKC_X19 + 2 * 8]
	ldp x23, x24, [x0, #UKC_X19 + 4 * 8]
	ldp x25, x26, [x0, #UKC_X19 + 6 * 8]
	ldp x27, x28, [x0, #UKC_X19 + 8 * 8]
	ldp x29, x30, [x0, #UKC_X29]
	ldr x9, [x0, #UKC_SP]
	mov sp, x9
	ldr x9, [x0, #UKC_DAIF]
	msr daif, x9
	msr sp_el0, xzr                     /* no stale user SP in later reports */
	mov x0, x1
	ret
	.size user_context_resume, . - user_context_resume
