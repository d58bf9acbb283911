/*
 * stress: what user/stress (the conductor) and user/churn (its workers)
 * agree on -- a minute of processes that send, receive, allocate, fault
 * and exit on every CPU (tests/boot/test_smp.py).
 *
 * A worker's fate follows from its process slot, which both know:
 * CHURN_FAULTS ends in a deliberate fault, CHURN_CODE in exit code
 * CHURN_CODE_BASE + slot, the rest in exit code 0. Any other ending --
 * 1 to 9 from a failed check in the worker -- is a failure.
 */
#ifndef CAMBIOS_USER_STRESS_H
#define CAMBIOS_USER_STRESS_H

#include <stdint.h>

#define STRESS_SECONDS 60
#define STRESS_AT_ONCE 12          /* workers alive together */
#define STRESS_TICKS_PER_SECOND 100

#define CHURN_FATES 6
#define CHURN_FAULTS 1
#define CHURN_CODE 2
#define CHURN_CODE_BASE 100
#define CHURN_FIRST_ENDPOINT 8     /* worker endpoints: 8-15, first come */
#define CHURN_ENDPOINTS 8

static inline unsigned churn_fate(int64_t slot)
{
	return (unsigned)(slot % CHURN_FATES);
}

#endif
