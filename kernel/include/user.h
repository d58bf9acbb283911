/*
 * user: running code in user mode (ring 3 / EL0) and coming back.
 *
 * arch_user_run() saves the kernel's context, switches to the given address
 * space and drops to user mode at `entry` with stack `sp`. It returns when
 * the user code calls SYS_EXIT (with its exit code), or when a user fault
 * is ended by user_fault_end() (with USER_RUN_FAULTED). Until the scheduler
 * exists this is how the kernel runs user code: one program at a time, on
 * the calling CPU, synchronously.
 */
#ifndef CAMBIOS_USER_H
#define CAMBIOS_USER_H

#include <stdint.h>

#define USER_RUN_FAULTED (-1000)

int64_t arch_user_run(uint64_t entry, uint64_t sp, uint64_t page_table_root);

/* From a syscall or a user-fault hook on the same CPU: abandon the user
 * program and make arch_user_run() return `value`. */
__attribute__((noreturn)) void arch_user_return(int64_t value);

#endif
