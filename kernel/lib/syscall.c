/*
 * syscall: the portable system-call dispatcher (see syscall.h).
 *
 * Decode, check, then perform: the interceptor's pre-syscall hook sees
 * every call (with the calling process) and may refuse it -- but for the
 * default interceptor's, which allows every call and is decided without
 * being called (interceptor.h; the arch entry code decides it the same
 * way and then uses the table itself, syscall.h); then the call's
 * handler is found in a table indexed by number, built from the one list
 * in include/abi/syscalls.def, so the numbers user space is compiled
 * against and the kernel's dispatch cannot drift apart. An unlisted number
 * is SYS_ENOSYS. Every argument from user space is checked by its handler
 * before anything changes, and a bad argument gets an error code, never a
 * panic.
 */
#include <syscall.h>

#include <abi/cpu.h>
#include <abi/syscall.h>
#include <arch.h>
#include <cpu.h>
#include <current.h>
#include <identity.h>
#include <interceptor.h>
#include <kstring.h>
#include <nospec.h>
#include <output.h>
#include <printk.h>
#include <process.h>
#include <selftest.h>
#include <sys_memory.h>
#include <thread.h>
#include <timer.h>
#include <user.h>
#include <usercopy.h>

int64_t sys_exit(const struct syscall_frame *f)
{
	user_exit((int64_t)f->arg[0]);
}

/* Prints at most SYS_PRINT_MAX bytes of the caller's memory, copied in
 * first so the program cannot change them while they are printed, in
 * lines marked as the program's (output.h). */
int64_t sys_print(const struct syscall_frame *f)
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

int64_t sys_yield(const struct syscall_frame *f)
{
	(void)f;
	sched_yield();
	return 0;
}

/* The calling process, as process_current() says, but inline: a system
 * call comes from a user thread, which belongs to a process and runs only
 * once the scheduler has started, so the running thread's pid is the
 * answer without process_current()'s checks for boot time and kernel
 * threads. (Read with interrupts off, as the entry path leaves them, so
 * the thread cannot move between the two loads.) The host tests fake the
 * scheduler behind process_current(), so they ask it. */
static inline kpid_t syscall_caller(void)
{
#if __STDC_HOSTED__
	return process_current();
#else
	/* The task is the thread's first member (thread.h). */
	const struct thread *t = (const struct thread *)(const void *)cpu_this()->rq.current;

	return t->pid;
#endif
}

int64_t sys_getpid(const struct syscall_frame *f)
{
	(void)f;
	return (int64_t)PID_SLOT(syscall_caller());
}

int64_t sys_get_cpu(const struct syscall_frame *f)
{
	(void)f;
	return (int64_t)cpu_index();
}

/* What programs cannot ask the CPU themselves: on AArch64 the ID
 * registers are the kernel's to read. */
int64_t sys_cpu_features(const struct syscall_frame *f)
{
	(void)f;
	return arch_cpu_has_random() ? CPU_FEATURE_RANDOM : 0;
}

int64_t sys_gettime(const struct syscall_frame *f)
{
	(void)f;
	return (int64_t)timer_ticks();
}

bool syscall_speaks_for_bootstrap(uint64_t pid)
{
	struct principal p;

	return process_principal(pid, &p) == K_OK &&
	       memcmp(&p, identity_bootstrap(), sizeof(p)) == 0;
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

/* syscall_handlers[n] serves number n; a gap is NULL (SYS_ENOSYS). A
 * number listed twice is an initializer override, a compile error under
 * -Werror. Not static: the arch entry paths index it themselves while the
 * default interceptor is in force (syscall.h). */
const syscall_handler_t syscall_handlers[] = {
#define SYSCALL(nr, name, handler, summary) [nr] = (handler),
#include <abi/syscalls.def>
#undef SYSCALL
};

#define SYSCALL_SLOTS (sizeof(syscall_handlers) / sizeof(syscall_handlers[0]))

const uint64_t syscall_slots = SYSCALL_SLOTS;

#if CONFIG_SELFTEST
_Static_assert(SYS_TEST_ECHO >= SYSCALL_SLOTS,
	       "the self-tests' call must not shadow a listed one");
#endif

/* Runs the call's handler: one bounds check and one load, since the
 * table's gaps are NULL. */
static inline int64_t syscall_perform(const struct syscall_frame *frame)
{
	uint64_t nr = frame->nr;
#if CONFIG_SELFTEST
	/* Not in the list: it is no part of the ABI (selftest.h). */
	if (nr == SYS_TEST_ECHO)
		return sys_test_echo(frame);
#endif
	syscall_handler_t handler =
		nr < SYSCALL_SLOTS ? syscall_handlers[index_nospec(nr, SYSCALL_SLOTS)] : NULL;

	if (!handler)
		return SYS_ENOSYS;
	return handler(frame);
}

/* A call under an interceptor other than the default: its hook sees the
 * call with the calling process and may refuse it. Out of line, so that
 * the registers it needs are not saved on every call's path. */
static __attribute__((noinline, cold)) int64_t
syscall_intercepted(const struct interceptor *in_force, const struct syscall_frame *frame)
{
	kerr_t verdict = in_force->on_syscall(process_current(), frame->nr);

	if (verdict != K_OK)
		return syscall_error(verdict);
	return syscall_perform(frame);
}

int64_t syscall_dispatch(const struct syscall_frame *frame)
{
	/* The zero-trust interceptor sees every call first, and may refuse.
	 * The default's hook allows every call (interceptor.h), so while the
	 * default is in force that decision is made here, without the
	 * indirect call and the lookup of the caller; any other interceptor's
	 * hook is called for every call. */
	const struct interceptor *in_force = interceptor_current();

	if (in_force != &interceptor_default)
		return syscall_intercepted(in_force, frame);
	return syscall_perform(frame);
}
