/*
 * sys_process: the process system calls -- 25 Spawn and 26 WaitTask.
 *
 * Spawn(name, len) starts a new process from an accepted boot module,
 * found by its signed role or else its file name ("echo" or "echo.elf"),
 * as the boot does (spawn.h), and returns the child's pid (slot number).
 * WaitTask(pid) blocks until that child -- only a child of the caller --
 * has ended and returns its exit code. A child ended by a fault gives
 * SYS_EINTR (-6, the original's reserved "Interrupted"); the original's
 * WaitTask has one result, so a child that calls Exit(-6) looks the same
 * (the kernel itself keeps the two apart, user.h). A task blocked in
 * WaitTask costs no CPU; the child's end wakes it. Errors: SYS_EINVAL for
 * a name that is too long, SYS_ENOENT for no such module (a name is all
 * len bytes: one with a NUL among them names none) or no such child
 * of the caller (or one whose end is forgotten: the kernel keeps one exit
 * record per process slot, until another process of that slot ends),
 * SYS_EFAULT for a bad name pointer.
 */
#ifndef CAMBIOS_SYS_PROCESS_H
#define CAMBIOS_SYS_PROCESS_H

#include <stdint.h>
#include <syscall.h>

int64_t sys_spawn(const struct syscall_frame *f);
int64_t sys_wait_task(const struct syscall_frame *f);

#endif
