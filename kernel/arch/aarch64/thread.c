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

#define CPACR_FPEN_NONE_TRAPPED (3ULL << 20)

/* This CPU may run user threads' FP/SIMD code and keep their state: the
 * loader may leave an AP with CPACR_EL1.FPEN trapping it (genuine Limine
 * does), and saving V0-V31 at the first switch would trap in the kernel. */
static void allow_user_fp(void)
{
	write_cpacr_el1(read_cpacr_el1() | CPACR_FPEN_NONE_TRAPPED);
	isb();
}

void arch_thread_idle_init(struct thread *idle)
{
	allow_user_fp();
	idle->root = a64_asid_cpu_init(); /* the kernel's TTBR0, ASID 0 */
	idle->entry_stack_top = 0; /* exceptions from EL0 land on SP_EL1 as ERET left it */
}

static void save_user_state(struct arch_user_state *s)
{
	/* ST1 with four registers stores 64 bytes: eight instructions for
	 * the 32 registers, half as many as STP pairs. */
	__asm__ volatile(".arch_extension fp\n\t"
			 ".arch_extension simd\n\t"
			 "mov x11, %0\n\t"
			 "st1 {v0.2d, v1.2d, v2.2d, v3.2d}, [x11], #64\n\t"
			 "st1 {v4.2d, v5.2d, v6.2d, v7.2d}, [x11], #64\n\t"
			 "st1 {v8.2d, v9.2d, v10.2d, v11.2d}, [x11], #64\n\t"
			 "st1 {v12.2d, v13.2d, v14.2d, v15.2d}, [x11], #64\n\t"
			 "st1 {v16.2d, v17.2d, v18.2d, v19.2d}, [x11], #64\n\t"
			 "st1 {v20.2d, v21.2d, v22.2d, v23.2d}, [x11], #64\n\t"
			 "st1 {v24.2d, v25.2d, v26.2d, v27.2d}, [x11], #64\n\t"
			 "st1 {v28.2d, v29.2d, v30.2d, v31.2d}, [x11], #64\n\t"
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
			 "mov x11, %0\n\t"
			 "ld1 {v0.2d, v1.2d, v2.2d, v3.2d}, [x11], #64\n\t"
			 "ld1 {v4.2d, v5.2d, v6.2d, v7.2d}, [x11], #64\n\t"
			 "ld1 {v8.2d, v9.2d, v10.2d, v11.2d}, [x11], #64\n\t"
			 "ld1 {v12.2d, v13.2d, v14.2d, v15.2d}, [x11], #64\n\t"
			 "ld1 {v16.2d, v17.2d, v18.2d, v19.2d}, [x11], #64\n\t"
			 "ld1 {v20.2d, v21.2d, v22.2d, v23.2d}, [x11], #64\n\t"
			 "ld1 {v24.2d, v25.2d, v26.2d, v27.2d}, [x11], #64\n\t"
			 "ld1 {v28.2d, v29.2d, v30.2d, v31.2d}, [x11], #64\n\t"
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
