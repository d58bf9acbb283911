/*
 * cpu: AArch64 implementations of the simple arch hooks.
 */
#include <arch.h>
#include <cpu.h>

#include "percpu.h"
#include "sysreg.h"

const bool arch_divide_by_zero_traps = false;
const char arch_name[] = "aarch64";
const uint16_t arch_elf_machine = 183; /* EM_AARCH64 */

void arch_irq_disable(void)
{
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
}

/* TPIDR_EL1 holds the running CPU's struct cpu (its reset value is
 * unknown). The boot CPU installs CPU 0's first thing
 * (arch_cpu_register_init); an AP installs its own before anything that
 * could ask (arch_ap_init). */
void a64_percpu_install(unsigned index)
{
	struct cpu *c = cpu_at(index);

	cpu_claim(c, index);
	c->hw_id = read_mpidr_el1() & MPIDR_AFFINITY;
	__asm__ volatile("msr tpidr_el1, %0" : : "r"(c) : "memory");
}

void arch_cpu_register_init(void)
{
	a64_percpu_install(0);
}

/* Clean the data cache to the point of unification line by line, then
 * invalidate every CPU's instruction cache (inner shareable). */
void arch_sync_code(const void *kva, uint64_t size)
{
	uint64_t ctr;

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	uint64_t line = 4ULL << ((ctr >> 16) & 0xf); /* DminLine, in words */
	uint64_t start = (uint64_t)(uintptr_t)kva & ~(line - 1);
	for (uint64_t a = start; a < (uint64_t)(uintptr_t)kva + size; a += line)
		__asm__ volatile("dc cvau, %0" : : "r"(a) : "memory");
	__asm__ volatile("dsb ish; ic ialluis; dsb ish; isb" ::: "memory");
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

#define ISAR0_RNDR_SHIFT 60

/* RNDR (FEAT_RNG) is readable at EL0; its ID register is not, so the
 * kernel reads it for user space. */
bool arch_cpu_has_random(void)
{
	uint64_t isar0;

	__asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	return ((isar0 >> ISAR0_RNDR_SHIFT) & 0xf) != 0;
}
