/*
 * sys_memory: 3 Allocate and 4 Free -- zeroed memory for a program.
 *
 * Allocate(size, flags) maps ceil(size / 4 KiB) zeroed, read+write, never
 * executable pages in the process's allocation area [USER_ALLOC_BASE,
 * USER_ALLOC_END), first fit, with an unmapped page after each region so
 * an overrun faults instead of running into the next; it returns the
 * region's address. 1 byte to 1 MiB; flags must be 0 (none are defined).
 * All or nothing: without the frames, nothing stays mapped (SYS_ENOMEM).
 * Free(address) unmaps the region that starts there and gives its frames
 * back; anything else is SYS_EINVAL, so a double free changes nothing.
 * A process has at most USER_ALLOC_REGIONS regions at once; whatever it
 * still holds goes with its address space when it ends.
 */
#ifndef CAMBIOS_SYS_MEMORY_H
#define CAMBIOS_SYS_MEMORY_H

#include <stdint.h>
#include <syscall.h>

#define USER_ALLOC_BASE 0x10000000ULL
#define USER_ALLOC_END 0x40000000ULL
#define USER_ALLOC_MAX (1024ULL * 1024)
#define USER_ALLOC_REGIONS 32

#endif
