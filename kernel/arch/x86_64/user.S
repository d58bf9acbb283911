/*
 * user: a user thread's way into its program (thread.h), for good.
 *
 * void arch_user_enter(uint64_t entry, uint64_t sp)
 *   enters ring 3 with iretq (rflags: interrupts on, so the timer can
 *   interrupt it) from the thread's own kernel stack, where every entry
 *   from user mode lands (TSS.RSP0, set when the thread was switched in).
 *   swapgs leaves the kernel's per-CPU pointer in IA32_KERNEL_GS_BASE for
 *   the next entry. The program ends through SYS_EXIT or a fault, whose
 *   handler ends the thread (kernel/proc/run.c): nothing returns here.
 *
 * A program starts with every register it can read cleared, so nothing of
 * the kernel's or of the previous program's crosses over: the general
 * registers; x87, MMX and SSE state (FXRSTOR of a clean image: empty x87
 * stack with zeroed contents, XMM0-15 zero, the reset FCW and MXCSR); the
 * data segment selectors (null); and the FS and GS bases (zero; the
 * program cannot read them directly without FSGSBASE, but %fs:/%gs:
 * addressing would reveal them). The kernel itself never touches x87/SSE
 * (-mgeneral-regs-only), so the state the program sees is its own.
 */
#include <asm/x86_64.h>

#include "segments.h"

#define USER_RFLAGS 0x202   /* IF, and the reserved bit 1 */
#define MSR_FS_BASE 0xc0000100
#define MSR_KERNEL_GS_BASE 0xc0000102
#define FCW_RESET 0x037f    /* x87 control word after FNINIT: all exceptions masked */
#define MXCSR_RESET 0x1f80  /* SSE control/status after reset: all exceptions masked */

	.section .rodata
	.p2align 4
/* The FXSAVE image a program starts from (512 bytes, 16-byte aligned). */
clean_fpu_state:
	.word FCW_RESET     /* FCW; FSW = 0, FTW = 0 (every x87 register empty) */
	.fill 22, 1, 0
	.long MXCSR_RESET   /* offset 24: MXCSR */
	.fill 512 - 28, 1, 0

/* With the iret frame built: clear what the program could read, switch GS
 * to the user's and enter ring 3. Interrupts stay off until iretq: between
 * swapgs and iretq the kernel's GS is gone. */
	.macro drop_to_user
	fxrstor clean_fpu_state(%rip)
	xorl %eax, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %fs      /* (may load a base on some CPUs: zeroed just below) */
	xorl %edx, %edx
	movl $MSR_FS_BASE, %ecx
	wrmsr
	movl $MSR_KERNEL_GS_BASE, %ecx /* the user's GS base until swapgs */
	wrmsr
	zero_gprs
	swapgs
	movl %eax, %gs      /* a null selector; GS base is already zero */
	iretq
	.endm

	.text
	.global arch_user_enter
	.p2align 4
arch_user_enter:
	cli
	pushq $USER_SS
	pushq %rsi
	pushq $USER_RFLAGS
	pushq $USER_CS
	pushq %rdi
	drop_to_user
