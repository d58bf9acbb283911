/*
 * process: the process table.
 *
 * A process is bookkeeping: an id, a state, an address space, the
 * Principal it speaks for, and its capabilities (cap.h, indexed by the
 * same slot). The table has a fixed capacity, PROCESS_MAX; slots are
 * reused, and a generation count in the id makes a stale id to a reused
 * slot detectable: pid = generation << 32 | slot.
 *
 * At boot, slots 0, 1 and 2 hold the three kernel processes, each with its
 * own page table (kernel half shared). Lock: LOCK_PROCESS_TABLE.
 */
#ifndef CAMBIOS_PROCESS_H
#define CAMBIOS_PROCESS_H

#include <identity.h>
#include <kerr.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <user.h>
#include <vm.h>

#define PROCESS_MAX 64
#define PROCESS_KERNEL_COUNT 3 /* slots 0..2 */

typedef uint64_t kpid_t;

/* "No process": the kernel's own context. */
#define PID_NONE UINT64_MAX

#define PID_SLOT(pid) ((uint32_t)((pid) & 0xffffffffu))
#define PID_GENERATION(pid) ((uint32_t)((pid) >> 32))
#define PID_MAKE(generation, slot) (((uint64_t)(generation) << 32) | (uint32_t)(slot))

enum process_state {
	PROCESS_FREE = 0,  /* slot unused */
	PROCESS_CREATED,   /* exists, not runnable yet */
	PROCESS_READY,
	PROCESS_RUNNING,
	PROCESS_BLOCKED,
	PROCESS_EXITED,
};

struct process_info {
	kpid_t pid;
	enum process_state state;
	bool kernel;                 /* one of the kernel processes 0-2 */
	bool has_principal;
	struct principal principal;
	uint64_t page_table_root;
	char name[16];
};

/* Creates the three kernel processes (PIDs 0-2, generation 0) with their
 * own address spaces. Prints one line. */
__must_check kerr_t process_table_init(void);

/* Creates a process; *pid receives its id. K_EFULL when the table is full,
 * K_ENOMEM when no address space can be built. */
__must_check kerr_t process_create(const char *name, kpid_t *pid);

/* K_ENOENT for an id that is not a live process (including a stale one). */
__must_check kerr_t process_destroy(kpid_t pid);
__must_check kerr_t process_lookup(kpid_t pid, struct process_info *out);
/* The live pid of each slot, plus one (0: free): written by process.c
 * under its lock, read through process_alive. */
extern _Atomic uint64_t process_live_pid_plus_one[PROCESS_MAX];

/* True if `pid` names a live process (the cheap form of lookup). Inline
 * and lock-free: every IPC send and receive asks several times, and an
 * atomic load answers as truly as the lock would -- either way the answer
 * is a snapshot by the time the caller acts on it. */
/*@ assigns \result \from pid, process_live_pid_plus_one[0 .. PROCESS_MAX - 1]; */
static inline bool process_alive(kpid_t pid)
{
	uint32_t slot = PID_SLOT(pid);

	return slot < PROCESS_MAX && pid != PID_NONE &&
	       atomic_load_explicit(&process_live_pid_plus_one[slot], memory_order_acquire) ==
		       pid + 1;
}
__must_check kerr_t process_set_state(kpid_t pid, enum process_state state);

/* Binds a Principal to a process, once: K_EEXIST if one is bound (a
 * process speaking for the bootstrap Principal may then bind its own key
 * in its place, once: process_rebind_principal). */
__must_check kerr_t process_bind_principal(kpid_t pid, const struct principal *p);
/* Replaces the Principal of `pid`, which must be `expected` (K_EPERM
 * otherwise; K_ENOENT without one), by `principal`, which no other live
 * process may speak for (K_EEXIST). Only a process's own thread calls this
 * for it (BindPrincipal): IPC reads a process's Principal in place on its
 * own thread only (process_principal_ref), so no reader sees it change. */
__must_check kerr_t process_rebind_principal(kpid_t pid, const struct principal *expected,
					     const struct principal *principal);
/* K_ENOENT if the process has no Principal. */
__must_check kerr_t process_principal(kpid_t pid, struct principal *out);

/* The bound Principal of `pid` in place, read without the table lock;
 * NULL if it has none or is not alive. Only for a process that cannot end
 * while the caller uses the pointer -- the caller itself, or a kernel
 * process -- since a Principal, once bound, changes only when its slot is
 * freed or by its own thread (process_rebind_principal), which is then not
 * stamping a message. IPC stamps every message this way. */
const struct principal *process_principal_ref(kpid_t pid);

/* The address space of a live process (NULL if none). */
struct address_space *process_address_space(kpid_t pid);

/* Runs the user code of `pid` at `entry` with stack `sp` in a user thread
 * of its own, waits until it exits or faults, and says which (user.h). The
 * caller keeps the process (and destroys it). A pid that is not a live
 * process, or a caller that is itself a user thread, runs nothing
 * (USER_END_NOT_RUN). The self-tests run their programs this way. */
struct user_outcome process_run(kpid_t pid, uint64_t entry, uint64_t sp);

/* Host tests: tear everything down (frees address spaces). */
void process_table_reset(void);

#endif
