/* bad-exec: writes a return instruction onto its stack and calls it; the
 * stack is never executable. */
#include "hostile.h"

CAMBIOS_MODULE_ROLE("bad-exec");

int main(void)
{
#if defined(__x86_64__)
	volatile uint8_t code[4] = { 0xc3 }; /* ret */
#else
	volatile uint32_t code[1] = { 0xd65f03c0 }; /* ret */
#endif
	((void (*)(void))(uintptr_t)code)();
	return HOSTILE_NOT_STOPPED;
}
