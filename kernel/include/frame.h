/*
 * frame: the physical frame allocator, owner of every 4 KiB frame of RAM
 * below 2 GiB that the memory map calls usable.
 *
 * Every frame is in exactly one of three states:
 *
 *   free       in the pool, available to frame_alloc*
 *   allocated  in the pool, handed out by frame_alloc* and not yet freed
 *   reserved   not in the pool: never usable RAM, or taken out of the pool
 *              by frame_reserve (the kernel heap, firmware, frame 0)
 *
 * The pool ("managed" frames) is free + allocated. Reserving a frame takes
 * it out of the pool; adding usable memory puts it back. Frame contents are
 * never touched: callers zero or fill frames through the HHDM.
 *
 * Frame 0 is never part of the pool, whatever the caller adds: physical
 * address 0 would be indistinguishable from a null pointer in the code
 * that uses it, and on PCs it holds the real-mode interrupt table.
 *
 * Locking: one lock, LOCK_FRAME_ALLOCATOR, taken inside every function
 * below with interrupts disabled. Callers may hold locks of a lower level
 * (scheduler, IPC, capability, process table) but must not hold the
 * interrupt router, object store, heap or console lock.
 */
#ifndef CAMBIOS_FRAME_H
#define CAMBIOS_FRAME_H

#include <kerr.h>
#include <limine.h>
#include <stddef.h>
#include <stdint.h>

/* A physical address. */
typedef uint64_t paddr_t;

#define FRAME_SHIFT 12
#define FRAME_SIZE (1ULL << FRAME_SHIFT)

/* The allocator covers a window of 2 GiB of physical addresses, 524,288
 * frames, one bit each: [window base, window base + FRAME_MANAGED_LIMIT).
 * The window starts at 0 unless frame_set_window() moves it (the boot path
 * starts it at the lowest usable memory, rounded down to 1 GiB). Usable
 * memory outside the window is counted and reported, never handed out. */
#define FRAME_MANAGED_LIMIT (2ULL << 30)
#define FRAME_WINDOW_ALIGN (1ULL << 30)
#define FRAME_COUNT (FRAME_MANAGED_LIMIT / FRAME_SIZE)

/* Moves the window to start at `base` (FRAME_WINDOW_ALIGN-aligned). Only
 * right after frame_init(), before any frame was added; ignored otherwise. */
void frame_set_window(paddr_t base);
paddr_t frame_window_base(void);

/* A physical range frame_init_from_memmap must keep out of the pool. */
struct frame_reservation {
	paddr_t base;
	uint64_t length;
	const char *what; /* for the log if the reservation is refused */
};

/* Empties the pool: every frame becomes reserved, all counters zero.
 * Also the way host tests start from a clean allocator. Must not run
 * concurrently with any other frame_* call. */
void frame_init(void);

/* Adds the whole frames inside [base, base + length) to the pool as free.
 * Partial frames at either edge are left out (they may share a frame with
 * something else). The part of the range at or above FRAME_MANAGED_LIMIT
 * is counted in frame_unmanaged_count() instead. Frames already free stay
 * free; frame 0 is skipped.
 * Errors: K_EINVAL if base + length overflows; K_EBUSY if an allocated
 * frame lies in the range (nothing is changed then). */
/*@ ensures \result == K_OK || \result == K_EINVAL || \result == K_EBUSY;
    ensures base + length > UINT64_MAX ==> \result == K_EINVAL; */
__must_check kerr_t frame_add_usable(paddr_t base, uint64_t length);

/* Takes every frame touching [base, base + length) out of the pool:
 * partial frames at the edges are reserved whole. Frames already reserved
 * stay reserved; the part above FRAME_MANAGED_LIMIT is ignored.
 * Errors: K_EINVAL if base + length overflows; K_EBUSY if an allocated
 * frame lies in the range (nothing is changed then: the frame's owner
 * would otherwise free it back into the pool later). */
