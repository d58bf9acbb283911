/*
 * verify_prelude.h: included ahead of every file Frama-C 25 parses
 * (mk/verify.mk), for the few GCC/C11 forms its front end lacks.
 *
 * - _Atomic: Frama-C's <stdatomic.h> defines the qualifier away (its
 *   parser does not know it); the analyses are single-threaded, so an
 *   atomic T is a T. It is included first so that every file gets the
 *   definition. (The specifier form, _Atomic(T), would be left as a bare
 *   parenthesis: the tree writes the qualifier form only.)
 * - __builtin_add_overflow: only the fixed-type variants are known; the
 *   tree uses it on uint64_t alone, so it is spelled out for that type.
 * - __builtin_popcount / ctz / clz: written out as plain loops with the
 *   builtins' own precondition (ctz and clz of 0 are undefined), so a call
 *   with 0 is an alarm here as it is a bug on the hardware.
 * - __atomic_thread_fence: nothing to order in a one-CPU analysis.
 * - atomic_load / store / fetch_add: typed, in place of Frama-C's void *
 *   functions (below).
 * - <string.h> first: Frama-C's annotated memcpy/memset contracts then
 *   cover kstring.h's declarations of the same functions.
 * - memcmp: our own contract, in place of Frama-C's. Its library contract
 *   reads the bytes as char and asks for them initialised and not
 *   dangling; the tree compares uint8_t arrays (hashes, keys, signatures),
 *   which WP's typed memory model cannot relate to char, and lib/kstring.c's
 *   memcmp asks only that both ranges be readable. The contract says
 *   exactly that, over unsigned char: 0 when, and only when, the first n
 *   bytes agree.
 */
#ifndef CAMBIOS_VERIFY_PRELUDE_H
#define CAMBIOS_VERIFY_PRELUDE_H

#include <string.h>

#include <stdatomic.h>

/*@ requires \valid_read((const unsigned char *)a + (0 .. n - 1));
    requires \valid_read((const unsigned char *)b + (0 .. n - 1));
    assigns \result \from ((const unsigned char *)a)[0 .. n - 1],
                           ((const unsigned char *)b)[0 .. n - 1];
    ensures \result == 0 <==> (\forall integer i; 0 <= i < n ==>
                  ((const unsigned char *)a)[i] == ((const unsigned char *)b)[i]); */
int verify_memcmp(const void *a, const void *b, size_t n);
#define memcmp verify_memcmp

/*@ requires \valid(sum);
    assigns *sum \from a, b;
    ensures *sum == (unsigned long)(a + b);
    ensures \result <==> a + b > 18446744073709551615; */
static inline _Bool verify_add_overflow_u64(unsigned long a, unsigned long b, unsigned long *sum)
{
	*sum = a + b;
	return *sum < a;
}
#define __builtin_add_overflow(a, b, sum) verify_add_overflow_u64((a), (b), (sum))

/*@ assigns \result \from x;
    ensures 0 <= \result <= 64; */
static inline int verify_popcount_u64(unsigned long long x)
{
	int n = 0;

	/*@ loop assigns x, n;
	    loop invariant 0 <= n <= 64; */
	for (int i = 0; i < 64; i++) {
		n += (int)(x & 1u);
		x >>= 1;
	}
	return n;
}

/*@ requires x != 0;
    assigns \result \from x;
    ensures 0 <= \result <= 63; */
static inline int verify_ctz_u64(unsigned long long x)
{
	int n = 0;

	while ((x & 1u) == 0) {
		x >>= 1;
		n++;
	}
	return n;
}

/*@ requires x != 0;
    assigns \result \from x;
    ensures 0 <= \result <= 63; */
static inline int verify_clz_u64(unsigned long long x)
{
	int n = 0;

	while ((x & (1ull << 63)) == 0) {
		x <<= 1;
		n++;
	}
	return n;
}

#define __builtin_popcountll(x) verify_popcount_u64(x)
#define __builtin_popcount(x) verify_popcount_u64((unsigned)(x))
#define __builtin_ctzll(x) verify_ctz_u64(x)
#define __builtin_ctz(x) verify_ctz_u64((unsigned)(x))
#define __builtin_clzll(x) verify_clz_u64(x)
#define __builtin_clz(x) (verify_clz_u64((unsigned)(x)) - 32)

/* A fence orders memory between CPUs; one CPU's analysis has nothing to
 * order. */
#define __atomic_thread_fence(order) ((void)(order))

/* The C11 atomics the verified files use, typed: a load is a read, a
 * store a write, a fetch-add a read and a write. One CPU and one thread
 * (see ASSUMPTIONS.md); ordering between CPUs is the hardware's.
 * Frama-C's <stdatomic.h> hands the object to a function as void *, which
 * EVA can only read back through a stub and WP's typed memory model
 * cannot follow at all (the capability manager's goals about the loads'
 * validity and the stores' footprint stayed unproven). */
#undef atomic_load
#define atomic_load(obj) (*(obj))
#undef atomic_load_explicit
#define atomic_load_explicit(obj, order) (*(obj))
#undef atomic_store
#define atomic_store(obj, desired) ((void)(*(obj) = (desired)))
#undef atomic_store_explicit
#define atomic_store_explicit(obj, desired, order) ((void)(*(obj) = (desired)))
#undef atomic_fetch_add_explicit
#define atomic_fetch_add_explicit(obj, operand, order)                        \
	({                                                                    \
		__typeof__(*(obj)) verify_fetched_ = *(obj);                  \
		*(obj) = verify_fetched_ + (operand);                         \
		verify_fetched_;                                              \
	})

#endif
