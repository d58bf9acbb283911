/*
 * selftest: raising each kind of exception on purpose (arch_selftest_trap).
 *
 * Each test arms trap_expect() with the address right after the faulting
 * instruction, executes it, and reports whether the trap fired. Arming and
 * faulting are one inline-asm statement: the resume address is a local
 * label taken with `adr` in that same statement, so the compiler cannot
 * place code between the fault and the label, and nothing depends on
 * labels being shared across asm statements. The statement calls
 * trap_expect() itself, so it declares every register the AAPCS64 lets a
 * callee clobber; operands therefore land in callee-saved registers.
 *
 * How AArch64 maps the portable kinds:
 *   TRAP_BREAKPOINT      brk #0
 *   TRAP_INVALID_OPCODE  udf #0 (EC "unknown")
 *   TRAP_PAGE_FAULT      a load from an unmapped higher-half address
 *   TRAP_PROTECTION      a store to a const object in .rodata, which the
 *                        loader maps read-only. AArch64 reports it as a data
 *                        abort with a permission fault status, i.e. kind
 *                        TRAP_PAGE_FAULT, so that is what is expected.
 *   TRAP_ALIGNMENT       a branch to a misaligned address (PC alignment)
 *   TRAP_DIVIDE_ERROR    none: integer division by zero yields 0
 * Any other kind returns false.
 */
#include <arch.h>
#include <trap.h>

#include "sysreg.h"

/* An address in the kernel (TTBR1) half that nothing maps: the HHDM starts
 * at 0xffff000000000000 and would need 128 TiB of RAM to reach it, and the
 * kernel image sits at 0xffffffff80000000. */
#define SELFTEST_UNMAPPED_VA 0xffff7fff00000000ULL

/* Registers a function call may change (AAPCS64): x0-x18, x30, flags. */
#define CALL_CLOBBERS                                                             \
	"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",  \
		"x12", "x13", "x14", "x15", "x16", "x17", "x18", "x30", "cc", "memory"

/* trap_expect(kind, &&after); <faulting instructions>; after: */
#define EXPECT_TRAP_ASM(fault) \
	"adr x1, 1f\n\tmov x0, %[kind]\n\tbl trap_expect\n\t" fault "\n1:\n"

static const volatile uint64_t selftest_readonly = 0x0123456789abcdefULL;

static bool selftest_breakpoint(void)
{
	__asm__ volatile(EXPECT_TRAP_ASM("brk #0")
			 : : [kind] "i"(TRAP_BREAKPOINT) : CALL_CLOBBERS);
	return trap_expect_fired();
}

static bool selftest_invalid_opcode(void)
{
	__asm__ volatile(EXPECT_TRAP_ASM("udf #0")
			 : : [kind] "i"(TRAP_INVALID_OPCODE) : CALL_CLOBBERS);
	return trap_expect_fired();
}

static bool selftest_page_fault(void)
{
	__asm__ volatile(EXPECT_TRAP_ASM("ldr x9, [%[addr]]")
			 : : [kind] "i"(TRAP_PAGE_FAULT), [addr] "r"(SELFTEST_UNMAPPED_VA)
			 : CALL_CLOBBERS);
	return trap_expect_fired();
}

static bool selftest_readonly_write(void)
{
	__asm__ volatile(EXPECT_TRAP_ASM("str xzr, [%[addr]]")
			 : : [kind] "i"(TRAP_PAGE_FAULT), [addr] "r"(&selftest_readonly)
			 : CALL_CLOBBERS);
	return trap_expect_fired() && selftest_readonly != 0;
}

/* The branch target is the resume label plus 2: fetching from it raises
 * the PC alignment fault, and the handler resumes at the label itself. */
static bool selftest_alignment(void)
{
	__asm__ volatile(EXPECT_TRAP_ASM("adr x9, 1f\n\tadd x9, x9, #2\n\tbr x9")
			 : : [kind] "i"(TRAP_ALIGNMENT) : CALL_CLOBBERS);
	return trap_expect_fired();
}

/* TTBR0 holds the user half; each space has its own ASID (mmu.c), so the
 * switch needs no flush. */
static void switch_user_half(uint64_t root)
{
	dsb_ishst();
	write_ttbr0_el1(root);
	isb();
}

uint64_t arch_selftest_load_as_user(uint64_t page_table_root, uint64_t va)
{
	uint64_t kernel_ttbr0 = read_ttbr0_el1();
	uint64_t value;

	switch_user_half(page_table_root);
	__asm__ volatile("ldtr %0, [%1]" : "=r"(value) : "r"(va) : "memory");
	switch_user_half(kernel_ttbr0);
	return value;
}

bool arch_selftest_read_user(uint64_t page_table_root, uint64_t va, uint64_t *value)
{
	uint64_t kernel_ttbr0 = read_ttbr0_el1();
	bool faulted;

	switch_user_half(page_table_root);
	__asm__ volatile(EXPECT_TRAP_ASM("ldr x9, [%[va]]\n\tstr x9, [%[out]]")
			 : : [kind] "i"(TRAP_PAGE_FAULT), [va] "r"(va), [out] "r"(value)
			 : CALL_CLOBBERS);
	faulted = trap_expect_fired();
	switch_user_half(kernel_ttbr0);
	return faulted;
}

uint64_t arch_selftest_switch_user_half(uint64_t root)
{
	uint64_t was = read_ttbr0_el1();

	switch_user_half(root);
	return was;
}

bool arch_selftest_peek_user(uint64_t va, uint64_t *value)
{
	__asm__ volatile(EXPECT_TRAP_ASM("ldtr x9, [%[va]]\n\tstr x9, [%[out]]")
			 : : [kind] "i"(TRAP_PAGE_FAULT), [va] "r"(va), [out] "r"(value)
			 : CALL_CLOBBERS);
	return trap_expect_fired();
}

bool arch_selftest_trap(int kind)
{
	switch (kind) {
	case TRAP_BREAKPOINT: return selftest_breakpoint();
	case TRAP_INVALID_OPCODE: return selftest_invalid_opcode();
	case TRAP_PAGE_FAULT: return selftest_page_fault();
	case TRAP_PROTECTION: return selftest_readonly_write();
	case TRAP_ALIGNMENT: return selftest_alignment();
	default: return false; /* includes TRAP_DIVIDE_ERROR: no such trap */
	}
}
