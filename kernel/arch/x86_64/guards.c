/*
 * guards: SMEP and SMAP, and alignment checking for programs (arch.h).
 *
 * SMEP (CR4 bit 20) makes a kernel-mode fetch from a user page fault; SMAP
 * (CR4 bit 21) does the same for kernel-mode reads and writes unless
 * RFLAGS.AC is set. This kernel never sets AC -- its user-copy routines go
 * through the direct map -- and clears it on every entry from user mode
 * (SFMASK for SYSCALL, trap_common for exceptions and interrupts), so a
 * program that sets AC cannot open user memory to the kernel. CPUID leaf 7
 * says whether the CPU has them; QEMU's default qemu64 model does not,
 * which is why `make run` and the tests ask for them (scripts/qemu.py).
 *
 * CR0.AM lets a program ask for alignment checking with RFLAGS.AC: a
 * misaligned access in ring 3 then raises #AC, which ends the program like
 * any other fault. It changes nothing for the kernel (ring 0 is never
 * checked).
 */
#include <arch.h>
#include <printk.h>

#include <x86_64/insn.h>

#define CPUID_MAX_LEAF 0
#define CPUID_EXTENDED_FEATURES 7
#define CPUID_7_EBX_SMEP (1u << 7)
#define CPUID_7_EBX_SMAP (1u << 20)
#define CR4_SMEP (1ULL << 20)
#define CR4_SMAP (1ULL << 21)
#define CR0_AM (1ULL << 18)

/* Read on the BSP, before any AP runs; every CPU is the same model. */
static struct arch_user_guards guards;
static bool guards_known;

static struct arch_user_guards cpu_offers(void)
{
	uint32_t r[4];

	cpuid(CPUID_MAX_LEAF, 0, r);
	if (r[0] < CPUID_EXTENDED_FEATURES)
		return (struct arch_user_guards){ 0 };
	cpuid(CPUID_EXTENDED_FEATURES, 0, r);
	return (struct arch_user_guards){ .no_execute = (r[1] & CPUID_7_EBX_SMEP) != 0,
					  .no_access = (r[1] & CPUID_7_EBX_SMAP) != 0 };
}

void arch_user_guards_install(void)
{
	bool report = !guards_known;

	if (!guards_known) {
		guards = cpu_offers();
		guards_known = true;
	}
	uint64_t cr4 = read_cr4();
	if (guards.no_execute)
		cr4 |= CR4_SMEP;
	if (guards.no_access)
		cr4 |= CR4_SMAP;
	write_cr4(cr4);
	write_cr0(read_cr0() | CR0_AM);
	if (report)
		println("guards: SMEP %s, SMAP %s; alignment checking available to programs (CR0.AM)",
			guards.no_execute ? "on" : "not offered by this CPU",
			guards.no_access ? "on" : "not offered by this CPU");
}

struct arch_user_guards arch_user_guards(void)
{
	return guards;
}
