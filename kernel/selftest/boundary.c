/*
 * boundary: the user boundary holds against the hostile corpus (self-test
 * group; the programs are user/hostile/, signed modules of SELFTEST=1
 * images).
 *
 * Each program is found by its signed role, run as a process of its own,
 * and must end exactly as expected -- a fault ends only that program, an
 * exit code is an exit code whatever its value -- with every frame back
 * once its process is destroyed. The kernel carrying on to the next one is
 * the rest of the proof. The report lines (one per fault) and the forged
 * lines, shown as the program's, are checked by tests/boot.
 */
#include <selftest.h>

#include <arch.h>
#include <format.h>
#include <frame.h>
#include <hhdm.h>
#include <process.h>
#include <printk.h>
#include <stdint.h>
#include <verifier.h>
#include <vm.h>

struct hostile {
	const char *role;
	enum user_end end;
	int64_t exit_code;
};

/* In run order: regs-check must come right after regs-dirty. */
static const struct hostile corpus[] = {
	{ "bad-write", USER_END_FAULTED, 0 },  /* writes its own code */
	{ "bad-priv", USER_END_FAULTED, 0 },   /* reads CR3 / TTBR1_EL1 */
	{ "bad-insn", USER_END_FAULTED, 0 },   /* ud2 / udf */
	{ "bad-brk", USER_END_FAULTED, 0 },    /* int3 / brk */
	{ "bad-align", USER_END_FAULTED, 0 },  /* #AC / PC alignment */
	{ "bad-exec", USER_END_FAULTED, 0 },   /* runs code on its stack */
	{ "bad-kread", USER_END_FAULTED, 0 },  /* reads kernel memory */
	{ "bad-kjump", USER_END_FAULTED, 0 },  /* calls kernel code */
	{ "bad-stack", USER_END_FAULTED, 0 },  /* overflows into the guard page */
	{ "bad-guard", USER_END_NOT_RUN, 0 },  /* refused: data in the guard page */
	{ "bad-offset", USER_END_NOT_RUN, 0 }, /* refused: offset and address disagree */
	{ "regs-dirty", USER_END_EXITED, 0 },  /* leaves a marker everywhere */
	{ "regs-check", USER_END_EXITED, 0 },  /* 0: it started with none of it */
	{ "forge", USER_END_EXITED, 0 },       /* prints kernel-like lines */
	{ "exit-1000", USER_END_EXITED, -1000 },
	{ "exit-min", USER_END_EXITED, INT64_MIN },
	{ "bad-args", USER_END_EXITED, 0 },    /* every bad system call refused */
	{ "alloc", USER_END_EXITED, 0 },       /* Allocate and Free, frames back at exit */
	{ "irq-refused", USER_END_EXITED, 0 }, /* WaitIrq/ConsoleRead refusals, none blocks */
};

static void check_ends_as(const char *role, enum user_end end, int64_t exit_code)
{
	const struct verified_module *m = verifier_find(role);
	uint64_t free_before = frame_free_count();
	char name[48];

	format_snprintf(name, sizeof(name), "boundary.%s", role);
	if (!m) {
		println("  %s: no accepted module with that role", name);
		selftest_check(false, name);
		return;
	}
	struct user_outcome outcome = selftest_run_module(m);
	bool as_expected = outcome.end == end &&
			   (end != USER_END_EXITED || outcome.exit_code == exit_code);
	if (!as_expected)
		println("  %s: ended %d with code %lld; expected %d with code %lld", name,
			(int)outcome.end, (long long)outcome.exit_code, (int)end,
			(long long)exit_code);
	selftest_check(as_expected && frame_free_count() == free_before, name);
}

#define PROBE_VA 0x400000ULL
#define PROBE_MARKER 0x5553455244415441ULL /* "USERDATA" */

/* A user page with a marker in it, in a process of its own; the kernel
 * then reads it directly, as no kernel code outside this test may. Where
 * SMAP or PAN is on the read must fault; where the CPU has neither, it
 * reads the marker (so the probe itself is shown to work). */
