/*
 * irq: device interrupts end to end (self-test group for "Waking the
 * Hardware"), with QEMU's `edu` PCI device (-device edu; the boot tests
 * attach one).
 *
 * edu (QEMU hw/misc/edu.c) has a 1 MiB BAR 0: register 0x00 reads
 * 0x010000ed, writing 0x60 raises its interrupt (the value is ORed into
 * the status at 0x24) and the INTx line stays asserted -- level -- until
 * 0x64 acknowledges every status bit. The kernel maps the BAR itself.
 *
 *  - irq.edu_interrupt_reaches_waiter: a kernel thread waits on edu's
 *    line (the arch's PCI INTx routing); the test raises the interrupt
 *    once the line is armed; the thread wakes, finds the status set and
 *    acknowledges it; twice, so the second wait shows the line unmasked
 *    again. While the woken thread runs, the line is masked. The waiter
 *    runs when the interrupt handler ends, not at the next tick: in at
 *    least one round it wakes within the tick the interrupt was raised in
 *    (a tick between the two is possible, in both rounds not).
 *  - irq.line_held_and_kernel_lines_refused: another owner, and the
 *    console's line, are refused.
 *  - irq.released_when_owner_exits: a real process claims the line (its
 *    wait begun, not slept in) and is destroyed; the line is free and
 *    masked again, and another owner may claim it.
 *  - irq.user_program_wait_irq: a user program (user/hostile/irq-waiter)
 *    is told the line by message and sleeps in WaitIrqOrMessage (system
 *    call 78) as its first waiter: a message from the test ends the wait
 *    with 1 and withdraws the line (no longer armed), and in its next
 *    wait it is woken with 0 when the test raises the interrupt; while it
 *    finishes the line stays masked, the test then
 *    acknowledges the device, and the program's exit frees the line.
 *  - irq.delivered_on_the_waiters_cpu: a kernel thread on the last CPU
 *    waits on the line; the router steers it there (the I/O APIC entry's
 *    destination, the SPI's GICD_IROUTER), and the interrupt the test
 *    raises from its own CPU is taken on the waiter's CPU, which wakes
 *    it there (with one CPU, on that one).
 *  - irq.storm_masked_and_reported: the interrupt raised and never
 *    acknowledged; each wait ends at once, until the router takes it for
 *    a storm and masks the line for good ("irq: interrupt storm on line
 *    N" on the console); the clock still ticks afterwards.
 */
#include <selftest.h>

#include <arch.h>
#include <cpu.h>
#include <hhdm.h>
#include <ipc.h>
#include <irq_wait.h>
#include <pci_host.h>
#include <printk.h>
#include <process.h>
#include <sched_cpus.h>
#include <span.h>
#include <spawn.h>
#include <stdatomic.h>
#include <thread.h>
#include <timer.h>
#include <user.h>
#include <verifier.h>

#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8
#define EDU_IDENT 0x00
#define EDU_IDENT_MAGIC 0xed /* the low byte; the rest is the version */
#define EDU_STATUS 0x24
#define EDU_RAISE 0x60
#define EDU_ACK 0x64
#define EDU_MAP_SIZE 0x1000
#define RAISE_BIT 0x1u

#define WAIT_LIMIT 300 /* ticks: a bound on every wait here */
#define ROUNDS 2
/* Owners that are no live process's id (the router only compares them). */
#define OWNER ((kpid_t)0xfffe00000001ULL)
#define STRANGER ((kpid_t)0xfffe00000002ULL)

struct edu {
	volatile uint32_t *regs;
	unsigned line;
};

struct waiter {
	struct edu *edu;
	kerr_t results[ROUNDS];
	uint32_t status_seen[ROUNDS];
	bool masked_when_woken[ROUNDS];
	uint64_t woken_at[ROUNDS]; /* timer_ticks() as the wait ended */
	atomic_uint rounds_done;
};

static uint32_t edu_read(const struct edu *e, unsigned reg)
{
	return e->regs[reg / 4];
}

static void edu_write(const struct edu *e, unsigned reg, uint32_t value)
{
	e->regs[reg / 4] = value;
}

