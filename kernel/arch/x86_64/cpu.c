/*
 * cpu: x86_64 implementations of the simple arch hooks.
 */
#include <arch.h>

#include <cpu.h>
#include <x86_64/insn.h>

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

/* GS.base works without a GDT in long mode (it is an MSR). gdt_init
 * loads GS, which clears the base, and sets it again at once; an AP
 * installs its own before anything that could ask (arch_ap_init). */
void arch_cpu_register_init(void)
{
	struct cpu *c = cpu_at(0);

	cpu_claim(c, 0);
	wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)c);
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

#define CPUID_FEATURES 1
#define CPUID_ECX_RDRAND (1u << 30)

/* RDRAND runs at any privilege level; CPUID says whether it is there. */
bool arch_cpu_has_random(void)
{
	uint32_t r[4];

	cpuid(CPUID_FEATURES, 0, r);
	return (r[2] & CPUID_ECX_RDRAND) != 0;
}
