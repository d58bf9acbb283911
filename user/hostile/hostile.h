/*
 * hostile: what every program of the boundary corpus shares (user/hostile).
 *
 * The corpus is a set of signed programs that each try one thing a user
 * program must not be able to do to the kernel -- fault in every way the
 * CPU allows, read registers a previous program left, forge kernel log
 * lines, run its stack into the guard page -- and one line of each says
 * what it tries. The kernel's self-tests (kernel/selftest/boundary.c) run
 * them one by one and check how each ended; the boot tests read their
 * report lines. They are built into SELFTEST=1 images only.
 */
#ifndef CAMBIOS_USER_HOSTILE_H
#define CAMBIOS_USER_HOSTILE_H

#include "../lib/module.h"
#include "../lib/sys.h"

/* The exit code of a program that should have been stopped by a fault
 * but went on. */
#define HOSTILE_NOT_STOPPED 99

/* The endpoint user/hostile/blocker.c takes: one no service uses. */
#define BLOCKER_ENDPOINT 31

/* A number as a string, for system-call numbers in top-level assembly. */
#define CAMBIOS_STRINGIFY_(x) #x
#define CAMBIOS_STRINGIFY(x) CAMBIOS_STRINGIFY_(x)

#endif
