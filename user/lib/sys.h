/*
 * sys: the system calls as seen from a user program (user/lib).
 *
 * Numbers and error codes come from include/abi/syscall.h, the one
 * definition the kernel uses too.
 */
#ifndef CAMBIOS_USER_SYS_H
#define CAMBIOS_USER_SYS_H

#include <abi/syscall.h>
#include <abi/system.h>
#include <stddef.h>
#include <stdint.h>

int64_t sys_call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2);
int64_t sys_call4(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);

static inline int64_t sys_print(const char *buf, size_t len)
{
	return sys_call(SYS_PRINT, (uint64_t)(uintptr_t)buf, len, 0);
}

__attribute__((noreturn)) void sys_exit(int64_t code);

static inline int64_t sys_write(uint32_t endpoint, const void *buf, size_t len)
{
	return sys_call(SYS_WRITE, endpoint, (uint64_t)(uintptr_t)buf, len);
}

static inline int64_t sys_register_endpoint(uint32_t endpoint)
{
	return sys_call(SYS_REGISTER_ENDPOINT, endpoint, 0, 0);
}

/* Blocks for a message: SYS_MSG_PREFIX bytes of identity, then the payload. */
static inline int64_t sys_recv_msg(uint32_t endpoint, void *buf, size_t len)
{
	return sys_call(SYS_RECV_MSG, endpoint, (uint64_t)(uintptr_t)buf, len);
}

/* The reply endpoint in a received message's identity prefix. */
static inline uint32_t sys_msg_from(const uint8_t *msg)
{
	const uint8_t *p = msg + IPC_PREFIX_REPLY_ENDPOINT; /* little-endian (abi/ipc.h) */

	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Raw console input: blocks until a byte is typed; up to len (1..256). */
static inline int64_t sys_console_read(void *buf, size_t len)
{
	return sys_call(SYS_CONSOLE_READ, (uint64_t)(uintptr_t)buf, len, 0);
}

/* Blocks until interrupt `line` (a GSI / GIC INTID) fires; the first
 * waiter holds the line. */
static inline int64_t sys_wait_irq(uint64_t line)
{
	return sys_call(SYS_WAIT_IRQ, line, 0, 0);
}

static inline int64_t sys_yield(void)
{
	return sys_call(SYS_YIELD, 0, 0, 0);
}

static inline int64_t sys_getpid(void)
{
	return sys_call(SYS_GETPID, 0, 0, 0);
}

/* Zeroed read+write pages (1 B..1 MiB, rounded up), or a negative error. */
static inline int64_t sys_allocate(uint64_t size)
{
	return sys_call(SYS_ALLOCATE, size, 0, 0);
}

static inline int64_t sys_free(int64_t address)
{
	return sys_call(SYS_FREE, (uint64_t)address, 0, 0);
}

/* Starts the accepted boot module with this role or file name: its pid. */
static inline int64_t sys_spawn(const char *name, size_t len)
{
	return sys_call(SYS_SPAWN, (uint64_t)(uintptr_t)name, len, 0);
}

/* Waits for child `pid` to end: its exit code, or SYS_EINTR with
 * status->ended SYS_TASK_FAULTED (a fault) or SYS_TASK_KILLED (Kill)
 * when it did not exit (status may be NULL). */
static inline int64_t sys_wait_task(int64_t pid, struct sys_task_status *status)
{
	return sys_call(SYS_WAIT_TASK, (uint64_t)pid, (uint64_t)(uintptr_t)status, 0);
}

/* Ends process `pid` (abi/system.h: its parent or a bootstrap-Principal
 * process may); 0 once the kill is under way. */
static inline int64_t sys_kill(int64_t pid)
{
	return sys_call(SYS_KILL, (uint64_t)pid, 0, 0);
}

/* Process-table slot `slot`: 0, SYS_ENOENT for a free slot. */
static inline int64_t sys_process_info(uint32_t slot, struct sys_process_info *out)
{
	return sys_call(SYS_PROCESS_INFO, slot, (uint64_t)(uintptr_t)out, sizeof(*out));
}

static inline int64_t sys_system_info(struct sys_system_info *out)
{
	return sys_call(SYS_SYSTEM_INFO, (uint64_t)(uintptr_t)out, sizeof(*out), 0);
}

/* CPU `index`: 0, SYS_ENOENT for one that is not scheduling. */
static inline int64_t sys_cpu_info(uint32_t index, struct sys_cpu_info *out)
{
	return sys_call(SYS_CPU_INFO, index, (uint64_t)(uintptr_t)out, sizeof(*out));
}

static inline int64_t sys_get_cpu(void)
{
	return sys_call(SYS_GET_CPU, 0, 0, 0);
}

static inline int64_t sys_gettime(void)
{
	return sys_call(SYS_GETTIME, 0, 0, 0);
}

/* The program's entry point, called by _start. Its return value becomes
 * the exit code. */
int main(void);

#endif
