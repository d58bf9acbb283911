/*
 * thread: a new thread's first SavedContext (x86_64; see switch.S).
 *
 * Six zeroed callee-saved registers and, above them, the address
 * arch_context_switch's `ret` will jump to: thread_trampoline.
 */
#include <thread.h>

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
