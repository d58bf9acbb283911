/*
 * user_programs: tiny user-mode programs the self-tests run.
 *
 * Written in each architecture's assembly (kernel/arch/<arch>/
 * user_programs.S), position-independent, and kept in the kernel's
 * read-only data between user_programs_start and user_programs_end. The
 * self-test copies that block into a fresh user page and enters it at the
 * offset of the program it wants.
 *
 * user_program_syscalls makes a series of system calls and checks each
 * answer; it exits with 0 when all were right, or with the number of the
 * first check that failed (1 echo, 2 print, 3 print of a kernel pointer
 * must fail with SYS_EFAULT, 4 an over-long print must fail with
 * SYS_EINVAL, 5 an unknown call must fail with SYS_ENOSYS).
 * user_program_spin counts down from 100 million and exits with 0: long
 * enough for timer interrupts to arrive while it runs in user mode.
 * The other three must be stopped by a fault: a write to their own
 * (read-only) code page, a read of kernel memory, a read of address 0.
 * If they ever continue, they exit with USER_PROGRAM_NOT_STOPPED.
 */
#ifndef CAMBIOS_USER_PROGRAMS_H
#define CAMBIOS_USER_PROGRAMS_H

#include <stdint.h>

#define USER_PROGRAM_NOT_STOPPED 99

extern const uint8_t user_programs_start[];
extern const uint8_t user_program_syscalls[];
extern const uint8_t user_program_spin[];
extern const uint8_t user_program_write_code[];
extern const uint8_t user_program_read_kernel[];
extern const uint8_t user_program_read_null[];
extern const uint8_t user_programs_end[];

#endif
