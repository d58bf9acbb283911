/*
 * cpu (host): the arch interface for portable kernel code built into host
 * unit tests and benchmarks.
 *
 * There is one "CPU" per host thread and no interrupts: masking is a no-op,
 * halting ends the process (a test that reaches it has failed), and the
 * console is stdout. Only unit tests and benchmarks link this file.
 */
#include <arch.h>
#include <boot.h>
#include <cpu.h>
#include <ipi.h>
#include <tlb.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

const bool arch_divide_by_zero_traps = false;
const char arch_name[] = "host";
#if defined(__aarch64__)
const uint16_t arch_elf_machine = 183; /* EM_AARCH64 */
#else
const uint16_t arch_elf_machine = 62; /* EM_X86_64 */
#endif

bool arch_early_map_mmio(void)
{
	return true;
}

void arch_console_init(void)
{
}

void arch_console_putc(char c)
{
	if (c != '\r')
		fputc(c, stdout);
}

void arch_sync_code(const void *kva, uint64_t size)
{
	(void)kva;
	(void)size;
}

void arch_irq_disable(void)
{
}

/* Every host thread acts as its own CPU, numbered in order of first use
 * (beyond the kernel's CPU count they share the last struct). */
struct cpu *cpu_this(void)
{
	static atomic_uint next_index;
	static _Thread_local struct cpu *mine;

	if (!mine) {
		unsigned index = atomic_fetch_add(&next_index, 1);
		mine = cpu_at(index) ? cpu_at(index) : cpu_at(MP_MAX_CPUS - 1);
		cpu_claim(mine, index < MP_MAX_CPUS ? index : MP_MAX_CPUS - 1);
	}
	return mine;
}

void arch_cpu_relax(void)
{
}

void arch_halt_forever(void)
{
	fflush(stdout);
	abort();
}

/* A port space of 64 KiB of plain bytes, little-endian, for the system-call
 * tests (host_port_space): what was written is read back. */
const bool arch_has_port_io = true;
uint8_t host_port_space[0x10000];

void arch_port_io(uint16_t port, unsigned bytes, bool write, uint32_t *value)
{
	for (unsigned i = 0; i < bytes && port + i < sizeof(host_port_space); i++) {
		if (write)
			host_port_space[port + i] = (uint8_t)(*value >> (8 * i));
		else if (i == 0)
			*value = host_port_space[port];
		else
			*value |= (uint32_t)host_port_space[port + i] << (8 * i);
	}
}

/* No interrupts to raise: an IPI is only counted, by kind. A host thread
 * that is asked for something (a TLB flush) finds it by polling. */
_Atomic uint64_t host_ipis_sent[IPI_KINDS];

kerr_t arch_send_ipi(uint64_t hw_id, enum ipi_kind kind)
{
	(void)hw_id;
	if (kind >= IPI_KINDS)
		return K_EINVAL;
	atomic_fetch_add(&host_ipis_sent[kind], 1);
	return K_OK;
}

/* No TLB: each "CPU" only counts the pages it was asked to drop. */
_Thread_local uint64_t host_tlb_pages_flushed;

void arch_tlb_flush_local(uint64_t va, uint64_t pages)
{
	(void)va;
	host_tlb_pages_flushed += pages;
}

bool arch_cpu_has_random(void)
{
	return false;
}
