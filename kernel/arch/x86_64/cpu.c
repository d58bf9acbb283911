/*
 * cpu: x86_64 implementations of the simple arch hooks.
 */
#include <arch.h>

const bool arch_divide_by_zero_traps = true;
const char arch_name[] = "x86_64";
const uint16_t arch_elf_machine = 62; /* EM_X86_64 */

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

#define RFLAGS_IF (1UL << 9)

arch_irqflags_t arch_irq_save(void)
{
	arch_irqflags_t flags;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

void arch_irq_restore(arch_irqflags_t flags)
{
	if (flags & RFLAGS_IF)
		__asm__ volatile("sti" ::: "memory");
}

/* Only the boot CPU takes locks until the scheduler chapter gives every
 * CPU its per-CPU block; the APs park without touching shared state. */
unsigned arch_cpu_index(void)
{
	return 0;
}

void arch_sync_code(const void *kva, uint64_t size)
{
	(void)kva;
	(void)size;
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
