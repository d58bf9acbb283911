/*
 * syscall: the portable system-call dispatcher (see syscall.h).
 *
 * Decode, check, then perform: the interceptor's pre-syscall hook sees
 * every call (with the calling process) and may refuse it; every argument
 * from user space is checked before anything changes, and a bad argument
 * gets an error code, never a panic. The calls here are the ones the foundation needs; later chapters
 * add IPC, memory and object calls with the numbers fixed in
 * include/abi/syscall.h.
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

static int64_t sys_yield(void)
{
	sched_yield();
	return 0;
}

static int64_t sys_getpid(void)
{
	return (int64_t)PID_SLOT(process_current());
}

static int64_t sys_gettime(void)
{
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

int64_t syscall_dispatch(const struct syscall_frame *frame)
{
	/* The zero-trust interceptor sees every call first, and may refuse. */
	kerr_t verdict = interceptor_current()->on_syscall(process_current(), frame->nr);

	if (verdict != K_OK)
		return syscall_error(verdict);
	switch (frame->nr) {
	case SYS_EXIT: return sys_exit(frame);
	case SYS_WRITE: return sys_write(frame);
	case SYS_READ: return sys_read(frame);
	case SYS_REGISTER_ENDPOINT: return sys_register_endpoint(frame);
	case SYS_GET_PRINCIPAL: return sys_get_principal(frame);
	case SYS_RECV_MSG: return sys_recv_msg(frame);
	case SYS_TRY_RECV_MSG: return sys_try_recv_msg(frame);
	case SYS_ALLOCATE: return sys_allocate(frame);
	case SYS_FREE: return sys_free(frame);
	case SYS_OBJ_PUT: return sys_obj_put(frame);
	case SYS_OBJ_GET: return sys_obj_get(frame);
	case SYS_OBJ_DELETE: return sys_obj_delete(frame);
	case SYS_OBJ_LIST: return sys_obj_list(frame);
	case SYS_OBJ_PUT_SIGNED: return sys_obj_put_signed(frame);
	case SYS_SPAWN: return sys_spawn(frame);
	case SYS_WAIT_TASK: return sys_wait_task(frame);
	case SYS_YIELD: return sys_yield();
	case SYS_GETPID: return sys_getpid();
	case SYS_GETTIME: return sys_gettime();
	case SYS_PRINT: return sys_print(frame);
#if CONFIG_SELFTEST
	case SYS_TEST_ECHO: return sys_test_echo(frame);
#endif
	default: return SYS_ENOSYS;
	}
}
