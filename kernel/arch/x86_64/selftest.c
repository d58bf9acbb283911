/*
 * selftest: raising CPU exceptions on purpose, in kernel mode (x86_64).
 *
 * Each trigger arms trap_expect() with a recovery address and executes one
 * faulting instruction. The recovery address is a C label named as a
 * possible jump target of the `asm goto`, so the compiler keeps the
 * program state valid there, exactly as if the instruction had jumped.
 */
#include <arch.h>
#include <trap.h>

#include <x86_64/insn.h>

/* A kernel-half address nothing maps: far below the kernel image and above
 * any HHDM coverage of the machines we run on. */
#define UNMAPPED_KERNEL_ADDRESS 0xffffff0000000000ULL

static const volatile uint64_t read_only_word = 0x5eadc0de;

static bool trigger_breakpoint(void)
{
	trap_expect(TRAP_BREAKPOINT, (uintptr_t)&&resume);
	__asm__ goto("int3" : : : "memory" : resume);
resume:
	return trap_expect_fired();
}

static bool trigger_divide_error(void)
{
	trap_expect(TRAP_DIVIDE_ERROR, (uintptr_t)&&resume);
	__asm__ goto("xorl %%edx, %%edx\n\t"
		     "xorl %%ecx, %%ecx\n\t"
		     "movl $1, %%eax\n\t"
		     "divl %%ecx"
		     : : : "rax", "rcx", "rdx", "memory" : resume);
resume:
	return trap_expect_fired();
}

static bool trigger_invalid_opcode(void)
{
	trap_expect(TRAP_INVALID_OPCODE, (uintptr_t)&&resume);
	__asm__ goto("ud2" : : : "memory" : resume);
resume:
	return trap_expect_fired();
}

static bool trigger_unmapped_read(void)
{
	trap_expect(TRAP_PAGE_FAULT, (uintptr_t)&&resume);
	__asm__ goto("movq (%0), %%rax" : : "r"(UNMAPPED_KERNEL_ADDRESS) : "rax", "memory" : resume);
resume:
	return trap_expect_fired();
}

/* On x86_64 a write to a read-only page is a page fault (error code:
 * present | write), so the expectation is TRAP_PAGE_FAULT. */
static bool trigger_read_only_write(void)
{
	trap_expect(TRAP_PAGE_FAULT, (uintptr_t)&&resume);
	__asm__ goto("movq $1, (%0)" : : "r"(&read_only_word) : "memory" : resume);
resume:
	return trap_expect_fired();
}

uint64_t arch_selftest_load_as_user(uint64_t page_table_root, uint64_t va)
{
	uint64_t kernel_root = read_cr3();
	bool smap = arch_user_guards().no_access;
	uint64_t value;

	write_cr3(page_table_root);
	if (smap)
		__asm__ volatile("stac" ::: "memory");
	__asm__ volatile("movq (%1), %0" : "=r"(value) : "r"(va) : "memory");
	if (smap)
		__asm__ volatile("clac" ::: "memory");
	write_cr3(kernel_root);
	return value;
}

bool arch_selftest_read_user(uint64_t page_table_root, uint64_t va, uint64_t *value)
{
	uint64_t kernel_root = read_cr3();
	bool faulted;

	write_cr3(page_table_root);
	trap_expect(TRAP_PAGE_FAULT, (uintptr_t)&&resume);
	__asm__ goto("movq (%0), %%rax\n\t"
		     "movq %%rax, (%1)"
		     : : "r"(va), "r"(value) : "rax", "memory" : resume);
resume:
	faulted = trap_expect_fired();
	write_cr3(kernel_root);
	return faulted;
}

uint64_t arch_selftest_switch_user_half(uint64_t root)
{
	uint64_t was = read_cr3();

	write_cr3(root);
	return was;
}

/* stac before the armed load, clac at the resume label: a fault returns
 * there with the flags it interrupted, AC still set. */
bool arch_selftest_peek_user(uint64_t va, uint64_t *value)
{
	bool smap = arch_user_guards().no_access;

	trap_expect(TRAP_PAGE_FAULT, (uintptr_t)&&resume);
	if (smap)
		__asm__ volatile("stac" ::: "memory");
	__asm__ goto("movq (%0), %%rax\n\t"
		     "movq %%rax, (%1)"
		     : : "r"(va), "r"(value) : "rax", "memory" : resume);
resume:
	if (smap)
		__asm__ volatile("clac" ::: "memory");
	return trap_expect_fired();
}

bool arch_selftest_trap(int kind)
{
	switch (kind) {
	case TRAP_BREAKPOINT: return trigger_breakpoint();
	case TRAP_DIVIDE_ERROR: return trigger_divide_error();
	case TRAP_INVALID_OPCODE: return trigger_invalid_opcode();
	case TRAP_PAGE_FAULT: return trigger_unmapped_read();
	case TRAP_PROTECTION: return trigger_read_only_write();
	default: return false;
	}
}
