/* bad-guard: an ordinary program linked with its data segment in the
 * stack's guard page (USER_DATA_START=0x7ef000, see the Makefile). The
 * loader must refuse it: with the guard page taken, an overflowing stack
 * would write over the data instead of faulting. */
#include "hostile.h"

CAMBIOS_MODULE_ROLE("bad-guard");

static volatile uint64_t data_in_the_guard_page = 1;

int main(void)
{
	return (int)data_in_the_guard_page + HOSTILE_NOT_STOPPED;
}
