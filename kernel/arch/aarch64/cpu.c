/*
 * cpu: AArch64 implementations of the simple arch hooks.
 */
#include <arch.h>

const bool arch_divide_by_zero_traps = false;
const char arch_name[] = "aarch64";

void arch_irq_disable(void)
{
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
}

arch_irqflags_t arch_irq_save(void)
{
	arch_irqflags_t flags;

	__asm__ volatile("mrs %0, daif; msr daifset, #0xf" : "=r"(flags) : : "memory");
	return flags;
}

void arch_irq_restore(arch_irqflags_t flags)
{
	__asm__ volatile("msr daif, %0" : : "r"(flags) : "memory");
}

/* Only the boot CPU takes locks until the scheduler chapter gives every
 * CPU its per-CPU block; the APs park without touching shared state. */
unsigned arch_cpu_index(void)
{
	return 0;
}

void arch_cpu_relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}

void arch_halt_forever(void)
{
	for (;;)
		__asm__ volatile("msr daifset, #0xf; wfi" ::: "memory");
}
