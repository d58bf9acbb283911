/*
 * syscall: the AArch64 system-call entry.
 *
 * User code calls the kernel with `svc #0`: a synchronous exception from
 * EL0 with ESR_EL1.EC = SVC64, taken through the same vector table as
 * every other exception (vectors.S), which has already saved all the
 * user's registers in a struct trap_frame. trap.c recognises the class and
 * sends it here instead of to trap_dispatch(). The ABI (include/abi/
 * syscall.h): number in x8, arguments in x0-x5, result in x0.
 *
 * ELR_EL1 for an SVC already points past the instruction, so returning
 * from the exception resumes the caller after its `svc`. The immediate of
 * the SVC is not checked: the number travels in x8.
 */
#include <printk.h>
#include <syscall.h>

#include "trap_frame.h"

#define SYSCALL_NR_REG 8 /* x8 */

/* Nothing to program: SVC routing is the vector table, which
 * arch_exceptions_init() has installed. Kept as the hook the x86_64 side
 * needs for its MSRs, so kmain reads the same on both. */
void arch_syscall_init(void)
{
	println("syscall: SVC from EL0 routed to the system-call dispatcher (number in x8)");
}

void aarch64_syscall_entry(struct trap_frame *f)
{
	struct syscall_frame frame = { .nr = f->x[SYSCALL_NR_REG] };

	for (unsigned i = 0; i < sizeof(frame.arg) / sizeof(frame.arg[0]); i++)
		frame.arg[i] = f->x[i];
	f->x[0] = (uint64_t)syscall_dispatch(&frame);
}
