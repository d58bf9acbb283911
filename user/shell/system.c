/*
 * system: the commands that ask the kernel itself -- ps (ProcessInfo,
 * 81), mem and stats (SystemInfo, 82), cpus (CpuInfo, 83), spawn (Spawn,
 * 25) and kill (Kill, 80). The records are abi/system.h's; a kernel
 * that does not have a call yet answers SYS_ENOSYS, said in plain words.
 *
 * The kernel is trusted with the records' meaning, but not the shell's
 * own reading of them: a name is cut at its buffer, a state outside the
 * enum is shown as a number, a record for another slot than asked is
 * skipped.
 */
#include <kstring.h>
#include <sntp.h>

#include "../lib/sys.h"
#include "shell.h"

#define SLOTS_MAX 1024 /* the most process slots or CPUs asked about */
#define FINGERPRINT_LEN 8 /* a Principal is shown by its key's first 8 bytes */

/* SYS_ENOSYS (the call is not there yet) and other failures, said. */
static void say_call_failed(const char *call, int64_t r)
{
	struct line l = { .len = 0 };

	if (r != SYS_ENOSYS) {
		out_say_error(call, r);
		return;
	}
	put(&l, "shell: this kernel has no ");
	put(&l, call);
	put(&l, " system call yet");
	say(&l);
}

static const char *state_name(const struct sys_process_info *p)
{
	static const char *const blocked[] = { "blocked", "blocked (message)",
					       "blocked (interrupt or console)",
					       "blocked (child)", "blocked (other)" };

	switch (p->state) {
	case SYS_PROCESS_CREATED:
		return "created";
	case SYS_PROCESS_READY:
		return "ready";
	case SYS_PROCESS_RUNNING:
		return "running";
	case SYS_PROCESS_BLOCKED:
		return p->block_reason <= SYS_BLOCK_OTHER ? blocked[p->block_reason] : "blocked";
	case SYS_PROCESS_EXITED:
		return "exited";
	case SYS_PROCESS_KERNEL:
		return "kernel";
	default:
		return "unknown state";
	}
}

/* Process `slot`'s record: 0, or the call's error. */
static int64_t process_at(uint32_t slot, struct sys_process_info *p)
{
	int64_t r = sys_process_info(slot, p);

	if (r == 0 && p->pid != slot)
		return SYS_ENOENT; /* not the record asked for */
	p->name[sizeof(p->name) - 1] = '\0';
	return r;
}

static void say_process(const struct sys_process_info *p)
{
	struct line l = { .len = 0 };

	put(&l, "  ");
	out_put_dec_padded(&l, p->pid, 5);
	out_put_padded(&l, p->name, 16);
	out_put_padded(&l, state_name(p), 32);
	if (p->cpu == SYS_NO_CPU)
		out_put_padded(&l, "-", 5);
	else
		out_put_dec_padded(&l, p->cpu, 5);
	if (p->has_principal)
		out_put_hex(&l, p->principal, FINGERPRINT_LEN);
	else
		put(&l, "-");
	if (p->killed)
		put(&l, " (being killed)");
	say(&l);
}

void cmd_ps(const struct shell_line *cl)
{
	struct sys_process_info p;
	unsigned shown = 0;

	(void)cl;
	for (uint32_t slot = 0; slot < SLOTS_MAX; slot++) {
		int64_t r = process_at(slot, &p);
		if (r == SYS_ENOENT)
			continue;
		if (r == SYS_EINVAL && slot > 0)
			break; /* past the table */
		if (r != 0) {
			say_call_failed("ProcessInfo", r);
			return;
		}
		if (shown++ == 0)
			say1("  pid  name            state                           cpu  principal");
		say_process(&p);
	}
	struct line l = { .len = 0 };
	put_dec(&l, shown);
	put(&l, " processes");
	say(&l);
}

static bool system_info(struct sys_system_info *s)
{
	int64_t r = sys_system_info(s);

	if (r != 0)
		say_call_failed("SystemInfo", r);
	return r == 0;
}

