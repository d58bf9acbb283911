/*
 * cpu: the per-CPU structs (see cpu.h).
 *
 * Static, one per CPU the kernel numbers, so a CPU has its struct before
 * the heap exists and before it knows anything else about itself.
 */
#include <cpu.h>

#include <boot.h>

_Static_assert(CPU_STRUCTS == MP_MAX_CPUS, "cpu: one struct per CPU the kernel numbers");

struct cpu cpu_structs[MP_MAX_CPUS];

void cpu_claim(struct cpu *c, unsigned index)
{
	c->self = c;
	c->index = index;
}
