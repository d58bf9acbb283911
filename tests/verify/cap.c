/*
 * cap (verify harness): the capability manager driven through every
 * sequence of its operations, over the real process table.
 *
 * Every argument a caller takes from outside is unknown: pids are any
 * 64-bit value (live, stale after a slot's reuse, or garbage -- the
 * system calls pass user-supplied pids straight through), endpoints and
 * rights any 32-bit value. A loop of nondeterministic operations --
 * process creation and the death of every process among them, so slots
 * are reused and stale tables met -- lets EVA see every reachable state of the tables,
 * not only the one after cap_init().
 */
#include <__fc_builtin.h>
#include <cap.h>
#include <process.h>

static kpid_t any_pid(void)
{
	kpid_t pid;

	Frama_C_make_unknown((char *)&pid, sizeof(pid));
	return pid;
}

static uint32_t any_u32(void)
{
	return Frama_C_unsigned_int_interval(0, UINT32_MAX);
}

enum op { OP_CREATE, OP_DESTROY, OP_RESET, OP_GRANT, OP_DELEGATE, OP_REVOKE, OP_CHECK, OP_RIGHTS, OP_COUNT };

static void one_operation(void)
{
	kpid_t pid;

	switch (Frama_C_int_interval(0, OP_COUNT - 1)) {
	case OP_CREATE:
		(void)process_create("user", &pid);
		break;
	case OP_DESTROY: /* any pid: live, stale, a kernel one or garbage */
		(void)process_destroy(any_pid());
		break;
	case OP_RESET:
		/* Every process dies, the kernel's are made again (generation
		 * 0): each old pid is stale or names a new process. */
		process_table_reset();
		(void)process_table_init();
		break;
	case OP_GRANT:
		(void)cap_grant(any_pid(), any_u32(), any_u32());
		break;
	case OP_DELEGATE:
		(void)cap_delegate(any_pid(), any_pid(), any_u32(), any_u32());
		break;
	case OP_REVOKE:
		(void)cap_revoke(any_pid(), any_pid(), any_u32(), any_u32());
		break;
	case OP_CHECK:
		(void)cap_check(any_pid(), any_u32(), any_u32());
		break;
	default:
		(void)cap_rights(any_pid(), any_u32());
		break;
	}
}

int main(void)
{
	if (process_table_init() != K_OK)
		return 0;
	cap_init();
	while (Frama_C_nondet(0, 1))
		one_operation();
	(void)cap_revocations();
	return 0;
}
