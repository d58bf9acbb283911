/*
 * syscall: programming the SYSCALL/SYSRET fast path on x86_64.
 *
 * EFER.SCE enables the instructions; STAR holds the segment bases (see
 * segments.h for why the GDT is laid out the way it is); LSTAR the entry
 * point; SFMASK the rflags bits cleared on entry: interrupts (the entry
 * code runs on a stack it has just switched to), direction (the C ABI
 * wants it clear), trap, alignment check and nested task.
 */
#include <printk.h>
#include <syscall.h>
#include <user.h>

#include <x86_64/insn.h>
#include "descriptors.h"
#include "segments.h"

#define STAR_SYSCALL_CS_SHIFT 32
#define STAR_SYSRET_BASE_SHIFT 48
#define STAR_SYSRET_BASE GDT_KERNEL_DATA /* CS = base + 16, SS = base + 8 */
#define RFLAGS_TF (1ULL << 8)
#define RFLAGS_IF (1ULL << 9)
#define RFLAGS_DF (1ULL << 10)
#define RFLAGS_NT (1ULL << 14)
#define RFLAGS_AC (1ULL << 18)

void syscall_entry(void);
__attribute__((noreturn)) void syscall_bad_return(uint64_t rip);

void syscall_msrs_install(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, (uint64_t)STAR_SYSRET_BASE << STAR_SYSRET_BASE_SHIFT |
				(uint64_t)GDT_KERNEL_CODE << STAR_SYSCALL_CS_SHIFT);
	wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)syscall_entry);
	wrmsr(MSR_SFMASK, RFLAGS_TF | RFLAGS_IF | RFLAGS_DF | RFLAGS_NT | RFLAGS_AC);
}

void arch_syscall_init(void)
{
	syscall_msrs_install();
	println("syscall: SYSCALL/SYSRET entry ready (LSTAR 0x%016llx)",
		(unsigned long long)(uintptr_t)syscall_entry);
}

/* The user program would return to a non-canonical or kernel address: end
 * it instead of letting sysret fault in ring 0. */
void syscall_bad_return(uint64_t rip)
{
	user_refuse("a system call would return to a non-user address", rip);
}
