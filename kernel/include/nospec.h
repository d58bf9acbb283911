/*
 * nospec: array indices that stay in bounds under speculation.
 *
 * A bounds check is a branch, and a CPU may speculate past it with an
 * index the caller chose (Spectre variant 1); if the entry it loads then
 * steers a call or another load, the caller has a gadget. Masking the
 * index with arithmetic -- no branch to mispredict -- keeps even the
 * speculative access inside the array. Use it after the real check, where
 * a user-chosen index selects a function or an address. (The system-call
 * entry paths do the same in their assembly.)
 */
#ifndef CAMBIOS_NOSPEC_H
#define CAMBIOS_NOSPEC_H

#include <stddef.h>

/* `index` when it is below `size`, else 0 (size at most 2^63). */
static inline size_t index_nospec(size_t index, size_t size)
{
	/* Both index and size - 1 - index have the top bit clear exactly
	 * when index < size: that bit, inverted, is 1 then, and 0 - 1 is
	 * all ones. */
	size_t in_bounds = ~(index | (size - 1 - index)) >> (sizeof(size_t) * 8 - 1);
	size_t mask = 0 - in_bounds;

	__asm__("" : "+r"(mask)); /* the compiler must not turn it back into a branch */
	return index & mask;
}

#endif