static void kernel_read_of_user_memory(void)
{
	struct arch_user_guards guards = arch_user_guards();
	uint64_t pa, seen = 0;
	unsigned flags;
	bool faulted = false, mapped = false;
	kpid_t pid;

	if (process_create("probe", &pid) != K_OK)
		return (void)selftest_check(false, "boundary.kernel_read_of_user_memory");
	struct address_space *as = process_address_space(pid);
	if (vm_map_zeroed(as, PROBE_VA, VM_PAGE_SIZE, VM_USER | VM_WRITE) == K_OK &&
	    vm_translate(as, PROBE_VA, &pa, &flags) == K_OK) {
		*(volatile uint64_t *)phys_to_virt(pa) = PROBE_MARKER;
		mapped = true;
		faulted = arch_selftest_read_user(vm_space_root(as), PROBE_VA, &seen);
	}
	bool destroyed = process_destroy(pid) == K_OK;
	if (guards.no_access) {
		println("boundary: a direct kernel read of user memory %s (SMAP/PAN on)",
			faulted ? "faulted" : "went through");
		selftest_check(mapped && destroyed && faulted, "boundary.kernel_read_of_user_memory_faults");
	} else {
		println("boundary: this CPU has no SMAP/PAN: a direct kernel read of user memory %s",
			faulted ? "faulted" : "went through");
		selftest_check(mapped && destroyed && !faulted && seen == PROBE_MARKER,
			       "boundary.kernel_read_of_user_memory_unguarded");
	}
}

/* A process with one user page at PROBE_VA holding `marker`; PID_NONE if
 * it could not be made. */
static kpid_t probe_process(uint64_t marker)
{
	uint64_t pa;
	unsigned flags;
	kpid_t pid;

	if (process_create("probe", &pid) != K_OK)
		return PID_NONE;
	struct address_space *as = process_address_space(pid);
	if (vm_map_zeroed(as, PROBE_VA, VM_PAGE_SIZE, VM_USER | VM_WRITE) != K_OK ||
	    vm_translate(as, PROBE_VA, &pa, &flags) != K_OK) {
		(void)process_destroy(pid);
		return PID_NONE;
	}
	*(volatile uint64_t *)phys_to_virt(pa) = marker;
	return pid;
}

/* Address spaces keep their TLB entries across switches (AArch64: an ASID
 * each), so two live spaces must have different tags, an ended space's tag
 * is given back, and a space that reuses it must see its own page, never
 * the dead space's (mmu.c drops the entries when the space ends). On
 * x86_64 every tag is 0 and each CR3 write drops user entries. QEMU's TLB
 * model flushes itself whenever TTBR0's ASID changes, so a missing
 * invalidation would not show under it; on hardware the last read would
 * catch it. */
static void tlb_tags(void)
{
	kpid_t first = probe_process(PROBE_MARKER);
	kpid_t second = probe_process(~PROBE_MARKER);

	if (first == PID_NONE || second == PID_NONE)
		return (void)selftest_check(false, "boundary.tlb_tags");
	struct address_space *a = process_address_space(first), *b = process_address_space(second);
	uint16_t first_tag = a->asid, second_tag = b->asid;
	bool distinct = a->asid != b->asid || a->asid == 0;
	bool first_read = arch_selftest_load_as_user(vm_space_root(a), PROBE_VA) == PROBE_MARKER;
	bool second_read = arch_selftest_load_as_user(vm_space_root(b), PROBE_VA) == ~PROBE_MARKER;
	(void)process_destroy(first);

	kpid_t third = probe_process(PROBE_MARKER ^ 0xff);
	bool fresh = false, reused = false;
	if (third != PID_NONE) {
		struct address_space *c = process_address_space(third);
		reused = c->asid == first_tag;
		fresh = arch_selftest_load_as_user(vm_space_root(c), PROBE_VA) == (PROBE_MARKER ^ 0xff);
		(void)process_destroy(third);
	}
	(void)process_destroy(second);
	println("boundary: TLB tags %u and %u for two live spaces; tag %u reused %s", first_tag,
		second_tag, first_tag, fresh ? "without stale entries" : "WITH A STALE ENTRY");
	selftest_check(distinct && first_read && second_read, "boundary.live_spaces_have_their_own_tlb_tags");
	selftest_check(reused && fresh, "boundary.ended_space_gives_its_tlb_tag_back");
}

void selftest_boundary(void)
{
	kernel_read_of_user_memory();
	tlb_tags();
	for (unsigned i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++)
		check_ends_as(corpus[i].role, corpus[i].end, corpus[i].exit_code);
	/* Division by zero traps on x86_64 only; AArch64 gives a quotient of 0. */
	check_ends_as("bad-div", arch_divide_by_zero_traps ? USER_END_FAULTED : USER_END_EXITED, 0);
}
