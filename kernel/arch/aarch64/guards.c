/*
 * guards: PXN and PAN (arch.h).
 *
 * The kernel can never run user code: every user page is mapped PXN
 * (privileged execute-never) by the page-table code, on every AArch64
 * CPU. PAN (Privileged Access Never, ARMv8.1) adds the other half: with
 * PSTATE.PAN set, a kernel load or store to a user-accessible page faults.
 * SCTLR_EL1.SPAN = 0 makes every exception taken to EL1 set PAN, so the
 * kernel runs with it whatever the interrupted code had; the kernel needs
 * no window without it, because its user-copy routines go through the
 * direct map. ID_AA64MMFR1_EL1.PAN says whether the CPU has it; QEMU's
 * cortex-a72 (ARMv8.0) does not, which is why `make run` and the tests
 * choose a model that does (scripts/qemu.py).
 */
#include <arch.h>
#include <printk.h>

#include "sysreg.h"

#define MMFR1_PAN_SHIFT 20
#define MMFR1_PAN_MASK 0xfULL
#define SCTLR_SPAN (1ULL << 23)

static struct arch_user_guards guards = { .no_execute = true };
static bool guards_known;

static uint64_t read_id_aa64mmfr1(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, id_aa64mmfr1_el1" : "=r"(v));
	return v;
}

void arch_user_guards_install(void)
{
	bool report = !guards_known;

	if (!guards_known) {
		guards.no_access = ((read_id_aa64mmfr1() >> MMFR1_PAN_SHIFT) & MMFR1_PAN_MASK) != 0;
		guards_known = true;
	}
	if (guards.no_access) {
		write_sctlr_el1(read_sctlr_el1() & ~SCTLR_SPAN);
		isb();
		__asm__ volatile(".arch_extension pan\n\tmsr pan, #1" : : : "memory");
	}
	if (report)
		println("guards: PXN on user pages; PAN %s",
			guards.no_access ? "on" : "not offered by this CPU");
}

struct arch_user_guards arch_user_guards(void)
{
	return guards;
}
