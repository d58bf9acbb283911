/*
 * sched_model: a shadow model of one CPU's run queue, and a driver that
 * runs every operation on the real scheduler (kernel/sched/sched.c) and on
 * the model side by side.
 *
 * The world: an idle task and SCHED_MODEL_TASKS tasks of assorted
 * priorities, all starting ready. An operation is two bytes (the kind and
 * an argument), so any byte string is a valid sequence: the unit test
 * feeds random bytes, the fuzzer libFuzzer's. The model is the rules
 * stated plainly -- four FIFO lists, the highest non-empty one runs, a
 * running task goes to the back of its own -- and after each operation
 * the real queue must hold the same tasks in the same order, the same
 * task must run with the same quantum, every verdict must agree, and
 * runq_check() must find nothing wrong.
 */
#ifndef CAMBIOS_SCHED_MODEL_H
#define CAMBIOS_SCHED_MODEL_H

#include <stddef.h>
#include <stdint.h>

#define SCHED_MODEL_TASKS 8
#define SCHED_MODEL_OP_BYTES 2

/* Sets up a fresh world. */
void sched_model_boot(void);

/* Runs the operations in `bytes`; returns 0, or -1 after printing the
 * first disagreement (to stderr). */
int sched_model_run(const uint8_t *bytes, size_t len);

#endif
