/* spawner: Spawn and WaitTask from user space. Starts exit-1000 (by its
 * role) and waits for -1000; bad-brk (by its file name), which faults, and
 * waits for SYS_EINTR with a status that says "faulted"; exit-1000 again,
 * waited for with a status that says "exited, -1000"; asks for a module
 * that does not exist and waits for a pid that is not its child
 * (SYS_ENOENT both). Exits 0 when every answer was right, else the number
 * of the first wrong one. */
#include "hostile.h"

CAMBIOS_MODULE_ROLE("spawner");

static int64_t spawn(const char *name)
{
	size_t n = 0;

	while (name[n])
		n++;
	return sys_call(SYS_SPAWN, (uint64_t)(uintptr_t)name, n, 0);
}

static int64_t wait_task(int64_t pid)
{
	return sys_call(SYS_WAIT_TASK, (uint64_t)pid, 0, 0);
}

static int64_t wait_task_status(int64_t pid, struct sys_task_status *status)
{
	return sys_call(SYS_WAIT_TASK, (uint64_t)pid, (uint64_t)(uintptr_t)status, 0);
}

int main(void)
{
	int64_t child = spawn("exit-1000");

	if (child <= 0)
		return 1;
	if (wait_task(child) != -1000)
		return 2;
	child = spawn("bad-brk.elf");
	if (child <= 0)
		return 3;
	struct sys_task_status status = { 0, 0 };
	if (wait_task_status(child, &status) != SYS_EINTR || status.ended != SYS_TASK_FAULTED)
		return 4;
	child = spawn("exit-1000");
	if (child <= 0 || wait_task_status(child, &status) != -1000 ||
	    status.ended != SYS_TASK_EXITED || status.code != -1000)
		return 7;
	if (spawn("no-such-module") != SYS_ENOENT)
		return 5;
	if (wait_task(sys_getpid()) != SYS_ENOENT)
		return 6;
	return 0;
}
