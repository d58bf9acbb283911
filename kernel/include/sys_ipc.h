/*
 * sys_ipc: the IPC system calls (numbers in include/abi/syscall.h).
 *
 * Thin, checked bridges from a user program to ipc.h: every pointer goes
 * through the user-copy routines and every length is checked before
 * anything changes. A process's reply endpoint -- the `from` its messages
 * carry, where answers go -- is the first endpoint it registered (the
 * original's later rule), or none. RecvMsg blocks (thread.h sched_wait)
 * until a message is there; Write wakes whoever waits on the endpoint.
 */
#ifndef CAMBIOS_SYS_IPC_H
#define CAMBIOS_SYS_IPC_H

#include <kerr.h>
#include <stdint.h>
#include <syscall.h>

int64_t sys_write(const struct syscall_frame *f);
int64_t sys_read(const struct syscall_frame *f);
int64_t sys_register_endpoint(const struct syscall_frame *f);
int64_t sys_recv_msg(const struct syscall_frame *f);
int64_t sys_try_recv_msg(const struct syscall_frame *f);
int64_t sys_get_principal(const struct syscall_frame *f);

#endif
