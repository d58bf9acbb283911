/* exit-min: exits with INT64_MIN, a value the kernel once used for "could
 * not be loaded"; it must read as an exit code. */
#include "hostile.h"

CAMBIOS_MODULE_ROLE("exit-min");

int main(void)
{
	sys_exit(INT64_MIN);
}
