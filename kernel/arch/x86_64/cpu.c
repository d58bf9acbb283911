/*
 * cpu: x86_64 implementations of the simple arch hooks.
 */
#include <arch.h>

const char arch_name[] = "x86_64";

/* The HHDM set up by the loader maps all of 0..4 GiB, MMIO included, and the
 * MTRRs make device ranges uncached: nothing to map early. */
bool arch_early_map_mmio(void)
{
	return true;
}

void arch_irq_disable(void)
{
	__asm__ volatile("cli" ::: "memory");
}

void arch_cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

void arch_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt" ::: "memory");
}