static void say_count_of(const char *what, uint64_t n, uint64_t of, const char *unit)
{
	struct line l = { .len = 0 };

	put(&l, what);
	put_dec(&l, (int64_t)n);
	put(&l, " of ");
	put_dec(&l, (int64_t)of);
	put(&l, unit);
	say(&l);
}

void cmd_mem(const struct shell_line *cl)
{
	struct sys_system_info s;
	struct line l = { .len = 0 };

	(void)cl;
	if (!system_info(&s))
		return;
	say_count_of("frames: ", s.frames_free, s.frames_total, " free (4 KiB each)");
	put(&l, "kernel heap: ");
	put_dec(&l, (int64_t)s.heap_in_use);
	put(&l, " of ");
	put_dec(&l, (int64_t)s.heap_bytes);
	put(&l, " bytes in use, ");
	put_dec(&l, (int64_t)s.heap_allocations);
	put(&l, " live allocations");
	say(&l);
	l.len = 0;
	put(&l, "object store: ");
	put_dec(&l, s.objects);
	put(&l, " of ");
	put_dec(&l, s.objects_max);
	put(&l, " objects, ");
	put_dec(&l, (int64_t)s.object_bytes);
	put(&l, " bytes");
	say(&l);
}

/* The name of the process in `pid` for a CPU line ("kernel thread"). */
static void put_runner(struct line *l, uint32_t pid)
{
	struct sys_process_info p;

	if (pid == SYS_NO_PROCESS) {
		put(l, "a kernel thread");
		return;
	}
	put(l, "pid ");
	put_dec(l, pid);
	if (process_at(pid, &p) == 0) {
		put(l, " (");
		put(l, p.name);
		put(l, ")");
	}
}

static void say_cpu(const struct sys_cpu_info *c)
{
	struct line l = { .len = 0 };
	uint64_t idle = c->ticks ? c->idle_ticks * 100 / c->ticks : 0;

	put(&l, "cpu ");
	put_dec(&l, c->index);
	put(&l, " (hw ");
	put_hex(&l, c->hw_id_low);
	put(&l, "): ");
	put_dec(&l, (int64_t)c->ticks);
	put(&l, " ticks, idle ");
	put_dec(&l, (int64_t)idle);
	put(&l, "%, ");
	put_dec(&l, (int64_t)c->switches);
	put(&l, " switches, ");
	put_dec(&l, c->ready);
	put(&l, " ready, ");
	put_dec(&l, c->blocked);
	put(&l, " blocked; running ");
	put_runner(&l, c->current_pid);
	say(&l);
}

/* Calls `each` for every CPU scheduling; false (said) if CpuInfo fails. */
static bool for_each_cpu(void (*each)(const struct sys_cpu_info *c))
{
	struct sys_cpu_info c;

	for (uint32_t i = 0; i < SLOTS_MAX; i++) {
		int64_t r = sys_cpu_info(i, &c);
		if (r == SYS_ENOENT || (r == 0 && c.index != i))
			continue;
		if (r == SYS_EINVAL && i > 0)
			return true; /* past the kernel's limit */
		if (r != 0) {
			say_call_failed("CpuInfo", r);
			return false;
		}
		each(&c);
	}
	return true;
}

void cmd_cpus(const struct shell_line *cl)
{
	(void)cl;
	(void)for_each_cpu(say_cpu);
}

static void say_cpu_counts(const struct sys_cpu_info *c)
{
	struct line l = { .len = 0 };

	put(&l, "cpu ");
	put_dec(&l, c->index);
	put(&l, ": ");
	put_dec(&l, (int64_t)c->switches);
	put(&l, " switches, ");
	put_dec(&l, (int64_t)c->ipis_received);
	put(&l, " IPIs received, ");
	put_dec(&l, (int64_t)c->tlb_shootdowns);
	put(&l, " TLB shootdowns served");
	say(&l);
}

/* GetWallclock (40): the kernel's time of day, which the UDP/IP
 * service's SNTP client sets (and which then runs on the kernel's clock). */
