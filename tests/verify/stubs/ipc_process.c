/*
 * ipc_process.c (verify stub): the process table as IPC sees it, for the
 * ipc target.
 *
 * IPC asks the process table two things: whether a pid lives
 * (process_alive(), process.h's inline read of process_live_pid_plus_one,
 * which is the real code, unchanged) and the Principal to stamp
 * (process_principal_ref(): NULL, or a Principal that stays valid while
 * the sender runs). This model holds exactly that state -- each slot's
 * published pid and whether it has a Principal -- and the harness sets it
 * to anything (ipc_process_set()), so every pid is alive, dead or stale
 * at every step. The real process.c is linked by the cap target; it is not
 * linked here because its process_principal_ref() indexes the table by
 * PID_SLOT(pid) trusting process_alive()'s check in another function,
 * which EVA cannot tie together (an alarm in process.c; the explicit
 * check cap.c's slot_table() makes would remove it).
 *
 * (ASSUMPTIONS.md lists this stub.)
 */
#include <process.h>

#include "ipc_process.h"

_Atomic uint64_t process_live_pid_plus_one[PROCESS_MAX];
static struct principal principals[PROCESS_MAX];
static bool has_principal[PROCESS_MAX];

void ipc_process_set(uint32_t slot, uint64_t pid_plus_one, bool bound,
		     const struct principal *principal)
{
	if (slot >= PROCESS_MAX)
		return;
	atomic_store_explicit(&process_live_pid_plus_one[slot], pid_plus_one,
			      memory_order_release);
	has_principal[slot] = bound;
	principals[slot] = *principal;
}

const struct principal *process_principal_ref(kpid_t pid)
{
	uint32_t slot = PID_SLOT(pid);

	if (slot >= PROCESS_MAX || !process_alive(pid) || !has_principal[slot])
		return NULL;
	return &principals[slot];
}
