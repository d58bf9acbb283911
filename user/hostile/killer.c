/* killer: Kill (80) and the reports (81-83) from user space.
 *   - refusals: the kernel's processes (SYS_EPERM), slots past the table
 *     or free (SYS_ENOENT);
 *   - a spinner, which never enters the kernel, is killed where it runs
 *     (on another CPU when there is one) and WaitTask says "killed";
 *   - a blocker, asleep in RecvMsg, is killed; a second blocker then
 *     takes the same endpoint, so the first one's went back; it is killed
 *     too;
 *   - ProcessInfo describes the caller and its blocked child, SystemInfo
 *     and CpuInfo agree with what the caller can see for itself.
 * Prints one line per step; exits 0 when every answer was right, else the
 * number of the first wrong one. */
#include <stdbool.h>

#include "hostile.h"
#include "../lib/line.h"

CAMBIOS_MODULE_ROLE("killer");

#define PATIENCE_TICKS 500 /* 5 s: a child reaching its state */

static int64_t spawn(const char *name)
{
	size_t n = 0;

	while (name[n])
		n++;
	return sys_spawn(name, n);
}

/* Whether `pid` reaches `state` (and, when blocked, `reason`) in time;
 * *p is its record then. */
static bool reaches(int64_t pid, uint8_t state, uint8_t reason, struct sys_process_info *p)
{
	int64_t start = sys_gettime();

	while (sys_gettime() - start < PATIENCE_TICKS) {
		if (sys_process_info((uint32_t)pid, p) == 0 && p->state == state &&
		    (state != SYS_PROCESS_BLOCKED || p->block_reason == reason))
			return true;
		(void)sys_yield();
	}
	return false;
}

/* Whether `pid` has run (been switched to), in time; *p is its record. */
static bool has_run(int64_t pid, struct sys_process_info *p)
{
	int64_t start = sys_gettime();

	while (sys_gettime() - start < PATIENCE_TICKS) {
		if (sys_process_info((uint32_t)pid, p) == 0 && p->switches_in > 0)
			return true;
		(void)sys_yield();
	}
	return false;
}

static bool killed(int64_t pid)
{
	struct sys_task_status status = { 0, 0 };

	return sys_kill(pid) == 0 && sys_wait_task(pid, &status) == SYS_EINTR &&
	       status.ended == SYS_TASK_KILLED && status.code == 0;
}

static bool kills_a_blocked_receiver(void)
{
	struct sys_process_info p;
	int64_t pid = spawn("blocker");

	return pid > 0 && reaches(pid, SYS_PROCESS_BLOCKED, SYS_BLOCK_MESSAGE, &p) &&
	       p.parent == (uint64_t)sys_getpid() && killed(pid);
}

/* A child that never enters the kernel, killed where it is: running on
 * another CPU (the IPI's case) or, with one CPU, ready while the killer
 * runs (it ends as it next runs). Said with where it was. Killed even
 * when something else went wrong: a spinner left behind would keep a
 * CPU for ever. */
static bool kills_a_spinner(void)
{
	struct sys_process_info p;
	struct line l;
	int64_t pid = spawn("spinner");

	if (pid <= 0)
		return false;
	bool ran = has_run(pid, &p);
	if (!killed(pid) || !ran)
		return false;
	l.len = 0;
	put(&l, "killer: a spinning child killed; it was ");
	put(&l, p.state == SYS_PROCESS_RUNNING ? "running on CPU " : "ready on CPU ");
	put_dec(&l, p.cpu);
	put(&l, ", the killer on CPU ");
	put_dec(&l, sys_get_cpu());
	say(&l);
	return true;
}

static bool describes_itself(void)
{
	struct sys_process_info p;
	int64_t self = sys_getpid();

	return sys_process_info((uint32_t)self, &p) == 0 && p.pid == (uint64_t)self &&
	       p.state == SYS_PROCESS_RUNNING && p.cpu == (uint64_t)sys_get_cpu() &&
	       p.has_principal && p.name[0] == 'k' && !p.killed;
}

static bool system_adds_up(void)
{
	struct sys_system_info s;
	struct sys_cpu_info c;

	if (sys_system_info(&s) != 0 || s.cpus == 0 || s.frames_free > s.frames_total ||
	    s.processes < 4 || s.processes > s.processes_max || s.ticks_per_second != 100 ||
	    s.heap_in_use > s.heap_bytes)
		return false;
	for (uint32_t i = 0; i < s.cpus; i++) {
		if (sys_cpu_info(i, &c) != 0 || c.index != i || c.idle_ticks > c.ticks)
			return false;
	}
	return sys_cpu_info(s.cpus, &c) == SYS_ENOENT &&
	       sys_cpu_info(0xffffffffu, &c) == SYS_EINVAL;
}

int main(void)
{
	if (sys_kill(0) != SYS_EPERM || sys_kill(2) != SYS_EPERM)
		return 1;
	if (sys_kill(64) != SYS_ENOENT || sys_kill(-1) != SYS_ENOENT)
		return 2;
	say1("killer: refusals right");
	if (!kills_a_spinner())
		return 3;
	if (!kills_a_blocked_receiver())
		return 4;
	say1("killer: a child asleep in RecvMsg killed");
	if (!kills_a_blocked_receiver())
		return 5;
	say1("killer: its endpoint was free again; that child killed too");
	if (!describes_itself())
		return 6;
	if (!system_adds_up())
		return 7;
	say1("killer: ProcessInfo, SystemInfo and CpuInfo agree");
	return 0;
}
