/*
 * atomics.c (verify stub): C11 atomics as a single CPU sees them, for
 * every target whose code reads or writes lock-free words with
 * atomic_load/store_explicit and atomic_fetch_add_explicit (process.c,
 * cap.c, usercopy.c, the system-call dispatcher).
 *
 * Frama-C 25's <stdatomic.h> turns these into calls it declares but does
 * not define, and its own definitions (libc/stdatomic.c) read through
 * volatile casts, which EVA answers with "any value": every process_alive,
 * every interceptor_current() would be unknown. Here they are what they
 * are on one CPU: a plain read, a plain write (the macro does the store
 * itself; the marker only records it), a plain add. Memory ordering
 * between CPUs is the hardware's and the analysis is single-threaded
 * (like the spinlocks in kernel.c). Each access must be to valid memory
 * of the object's size, which callers are checked against.
 * (ASSUMPTIONS.md lists this stub.)
 */
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* Only marks the store: the macro then writes *obj itself, and that
 * write is checked where it is. */
/*@ assigns \nothing; */
void __fc_atomic_store_explicit_marker(void *object, unsigned long long desired,
				       memory_order order)
{
	(void)object;
	(void)desired;
	(void)order;
}

/*@ requires obj_size == 1 || obj_size == 2 || obj_size == 4 || obj_size == 8;
    requires obj_size == 1 ==> \valid_read((uint8_t *)object);
    requires obj_size == 2 ==> \valid_read((uint16_t *)object);
    requires obj_size == 4 ==> \valid_read((uint32_t *)object);
    requires obj_size == 8 ==> \valid_read((uint64_t *)object);
    assigns \result \from ((uint8_t *)object)[0 .. obj_size - 1];
    ensures obj_size == 8 ==> \result == *((uint64_t *)object); */
unsigned long long __fc_atomic_load_explicit(void *object, memory_order order, size_t obj_size)
{
	(void)order;
	switch (obj_size) {
	case 1:
		return *(const uint8_t *)object;
	case 2:
		return *(const uint16_t *)object;
	case 4:
		return *(const uint32_t *)object;
	default:
		return *(const uint64_t *)object;
	}
}

/*@ requires obj_size == 1 || obj_size == 2 || obj_size == 4 || obj_size == 8;
    requires obj_size == 1 ==> \valid_read((uint8_t *)object);
    requires obj_size == 2 ==> \valid_read((uint16_t *)object);
    requires obj_size == 4 ==> \valid_read((uint32_t *)object);
    requires obj_size == 8 ==> \valid_read((uint64_t *)object);
    assigns \result \from ((uint8_t *)object)[0 .. obj_size - 1]; */
unsigned long long __fc_atomic_load(void *object, size_t obj_size)
{
	return __fc_atomic_load_explicit(object, memory_order_seq_cst, obj_size);
}

/*@ requires obj_size == 8;
    requires \valid((uint64_t *)object);
    assigns *(uint64_t *)object \from *(uint64_t *)object, operand;
    assigns \result \from *(uint64_t *)object; */
unsigned long long __fc_atomic_fetch_add_explicit(void *object, unsigned long long operand,
						  memory_order order, size_t obj_size)
{
	uint64_t *word = object;
	uint64_t before = *word;

	(void)order;
	(void)obj_size;
	*word = before + operand;
	return before;
}
