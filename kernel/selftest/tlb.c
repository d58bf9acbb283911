/*
 * tlb: a frame unmapped and freed by one CPU is out of reach of every
 * other CPU running in that space (self-test group for TLB shootdowns,
 * tlb.h).
 *
 * A space with one page, holding a known word, is entered by a kernel
 * thread on the last CPU the way a switch enters it (`space` first, then
 * the root) and read there through the user mapping, so that CPU's TLB
 * caches the page. The thread then sleeps in the space with interrupts on.
 * The boot CPU unmaps the page with its frame freed, takes the frame back
 * from the allocator and writes another word into it through the HHDM;
 * then the thread reads the address again. It must fault: a word read
 * through a TLB entry the unmap left behind would be the new owner's.
 * QEMU's TCG keeps such stale entries as a real CPU may, so without the
 * x86_64 shootdown the read goes through and the check fails. Needs a
 * second CPU; with one it says so and is skipped.
 *
 * The thread reads with trap_expect() armed: a single global slot, used
 * here by that CPU alone while the boot CPU only waits or unmaps.
 */
#include <selftest.h>

#include <arch.h>
#include <boot.h>
#include <cpu.h>
#include <frame.h>
#include <hhdm.h>
#include <ipi.h>
#include <printk.h>
#include <stdatomic.h>
#include <thread.h>
#include <vm.h>

#define TEST_VA 0x40000000ULL
#define OLD_WORD 0x01d0cafe5eed0001ULL /* the page's word while it is mapped */
#define NEW_WORD 0x4e3f0123deadbeefULL /* its next owner's */
#define MAX_WAITS 10000                /* interrupt waits (a tick each at most) */
#define REUSE_TRIES 256                /* frames taken to find the freed one again */

enum reader_phase { READER_STARTING, READER_PRIMED, READER_CHECK, READER_DONE };

/* What the thread on the other CPU saw. */
static struct reader {
	struct address_space *space;
	uint64_t root;
	atomic_uint phase;
	bool primed_faulted;  /* the first read, while mapped */
	uint64_t primed_word;
	bool stayed;          /* still on its CPU and in the space at the second read */
	bool faulted;         /* the second read, after the unmap */
	uint64_t word;
	unsigned cpu;
} reader;

static struct address_space test_space;

/* Sleeps between interrupts (a shootdown IPI among them) until the
 * reader reaches `phase`, at most MAX_WAITS; interrupts as they were. */
static void wait_phase(struct reader *r, enum reader_phase phase)
{
	arch_irqflags_t flags = arch_irq_save();

	for (unsigned i = 0; i < MAX_WAITS &&
			     atomic_load_explicit(&r->phase, memory_order_acquire) != phase; i++)
		arch_wait_for_interrupt();
	arch_irq_restore(flags);
}

/* The thread on the other CPU. Interrupts are off only while it enters
 * and leaves the space and reads, so a shootdown IPI lands while it waits. */
static void read_before_and_after(void *arg)
{
	struct reader *r = arg;
	struct cpu *cs = cpu_this();
	arch_irqflags_t flags = arch_irq_save();
	struct address_space *own_space = cs->space;

	cs->space = r->space; /* as a switch does: before the root */
	uint64_t own_root = arch_selftest_switch_user_half(r->root);
	r->primed_faulted = arch_selftest_peek_user(TEST_VA, &r->primed_word);
	arch_irq_restore(flags);
	r->cpu = cs->index;
	atomic_store_explicit(&r->phase, READER_PRIMED, memory_order_release);

	wait_phase(r, READER_CHECK);

	flags = arch_irq_save();
	/* Switched away meanwhile, it would be back in its own root, and the
	 * read below would prove nothing. */
	r->stayed = cpu_this() == cs && cs->space == r->space;
	r->faulted = arch_selftest_peek_user(TEST_VA, &r->word);
	if (cpu_this() == cs)
		cs->space = own_space;
	(void)arch_selftest_switch_user_half(own_root);
	arch_irq_restore(flags);
	atomic_store_explicit(&r->phase, READER_DONE, memory_order_release);
}

/* On every AP: the target makes the thread on its own queue. */
static void make_reader(void *target)
{
	if (cpu_index() == (unsigned)(uintptr_t)target &&
	    thread_create_kernel("tlb-reader", PRIORITY_HIGH, read_before_and_after, &reader,
				 NULL) != K_OK)
		println("tlb: no thread for the reader on cpu %u", cpu_index());
}

