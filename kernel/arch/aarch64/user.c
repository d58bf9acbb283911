/*
 * user: running one user program at EL0 and coming back (user.h).
 *
 * arch_user_run() switches TTBR0_EL1 (the lower, user half) to the
 * program's tables and calls user_enter() (user.S), which saves the
 * kernel's callee-saved registers and ERETs to EL0. The program comes back
 * only through arch_user_return(), called from the SYS_EXIT system call or
 * from a user-fault hook, both running in an exception taken from EL0;
 * that resumes the saved context, so user_enter() "returns" the value, and
 * arch_user_run() puts the previous TTBR0 (the loader's empty table) back.
 *
 * Every address space uses ASID 0 for now, so the TLB is flushed (this CPU
 * only) on each switch. The saved context is a single static: only the
 * boot CPU runs user code until the scheduler gives each CPU its own.
 */
#include <panic.h>
#include <stdbool.h>
#include <user.h>

#include "sysreg.h"
#include "trap_frame.h"

#define TTBR_ASID_SHIFT 48
#define PAGE_MASK 0xfffULL

static struct user_kernel_context kernel_context;
static bool user_running;

/* Page-table writes must reach memory before the walker may use the new
 * root. Each space has its own ASID (mmu.c): nothing to flush. */
static void ttbr0_switch(uint64_t root)
{
	dsb_ishst();
	write_ttbr0_el1(root);
	isb();
}

void arch_user_run(uint64_t entry, uint64_t sp, uint64_t page_table_root)
{
	uint64_t kernel_ttbr0 = read_ttbr0_el1();

	if (user_running)
		panic("arch_user_run: a user program is already running on this CPU");
	if (page_table_root & PAGE_MASK || !(page_table_root >> TTBR_ASID_SHIFT))
		panic("arch_user_run: bad page-table root 0x%llx",
		      (unsigned long long)page_table_root);
	ttbr0_switch(page_table_root);
	user_running = true;
	(void)user_enter(&kernel_context, entry, sp);
	user_running = false;
	ttbr0_switch(kernel_ttbr0);
}

void arch_user_return(void)
{
	if (!user_running)
		panic("arch_user_return: no user program is running");
	user_context_resume(&kernel_context, 0);
}
