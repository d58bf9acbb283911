/*
 * cpu: the per-CPU structs (see cpu.h).
 *
 * Static, one per CPU the kernel numbers, so a CPU has its struct before
 * the heap exists and before it knows anything else about itself.
 */
#include <cpu.h>

#include <boot.h>

static struct cpu cpus[MP_MAX_CPUS];

struct cpu *cpu_at(unsigned index)
{
	return index < MP_MAX_CPUS ? &cpus[index] : NULL;
}

void cpu_claim(struct cpu *c, unsigned index)
{
	c->self = c;
	c->index = index;
}
