/*
 * host_world: see host_world.h.
 */
#include "host_world.h"

#include <frame.h>
#include <hhdm.h>
#include <process.h>
#include <stdint.h>
#include <stdlib.h>

#define FAKE_PHYS_BASE 0x40000000ull
#define ARENA_SIZE (8ull << 20)

int host_world_boot_processes(void)
{
	static void *arena;

	if (!arena)
		arena = aligned_alloc(4096, ARENA_SIZE);
	if (!arena)
		return -1;
	process_table_reset(); /* gives its frames back to the old allocator */
	hhdm_set_offset((uint64_t)(uintptr_t)arena - FAKE_PHYS_BASE);
	frame_init();
	frame_set_window(FAKE_PHYS_BASE);
	if (frame_add_usable(FAKE_PHYS_BASE, ARENA_SIZE) != K_OK)
		return -1;
	return process_table_init() == K_OK ? 0 : -1;
}
