/* exit-1000: exits with -1000, a value the kernel once used for "ended
 * by a fault"; it must read as an exit code. */
#include "hostile.h"

CAMBIOS_MODULE_ROLE("exit-1000");

int main(void)
{
	sys_exit(-1000);
}
