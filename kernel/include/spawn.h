/*
 * spawn: making a process out of an accepted boot module.
 *
 * The seed's "for each verified module, the kernel creates a full user
 * process": its own page tables (kernel half shared), the program loaded
 * under W^X at its link address, a 64 KiB stack below 0x800000 over an
 * unmapped guard page (program.h), and a user thread ready to run it. A
 * module that is not a program (kernel.sym) or that the loader refuses
 * gets nothing: every page and slot taken on the way is given back.
 */
#ifndef CAMBIOS_SPAWN_H
#define CAMBIOS_SPAWN_H

#include <kerr.h>
#include <process.h>
#include <verifier.h>

/* Spawns `m` as a process whose thread is ready on this CPU; *pid
 * receives its id. K_EINVAL (with the loader's reason printed) for a
 * module that is not a valid program, K_EFULL/K_ENOMEM when out of slots
 * or memory. One line either way: "process <pid> <name>: ...". */
__must_check kerr_t spawn_module(const struct verified_module *m, kpid_t *pid);

/* spawn_module, but the new thread starts on the CPU with the fewest
 * runnable tasks (sched_place): a process made at run time (Spawn) does
 * not wait for the balancer to leave its parent's CPU. */
__must_check kerr_t spawn_module_anywhere(const struct verified_module *m, kpid_t *pid);

/* The process that started `pid` with Spawn (sys_process.c keeps the
 * record), or PID_NONE for one the boot started or that is not alive. */
kpid_t spawn_parent_of(kpid_t pid);

/* Spawns every accepted module that is an ELF program, in boot order. */
void spawn_boot_programs(void);

#endif
