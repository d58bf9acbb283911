/*
 * cpu: AArch64 implementations of the simple arch hooks.
 */
#include <arch.h>

const char arch_name[] = "aarch64";

void arch_irq_disable(void)
{
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
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
