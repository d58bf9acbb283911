/*
 * thread: a new thread's first SavedContext (AArch64; see switch.S).
 *
 * x19-x29 zero (a zero frame pointer ends backtraces) and x30, the
 * address arch_context_switch's `ret` will jump to: thread_trampoline.
 */
#include <thread.h>

#include <cpu.h>

#include <stddef.h>

#include "mmu.h"
#include "sysreg.h"

#define CONTEXT_WORDS 12
#define X30_SLOT 11

void thread_trampoline(void);

uint64_t arch_thread_initial_sp(uint64_t stack_top)
{
	uint64_t *sp = (uint64_t *)(stack_top & ~15ULL) - CONTEXT_WORDS;

	for (int i = 0; i < CONTEXT_WORDS; i++)
		sp[i] = 0;
	sp[X30_SLOT] = (uint64_t)(uintptr_t)thread_trampoline;
	return (uint64_t)(uintptr_t)sp;
}

void arch_user_state_init(struct arch_user_state *s)
{
	*s = (struct arch_user_state){ 0 };
}

void arch_thread_idle_init(struct thread *idle)
{
	idle->root = a64_asid_cpu_init(); /* the kernel's TTBR0, ASID 0 */
	idle->entry_stack_top = 0; /* exceptions from EL0 land on SP_EL1 as ERET left it */
}

static void save_user_state(struct arch_user_state *s)
{
	__asm__ volatile(".arch_extension fp\n\t"
			 ".arch_extension simd\n\t"
			 "stp q0, q1, [%0, #0]\n\t"
			 "stp q2, q3, [%0, #32]\n\t"
			 "stp q4, q5, [%0, #64]\n\t"
			 "stp q6, q7, [%0, #96]\n\t"
			 "stp q8, q9, [%0, #128]\n\t"
			 "stp q10, q11, [%0, #160]\n\t"
			 "stp q12, q13, [%0, #192]\n\t"
			 "stp q14, q15, [%0, #224]\n\t"
			 "stp q16, q17, [%0, #256]\n\t"
			 "stp q18, q19, [%0, #288]\n\t"
			 "stp q20, q21, [%0, #320]\n\t"
			 "stp q22, q23, [%0, #352]\n\t"
			 "stp q24, q25, [%0, #384]\n\t"
			 "stp q26, q27, [%0, #416]\n\t"
			 "stp q28, q29, [%0, #448]\n\t"
			 "stp q30, q31, [%0, #480]\n\t"
			 "add x11, %0, #512\n\t"
			 "mrs x9, fpcr\n\t"
			 "mrs x10, fpsr\n\t"
			 "stp x9, x10, [x11]\n\t"
			 "mrs x9, tpidr_el0\n\t"
			 "str x9, [x11, #16]"
			 : : "r"(s) : "x9", "x10", "x11", "memory");
}

static void load_user_state(const struct arch_user_state *s)
{
	__asm__ volatile(".arch_extension fp\n\t"
			 ".arch_extension simd\n\t"
			 "ldp q0, q1, [%0, #0]\n\t"
			 "ldp q2, q3, [%0, #32]\n\t"
			 "ldp q4, q5, [%0, #64]\n\t"
			 "ldp q6, q7, [%0, #96]\n\t"
			 "ldp q8, q9, [%0, #128]\n\t"
			 "ldp q10, q11, [%0, #160]\n\t"
			 "ldp q12, q13, [%0, #192]\n\t"
			 "ldp q14, q15, [%0, #224]\n\t"
			 "ldp q16, q17, [%0, #256]\n\t"
			 "ldp q18, q19, [%0, #288]\n\t"
			 "ldp q20, q21, [%0, #320]\n\t"
			 "ldp q22, q23, [%0, #352]\n\t"
			 "ldp q24, q25, [%0, #384]\n\t"
			 "ldp q26, q27, [%0, #416]\n\t"
			 "ldp q28, q29, [%0, #448]\n\t"
			 "ldp q30, q31, [%0, #480]\n\t"
			 "add x11, %0, #512\n\t"
			 "ldp x9, x10, [x11]\n\t"
			 "msr fpcr, x9\n\t"
			 "msr fpsr, x10\n\t"
			 "ldr x9, [x11, #16]\n\t"
			 "msr tpidr_el0, x9"
			 : : "r"(s) : "x9", "x10", "x11", "memory");
}

_Static_assert(offsetof(struct arch_user_state, fpcr) == 512, "save_user_state: fpcr");
_Static_assert(offsetof(struct arch_user_state, tpidr_el0) == 528, "save_user_state: tpidr");

/* User state is kept eagerly, at every switch from or to a thread that
 * runs user code: the kernel never touches FP/SIMD, so the registers hold
 * the last user thread's values until another user thread's are loaded.
 * Every address space has its own ASID (mmu.c), so a change of TTBR0
 * flushes nothing. */
void arch_thread_switch(struct thread *prev, struct thread *next)
{
	if (prev->space)
		save_user_state(&prev->user_state);
	if (next->space)
		load_user_state(&next->user_state);
	if (next->entry_stack_top)
		cpu_this()->kernel_stack = next->entry_stack_top; /* SP_EL1 when it enters EL0 */
	if (read_ttbr0_el1() != next->root) {
		dsb_ishst();
		write_ttbr0_el1(next->root);
		isb();
	}
}
