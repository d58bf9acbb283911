/* spawner: Spawn and WaitTask from user space. Starts exit-1000 (by its
 * role) and waits for -1000; bad-brk (by its file name), which faults, and
 * waits for SYS_EINTR; asks for a module that does not exist and waits
 * for a pid that is not its child (SYS_ENOENT both). Exits 0 when every
 * answer was right, else the number of the first wrong one. */
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
	if (wait_task(child) != SYS_EINTR)
		return 4;
	if (spawn("no-such-module") != SYS_ENOENT)
		return 5;
	if (wait_task(sys_getpid()) != SYS_ENOENT)
		return 6;
	return 0;
}
