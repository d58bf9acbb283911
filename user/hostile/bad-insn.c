/* bad-insn: executes an undefined instruction (ud2 / udf). */
#include "hostile.h"

CAMBIOS_MODULE_ROLE("bad-insn");

int main(void)
{
#if defined(__x86_64__)
	__asm__ volatile("ud2");
#else
	__asm__ volatile("udf #0");
#endif
	return HOSTILE_NOT_STOPPED;
}
