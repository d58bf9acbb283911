/*
 * cpu: x86_64 implementations of the simple arch hooks.
 */
#include <arch.h>

#include "percpu.h"

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

/* Until the boot CPU has installed its struct cpu (gdt_init) there is one
 * CPU and it is 0; after, GS says (cpu.h's cpu_this). An AP installs its
 * own before anything that could ask (arch_ap_init). */
void percpu_mark_ready(void)
{
	cpu_register_ready = true;
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
