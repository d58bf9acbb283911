/*
 * syscall: the AArch64 system-call entry.
 *
 * User code calls the kernel with `svc #0`: a synchronous exception from
 * EL0 with ESR_EL1.EC = SVC64, taken through the same vector table as
 * every other exception. The EL0 synchronous entry tells it apart by the
 * class and runs it on a path of its own, svc_entry in vectors.S, which
 * saves what the C code does not keep and calls the handler (or
 * syscall_dispatch()). The ABI (include/abi/syscall.h): number in x8,
 * arguments in x0-x5, result in x0.
 *
 * ELR_EL1 for an SVC already points past the instruction, so returning
 * from the exception resumes the caller after its `svc`. The immediate of
 * the SVC is not checked: the number travels in x8.
 */
#include <printk.h>
#include <syscall.h>

/* Nothing to program: SVC routing is the vector table, which
 * arch_exceptions_init() has installed. Kept as the hook the x86_64 side
 * needs for its MSRs, so kmain reads the same on both. */
void arch_syscall_init(void)
{
	println("syscall: SVC from EL0 routed to the system-call dispatcher (number in x8)");
}
