/*
 * arch_irq (x86_64): masking interrupts on this CPU, inline (arch.h).
 * Every spinlock that an interrupt handler may also take saves and
 * restores the flag, several times per system call: a call around one or
 * two instructions cost more than they do.
 */
#ifndef CAMBIOS_ARCH_IRQ_H
#define CAMBIOS_ARCH_IRQ_H

typedef unsigned long arch_irqflags_t;

#define ARCH_RFLAGS_IF (1UL << 9)

static inline arch_irqflags_t arch_irq_save(void)
{
	arch_irqflags_t flags;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

static inline void arch_irq_restore(arch_irqflags_t flags)
{
	if (flags & ARCH_RFLAGS_IF)
		__asm__ volatile("sti" ::: "memory");
}

#endif