/* The edu device, its registers mapped, and its line; false without. */
static bool find_edu(struct edu *out)
{
	const struct pci_table *t = pci_host_table();

	for (unsigned i = 0; i < t->count; i++) {
		const struct pci_function *f = &t->functions[i];
		if (f->vendor != EDU_VENDOR || f->device != EDU_DEVICE || f->bar_count == 0 ||
		    f->bars[0].kind == PCI_BAR_NONE || f->bars[0].kind == PCI_BAR_IO ||
		    f->bars[0].base == 0)
			continue;
		/* Memory decode on: AAVMF leaves it off for a device it does not drive. */
		if (!arch_map_device_memory(f->bars[0].base, EDU_MAP_SIZE) ||
		    !arch_irq_pci_line(f, &out->line))
			return false;
		out->regs = phys_to_virt(f->bars[0].base);
		if (!pci_host_enable_memory(f->address))
			return false;
		return (edu_read(out, EDU_IDENT) & 0xff) == EDU_IDENT_MAGIC;
	}
	return false;
}

static bool line_armed(unsigned line)
{
	struct irq_line_info info;

	return irq_line_info(line, &info) && info.armed;
}

static void wait_for_edu(void *arg)
{
	struct waiter *w = arg;

	for (unsigned r = 0; r < ROUNDS; r++) {
		w->results[r] = irq_wait(w->edu->line, OWNER);
		w->woken_at[r] = timer_ticks();
		w->masked_when_woken[r] = !line_armed(w->edu->line);
		w->status_seen[r] = edu_read(w->edu, EDU_STATUS);
		edu_write(w->edu, EDU_ACK, w->status_seen[r]); /* the device quiet again */
		atomic_store(&w->rounds_done, r + 1);
	}
}

/* The idle thread waits here while the others run; true if `ok()` came
 * true within WAIT_LIMIT ticks. */
static bool wait_until_armed(unsigned line)
{
	uint64_t start = timer_ticks();

	while (!line_armed(line) && timer_ticks() - start < WAIT_LIMIT)
		arch_wait_for_interrupt();
	return line_armed(line);
}

static bool wait_rounds(const struct waiter *w, unsigned rounds)
{
	uint64_t start = timer_ticks();

	while (atomic_load(&w->rounds_done) < rounds && timer_ticks() - start < WAIT_LIMIT)
		arch_wait_for_interrupt();
	return atomic_load(&w->rounds_done) >= rounds;
}

static bool interrupt_reaches_waiter(struct edu *edu)
{
	static struct waiter w;

	w = (struct waiter){ .edu = edu };
	if (thread_create_kernel("edu-waiter", PRIORITY_NORMAL, wait_for_edu, &w, NULL) != K_OK)
		return false;
	bool ok = true;
	unsigned at_once = 0; /* rounds whose waiter ran in the raise's tick */
	for (unsigned r = 0; r < ROUNDS && ok; r++) {
		ok = wait_until_armed(edu->line);
		uint64_t raised_at = timer_ticks();
		edu_write(edu, EDU_RAISE, RAISE_BIT);
		ok = wait_rounds(&w, r + 1) && ok;
		ok = ok && w.results[r] == K_OK && w.status_seen[r] == RAISE_BIT &&
		     w.masked_when_woken[r];
		at_once += ok && w.woken_at[r] == raised_at;
	}
	struct irq_line_info info;
	ok = ok && irq_line_info(edu->line, &info) && info.owner == OWNER &&
	     info.count == ROUNDS && edu_read(edu, EDU_STATUS) == 0 && at_once > 0;
	println("irq: edu on line %u woke its waiter %u times (status seen 0x%x, masked while it ran; "
		"%u of %u in the tick it was raised in)",
		edu->line, (unsigned)atomic_load(&w.rounds_done), w.status_seen[0], at_once, ROUNDS);
	return ok;
}

/* The console's receive line: the router's only reserved line besides
 * x86_64's PIT. */
static bool kernel_line_refused(void)
{
	for (unsigned line = 0; line < IRQ_LINES; line++) {
		struct irq_line_info info;
		if (irq_line_info(line, &info) && info.state == IRQ_KERNEL)
			return irq_wait_begin(line, STRANGER, 0, 0, NULL) == K_EPERM;
	}
	return false;
}

