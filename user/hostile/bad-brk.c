/* bad-brk: a breakpoint instruction with no debugger (int3 / brk). */
#include "hostile.h"

CAMBIOS_MODULE_ROLE("bad-brk");

int main(void)
{
#if defined(__x86_64__)
	__asm__ volatile("int3");
#else
	__asm__ volatile("brk #0");
#endif
	return HOSTILE_NOT_STOPPED;
}
