/*
 * sys_system: 80 Kill, 81 ProcessInfo, 82 SystemInfo, 83 CpuInfo
 * (abi/system.h). Work in progress on this branch: not yet implemented.
 */
#include <abi/syscall.h>
#include <syscall.h>

int64_t sys_kill(const struct syscall_frame *f) { (void)f; return SYS_ENOSYS; }
int64_t sys_process_info(const struct syscall_frame *f) { (void)f; return SYS_ENOSYS; }
int64_t sys_system_info(const struct syscall_frame *f) { (void)f; return SYS_ENOSYS; }
int64_t sys_cpu_info(const struct syscall_frame *f) { (void)f; return SYS_ENOSYS; }
