/*
 * host_world: a booted kernel's bookkeeping, on the host, for tests,
 * fuzzers and benchmarks.
 *
 * Physical memory is an 8 MiB host arena seen through a fake HHDM; the
 * frame allocator manages it, so every process gets a real address space
 * built by the real page-table code.
 */
#ifndef CAMBIOS_HOST_WORLD_H
#define CAMBIOS_HOST_WORLD_H

/* Tears down any previous world (processes first, while their frames are
 * still accounted), then sets up frames and the process table with the
 * kernel processes 0-2. Returns 0 on success, -1 otherwise. */
int host_world_boot_processes(void);

#endif