void cmd_date(const struct shell_line *cl)
{
	struct sntp_date d;
	char text[24];
	struct line l = { .len = 0 };
	int64_t now = sys_call(SYS_GET_WALLCLOCK, 0, 0, 0);

	(void)cl;
	if (now == SYS_ENOENT) {
		say1("date: the wall clock is not set yet (the network's SNTP client sets it)");
		return;
	}
	sntp_date(now, &d);
	if (now < 0 || sntp_format(text, sizeof(text), &d) == 0) {
		out_say_error("GetWallclock", now);
		return;
	}
	put(&l, "date: ");
	put(&l, text);
	put(&l, " UTC");
	say(&l);
}

void cmd_stats(const struct shell_line *cl)
{
	struct sys_system_info s;
	struct line l = { .len = 0 };

	(void)cl;
	if (!system_info(&s))
		return;
	put(&l, "uptime: ");
	put_dec(&l, (int64_t)(s.ticks_per_second ? s.uptime_ticks / s.ticks_per_second : 0));
	put(&l, " s (");
	put_dec(&l, (int64_t)s.uptime_ticks);
	put(&l, " ticks); ");
	put_dec(&l, s.cpus);
	put(&l, " CPUs; ");
	put_dec(&l, s.modules);
	put(&l, " boot modules");
	say(&l);
	say_count_of("processes: ", s.processes, s.processes_max, "");
	say_count_of("threads: ", s.threads, s.threads_max, "");
	l.len = 0;
	put(&l, "kernel heap: ");
	put_dec(&l, (int64_t)s.heap_allocs);
	put(&l, " allocations and ");
	put_dec(&l, (int64_t)s.heap_frees);
	put(&l, " frees since boot");
	say(&l);
	l.len = 0;
	put(&l, "interrupts delivered to drivers: ");
	put_dec(&l, (int64_t)s.interrupts);
	say(&l);
	(void)for_each_cpu(say_cpu_counts);
}

void cmd_spawn(const struct shell_line *cl)
{
	size_t len;
	const char *name = shell_arg(cl, 1, &len);
	struct line l = { .len = 0 };
	int64_t pid = sys_spawn(name, len);

	if (pid == SYS_ENOENT) {
		put(&l, "shell: spawn: no boot module named \"");
		out_put_n(&l, name, len);
		put(&l, "\"");
		say(&l);
		return;
	}
	if (pid < 0) {
		out_say_error("spawn", pid);
		return;
	}
	put(&l, "spawned ");
	out_put_n(&l, name, len);
	put(&l, " as pid ");
	put_dec(&l, pid);
	say(&l);
}

static void say_killed(uint32_t pid, const char *name)
{
	struct line l = { .len = 0 };

	put(&l, "kill: process ");
	put_dec(&l, pid);
	if (name) {
		put(&l, " (");
		put(&l, name);
		put(&l, ")");
	}
	put(&l, " is being ended");
	say(&l);
}

void cmd_kill(const struct shell_line *cl)
{
	size_t len;
	const char *word = shell_arg(cl, 1, &len);
	struct sys_process_info p;
	uint64_t pid;
	enum shell_parse pr = shell_parse_number(word, len, 0, UINT32_MAX, &pid);

	if (pr != SHELL_PARSE_OK) {
		struct line l = { .len = 0 };
		put(&l, "shell: kill: PID \"");
		out_put_n(&l, word, len);
		put(&l, "\": ");
		put(&l, shell_parse_reason(pr));
		say(&l);
		return;
	}
	bool known = process_at((uint32_t)pid, &p) == 0; /* for the name in the answer */
	int64_t r = sys_kill((int64_t)pid);
	if (r == SYS_ENOSYS)
		say_call_failed("Kill", r);
	else if (r == SYS_EPERM)
		say1("shell: kill: not allowed (the kernel's own processes 0-2 are never killed)");
	else if (r == SYS_ENOENT || r == SYS_EINVAL)
		say1("shell: kill: no such process");
	else if (r != 0)
		out_say_error("kill", r);
	else
		say_killed((uint32_t)pid, known ? p.name : NULL);
}
