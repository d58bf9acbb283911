/* spinner: runs in user mode for ever, making no system call -- a
 * program only an interrupt can take the CPU from. Kill must still end
 * it (user/hostile/killer.c), wherever it runs. */
#include "hostile.h"

CAMBIOS_MODULE_ROLE("spinner");

int main(void)
{
	volatile uint64_t turns = 0;

	for (;;)
		turns++;
}
