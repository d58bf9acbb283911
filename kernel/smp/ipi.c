/*
 * ipi: sending and receiving inter-processor interrupts (see ipi.h).
 */
#include <ipi.h>

#include <boot.h>
#include <cpu.h>
#include <tlb.h>

kerr_t ipi_send(unsigned cpu, enum ipi_kind kind)
{
	if (kind >= IPI_KINDS || !mp_cpu_online(cpu))
		return K_EINVAL;
	return arch_send_ipi(cpu_at(cpu)->hw_id, kind);
}

void ipi_receive(enum ipi_kind kind)
{
	struct cpu *cs = cpu_this();

	if (kind >= IPI_KINDS)
		return;
	atomic_fetch_add_explicit(&cs->ipis[kind], 1, memory_order_relaxed);
	if (kind == IPI_RESCHEDULE)
		cs->need_resched = true; /* irq_exit switches, if there is anyone to run */
	else if (kind == IPI_TLB_SHOOTDOWN)
		tlb_shootdown_serve(); /* nothing, if a lock's spin served it already */
}

uint64_t ipi_received(unsigned cpu, enum ipi_kind kind)
{
	const struct cpu *c = cpu_at(cpu);

	if (!c || kind >= IPI_KINDS)
		return 0;
	return atomic_load_explicit(&c->ipis[kind], memory_order_relaxed);
}
