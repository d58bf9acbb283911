/*
 * run: running a process's user code, and how it ends (user.h).
 *
 * A process's code runs in a user thread of its own (thread.h), scheduled
 * like any other. How the program ended is recorded by the kernel-side
 * halves user_exit() and user_fault_end() before the thread ends, so an
 * exit code can never be mistaken for a fault, whatever its value; then
 * the thread ends, and whoever waits for the process (WaitTask, or
 * process_run's caller) is woken.
 */
#include <user.h>

#include <arch.h>
#include <channel.h>
#include <cpu.h>
#include <current.h>
#include <device_claim.h>
#include <ipc.h>
#include <irq_wait.h>
#include <msix.h>
#include <format.h>
#include <output.h>
#include <panic.h>
#include <printk.h>
#include <process.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <thread.h>
#include <trap.h>
#include <vm.h>

/* How each slot's last user-thread process ended (what WaitTask will
 * read): written by the ending thread on its CPU, read after it is gone. */
struct exit_record {
	_Atomic kpid_t pid;
	struct user_outcome outcome;
};

static struct exit_record exits[PROCESS_MAX];

static void record_exit(kpid_t pid, struct user_outcome outcome)
{
	struct exit_record *r = &exits[PID_SLOT(pid) % PROCESS_MAX];

	r->outcome = outcome;
	atomic_store_explicit(&r->pid, pid, memory_order_release);
}

kerr_t process_exit_outcome(kpid_t pid, struct user_outcome *out)
{
	const struct exit_record *r = &exits[PID_SLOT(pid) % PROCESS_MAX];

	if (atomic_load_explicit(&r->pid, memory_order_acquire) != pid)
		return K_ENOENT;
	*out = r->outcome;
	return K_OK;
}

static bool has_ended(void *pid)
{
	struct user_outcome unused;

	return process_exit_outcome(*(const kpid_t *)pid, &unused) == K_OK;
}

struct user_outcome process_run(kpid_t pid, uint64_t entry, uint64_t sp)
{
	struct user_outcome outcome = { .end = USER_END_NOT_RUN };

	if (thread_current()->pid != PID_NONE ||
	    thread_create_user(pid, entry, sp, PRIORITY_NORMAL, false, NULL) != K_OK)
		return outcome;
	(void)process_set_state(pid, PROCESS_RUNNING);
	(void)sched_wait(BLOCK_CHILD, pid, has_ended, &pid); /* a kernel thread: never killed */
	(void)process_exit_outcome(pid, &outcome);
	return outcome;
}

/* Records the outcome and leaves the program for good. */
static __attribute__((noreturn)) void end_program(enum user_end end, int64_t code)
{
	struct thread *self = thread_current();
	struct process_info info;

	if (self->pid == PID_NONE)
		panic("a user program ended on CPU %u, which runs none", cpu_index());
	self->outcome = (struct user_outcome){ .end = end, .exit_code = code };
	output_flush(self->pid);
	if (end == USER_END_EXITED && process_lookup(self->pid, &info) == K_OK)
		println("process %u %s: exited with code %lld", PID_SLOT(self->pid), info.name,
			(long long)code);
	if (end == USER_END_KILLED && process_lookup(self->pid, &info) == K_OK)
		println("process %u %s: killed", PID_SLOT(self->pid), info.name);
	(void)process_set_state(self->pid, PROCESS_EXITED);
	/* Its channels first, from its own thread: unmapped from both sides
	 * while its address space still stands (channel.h). */
	channel_process_ended(self->pid);
	/* A receive it was blocked in when killed leaves no buffer behind
	 * on an endpoint (its wait undid it; this catches any other). */
	ipc_cancel_waits_of(self->pid);
	/* Its endpoints too, for the same reason as its devices below. */
	ipc_owner_ended(self->pid);
	/* Its devices now, not when the reaper gets to the process: a parent
	 * woken by WaitTask (or anyone after it) finds them free, quiesced.
	 * Its mappings stay until then, but nothing runs in them any more. */
	irq_report_held(self->pid);
	(void)msix_release_owner(self->pid);
	(void)device_release_all(self->pid);
	record_exit(self->pid, self->outcome);
	sched_wake_all(BLOCK_CHILD, self->pid); /* a parent in WaitTask */
	thread_exit(); /* the reaper destroys the process */
}

void user_exit(int64_t code)
{
	end_program(USER_END_EXITED, code);
}

void user_killed(void)
{
	end_program(USER_END_KILLED, 0);
}

#define WHO_MAX (sizeof(((struct process_info *)0)->name) + 16)

/* "hello.elf (pid 3)": who is being ended. */
static void name_current(char who[WHO_MAX])
{
	struct process_info info;
	kpid_t pid = process_current();

	if (process_lookup(pid, &info) == K_OK)
		format_snprintf(who, WHO_MAX, "%s (pid %u)", info.name, PID_SLOT(pid));
	else
		format_snprintf(who, WHO_MAX, "a process that no longer exists");
}

static const char *access_words(const struct trap_info *t)
{
	if (t->kind != TRAP_PAGE_FAULT)
		return "";
	return t->fetch ? " on instruction fetch" : t->write ? " on write" : " on read";
}

/* One line, printed whole, so no other CPU's output can split it. */
void user_fault_end(const struct trap_info *t)
{
	char who[WHO_MAX], where[32] = "";

	output_flush(process_current()); /* the program's last words first */
	name_current(who);
	if (t->has_address)
		format_snprintf(where, sizeof(where), " at %#llx", (unsigned long long)t->address);
	println("user fault: %s ended: %s%s%s, ip %#llx", who, t->name, access_words(t), where,
		(unsigned long long)arch_trap_frame_ip(t->frame));
	end_program(USER_END_FAULTED, 0);
}

void user_refuse(const char *why, uint64_t ip)
{
	char who[WHO_MAX];

	output_flush(process_current());
	name_current(who);
	println("user fault: %s ended: %s, ip %#llx", who, why, (unsigned long long)ip);
	end_program(USER_END_FAULTED, 0);
}
