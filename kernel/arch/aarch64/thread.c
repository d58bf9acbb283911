/*
 * thread: a new thread's first SavedContext (AArch64; see switch.S).
 *
 * x19-x29 zero (a zero frame pointer ends backtraces) and x30, the
 * address arch_context_switch's `ret` will jump to: thread_trampoline.
 */
#include <thread.h>

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
