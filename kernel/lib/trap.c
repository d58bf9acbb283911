/*
 * trap: portable exception policy (see trap.h).
 *
 * The expectation slot is a single global because only the boot CPU runs
 * kernel code that expects faults so far; it is cleared before it fires so
 * a second fault in the recovery path cannot loop.
 */
#include <trap.h>

#include <panic.h>
#include <printk.h>
#include <stdatomic.h>
#include <stddef.h>
#include <symbols.h>
#include <user.h>

struct expectation {
	bool armed;
	bool fired;
	enum trap_kind kind;
	uintptr_t resume_ip;
};

static struct expectation expected;

/* used: the AArch64 self-tests call it from inline assembly only, which
 * link-time optimisation cannot see, so it must be kept for them. */
__attribute__((used)) void trap_expect(enum trap_kind kind, uintptr_t resume_ip)
{
	expected = (struct expectation){ .armed = true, .kind = kind, .resume_ip = resume_ip };
	atomic_signal_fence(memory_order_seq_cst);
}

bool trap_expect_fired(void)
{
	bool fired = expected.fired;

	expected = (struct expectation){ 0 };
	return fired;
}

void trap_report(const struct trap_info *t)
{
	printk("EXCEPTION: %s (vector %llu, code 0x%llx) in %s mode\n", t->name,
	       (unsigned long long)t->vector, (unsigned long long)t->code,
	       t->from_user ? "user" : "kernel");
	if (t->has_address)
		printk("  fault address 0x%016llx%s\n", (unsigned long long)t->address,
		       t->kind == TRAP_PAGE_FAULT ? (t->write ? " (write)" : " (read/fetch)") : "");
	printk("  at 0x%016llx ", (unsigned long long)arch_trap_frame_ip(t->frame));
	if (t->from_user)
		printk("(user code)");
	else
		symbols_print(arch_trap_frame_ip(t->frame));
	printk("\n");
	arch_trap_frame_print(t->frame);
	if (!t->from_user)
		backtrace_print(arch_trap_frame_ip(t->frame), arch_trap_frame_fp(t->frame));
}

/* A kernel-mode trap that self-tests or recovery code asked for. */
static bool take_expected(struct trap_info *t)
{
	if (!expected.armed || expected.kind != t->kind || t->from_user)
		return false;
	expected.armed = false;
	expected.fired = true;
	trap_report(t);
	printk("  (expected: resuming at 0x%016llx)\n", (unsigned long long)expected.resume_ip);
	arch_trap_frame_set_ip(t->frame, expected.resume_ip);
	return true;
}

void trap_dispatch(struct trap_info *t)
{
	if (t->kind != TRAP_FATAL && take_expected(t))
		return;
	/* Whatever a program does wrong ends that program, never the kernel.
	 * (A fatal trap -- double fault, machine check, SError -- is the
	 * machine's or the kernel's, even when it arrives from user mode.) */
	if (t->from_user && t->kind != TRAP_FATAL)
		user_fault_end(t);
	trap_report(t);
	panic("unhandled %s in %s mode", t->name, t->from_user ? "user" : "kernel");
}
