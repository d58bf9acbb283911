/* bad-div: divides by zero. On x86_64 that is a divide error; AArch64's
 * division does not trap (the quotient is 0), so there it exits with 0
 * when the quotient is 0. Done in assembly: in C it would be undefined. */
#include "hostile.h"

CAMBIOS_MODULE_ROLE("bad-div");

int main(void)
{
	uint64_t quotient;

#if defined(__x86_64__)
	__asm__ volatile("xorl %%edx, %%edx\n\t"
			 "xorl %%ecx, %%ecx\n\t"
			 "movl $1, %%eax\n\t"
			 "divl %%ecx"
			 : "=a"(quotient) : : "rcx", "rdx");
	return HOSTILE_NOT_STOPPED;
#else
	__asm__ volatile("mov x1, #1\n\t"
			 "udiv %0, x1, xzr"
			 : "=r"(quotient) : : "x1");
	return quotient == 0 ? 0 : HOSTILE_NOT_STOPPED;
#endif
}