static bool others_refused(const struct edu *edu)
{
	return irq_wait_begin(edu->line, STRANGER, 0, 0, NULL) == K_EPERM && kernel_line_refused() &&
	       irq_wait_begin(IRQ_LINES, STRANGER, 0, 0, NULL) == K_EINVAL;
}

static bool released_at_exit(const struct edu *edu)
{
	struct irq_line_info info;
	kpid_t pid;

	if (irq_release_owner(OWNER) != 1 || process_create("irq-owner", &pid) != K_OK)
		return false;
	bool claimed = irq_wait_begin(edu->line, pid, 0, 0, NULL) == K_OK &&
		       irq_line_info(edu->line, &info) && info.owner == pid && info.armed;
	bool destroyed = process_destroy(pid) == K_OK;
	bool freed = irq_line_info(edu->line, &info) && info.state == IRQ_FREE && !info.armed &&
		     info.owner == PID_NONE;
	/* The next owner gets it: the storm test below claims it again. */
	return claimed && destroyed && freed;
}

#define LINE_ENDPOINT 30 /* irq-waiter's */
#define KERNEL_SENDER PID_MAKE(0, 1)

static bool owned_by(unsigned line, kpid_t pid)
{
	struct irq_line_info info;

	return irq_line_info(line, &info) && info.armed && info.owner == pid;
}

/* Waits (boundedly) until the line is armed by `pid`, or not. */
static bool until_armed(unsigned line, kpid_t pid, bool armed)
{
	uint64_t start = timer_ticks();

	while (owned_by(line, pid) != armed && timer_ticks() - start < WAIT_LIMIT)
		arch_wait_for_interrupt();
	return owned_by(line, pid) == armed;
}

static bool line_free(unsigned line)
{
	struct irq_line_info info;

	return irq_line_info(line, &info) && info.state == IRQ_FREE;
}

/* Sends the program a 4-byte word, once it has registered its endpoint,
 * and wakes it as a Write would (a thread it was handed to, or whoever
 * waits on the endpoint): it may be asleep in RecvMsg or WaitIrqOrMessage. */
static bool send_word(uint32_t word)
{
	const uint8_t msg[4] = { (uint8_t)word, (uint8_t)(word >> 8), (uint8_t)(word >> 16),
				 (uint8_t)(word >> 24) };
	const struct span bytes = span_of((void *)msg, sizeof(msg));
	uint64_t start = timer_ticks();
	kerr_t err;

	while ((err = ipc_send_and_wake(KERNEL_SENDER, IPC_NO_ENDPOINT, LINE_ENDPOINT, &bytes)) !=
		       K_OK &&
	       timer_ticks() - start < WAIT_LIMIT)
		arch_wait_for_interrupt();
	return err == K_OK;
}

static bool user_program_waits(const struct edu *edu)
{
	const struct verified_module *m = verifier_find("irq-waiter");
	struct user_outcome outcome = { .end = USER_END_NOT_RUN };
	kpid_t pid;

	if (!m || spawn_module(m, &pid) != K_OK || !send_word(edu->line))
		return false;
	/* Its first wait ends with a message: the line is withdrawn while it
	 * waits in RecvMsg for the go-ahead; its second, with the interrupt. */
	bool armed = until_armed(edu->line, pid, true) && send_word(0) &&
		     until_armed(edu->line, pid, false) && send_word(0) &&
		     until_armed(edu->line, pid, true);
	edu_write(edu, EDU_RAISE, RAISE_BIT);
	uint64_t start;
	start = timer_ticks();
	while (process_exit_outcome(pid, &outcome) != K_OK && timer_ticks() - start < WAIT_LIMIT)
		arch_wait_for_interrupt();
	uint32_t status = edu_read(edu, EDU_STATUS);
	edu_write(edu, EDU_ACK, status);
	start = timer_ticks();
	while (!line_free(edu->line) && timer_ticks() - start < WAIT_LIMIT)
		arch_wait_for_interrupt();
	println("irq: irq-waiter (pid %u) held line %u: %s; ended %d with code %lld; line free after: %s",
		PID_SLOT(pid), edu->line, armed ? "armed" : "never armed", (int)outcome.end,
		(long long)outcome.exit_code, line_free(edu->line) ? "yes" : "no");
	return armed && outcome.end == USER_END_EXITED && outcome.exit_code == 0 &&
	       status == RAISE_BIT && line_free(edu->line);
}

