/* bad-kjump: calls into the kernel's code directly instead of through a
 * system call. */
#include "hostile.h"

CAMBIOS_MODULE_ROLE("bad-kjump");

#define KERNEL_ADDRESS 0xffffffff80000000ULL

int main(void)
{
	((void (*)(void))KERNEL_ADDRESS)();
	return HOSTILE_NOT_STOPPED;
}
