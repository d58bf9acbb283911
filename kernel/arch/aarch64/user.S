/*
 * user: a user thread's way into its program (thread.h), for good.
 *
 * The thread enters EL0 from its own kernel stack; every exception from
 * EL0 lands on SP_EL1 as it is at the ERET, so the thread's kernel stack
 * holds nothing else while the program runs. The program ends through
 * SYS_EXIT or a fault, whose handler ends the thread (kernel/proc/run.c):
 * nothing ever returns here.
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
