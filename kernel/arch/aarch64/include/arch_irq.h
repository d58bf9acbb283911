/*
 * arch_irq (AArch64): masking interrupts on this CPU, inline (arch.h).
 * Every spinlock that an interrupt handler may also take saves and
 * restores DAIF, several times per system call: a call around one or two
 * instructions cost more than they do.
 */
#ifndef CAMBIOS_ARCH_IRQ_H
#define CAMBIOS_ARCH_IRQ_H

typedef unsigned long arch_irqflags_t;

static inline arch_irqflags_t arch_irq_save(void)
{
	arch_irqflags_t flags;

	__asm__ volatile("mrs %0, daif; msr daifset, #0xf" : "=r"(flags) : : "memory");
	return flags;
}

static inline void arch_irq_restore(arch_irqflags_t flags)
{
	__asm__ volatile("msr daif, %0" : : "r"(flags) : "memory");
}

#endif
