/*
 * usercopy_world.h (verify stub): the address space the user-copy harness
 * runs in -- what tests/verify/stubs/usercopy_world.c models in place of
 * the page tables, the HHDM and the running CPU.
 */
#ifndef CAMBIOS_VERIFY_USERCOPY_WORLD_H
#define CAMBIOS_VERIFY_USERCOPY_WORLD_H

#include <stdint.h>
#include <vm.h>

/* The physical memory the user pages' frames lie in, seen through the
 * HHDM: a few frames are enough, since no copy depends on which frame a
 * page has, only that it has a whole one. */
#define WORLD_FRAMES 4
#define WORLD_RAM_SIZE (WORLD_FRAMES * VM_PAGE_SIZE)
extern uint8_t world_ram[WORLD_RAM_SIZE];

/* The one user address space of the running thread (when it has one). */
extern struct address_space world_space;

/* What vm_current_space() answers: &world_space or NULL (a kernel thread,
 * which has no user memory). */
extern struct address_space *world_current;

/* Sets the HHDM offset so that physical address p is world_ram + p, and
 * gives the space the empty hints vm_space_create gives it. */
void usercopy_world_init(void);

#endif
