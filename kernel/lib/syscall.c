/*
 * syscall: the portable system-call dispatcher (see syscall.h).
 *
 * Decode, check, then perform: the interceptor's pre-syscall hook sees
 * every call (with the calling process) and may refuse it; then the call's
 * handler is found in a table indexed by number, built from the one list
 * in include/abi/syscalls.def, so the numbers user space is compiled
 * against and the kernel's dispatch cannot drift apart. An unlisted number
 * is SYS_ENOSYS. Every argument from user space is checked by its handler
 * before anything changes, and a bad argument gets an error code, never a
 * panic.
 */
#include <syscall.h>

#include <abi/syscall.h>
#include <interceptor.h>
#include <output.h>
#include <printk.h>
#include <process.h>
#include <selftest.h>
#include <sys_ipc.h>
#include <sys_memory.h>
#include <sys_object.h>
#include <sys_process.h>
#include <thread.h>
#include <timer.h>
#include <user.h>
#include <usercopy.h>

/* Every handler has the one shape the table needs, used or not. */
typedef int64_t (*syscall_handler_t)(const struct syscall_frame *f);

static int64_t sys_exit(const struct syscall_frame *f)
{
	user_exit((int64_t)f->arg[0]);
}

/* Prints at most SYS_PRINT_MAX bytes of the caller's memory, copied in
 * first so the program cannot change them while they are printed, in
 * lines marked as the program's (output.h). */
static int64_t sys_print(const struct syscall_frame *f)
{
	char buf[SYS_PRINT_MAX];
	uint64_t len = f->arg[1];

	if (len > SYS_PRINT_MAX)
		return SYS_EINVAL;
	if (copy_from_user(buf, f->arg[0], len) != K_OK)
		return SYS_EFAULT;
	output_write(process_current(), buf, len); /* as the program's own lines */
	return (int64_t)len;
}

#if CONFIG_SELFTEST
static int64_t sys_test_echo(const struct syscall_frame *f)
{
	return (int64_t)(f->arg[0] + 1);
}
#endif

static int64_t sys_yield(const struct syscall_frame *f)
{
	(void)f;
	sched_yield();
	return 0;
}

static int64_t sys_getpid(const struct syscall_frame *f)
{
	(void)f;
	return (int64_t)PID_SLOT(process_current());
}

static int64_t sys_gettime(const struct syscall_frame *f)
{
	(void)f;
	return (int64_t)timer_ticks();
}

/* A kernel error as the system-call result user space sees. A full queue
 * is "out of memory", as the original's later kernel said. */
int64_t syscall_error(kerr_t err)
{
	switch (err) {
	case K_EPERM: return SYS_EPERM;
	case K_ENOMEM:
	case K_EFULL: return SYS_ENOMEM;
	case K_ENOENT: return SYS_ENOENT;
	case K_EAGAIN: return SYS_EAGAIN;
	case K_EFAULT: return SYS_EFAULT;
	default: return SYS_EINVAL;
	}
}

/* handlers[n] serves number n; a gap is NULL (SYS_ENOSYS). A number
 * listed twice is an initializer override, a compile error under
 * -Werror. */
static const syscall_handler_t handlers[] = {
#define SYSCALL(nr, name, handler, summary) [nr] = (handler),
#include <abi/syscalls.def>
#undef SYSCALL
};

#if CONFIG_SELFTEST
_Static_assert(SYS_TEST_ECHO >= sizeof(handlers) / sizeof(handlers[0]),
	       "the self-tests' call must not shadow a listed one");
#endif

int64_t syscall_dispatch(const struct syscall_frame *frame)
{
	/* The zero-trust interceptor sees every call first, and may refuse. */
	kerr_t verdict = interceptor_current()->on_syscall(process_current(), frame->nr);

	if (verdict != K_OK)
		return syscall_error(verdict);
#if CONFIG_SELFTEST
	/* Not in the list: it is no part of the ABI (selftest.h). */
	if (frame->nr == SYS_TEST_ECHO)
		return sys_test_echo(frame);
#endif
	if (frame->nr >= sizeof(handlers) / sizeof(handlers[0]) || !handlers[frame->nr])
		return SYS_ENOSYS;
	return handlers[frame->nr](frame);
}
