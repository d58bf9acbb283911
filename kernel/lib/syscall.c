/*
 * syscall: the portable system-call dispatcher (see syscall.h).
 *
 * Decode, check, then perform: every argument from user space is checked
 * before anything changes, and a bad argument gets an error code, never a
 * panic. The calls here are the ones the foundation needs; later chapters
 * add IPC, memory and object calls with the numbers fixed in
 * include/abi/syscall.h.
 */
#include <syscall.h>

#include <abi/syscall.h>
#include <printk.h>
#include <user.h>
#include <usercopy.h>

static int64_t sys_exit(const struct syscall_frame *f)
{
	arch_user_return((int64_t)f->arg[0]);
}

/* Prints at most SYS_PRINT_MAX bytes of the caller's memory, copied in
 * first so the program cannot change them while they are printed. */
static int64_t sys_print(const struct syscall_frame *f)
{
	char buf[SYS_PRINT_MAX];
	uint64_t len = f->arg[1];

	if (len > SYS_PRINT_MAX)
		return SYS_EINVAL;
	if (copy_from_user(buf, f->arg[0], len) != K_OK)
		return SYS_EFAULT;
	printk("%.*s", (int)len, buf);
	return (int64_t)len;
}

static int64_t sys_test_echo(const struct syscall_frame *f)
{
	return (int64_t)(f->arg[0] + 1);
}

int64_t syscall_dispatch(const struct syscall_frame *frame)
{
	switch (frame->nr) {
	case SYS_EXIT: return sys_exit(frame);
	case SYS_PRINT: return sys_print(frame);
	case SYS_TEST_ECHO: return sys_test_echo(frame);
	default: return SYS_ENOSYS;
	}
}