struct far_waiter {
	const struct edu *edu;
	kerr_t result;
	unsigned woken_on;
	atomic_bool done;
};

static void wait_far_away(void *arg)
{
	struct far_waiter *w = arg;

	w->result = irq_wait(w->edu->line, OWNER);
	w->woken_on = cpu_this()->index;
	edu_write(w->edu, EDU_ACK, edu_read(w->edu, EDU_STATUS));
	atomic_store(&w->done, true);
}

static bool far_waiter_done(const struct far_waiter *w)
{
	uint64_t start = timer_ticks();

	while (!atomic_load(&w->done) && timer_ticks() - start < WAIT_LIMIT)
		arch_wait_for_interrupt();
	return atomic_load(&w->done);
}

static bool delivered_on_waiters_cpu(const struct edu *edu)
{
	static struct far_waiter w;
	unsigned target = selftest_last_cpu();
	struct thread *t;
	struct irq_line_info before, after = { .state = IRQ_UNROUTED };

	w = (struct far_waiter){ .edu = edu, .result = K_EINVAL };
	if (!irq_line_info(edu->line, &before) ||
	    thread_create_kernel("edu-far-waiter", PRIORITY_NORMAL, wait_far_away, &w, &t) != K_OK)
		return false;
	if (target != cpu_this()->index && sched_migrate(t, target) != K_OK)
		return false; /* it runs here, waits and is never woken: the test fails */
	bool armed = wait_until_armed(edu->line);
	edu_write(edu, EDU_RAISE, RAISE_BIT);
	bool done = far_waiter_done(&w);
	bool ok = armed && done && irq_line_info(edu->line, &after) && w.result == K_OK &&
		  after.cpu == target && after.taken_on == target && w.woken_on == target &&
		  after.elsewhere == before.elsewhere;
	println("irq: edu's line %u steered to CPU %u (was %u): interrupt taken on CPU %u, waiter woken on CPU %u",
		edu->line, after.cpu, before.cpu, after.taken_on, w.woken_on);
	(void)irq_release_owner(OWNER);
	return ok;
}

static bool storm_is_stopped(const struct edu *edu)
{
	unsigned waits = 0;
	kerr_t err = K_OK;

	edu_write(edu, EDU_RAISE, RAISE_BIT); /* and never acknowledged */
	while (err == K_OK && waits < 4 * IRQ_STORM_REFIRES) {
		err = irq_wait(edu->line, OWNER);
		waits++;
	}
	struct irq_line_info info;
	bool stormed = err == K_EBUSY && irq_line_info(edu->line, &info) &&
		       info.state == IRQ_STORMED && !info.armed;
	/* Masked for good: the next wait is refused, and the clock ticks on. */
	bool refused = irq_wait(edu->line, OWNER) == K_EBUSY;
	uint64_t before = timer_ticks();
	(void)timer_wait_ticks(3, 1000);
	bool ticking = timer_ticks() - before >= 3;
	edu_write(edu, EDU_ACK, RAISE_BIT);
	(void)irq_release_owner(OWNER);
	println("irq: storm on line %u stopped after %u waits; clock still ticking: %s", edu->line,
		waits, ticking ? "yes" : "no");
	/* The waiter's quick rounds may already have counted. */
	return stormed && refused && ticking && waits >= IRQ_STORM_REFIRES - ROUNDS;
}

void selftest_irq(void)
{
	struct edu edu;
	bool found = find_edu(&edu);

	if (!found)
		println("irq: no edu device (-device edu) with a usable line");
	selftest_check(found && interrupt_reaches_waiter(&edu), "irq.edu_interrupt_reaches_waiter");
	selftest_check(found && others_refused(&edu), "irq.line_held_and_kernel_lines_refused");
	selftest_check(found && released_at_exit(&edu), "irq.released_when_owner_exits");
	selftest_check(found && user_program_waits(&edu), "irq.user_program_wait_irq");
	selftest_check(found && delivered_on_waiters_cpu(&edu), "irq.delivered_on_the_waiters_cpu");
	selftest_check(found && storm_is_stopped(&edu), "irq.storm_masked_and_reported");
}
