/*
 * syscall (verify harness): the system-call dispatcher (kernel/lib/
 * syscall.c) over a call of any number with any arguments.
 *
 * What is under proof is the dispatch: the number's range check and the
 * table lookup it guards (index_nospec's masking included), the
 * interceptor's verdict, the error mapping, and syscall.c's own handlers
 * (Print's length check and copy, Exit, Yield, GetPid, GetCpu,
 * CpuFeatures, GetTime). The handlers of the other files are stubs that
 * read their frame and answer anything (stubs/syscall_world.c): each
 * file's argument checks are its own target's. The frame is what the
 * entry code saved from the caller's registers: every field unknown,
 * the number any 64-bit value (the listed ones, the gaps, the numbers
 * past the table, 2^64 - 1).
 */
#include <__fc_builtin.h>
#include <interceptor.h>
#include <stdint.h>
#include <syscall.h>

extern const struct interceptor world_interceptor;

int main(void)
{
	struct syscall_frame frame;

	Frama_C_make_unknown((char *)&frame, sizeof(frame));
	/* The default interceptor, or one whose hook may refuse anything. */
	interceptor_in_force = Frama_C_nondet(0, 1) ? &interceptor_default : &world_interceptor;
	(void)syscall_dispatch(&frame);
	(void)syscall_error((kerr_t)Frama_C_int_interval(K_OK, K_EAGAIN));
	(void)syscall_speaks_for_bootstrap(Frama_C_size_t_interval(0, SIZE_MAX));
	return 0;
}
