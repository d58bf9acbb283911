/*
 * tlb: TLB shootdowns (see tlb.h).
 *
 * The request lives here, one at a time: which pages, and how many CPUs
 * have still to answer. The CPU asking sets each target's
 * `tlb_flush_pending` (release, after the request is written) and sends
 * it the IPI; the target clears the flag (acquire) before it reads the
 * request, flushes, and counts itself done (release), so the asking CPU
 * sees every flush finished before it lets the frames go -- and before it
 * releases the lock that lets the next request overwrite this one.
 *
 * Part of the support code every spinlock leans on (mk/sources.mk): a
 * spin serves requests, so this file takes no lock but its own and needs
 * nothing but struct cpu and two arch hooks.
 */
#include <tlb.h>

#include <boot.h>
#include <ipi.h>
#include <panic.h>
#include <spinlock.h>

static struct spinlock shootdown_lock = SPINLOCK_INIT("tlb shootdown", LOCK_TLB_SHOOTDOWN);

/* The request in flight; written only under shootdown_lock. */
static struct {
	uint64_t va;
	uint64_t pages;
	atomic_uint unanswered; /* CPUs asked that have not flushed yet */
} request;

void tlb_shootdown_serve(void)
{
	/* Interrupts off: the flush and the answer happen on the CPU that
	 * was asked, even when a spin with interrupts on serves it. */
	arch_irqflags_t flags = arch_irq_save();
	struct cpu *cs = cpu_this();

	if (atomic_exchange_explicit(&cs->tlb_flush_pending, false, memory_order_acquire)) {
		arch_tlb_flush_local(request.va, request.pages);
		atomic_fetch_add_explicit(&cs->tlb_shootdowns_served, 1, memory_order_relaxed);
		atomic_fetch_sub_explicit(&request.unanswered, 1, memory_order_release);
	}
	arch_irq_restore(flags);
}

/* Whether CPU `c` (not this one) may cache entries of `as`. A CPU never
 * started has no space. */
static bool may_hold(const struct cpu *c, const struct address_space *as)
{
	return __atomic_load_n(&c->space, __ATOMIC_RELAXED) == as;
}

/* Posts the request to every CPU that may hold `as` and waits for their
 * answers. Interrupts are off; the caller has flushed its own TLB. */
static void ask_others(const struct cpu *self, const struct address_space *as, uint64_t va,
		       uint64_t pages)
{
	spin_lock(&shootdown_lock);
	request.va = va;
	request.pages = pages;
	atomic_store_explicit(&request.unanswered, 0, memory_order_relaxed);
	for (unsigned i = 0; i < MP_MAX_CPUS; i++) {
		struct cpu *c = cpu_at(i);
		if (c == self || !may_hold(c, as))
			continue;
		/* Counted before it is posted: an early answer must not
		 * find the count at zero. */
		atomic_fetch_add_explicit(&request.unanswered, 1, memory_order_relaxed);
		atomic_store_explicit(&c->tlb_flush_pending, true, memory_order_release);
		if (arch_send_ipi(c->hw_id, IPI_TLB_SHOOTDOWN) == K_OK)
			atomic_fetch_add_explicit(&cpu_this()->tlb_shootdowns_sent, 1,
						  memory_order_relaxed);
	}
	/* A CPU halted by a panic never answers; the panic is the story. */
	while (atomic_load_explicit(&request.unanswered, memory_order_acquire) != 0 &&
	       !panic_in_progress())
		arch_cpu_relax();
	spin_unlock(&shootdown_lock);
}

void tlb_shootdown(const struct address_space *as, uint64_t va, uint64_t pages)
{
	/* Interrupts off: the thread stays on the CPU it flushes and leaves
	 * out of the request. */
	arch_irqflags_t flags = arch_irq_save();
	const struct cpu *self = cpu_this();
	bool others = false;

	arch_tlb_flush_local(va, pages);
	/* The page-table stores before any `space` is read (tlb.h). */
	atomic_thread_fence(memory_order_seq_cst);
	for (unsigned i = 0; i < MP_MAX_CPUS && !others; i++) {
		const struct cpu *c = cpu_at(i);
		others = c != self && may_hold(c, as);
	}
	if (others)
		ask_others(self, as, va, pages);
	arch_irq_restore(flags);
}
