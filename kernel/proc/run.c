/*
 * run: running a process's user code, and how it ends (user.h).
 *
 * What a CPU runs is recorded per CPU (indexed by arch_cpu_index(), written
 * only by that CPU): the process, and how it ended, filled in by the
 * kernel-side halves user_exit() and user_fault_end() just before they
 * abandon the program. process_run() then reads the outcome, so an exit
 * code can never be mistaken for a fault, whatever its value.
 */
#include <user.h>

#include <arch.h>
#include <boot.h>
#include <format.h>
#include <output.h>
#include <panic.h>
#include <printk.h>
#include <process.h>
#include <stdbool.h>
#include <trap.h>
#include <vm.h>

struct cpu_run {
	bool running;
	kpid_t pid;
	struct user_outcome outcome;
};

static struct cpu_run runs[MP_MAX_CPUS];

static struct cpu_run *this_cpu_run(void)
{
	unsigned cpu = arch_cpu_index();

	return cpu < MP_MAX_CPUS ? &runs[cpu] : NULL;
}

kpid_t process_current(void)
{
	const struct cpu_run *r = this_cpu_run();

	return r && r->running ? r->pid : PID_NONE;
}

struct user_outcome process_run(kpid_t pid, uint64_t entry, uint64_t sp)
{
	struct address_space *as = process_address_space(pid);
	struct cpu_run *r = this_cpu_run();

	if (!as || !r || r->running)
		return (struct user_outcome){ .end = USER_END_NOT_RUN };
	*r = (struct cpu_run){ .running = true, .pid = pid };
	(void)process_set_state(pid, PROCESS_RUNNING);
	struct address_space *previous = vm_switch_current_space(as);
	arch_user_run(entry, sp, vm_space_root(as));
	output_flush(pid); /* a last line without its newline */
	(void)vm_switch_current_space(previous);
	(void)process_set_state(pid, PROCESS_EXITED);
	r->running = false;
	return r->outcome;
}

/* Records the outcome and leaves the program for good. */
static __attribute__((noreturn)) void end_program(enum user_end end, int64_t code)
{
	struct cpu_run *r = this_cpu_run();

	if (!r || !r->running)
		panic("a user program ended on CPU %u, which runs none", arch_cpu_index());
	r->outcome = (struct user_outcome){ .end = end, .exit_code = code };
	arch_user_return();
}

void user_exit(int64_t code)
{
	end_program(USER_END_EXITED, code);
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
