/*
 * syscall_world.c (verify stub): what kernel/lib/syscall.c's dispatcher
 * calls, reduced to what it may assume.
 *
 * Assumed (ASSUMPTIONS.md lists each):
 * - The handlers of the calls listed in include/abi/syscalls.def that live
 *   in other files (sys_ipc.c, sys_memory.c, ...): each takes a readable
 *   frame and returns any result. Their argument checks are each file's
 *   own; here only the dispatch to them is under proof.
 * - copy_from_user: its contract (kernel/mm/usercopy.c, verified by the
 *   usercopy target): fills its buffer or answers K_EFAULT.
 * - output_write, sched_yield, timer_ticks, arch_cpu_has_random,
 *   cpu_this, process_current, process_principal, identity_bootstrap:
 *   services outside the dispatcher; they read what they are given and
 *   answer anything of their type.
 * - user_exit: ends the calling thread (never returns).
 * - lock_order_classify, vm_current_space: specifications only (never
 *   called here; WP wants one for every function it meets).
 * - atomic_load_explicit: a plain load (verify_prelude.h).
 * - The interceptor in force: the default, or another whose hook answers
 *   anything (interceptor_in_force, chosen by the harness).
 */
#include <__fc_builtin.h>
#include <cpu.h>
#include <current.h>
#include <identity.h>
#include <interceptor.h>
#include <output.h>
#include <process.h>
#include <stdatomic.h>
#include <syscall.h>
#include <thread.h>
#include <timer.h>
#include <user.h>
#include <usercopy.h>

/* Every handler outside syscall.c: reads its frame, answers anything. */
/*@ requires \valid_read(f);
    assigns \result \from *f; */
static int64_t handler_elsewhere(const struct syscall_frame *f)
{
	uint64_t seen = f->nr;

	for (unsigned i = 0; i < 6; i++)
		seen ^= f->arg[i];
	(void)seen;
	return Frama_C_long_interval(INT64_MIN, INT64_MAX);
}

/* syscall.c's own handlers keep their real bodies: their stubs here get
 * names nothing calls. */
#define sys_exit stub_unused_sys_exit
#define sys_print stub_unused_sys_print
#define sys_yield stub_unused_sys_yield
#define sys_getpid stub_unused_sys_getpid
#define sys_get_cpu stub_unused_sys_get_cpu
#define sys_cpu_features stub_unused_sys_cpu_features
#define sys_gettime stub_unused_sys_gettime
#define SYSCALL(nr, name, handler, summary)                            \
	int64_t handler(const struct syscall_frame *f);                \
	int64_t handler(const struct syscall_frame *f)                 \
	{                                                              \
		return handler_elsewhere(f);                           \
	}
#include <abi/syscalls.def>
#undef SYSCALL

/*@ assigns \result \from caller, number; */
static kerr_t any_verdict(kpid_t caller, uint64_t number)
{
	(void)caller;
	(void)number;
	return (kerr_t)Frama_C_interval(K_OK, K_EAGAIN);
}

static kerr_t allow_all(kpid_t caller, uint64_t number)
{
	(void)caller;
	(void)number;
	return K_OK;
}

const struct interceptor interceptor_default = { .name = "default", .on_syscall = allow_all };
const struct interceptor world_interceptor = { .name = "any", .on_syscall = any_verdict };
const struct interceptor *_Atomic interceptor_in_force = &interceptor_default;

/* Under its contract in usercopy.h: fills the buffer or refuses. */
kerr_t copy_from_user(void *dst, uint64_t user_src, size_t len)
{
	(void)user_src;
	if (Frama_C_nondet(0, 1))
		return K_EFAULT;
	Frama_C_make_unknown((char *)dst, len);
	return K_OK;
}

/*@ requires \valid_read(bytes + (0 .. len - 1));
    assigns \nothing; */
void output_write(kpid_t pid, const char *bytes, size_t len)
{
	(void)pid;
	(void)bytes;
	(void)len;
}

/*@ assigns \nothing;
    ensures \false; */
void user_exit(int64_t code);

/*@ assigns \nothing; */
void sched_yield(void)
{
}

/*@ assigns \result \from \nothing; */
uint64_t timer_ticks(void)
{
	return Frama_C_size_t_interval(0, SIZE_MAX);
}

/*@ assigns \result \from \nothing; */
bool arch_cpu_has_random(void)
{
	return Frama_C_nondet(0, 1);
}

/* The per-CPU structs cpu.h declares without a size (cpu.c's). */
struct cpu cpu_structs[CPU_STRUCTS];

static struct cpu world_cpu;

/*@ assigns \result \from \nothing;
    ensures \result == &world_cpu; */
struct cpu *cpu_this(void)
{
	return &world_cpu;
}

/*@ assigns \result \from \nothing; */
kpid_t process_current(void)
{
	return (kpid_t)Frama_C_size_t_interval(0, SIZE_MAX);
}

static struct principal world_principal;

/*@ requires \valid(out);
    assigns *out, \result \from pid; */
kerr_t process_principal(kpid_t pid, struct principal *out)
{
	(void)pid;
	if (Frama_C_nondet(0, 1))
		return K_ENOENT;
	Frama_C_make_unknown((char *)out, sizeof(*out));
	return K_OK;
}

/*@ assigns \result \from \nothing;
    ensures \result == &world_principal; */
const struct principal *identity_bootstrap(void)
{
	return &world_principal;
}

/* Never called on the paths under proof (lock_debug.h's inline check
 * calls it); WP wants a specification for every function it meets. */
/*@ requires \valid_read(t) && \valid_read(lock) && \valid(conflict);
    assigns *conflict, \result \from *t, lock; */
enum lock_order_verdict lock_order_classify(const struct lock_tracker *t,
					    const struct spinlock *lock,
					    const struct spinlock **conflict);

/* Never called on the paths under proof (usercopy.h's inline user_span
 * asks it); WP wants a specification for every function it meets. */
/*@ assigns \result \from \nothing;
    ensures \result == \null || \valid(\result); */
struct address_space *vm_current_space(void);
