/*
 * arch_irq (host tests): there are no interrupts to mask (arch.h).
 */
#ifndef CAMBIOS_ARCH_IRQ_H
#define CAMBIOS_ARCH_IRQ_H

typedef unsigned long arch_irqflags_t;

static inline arch_irqflags_t arch_irq_save(void)
{
	return 0;
}

static inline void arch_irq_restore(arch_irqflags_t flags)
{
	(void)flags;
}

#endif