/* Takes frames until the allocator gives `want` back (kept), returning
 * the others; false if it did not within REUSE_TRIES. */
static bool reclaim(paddr_t want)
{
	paddr_t held[REUSE_TRIES];
	unsigned n = 0;
	bool got = false;

	while (n < REUSE_TRIES && !got && frame_alloc(&held[n]) == K_OK)
		got = held[n++] == want;
	for (unsigned i = 0; i < n - (got ? 1 : 0); i++)
		(void)frame_free(held[i]);
	return got;
}

static const char *second_read(const struct reader *r)
{
	if (r->faulted)
		return "faulted";
	if (r->word == OLD_WORD)
		return "saw the old word";
	return r->word == NEW_WORD ? "saw the next owner's word" : "saw another word";
}

static bool freed_frame_unreachable(unsigned target)
{
	unsigned threads_before = thread_count();
	paddr_t frame;

	if (frame_alloc(&frame) != K_OK)
		return false;
	*(volatile uint64_t *)phys_to_virt(frame) = OLD_WORD;
	if (vm_space_create(&test_space) != K_OK) {
		(void)frame_free(frame);
		return false;
	}
	if (vm_map(&test_space, TEST_VA, frame, VM_PAGE_SIZE, VM_USER) != K_OK) {
		(void)frame_free(frame);
		vm_space_destroy(&test_space);
		return false;
	}
	reader = (struct reader){ .space = &test_space, .root = vm_space_root(&test_space) };
	(void)mp_run_on_aps(make_reader, (void *)(uintptr_t)target);
	wait_phase(&reader, READER_PRIMED);
	bool primed = atomic_load(&reader.phase) == READER_PRIMED;

	uint64_t sent = atomic_load(&cpu_this()->tlb_shootdowns_sent);
	uint64_t served = atomic_load(&cpu_at(target)->tlb_shootdowns_served);
	uint64_t ipis = ipi_received(target, IPI_TLB_SHOOTDOWN);
	kerr_t unmapped = primed ? vm_unmap(&test_space, TEST_VA, VM_PAGE_SIZE, true) : K_EINVAL;
	bool reused = unmapped == K_OK && reclaim(frame);
	if (reused)
		*(volatile uint64_t *)phys_to_virt(frame) = NEW_WORD;
	atomic_store_explicit(&reader.phase, READER_CHECK, memory_order_release);
	wait_phase(&reader, READER_DONE);
	bool done = atomic_load(&reader.phase) == READER_DONE;

	println("tlb: cpu %u read 0x%llx in the space: %s; after cpu %u unmapped it (%s) and "
		"%s the frame, it %s (%s); shootdowns sent %llu, served there %llu, IPIs there %llu",
		reader.cpu, (unsigned long long)reader.primed_word,
		reader.primed_faulted ? "FAULTED" : "mapped", cpu_index(), kerr_name(unmapped),
		reused ? "reused" : "could not reuse", done ? second_read(&reader) : "never read",
		reader.stayed ? "still in the space" : "LEFT the space",
		(unsigned long long)(atomic_load(&cpu_this()->tlb_shootdowns_sent) - sent),
		(unsigned long long)(atomic_load(&cpu_at(target)->tlb_shootdowns_served) - served),
		(unsigned long long)(ipi_received(target, IPI_TLB_SHOOTDOWN) - ipis));
	if (reused)
		(void)frame_free(frame);
	if (unmapped != K_OK && done)
		(void)vm_unmap(&test_space, TEST_VA, VM_PAGE_SIZE, true);
	if (done)
		vm_space_destroy(&test_space); /* else the reader may still be in it */
	arch_irqflags_t flags = arch_irq_save();
	for (unsigned i = 0; i < MAX_WAITS && thread_count() != threads_before; i++)
		arch_wait_for_interrupt(); /* the reader reaped */
	arch_irq_restore(flags);
	return primed && done && !reader.primed_faulted && reader.primed_word == OLD_WORD &&
	       unmapped == K_OK && reader.stayed && reader.faulted && reader.cpu == target;
}

void selftest_tlb(void)
{
	unsigned target = selftest_last_cpu();

	if (target == 0) {
		println("tlb: one CPU online, none to hold a stale entry: "
			"tlb.freed_frame_unreachable_from_another_cpu skipped");
		return;
	}
	selftest_check(freed_frame_unreachable(target),
		       "tlb.freed_frame_unreachable_from_another_cpu");
}
