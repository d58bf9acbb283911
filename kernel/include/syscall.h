/*
 * syscall: the portable system-call dispatcher.
 *
 * Each arch's entry path (SYSCALL on x86_64, SVC from EL0 on AArch64)
 * saves the user's registers, fills a struct syscall_frame in the same
 * shape on both architectures, and calls syscall_dispatch() -- or, in the
 * common case, the handler straight from syscall_handlers (below) -- whose
 * return value goes back to user space in rax / x0. The calls are listed once, in
 * include/abi/syscalls.def (numbers, handlers); error codes are in
 * include/abi/errors.h.
 */
#ifndef CAMBIOS_SYSCALL_H
#define CAMBIOS_SYSCALL_H

#include <abi/errors.h>
#include <kerr.h>
#include <stdbool.h>
#include <stdint.h>

struct syscall_frame {
	uint64_t nr;
	uint64_t arg[6];
};

int64_t syscall_dispatch(const struct syscall_frame *frame);

/* Every handler has the one shape the table needs, used or not. */
typedef int64_t (*syscall_handler_t)(const struct syscall_frame *f);

/* Every handler, declared from the one list: a call added to
 * include/abi/syscalls.def needs only its handler defined. */
#define SYSCALL(nr, name, handler, summary) int64_t handler(const struct syscall_frame *f);
#include <abi/syscalls.def>
#undef SYSCALL

/* The dispatch table, indexed by number (NULL: SYS_ENOSYS), and its
 * length. syscall_dispatch() is the reference path; the arch entry code
 * takes a shortcut through the table for the common case, and only that:
 * the default interceptor in force (whose hook allows every call,
 * interceptor.h) and a listed number. Anything else -- another
 * interceptor, a number past the table or in a gap, the self-tests' call
 * -- goes through syscall_dispatch(). The shortcut saves a call, a frame
 * and a return on every system call. */
extern const syscall_handler_t syscall_handlers[];
extern const uint64_t syscall_slots;

/* A kernel error as the result user space sees. */
/*@ assigns \result \from err;
    ensures err == K_EPERM ==> \result == SYS_EPERM;
    ensures err == K_ENOMEM || err == K_EFULL ==> \result == SYS_ENOMEM;
    ensures err == K_ENOENT ==> \result == SYS_ENOENT;
    ensures err == K_EAGAIN ==> \result == SYS_EAGAIN;
    ensures err == K_EFAULT ==> \result == SYS_EFAULT;
    ensures \result \in { SYS_EPERM, SYS_ENOMEM, SYS_ENOENT, SYS_EAGAIN, SYS_EFAULT, SYS_EINVAL }; */
int64_t syscall_error(kerr_t err);

/* Whether process `pid` speaks for the bootstrap Principal -- the
 * authority of the boot's own services (Kill, SetWallclock, channel
 * Revoke): false for one without a Principal or with a key of its own. */
bool syscall_speaks_for_bootstrap(uint64_t pid);

/* Entry set-up: EFER.SCE/STAR/LSTAR/SFMASK, or SVC routing (arch). */
void arch_syscall_init(void);

#endif
