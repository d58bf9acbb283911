/*
 * sys_system: 80 Kill, 81 ProcessInfo, 82 SystemInfo, 83 CpuInfo -- what
 * a shell needs to see the system and to end a program (abi/system.h).
 *
 * Kill(pid) checks everything before anything changes:
 *   - pid names a slot of the table (SYS_ENOENT otherwise) holding a live
 *     process (SYS_ENOENT);
 *   - not one of the kernel's processes 0-2 (SYS_EPERM): they are the
 *     kernel, not programs;
 *   - it is the caller itself, the caller spawned it, or the caller
 *     speaks for the bootstrap Principal
 *     (SYS_EPERM otherwise) -- the same authority that may revoke
 *     channels. A process that has bound its own key has given up that
 *     authority, so a service that took its own identity kills only its
 *     own children.
 * The kill itself is the scheduler's (sched_kill_process): the victim's
 * thread ends its program at its next wait or return to user mode, which
 * lets go of everything the way an exit does, and reports "killed". A
 * process killing itself ends at once.
 *
 * The three information calls copy a snapshot out: every figure is read
 * under the lock that guards it, but the record as a whole is not atomic
 * (a process may end between two slots of a `ps`), which is all a report
 * needs. They disclose nothing secret: names, states, public keys and
 * counters.
 */
#include <abi/syscall.h>
#include <abi/system.h>
#include <boot.h>
#include <cpu.h>
#include <current.h>
#include <frame.h>
#include <heap.h>
#include <identity.h>
#include <irq.h>
#include <kstring.h>
#include <objstore.h>
#include <process.h>
#include <spawn.h>
#include <syscall.h>
#include <thread.h>
#include <timer.h>
#include <usercopy.h>
#include <verifier.h>

_Static_assert(sizeof(((struct sys_process_info *)0)->principal) == sizeof(struct principal),
	       "ProcessInfo carries a whole Principal");
_Static_assert(sizeof(((struct sys_process_info *)0)->name) ==
		       sizeof(((struct process_info *)0)->name),
	       "ProcessInfo carries a whole name");

/* The live pid in `slot`, or PID_NONE. */
static kpid_t live_pid_of_slot(uint64_t slot)
{
	if (slot >= PROCESS_MAX)
		return PID_NONE;
	uint64_t plus_one = atomic_load_explicit(&process_live_pid_plus_one[slot],
						 memory_order_acquire);
	return plus_one ? plus_one - 1 : PID_NONE;
}

static bool may_kill(kpid_t caller, kpid_t victim)
{
	return victim == caller || spawn_parent_of(victim) == caller ||
	       syscall_speaks_for_bootstrap(caller);
}

int64_t sys_kill(const struct syscall_frame *f)
{
	kpid_t caller = process_current();
	kpid_t victim = live_pid_of_slot(f->arg[0]);
	struct process_info info;

	if (victim == PID_NONE)
		return SYS_ENOENT;
	if (PID_SLOT(victim) < PROCESS_KERNEL_COUNT || !may_kill(caller, victim))
		return SYS_EPERM;
	if (victim == caller)
		user_killed();
	if (sched_kill_process(victim) == K_OK)
		return 0;
	/* No thread: already on its way out, or still being made. */
	if (process_lookup(victim, &info) == K_OK && info.state == PROCESS_EXITED)
		return 0;
	return SYS_EAGAIN;
}

static uint8_t state_of(const struct thread_view *t)
{
	switch (t->state) {
	case TASK_READY: return SYS_PROCESS_READY;
	case TASK_RUNNING: return SYS_PROCESS_RUNNING;
	case TASK_BLOCKED: return SYS_PROCESS_BLOCKED;
	default: return SYS_PROCESS_EXITED;
	}
}

static uint8_t block_reason_of(const struct thread_view *t)
{
	if (t->state != TASK_BLOCKED)
		return SYS_BLOCK_NONE;
	switch (t->reason) {
	case BLOCK_MESSAGE: return SYS_BLOCK_MESSAGE;
	case BLOCK_IRQ: return SYS_BLOCK_IRQ;
	case BLOCK_CHILD: return SYS_BLOCK_CHILD;
	default: return SYS_BLOCK_OTHER;
	}
}

/* The record of a live process; false if it ended while being read. */
static bool describe_process(kpid_t pid, struct sys_process_info *out)
{
	struct process_info info;
	struct thread_view t;
	kpid_t parent = spawn_parent_of(pid);

	if (process_lookup(pid, &info) != K_OK)
		return false;
	*out = (struct sys_process_info){
		.pid = PID_SLOT(pid), .generation = PID_GENERATION(pid),
		.parent = parent == PID_NONE ? SYS_NO_PARENT : PID_SLOT(parent),
		.cpu = SYS_NO_CPU, .has_principal = info.has_principal,
	};
	memcpy(out->name, info.name, sizeof(out->name));
	out->name[sizeof(out->name) - 1] = '\0';
	if (info.has_principal)
		memcpy(out->principal, &info.principal, sizeof(out->principal));
	if (thread_view_of(pid, &t)) {
		out->state = state_of(&t);
		out->block_reason = block_reason_of(&t);
		out->cpu = t.cpu;
		out->killed = t.killed;
		out->ticks_run = t.ticks_run;
		out->switches_in = t.switches_in;
	} else if (info.kernel) {
		out->state = SYS_PROCESS_KERNEL;
	} else {
		out->state = info.state == PROCESS_EXITED ? SYS_PROCESS_EXITED
							  : SYS_PROCESS_CREATED;
	}
	return true;
}

