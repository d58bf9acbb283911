/*
 * sys_process: the process system calls -- 25 Spawn and 26 WaitTask.
 *
 * Spawn(name, len) starts a new process from an accepted boot module,
 * found by its signed role or else its file name ("echo" or "echo.elf"),
 * as the boot does (spawn.h), on the CPU with the least to run, and
 * returns the child's pid (slot number).
 * WaitTask(pid, status) blocks until that child -- only a child of the
 * caller -- has ended and returns its exit code. A child ended by a fault
 * or by Kill gives SYS_EINTR (-6, the original's reserved "Interrupted");
 * a status buffer, when given, tells the three apart (struct
 * sys_task_status). A task blocked in
 * WaitTask costs no CPU; the child's end wakes it. Errors: SYS_EINVAL for
 * a name that is too long, SYS_ENOENT for no such module (a name is all
 * len bytes: one with a NUL among them names none) or no such child
 * of the caller (or one whose end is forgotten: the kernel keeps one exit
 * record per process slot, until another process of that slot ends),
 * SYS_EFAULT for a bad name pointer.
 */
#include <syscall.h>

#include <abi/syscall.h>
#include <current.h>
#include <kstring.h>
#include <process.h>
#include <spawn.h>
#include <stdatomic.h>
#include <thread.h>
#include <user.h>
#include <usercopy.h>
#include <verifier.h>

#define NAME_MAX_LEN 31

/* Who spawned the process in each slot (a new process there replaces the
 * record): WaitTask's proof of parenthood. */
struct child {
	_Atomic kpid_t pid;
	kpid_t parent;
};

static struct child children[PROCESS_MAX];

static const struct verified_module *find_module(const char *name)
{
	const struct verified_module *m = verifier_find(name);

	for (unsigned i = 0; !m && verifier_module(i); i++) {
		if (strcmp(verifier_module(i)->name, name) == 0)
			m = verifier_module(i);
	}
	return m;
}

int64_t sys_spawn(const struct syscall_frame *f)
{
	char name[NAME_MAX_LEN + 1];
	uint64_t len = f->arg[1];
	kpid_t child;

	if (len == 0 || len > NAME_MAX_LEN)
		return SYS_EINVAL;
	if (copy_from_user(name, f->arg[0], len) != K_OK)
		return SYS_EFAULT;
	name[len] = '\0';
	/* The name is all len bytes: with a NUL inside, "echo\0junk" would
	 * pass for "echo". No module's name holds a NUL. */
	const struct verified_module *m = strlen(name) == len ? find_module(name) : NULL;
	if (!m)
		return SYS_ENOENT;
	kerr_t err = spawn_module_anywhere(m, &child);
	if (err != K_OK)
		return syscall_error(err);
	struct child *c = &children[PID_SLOT(child) % PROCESS_MAX];
	c->parent = process_current();
	atomic_store(&c->pid, child);
	return (int64_t)PID_SLOT(child);
}

kpid_t spawn_parent_of(kpid_t pid)
{
	const struct child *c = &children[PID_SLOT(pid) % PROCESS_MAX];

	if (pid == PID_NONE || atomic_load(&c->pid) != pid || !process_alive(pid))
		return PID_NONE;
	return c->parent;
}

struct wait {
	kpid_t child;
	bool forgotten;
	struct user_outcome outcome;
};

/* Done when the child's end is on record -- or when it is gone and its
 * record with it (another process of the slot ended since: the kernel
 * keeps one record per slot). */
static bool child_ended(void *ctx)
{
	struct wait *w = ctx;

	if (process_exit_outcome(w->child, &w->outcome) == K_OK)
		return true;
	w->forgotten = !process_alive(w->child);
	return w->forgotten;
}

int64_t sys_wait_task(const struct syscall_frame *f)
{
	if (f->arg[0] >= PROCESS_MAX)
		return SYS_ENOENT;
	const struct child *c = &children[f->arg[0]];
	struct wait w = { .child = atomic_load(&c->pid) };
	uint64_t status_out = f->arg[1];

	if (w.child == 0 || PID_SLOT(w.child) != f->arg[0] || c->parent != process_current())
		return SYS_ENOENT;
	if (status_out && user_check_writable(status_out, sizeof(struct sys_task_status)) != K_OK)
		return SYS_EFAULT;
	if (!sched_wait(BLOCK_CHILD, w.child, child_ended, &w))
		user_killed(); /* nothing registered for this wait */
	if (w.forgotten)
		return SYS_ENOENT;
	bool exited = w.outcome.end == USER_END_EXITED;
	if (status_out) {
		const struct sys_task_status status = {
			.ended = exited ? SYS_TASK_EXITED
				 : w.outcome.end == USER_END_KILLED ? SYS_TASK_KILLED : SYS_TASK_FAULTED,
			.code = exited ? w.outcome.exit_code : 0,
		};
		if (copy_to_user(status_out, &status, sizeof(status)) != K_OK)
			return SYS_EFAULT;
	}
	return exited ? w.outcome.exit_code : SYS_EINTR;
}
