/* bad-priv: reads the kernel's page-table root, a privileged register
 * (x86_64: mov from CR3, #GP in ring 3; AArch64: mrs TTBR1_EL1, undefined
 * at EL0). */
#include "hostile.h"

CAMBIOS_MODULE_ROLE("bad-priv");

int main(void)
{
	uint64_t root;

#if defined(__x86_64__)
	__asm__ volatile("mov %%cr3, %0" : "=r"(root));
#else
	__asm__ volatile("mrs %0, ttbr1_el1" : "=r"(root));
#endif
	return root ? HOSTILE_NOT_STOPPED : HOSTILE_NOT_STOPPED + 1;
}
