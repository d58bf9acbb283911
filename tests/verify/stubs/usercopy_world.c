/*
 * usercopy_world.c (verify stub): the current address space, its page
 * walks and the HHDM, reduced to what kernel/mm/usercopy.c may assume.
 *
 * Assumed (ASSUMPTIONS.md lists each):
 * - vm_current_space: the running thread's space, or NULL for a kernel
 *   thread; the same answer throughout one call (world_current, which the
 *   harness chooses before each call).
 * - vm_translate / pt_user_page (the page walks of kernel/mm/vm.c and
 *   lib/pagetable.c): any answer at any call -- mapped or not, user or
 *   not, writable or not, and a different answer the next time (another
 *   CPU may unmap in between) -- but a frame they report is a whole 4 KiB
 *   frame of RAM the HHDM maps (here: one of world_ram's). That the real
 *   walks only report such frames is the page tables' own invariant (every
 *   mapping vm_map makes is of frames below VM_PHYS_LIMIT, covered by the
 *   HHDM), not something usercopy.c checks.
 * - atomic_load_explicit: a plain load (verify_prelude.h).
 * - hhdm_offset_value: the HHDM's offset, set so that physical address p
 *   is world_ram + p (kernel/mm/hhdm.c in the kernel).
 */
#include "usercopy_world.h"

#include <__fc_builtin.h>
#include <current.h>
#include <hhdm.h>
#include <kerr.h>
#include <pagetable.h>
#include <vm.h>

uint8_t world_ram[WORLD_RAM_SIZE];
struct address_space world_space;
struct address_space *world_current;
_Atomic uint64_t hhdm_offset_value;

void usercopy_world_init(void)
{
	hhdm_offset_value = (uint64_t)(uintptr_t)world_ram;
	for (unsigned i = 0; i < VM_PAGE_HINTS; i++)
		world_space.hints[i] = (struct vm_page_hint){ 0 };
	world_space.next_hint = 0;
}

/* A whole frame of world_ram, as a physical address. */
static uint64_t any_frame(void)
{
	return (uint64_t)Frama_C_interval(0, WORLD_FRAMES - 1) * VM_PAGE_SIZE;
}

/*@ assigns \result \from world_current;
    ensures \result == \null || \valid(\result); */
struct address_space *vm_current_space(void)
{
	return world_current;
}

/* The frame comes back with va's offset in its page, as the real walk's
 * physical address does. */
/*@ requires \valid_read(as);
    requires \valid(pa) && \valid(flags);
    assigns *pa, *flags, \result \from va, as->pt;
    ensures \result == K_OK || \result == K_EINVAL || \result == K_ENOENT;
    ensures \result == K_OK ==>
            *pa % VM_PAGE_SIZE == va % VM_PAGE_SIZE && *pa < WORLD_RAM_SIZE; */
kerr_t vm_translate(const struct address_space *as, uint64_t va, uint64_t *pa, unsigned *flags)
{
	(void)as;
	if (va >= VM_USER_END)
		return K_EINVAL;
	if (Frama_C_nondet(0, 1))
		return K_ENOENT;
	*pa = any_frame() + (va & (VM_PAGE_SIZE - 1));
	*flags = Frama_C_unsigned_int_interval(0, ~0u);
	return K_OK;
}

/*@ requires \valid_read(pt);
    requires \valid(frame);
    assigns *frame, \result \from va, write, *pt;
    ensures \result ==> *frame % VM_PAGE_SIZE == 0 && *frame <= WORLD_RAM_SIZE - VM_PAGE_SIZE; */
bool pt_user_page(const struct pagetable *pt, uint64_t va, bool write, uint64_t *frame)
{
	(void)pt;
	(void)va;
	(void)write;
	if (Frama_C_nondet(0, 1))
		return false;
	*frame = any_frame();
	return true;
}

