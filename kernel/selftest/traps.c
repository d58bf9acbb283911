/*
 * traps: the safety net catches what it should (self-test group).
 *
 * Raises breakpoint, divide error (x86_64 only: AArch64 division by zero
 * does not trap), invalid opcode, a read of an unmapped kernel address and
 * a write to a read-only page, in kernel mode. Each must be reported and
 * survived: execution continues here.
 */
#include <selftest.h>

#include <arch.h>
#include <trap.h>

struct trap_case {
	const char *name;
	enum trap_kind kind;
	bool needs_divide_trap;
};

static const struct trap_case cases[] = {
	{ "trap.breakpoint", TRAP_BREAKPOINT, false },
	{ "trap.divide_error", TRAP_DIVIDE_ERROR, true },
	{ "trap.invalid_opcode", TRAP_INVALID_OPCODE, false },
	{ "trap.kernel_page_fault", TRAP_PAGE_FAULT, false },
	{ "trap.read_only_write", TRAP_PROTECTION, false },
};

void selftest_traps(void)
{
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].needs_divide_trap && !arch_divide_by_zero_traps)
			continue;
		selftest_check(arch_selftest_trap(cases[i].kind), cases[i].name);
	}
}