/*@ ensures \result == K_OK || \result == K_EINVAL || \result == K_EBUSY;
    ensures base + length > UINT64_MAX ==> \result == K_EINVAL; */
__must_check kerr_t frame_reserve(paddr_t base, uint64_t length);

/* Builds the pool from the bootloader's memory map: frame_init(), every
 * USABLE entry added, then every range in reserved[0..count) reserved.
 * Prints the resulting counts, and how much usable memory outside the window is
 * left unmanaged, if any.
 * Errors: K_EINVAL if map (or one of its entries) is NULL, or reserved is
 * NULL with count > 0; otherwise the first error of frame_add_usable /
 * frame_reserve, after printing which range failed. */
/*@ requires map == \null || \valid_read(map);
    requires map != \null && map->entries != \null ==>
	\valid_read(map->entries + (0 .. map->entry_count - 1));
    requires reserved == \null || \valid_read(reserved + (0 .. count - 1));
    ensures map == \null ==> \result == K_EINVAL;
    ensures count > 0 && reserved == \null ==> \result == K_EINVAL; */
__must_check kerr_t frame_init_from_memmap(const struct limine_memmap_response *map,
                                           const struct frame_reservation *reserved,
                                           size_t count);

/* Allocates one frame and stores its physical address in *out. The
 * search continues where the previous one stopped (next fit).
 * Errors: K_EINVAL if out is NULL; K_ENOMEM if no frame is free. */
/*@ requires out == \null || \valid(out);
    ensures \result == K_OK || \result == K_EINVAL || \result == K_ENOMEM;
    ensures \result == K_EINVAL <==> out == \null; */
__must_check kerr_t frame_alloc(paddr_t *out);

/* Allocates count physically contiguous frames whose first frame number
 * is a multiple of align_frames (a power of two: 512 gives a 2 MiB
 * aligned block) and stores the first address in *out.
 * Errors: K_EINVAL if out is NULL, count is 0 or above FRAME_COUNT, or
 * align_frames is not a power of two no larger than FRAME_COUNT;
 * K_ENOMEM if no such run of free frames exists. */
/*@ requires out == \null || \valid(out);
    ensures \result == K_OK || \result == K_EINVAL || \result == K_ENOMEM;
    ensures out == \null || count == 0 || count > FRAME_COUNT || align_frames == 0 ||
	align_frames > FRAME_COUNT || (align_frames & (align_frames - 1)) != 0 ==>
	\result == K_EINVAL; */
__must_check kerr_t frame_alloc_contiguous(size_t count, size_t align_frames, paddr_t *out);

/* Returns an allocated frame to the pool.
 * Errors: K_EINVAL if addr is not frame-aligned, not below
 * FRAME_MANAGED_LIMIT, or not currently allocated (a double free, or a
 * reserved frame). Nothing changes on error; the caller decides whether
 * the bad free is a kernel bug worth a panic. */
/*@ ensures \result == K_OK || \result == K_EINVAL;
    ensures addr % FRAME_SIZE != 0 ==> \result == K_EINVAL; */
__must_check kerr_t frame_free(paddr_t addr);

/* Returns count frames starting at base to the pool. The range need not
 * match one allocation (part of a run, or several adjacent single frames,
 * may be freed together), but every frame in it must be allocated.
 * Errors: K_EINVAL as for frame_free, for any frame of the range, or if
 * count is 0; nothing is freed then. */
/*@ ensures \result == K_OK || \result == K_EINVAL;
    ensures base % FRAME_SIZE != 0 || count == 0 || count > FRAME_COUNT ==> \result == K_EINVAL; */
__must_check kerr_t frame_free_contiguous(paddr_t base, size_t count);

/* Counters, exact at the moment of the call:
 * managed = free + used, where used counts allocated frames. */
uint64_t frame_free_count(void);
uint64_t frame_used_count(void);
uint64_t frame_managed_count(void);

/* Frames of usable memory at or above FRAME_MANAGED_LIMIT that were
 * offered to frame_add_usable and left out. */
uint64_t frame_unmanaged_count(void);

#endif
