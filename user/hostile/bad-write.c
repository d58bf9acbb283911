/* bad-write: writes to its own code, which is mapped read+execute. */
#include "hostile.h"

CAMBIOS_MODULE_ROLE("bad-write");

int main(void)
{
	*(volatile uint8_t *)(uintptr_t)main = 0;
	return HOSTILE_NOT_STOPPED;
}