int64_t sys_process_info(const struct syscall_frame *f)
{
	struct sys_process_info record;
	uint64_t slot = f->arg[0], out = f->arg[1], len = f->arg[2];

	if (slot >= PROCESS_MAX || len < sizeof(record))
		return SYS_EINVAL;
	if (user_check_writable(out, sizeof(record)) != K_OK)
		return SYS_EFAULT;
	kpid_t pid = live_pid_of_slot(slot);
	if (pid == PID_NONE || !describe_process(pid, &record))
		return SYS_ENOENT;
	return copy_to_user(out, &record, sizeof(record)) == K_OK ? 0 : SYS_EFAULT;
}

static uint32_t live_processes(void)
{
	uint32_t n = 0;

	for (unsigned slot = 0; slot < PROCESS_MAX; slot++)
		n += live_pid_of_slot(slot) != PID_NONE;
	return n;
}

static uint32_t scheduling_cpus(void)
{
	uint32_t n = 0;

	for (unsigned i = 0; i < MP_MAX_CPUS; i++)
		n += sched_cpu(i) != NULL;
	return n;
}

static uint32_t accepted_modules(void)
{
	uint32_t n = 0;

	while (verifier_module(n))
		n++;
	return n;
}

/* Interrupts delivered to drivers' waits, every line together. */
static uint64_t driver_interrupts(void)
{
	struct irq_line_info line;
	uint64_t n = 0;

	for (unsigned i = 0; i < IRQ_LINES; i++)
		n += irq_line_info(i, &line) ? line.count : 0;
	return n;
}

int64_t sys_system_info(const struct syscall_frame *f)
{
	struct heap_stats heap;
	uint64_t out = f->arg[0], len = f->arg[1];

	if (len < sizeof(struct sys_system_info))
		return SYS_EINVAL;
	if (user_check_writable(out, sizeof(struct sys_system_info)) != K_OK)
		return SYS_EFAULT;
	heap_get_stats(heap_kernel(), &heap);
	const struct sys_system_info record = {
		.uptime_ticks = timer_ticks(), .ticks_per_second = TIMER_HZ,
		.frames_total = frame_managed_count(), .frames_free = frame_free_count(),
		.heap_bytes = heap.total_bytes, .heap_in_use = heap.in_use_bytes,
		.heap_allocations = heap.live_allocations,
		.objects = (uint32_t)objstore_count(), .objects_max = OBJSTORE_CAPACITY,
		.object_bytes = objstore_content_bytes(),
		.processes = live_processes(), .processes_max = PROCESS_MAX,
		.threads = thread_count(), .threads_max = THREAD_MAX,
		.cpus = scheduling_cpus(), .modules = accepted_modules(),
		.heap_allocs = heap.alloc_count, .heap_frees = heap.free_count,
		.interrupts = driver_interrupts(),
	};
	return copy_to_user(out, &record, sizeof(record)) == K_OK ? 0 : SYS_EFAULT;
}

/* CPU c's figures, read under its scheduler lock. */
static struct sys_cpu_info describe_cpu(struct cpu *c)
{
	uint64_t ipis = 0;

	for (unsigned kind = 0; kind < IPI_KINDS; kind++)
		ipis += atomic_load_explicit(&c->ipis[kind], memory_order_relaxed);
	arch_irqflags_t flags = spin_lock_irqsave(&c->sched_lock);
	const struct thread *running = (const struct thread *)c->rq.current;
	struct sys_cpu_info record = {
		.index = c->index, .hw_id_low = (uint32_t)c->hw_id,
		.ticks = atomic_load_explicit(&c->ticks, memory_order_relaxed),
		.idle_ticks = c->idle_ticks, .switches = c->rq.switches,
		.ready = c->rq.ready, .blocked = c->rq.blocked,
		.current_pid = running->pid == PID_NONE ? SYS_NO_PROCESS : PID_SLOT(running->pid),
		.ipis_received = ipis,
		.tlb_shootdowns = atomic_load_explicit(&c->tlb_shootdowns_served,
						       memory_order_relaxed),
	};
	spin_unlock_irqrestore(&c->sched_lock, flags);
	return record;
}

int64_t sys_cpu_info(const struct syscall_frame *f)
{
	uint64_t index = f->arg[0], out = f->arg[1], len = f->arg[2];

	if (index >= MP_MAX_CPUS || len < sizeof(struct sys_cpu_info))
		return SYS_EINVAL;
	if (user_check_writable(out, sizeof(struct sys_cpu_info)) != K_OK)
		return SYS_EFAULT;
	struct cpu *c = sched_cpu((unsigned)index);
	if (!c)
		return SYS_ENOENT;
	const struct sys_cpu_info record = describe_cpu(c);
	return copy_to_user(out, &record, sizeof(record)) == K_OK ? 0 : SYS_EFAULT;
}
