/* bad-kread: reads the kernel's own memory (the start of the kernel image
 * in the higher half). */
#include "hostile.h"

CAMBIOS_MODULE_ROLE("bad-kread");

#define KERNEL_ADDRESS 0xffffffff80000000ULL

int main(void)
{
	uint64_t word = *(volatile uint64_t *)KERNEL_ADDRESS;

	return word ? HOSTILE_NOT_STOPPED : HOSTILE_NOT_STOPPED + 1;
}
