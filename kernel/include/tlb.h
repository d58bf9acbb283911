/*
 * tlb: taking a changed user mapping out of every CPU's TLB.
 *
 * A CPU caches translations of the address space it runs in. When vm.c
 * unmaps or narrows a page, the CPU doing it flushes its own TLB, but
 * others running in the same space may still hold the old entry -- and
 * reach a frame through it after the frame has gone back to the
 * allocator. AArch64 needs nothing more: TLBI ...IS reaches every CPU
 * (arch/aarch64/mmu.c). x86_64 has no such broadcast, so the CPU that
 * changed the mapping asks each other CPU that may hold it, with an IPI,
 * and waits until every one has flushed: a shootdown.
 *
 * Who may hold a space's entries (x86_64, no PCIDs): exactly the CPUs
 * whose CR3 is its root, since every CR3 write drops every user entry.
 * struct cpu's `space` tells which, conservatively: a switch sets it
 * before it writes CR3 and, leaving, sets the next one before the write
 * that drops the old entries -- and in between the CPU is in the switch,
 * touching no user address. A full fence between the page-table store and
 * reading the `space`s, against the CR3 write (serializing) between a
 * switch's store to `space` and its first walk, means that either this
 * CPU sees the other in the space and asks it, or the other's walks see
 * the new tables.
 *
 * One shootdown is in flight at a time, under LOCK_TLB_SHOOTDOWN
 * (lock_order.h), with interrupts off from the local flush until every
 * CPU asked has answered. A CPU that cannot take the IPI because it spins
 * on a lock with interrupts off -- perhaps one the asking CPU holds --
 * serves the request from the spin (tlb_shootdown_poll in spinlock.c), so
 * waiting for it cannot deadlock; a CPU waiting for the shootdown lock
 * itself spins the same way.
 */
#ifndef CAMBIOS_TLB_H
#define CAMBIOS_TLB_H

#include <cpu.h>
#include <stdatomic.h>
#include <stdint.h>

struct address_space;

/* A request for more pages than this flushes the CPU's whole TLB instead
 * (of user entries: a CR3 reload), which costs less than that many
 * single invalidations and the misses after it. */
#define TLB_FLUSH_PAGES_MAX 32

/* Drops `pages` pages from `va` of space `as` from this CPU's TLB and
 * from every other CPU's that may hold them, and returns once all have.
 * Any context but an interrupt handler; any locks held. Used by x86_64's
 * arch_tlb_flush_range (AArch64's never needs it). */
void tlb_shootdown(const struct address_space *as, uint64_t va, uint64_t pages);

/* Does the request another CPU posted to this one, if there is one, and
 * answers it. From the shootdown IPI's handler and from spins. */
void tlb_shootdown_serve(void);

/* tlb_shootdown_serve, only if a request is pending here: cheap enough
 * for every turn of a spin loop. */
static inline void tlb_shootdown_poll(void)
{
	if (atomic_load_explicit(&cpu_this()->tlb_flush_pending, memory_order_relaxed))
		tlb_shootdown_serve();
}

/* Arch: drops `pages` pages from `va` from this CPU's TLB, or every user
 * entry if pages > TLB_FLUSH_PAGES_MAX. */
void arch_tlb_flush_local(uint64_t va, uint64_t pages);

#endif
