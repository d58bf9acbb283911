/*
 * tlb_test: TLB shootdowns (kernel/smp/tlb.c) with host threads as CPUs.
 *
 * The host has no interrupts: a "CPU" asked to flush finds the request by
 * polling -- the way a real one does while it spins on a lock with
 * interrupts off (spinlock.c) -- and the host arch only counts the IPIs
 * sent and the pages each thread flushed (kernel/arch/host/cpu.c). What is
 * checked is the protocol: who is asked, that the asking CPU returns only
 * once every one asked has flushed, and that CPUs asking each other at
 * once, or asking while another waits on a lock it holds, all finish.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>

#include <cpu.h>
#include <ipi.h>
#include <spinlock.h>
#include <tlb.h>
#include <vm.h>

extern _Atomic uint64_t host_ipis_sent[IPI_KINDS];
extern _Thread_local uint64_t host_tlb_pages_flushed;

#define VA 0x400000ULL
#define WAITERS 3

static uint64_t shootdown_ipis(void)
{
	return atomic_load(&host_ipis_sent[IPI_TLB_SHOOTDOWN]);
}

static void alone_in_a_space_flushes_only_here(void **state)
{
	static struct address_space as;
	uint64_t ipis = shootdown_ipis(), flushed = host_tlb_pages_flushed;
	struct cpu *self = cpu_this();
	uint64_t sent = atomic_load(&self->tlb_shootdowns_sent);

	(void)state;
	self->space = &as; /* this CPU runs in it: still nobody else to ask */
	tlb_shootdown(&as, VA, 3);
	self->space = NULL;
	assert_int_equal(host_tlb_pages_flushed - flushed, 3);
	assert_int_equal(shootdown_ipis(), ipis);
	assert_int_equal(atomic_load(&self->tlb_shootdowns_sent), sent);
}

/* CPUs in `space` (or another), spinning on a lock the asking CPU holds. */
static struct spinlock held = SPINLOCK_INIT("process", LOCK_PROCESS_TABLE);
static struct address_space shared_space, other_space;
static atomic_uint ready;

struct waiter {
	struct address_space *space;
	uint64_t flushed, served;
};

static void *wait_on_held_lock(void *arg)
{
	struct waiter *w = arg;
	struct cpu *cs = cpu_this();

	cs->space = w->space;
	atomic_fetch_add(&ready, 1);
	spin_lock(&held); /* serves the request from the spin */
	spin_unlock(&held);
	w->flushed = host_tlb_pages_flushed;
	w->served = atomic_load(&cs->tlb_shootdowns_served);
	cs->space = NULL;
	return NULL;
}

static void every_cpu_in_the_space_flushes_before_it_returns(void **state)
{
	struct waiter w[WAITERS] = {
		{ .space = &shared_space }, { .space = &shared_space }, { .space = &other_space },
	};
	pthread_t t[WAITERS];
	uint64_t ipis = shootdown_ipis();
	struct cpu *self = cpu_this();
	uint64_t sent = atomic_load(&self->tlb_shootdowns_sent);

	(void)state;
	atomic_store(&ready, 0);
	spin_lock(&held);
	for (unsigned i = 0; i < WAITERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, wait_on_held_lock, &w[i]), 0);
	while (atomic_load(&ready) < WAITERS)
		;
	/* Asked under a lock the CPUs asked are spinning on. */
	tlb_shootdown(&shared_space, VA, 2);
	spin_unlock(&held);
	for (unsigned i = 0; i < WAITERS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(w[0].flushed, 2);
	assert_int_equal(w[1].flushed, 2);
	assert_int_equal(w[0].served, 1);
	assert_int_equal(w[1].served, 1);
	assert_int_equal(w[2].flushed, 0); /* in another space: not asked */
	assert_int_equal(w[2].served, 0);
	assert_int_equal(shootdown_ipis() - ipis, 2);
	assert_int_equal(atomic_load(&self->tlb_shootdowns_sent) - sent, 2);
}

/* CPUs of one space each unmapping at once: each asks all the others,
 * waits for them while they wait for it, and every one finishes. */
#define SHOOTERS 4
#define ROUNDS 200

static atomic_uint shooters_ready, shooters_done;

static void *shoot_while_others_shoot(void *arg)
{
	struct cpu *cs = cpu_this();
	uint64_t *served = arg;

	cs->space = &shared_space;
	atomic_fetch_add(&shooters_ready, 1);
	while (atomic_load(&shooters_ready) < SHOOTERS)
		tlb_shootdown_poll();
	for (unsigned i = 0; i < ROUNDS; i++)
		tlb_shootdown(&shared_space, VA + i * VM_PAGE_SIZE, 1);
	atomic_fetch_add(&shooters_done, 1);
	/* Still in the space, as if interrupts were on: others may ask. */
	while (atomic_load(&shooters_done) < SHOOTERS)
		tlb_shootdown_poll();
	cs->space = NULL;
	*served = atomic_load(&cs->tlb_shootdowns_served);
	return NULL;
}

static void cpus_asking_each_other_all_finish(void **state)
{
	pthread_t t[SHOOTERS];
	uint64_t served[SHOOTERS];
	uint64_t ipis = shootdown_ipis();

	(void)state;
	for (unsigned i = 0; i < SHOOTERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, shoot_while_others_shoot, &served[i]),
				 0);
	for (unsigned i = 0; i < SHOOTERS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	/* Each asked the other three every round, and served theirs. */
	for (unsigned i = 0; i < SHOOTERS; i++)
		assert_int_equal(served[i], (SHOOTERS - 1) * ROUNDS);
	assert_int_equal(shootdown_ipis() - ipis, SHOOTERS * (SHOOTERS - 1) * ROUNDS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(alone_in_a_space_flushes_only_here),
		cmocka_unit_test(every_cpu_in_the_space_flushes_before_it_returns),
		cmocka_unit_test(cpus_asking_each_other_all_finish),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
