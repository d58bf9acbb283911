/*
 * vm: address spaces -- the kernel's view of page tables.
 *
 * Built on lib/pagetable (the portable 4-level tables, shared with the
 * loader) with frames from the frame allocator and tables reached through
 * the HHDM. The kernel half is shared by every address space: on x86_64 a
 * new space copies the kernel's top-level entries 256-511; on AArch64 the
 * kernel lives in TTBR1 and a space is just a TTBR0 table.
 *
 * Rules: user mappings lie in [VM_USER_START, VM_USER_END) and are never
 * both writable and executable (W^X); every change to a live mapping is
 * followed by the TLB invalidation it needs.
 */
#ifndef CAMBIOS_VM_H
#define CAMBIOS_VM_H

#include <kerr.h>
#include <pagetable.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define VM_PAGE_SIZE 4096ULL
#define VM_USER_START 0x1000ULL              /* page 0 stays unmapped: NULL faults */
#define VM_USER_END 0x0000800000000000ULL    /* the top of the lower half */
/* No mapping reaches a physical address at or above this: AArch64's
 * output addresses have 48 bits with 4 KiB pages, and an x86_64 entry
 * would silently drop the bits above its address field, turning a bogus
 * address (a hostile BAR's) into a real one lower down. */
#define VM_PHYS_LIMIT (1ULL << 48)

/* Mapping attributes (PT_* from pagetable.h): readable always, plus these. */
#define VM_WRITE PT_WRITE
#define VM_EXEC PT_EXEC
#define VM_USER PT_USER
/* Device registers (MapMmio): uncached, never executable (VM_EXEC with it
 * is K_EPERM). Their frames are not RAM: unmap them without freeing, and
 * vm_space_destroy's frame_free of them is refused harmlessly, since the
 * frame allocator never handed them out. */
#define VM_DEVICE PT_DEVICE
/* A frame the mapping does not own (a channel's, channel.h): unmap it
 * without freeing; vm_space_destroy leaves it to its owner. */
#define VM_SHARED PT_SHARED

/* A user page the copies into or out of this space went through lately
 * (usercopy.c), so that a buffer passed again is not looked up again. */
struct vm_page_hint {
	uint64_t page;          /* its user address */
	uint8_t *kva;           /* its HHDM address; NULL: the hint is empty */
	bool writable;          /* known writable (else only readable) */
	uint64_t generation;    /* the space's generation when it was found */
};

#define VM_PAGE_HINTS 2

struct address_space {
	struct pagetable pt;
	uint16_t asid;          /* the tag of its TLB entries (AArch64); 0 on x86_64 */
	/* Bumped before any change that takes a page away or narrows its
	 * rights (unmap, protect, destroy): a hint from an older generation
	 * is never used. */
	_Atomic uint64_t generation;
	/* Used and filled by user_span() for the space's one thread only:
	 * one thread per process makes it single-writer. A process with
	 * several threads would need them per thread. */
	struct vm_page_hint hints[VM_PAGE_HINTS];
	unsigned next_hint;     /* the hint the next look-up replaces */
};

/* "Now the kernel saves its own page table root": records CR3 / TTBR1 in
 * an atomic so later code can return to the kernel's address space. */
void vm_save_kernel_root(void);
uint64_t vm_kernel_root(void);

/* An empty user address space sharing the kernel half. K_ENOMEM, or
 * K_EFULL when the arch has no TLB tag left for it. */
__must_check kerr_t vm_space_create(struct address_space *as);

/* Maps frames [pa, pa+size) at user address va. K_EINVAL for a range
 * outside user space or misaligned, or frames reaching VM_PHYS_LIMIT;
 * K_EPERM for writable+executable,
 * K_EEXIST if something is mapped there (nothing changes), K_ENOMEM. */
__must_check kerr_t vm_map(struct address_space *as, uint64_t va, uint64_t pa, uint64_t size,
			   unsigned flags);

/* Allocates zeroed frames and maps them at va (same errors as vm_map;
 * on failure nothing stays allocated or mapped). */
__must_check kerr_t vm_map_zeroed(struct address_space *as, uint64_t va, uint64_t size,
				  unsigned flags);

/* Removes the mappings of [va, va+size) and, if `free_frames`, returns
 * their frames. All-or-nothing: K_ENOENT if a page is not mapped. */
__must_check kerr_t vm_unmap(struct address_space *as, uint64_t va, uint64_t size,
			     bool free_frames);

/* Changes the attributes of [va, va+size) (same rules as vm_map). */
__must_check kerr_t vm_protect(struct address_space *as, uint64_t va, uint64_t size,
			       unsigned flags);

/* The frame and attributes behind user address va. */
__must_check kerr_t vm_translate(const struct address_space *as, uint64_t va, uint64_t *pa,
				 unsigned *flags);

/* Frees every user mapping (and its frame), every table and the root, and
 * drops the space's TLB entries on every CPU. No CPU may be running in
 * it (its threads have ended and switched away). */
void vm_space_destroy(struct address_space *as);

/* The value to load into CR3 / TTBR0_EL1 to run in this space. */
uint64_t vm_space_root(const struct address_space *as);

/* Arch hooks for vm.c. */
uint64_t arch_kernel_root(void);                  /* CR3 / TTBR1_EL1, address bits */
void arch_pagetable_describe(struct pagetable *pt); /* encoding and NX */
void arch_space_share_kernel_half(uint64_t *root_table, const uint64_t *kernel_root_table);
/* Drops [va, va+size) of `as` from this CPU's TLB and every other CPU's
 * that may hold it, and returns once all have: only then may a frame
 * unmapped there be used again. */
void arch_tlb_flush_range(const struct address_space *as, uint64_t va, uint64_t size);
/* A new space's TLB tag (AArch64: an ASID of its own, so switching to it
 * flushes nothing); K_EFULL when none is left. */
__must_check kerr_t arch_space_tag(struct address_space *as);
/* Drops the space's TLB entries everywhere and frees its tag. */
void arch_space_untag(struct address_space *as);
/* What CR3 / TTBR0_EL1 is loaded with to run in the space. */
uint64_t arch_space_context(const struct address_space *as);

#endif
