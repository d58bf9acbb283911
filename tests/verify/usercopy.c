/*
 * usercopy (verify harness): the user-copy range checks of kernel/mm/
 * usercopy.c (usercopy.h) -- user_check_writable, and the resolution of a
 * user range into a span (user_span, user_span_full) with the space's
 * page hints -- driven by a loop of unknown operations.
 *
 * Every argument a system call takes from its caller is unknown here: the
 * user address (any 64-bit value: 0, the top of the lower half, the
 * kernel half, the last bytes before 2^64), the length (any, 0 and 2^64 -
 * 1 included), and whether the range is to be written. The address space
 * behind them is the stub's (stubs/usercopy_world.c): each page walk may
 * find a page or not, user or not, writable or not, differently at every
 * call, and the running thread may have no space at all. The loop lets
 * EVA see every state the space's page hints can reach -- empty, filled
 * by earlier calls, made stale by an unmap (the generation bump) -- not
 * just the first.
 *
 * Not driven here yet: copy_from_user / copy_to_user and the span copies
 * (lib/span.c). Their memory safety rests on sums of two unknowns -- an
 * offset plus a length within a page, within a span, within the
 * caller's buffer -- which EVA's non-relational domains cannot carry (it
 * reports every memcpy there as unknown); their contracts (usercopy.h,
 * span.h) are stated but not yet proven by WP. What is proven here is
 * that the checks refuse every range that leaves user space, and (WP,
 * usercopy.mk) that a span user_span_full resolves is valid memory of
 * exactly the length asked for.
 */
#include <__fc_builtin.h>
#include <span.h>
#include <stdint.h>
#include <usercopy.h>

#include "stubs/usercopy_world.h"

int main(void)
{
	usercopy_world_init();
	while (Frama_C_nondet(0, 1)) {
		uint64_t va = Frama_C_size_t_interval(0, SIZE_MAX);
		size_t len = Frama_C_size_t_interval(0, SIZE_MAX);
		bool write = Frama_C_nondet(0, 1);
		struct span s;
		kerr_t err;

		world_current = Frama_C_nondet(0, 1) ? &world_space : NULL;
		switch (Frama_C_interval(0, 3)) {
		case 0:
			err = user_check_writable(va, len);
			break;
		case 1:
			err = user_span(va, len, write, &s);
			break;
		case 2:
			err = user_span_full(va, len, write, &s);
			break;
		default:
			/* An unmap or protect elsewhere: every hint goes stale. */
			world_space.generation++;
			err = K_OK;
			break;
		}
		(void)err;
	}
	return 0;
}
