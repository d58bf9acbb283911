/*
 * thread: a new thread's first SavedContext (x86_64; see switch.S).
 *
 * Six zeroed callee-saved registers and, above them, the address
 * arch_context_switch's `ret` will jump to: thread_trampoline. And what
 * else changes with the thread: user FP/SSE state, CR3, and the stack
 * entries from user mode land on (TSS.RSP0 and the SYSCALL stack).
 */
#include <thread.h>

#include <x86_64/insn.h>
#include "percpu.h"

#define CALLEE_SAVED 6

void thread_trampoline(void);

uint64_t arch_thread_initial_sp(uint64_t stack_top)
{
	uint64_t *sp = (uint64_t *)(stack_top & ~15ULL);

	*--sp = 0; /* padding: the trampoline realigns anyway */
	*--sp = (uint64_t)(uintptr_t)thread_trampoline;
	for (int i = 0; i < CALLEE_SAVED; i++)
		*--sp = 0;
	return (uint64_t)(uintptr_t)sp;
}

/* FXSAVE image offsets of the two control words a clean state needs. */
#define FXSAVE_FCW 0
#define FXSAVE_MXCSR 24
#define FCW_RESET 0x037f
#define MXCSR_RESET 0x1f80

void arch_user_state_init(struct arch_user_state *s)
{
	for (size_t i = 0; i < sizeof(s->fxsave); i++)
		s->fxsave[i] = 0;
	s->fxsave[FXSAVE_FCW] = FCW_RESET & 0xff;
	s->fxsave[FXSAVE_FCW + 1] = FCW_RESET >> 8;
	s->fxsave[FXSAVE_MXCSR] = MXCSR_RESET & 0xff;
	s->fxsave[FXSAVE_MXCSR + 1] = MXCSR_RESET >> 8;
}

#define CR0_MP (1ULL << 1)      /* WAIT/FWAIT follow TS */
#define CR0_EM (1ULL << 2)      /* set: x87/SSE instructions fault */
#define CR0_TS (1ULL << 3)      /* set: the next x87/SSE instruction faults */
#define CR4_OSFXSR (1ULL << 9)  /* FXSAVE/FXRSTOR and SSE allowed */
#define CR4_OSXMMEXCPT (1ULL << 10) /* SIMD exceptions as #XM */

/* This CPU may run user threads' x87/SSE code and keep their state: the
 * loader may have left an AP without it (the firmware sets it up only on
 * the CPU it ran on), and FXSAVE at the first switch would fault. */
static void allow_user_fp(void)
{
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP);
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
}

void arch_thread_idle_init(struct thread *idle)
{
	allow_user_fp();
	idle->root = read_cr3();
	idle->entry_stack_top = percpu_entry_stack_top();
}

/* User state is kept eagerly, at every switch from or to a thread that
 * runs user code: the kernel never touches x87/SSE, so the registers hold
 * the last user thread's values until another user thread's are loaded. */
void arch_thread_switch(struct thread *prev, struct thread *next)
{
	if (prev->space)
		__asm__ volatile("fxsave %0" : "=m"(prev->user_state.fxsave));
	if (next->space)
		__asm__ volatile("fxrstor %0" : : "m"(next->user_state.fxsave));
	if (read_cr3() != next->root)
		write_cr3(next->root);
	if (next->entry_stack_top)
		percpu_set_kernel_stack(next->entry_stack_top);
}
