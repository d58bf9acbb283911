/*
 * heap: the kernel's dynamic memory (kmalloc and friends).
 *
 * A `struct heap` manages one contiguous arena: a binary buddy allocator
 * over its 4 KiB pages, with power-of-two slabs (16 ... 2048 bytes) carved
 * from single pages for small objects. All bookkeeping lives in a page
 * descriptor table at the start of the arena, never next to user data, so a
 * buffer overrun cannot corrupt the allocator. See kernel/mm/heap.c for the
 * design and why.
 *
 * The kernel has one global heap (kmalloc, kfree, ...), set up from the
 * Limine memory map by init_kernel_heap(). Host tests and benchmarks build
 * their own heaps on ordinary memory with heap_init().
 *
 * Locking: each heap has one spinlock at level LOCK_KERNEL_HEAP, taken with
 * interrupts disabled, so any code (interrupt handlers included) may
 * allocate. Every function below takes it internally; callers must not hold
 * it, and must not hold a lock of level >= LOCK_KERNEL_HEAP (the console
 * lock) when calling.
 */
#ifndef CAMBIOS_HEAP_H
#define CAMBIOS_HEAP_H

#include <kerr.h>
#include <limine.h>
#include <spinlock.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 1: red zones after every allocation (checked on free and by heap_check)
 * and poisoning of freed memory. Costs memory and time; on by default. */
#ifndef CONFIG_HEAP_DEBUG
#define CONFIG_HEAP_DEBUG 1
#endif

#define HEAP_PAGE_SHIFT 12
#define HEAP_PAGE_SIZE (1ul << HEAP_PAGE_SHIFT)
/* Largest buddy block: 2^18 pages = 1 GiB. Bigger arenas are split into
 * several top-order blocks. */
#define HEAP_MAX_ORDER 18
#define HEAP_ORDER_COUNT (HEAP_MAX_ORDER + 1)
/* Slab size classes: 16, 32, ..., 2048 bytes (2^4 ... 2^11). */
#define HEAP_MIN_CLASS_SHIFT 4
#define HEAP_CLASS_COUNT 8
#define HEAP_MAX_SLAB_OBJECT (1ul << (HEAP_MIN_CLASS_SHIFT + HEAP_CLASS_COUNT - 1))
/* Every allocation is at least this aligned (like max_align_t). */
#define HEAP_MIN_ALIGN 16ul

/* The kernel heap's size: the chosen region is cut to this. */
#define KERNEL_HEAP_SIZE (16ul << 20)
#define KERNEL_HEAP_MIN_SIZE (4ul << 20)
/* Nothing below 1 MiB: BIOS leftovers, real-mode structures, trampolines. */
#define KERNEL_HEAP_MIN_PHYS (1ul << 20)
/* The region's base is rounded up to this, so the buddy's large blocks are
 * naturally aligned in physical memory too (2 MiB = a large page). */
#define KERNEL_HEAP_PHYS_ALIGN (2ul << 20)

/* What is wrong with a pointer handed back to the heap, or with the heap
 * itself. HEAP_FAULT_NONE == 0. Anything else is a kernel bug. */
enum heap_fault {
	HEAP_FAULT_NONE = 0,
	HEAP_FAULT_FOREIGN,     /* not inside this heap's allocatable memory */
	HEAP_FAULT_NOT_START,   /* inside a live allocation, but not its start */
	HEAP_FAULT_DOUBLE_FREE, /* points at free memory: double free or stale pointer */
	HEAP_FAULT_REDZONE,     /* bytes past the end of the allocation were overwritten */
	HEAP_FAULT_CORRUPT,     /* the heap's own metadata is inconsistent */
};

/* What a page is. Every allocatable page is either the head of a block
 * (FREE, BLOCK or SLAB) or a TAIL inside the block of the nearest head
 * below it. */
enum heap_page_state {
	PAGE_TAIL = 0, /* inside the block of the nearest head below */
	PAGE_META,     /* holds the descriptor table */
	PAGE_FREE,     /* head of a free block, on free_head[order] */
	PAGE_BLOCK,    /* head of an allocated block */
	PAGE_SLAB,     /* a one-page slab of size class `size_class` */
};

/* One 4 KiB page's bookkeeping (heap.c owns the meaning of the fields). */
struct heap_page {
	uint8_t state;      /* enum heap_page_state */
	uint8_t order;      /* heads of blocks: log2 of the block's page count */
	uint8_t size_class; /* slab pages: index of the size class */
	uint8_t unused;
	uint16_t slab_live; /* slab pages: slots handed out */
	uint16_t unused2;
	uint32_t next;      /* free list (free heads) or partial list (slabs) */
	uint32_t prev;
	union {
		uint64_t slab_used[4]; /* slab pages: bit per slot, 1 = live */
		uint64_t requested;    /* allocated blocks: bytes asked for */
	};
};

struct heap {
	/* Taken with spin_lock_irqsave; level LOCK_KERNEL_HEAP, the innermost
	 * lock but the console's. Guards everything below it. */
	struct spinlock lock;

	/* Fixed by heap_init. */
	uintptr_t base;         /* page-aligned start of the arena */
	uint32_t page_count;    /* pages in the arena, the descriptor table's included */
	uint32_t first_page;    /* first allocatable page (after the descriptors) */
	struct heap_page *pages;

	/* Buddy free lists: heads of free blocks of each order. */
	uint32_t free_head[HEAP_ORDER_COUNT];
	/* Slab pages of each class with at least one free slot. */
	uint32_t partial_head[HEAP_CLASS_COUNT];

	/* Statistics (see struct heap_stats). */
	size_t free_bytes;
	size_t in_use_bytes;
	size_t live_allocations;
	uint64_t alloc_count;
	uint64_t free_count;
	uint64_t fail_count;
};

struct heap_stats {
	size_t total_bytes;        /* allocatable bytes (arena minus descriptors) */
	size_t in_use_bytes;       /* bytes handed out, rounded to slot/block size */
	size_t free_bytes;         /* bytes in free buddy blocks */
	size_t slab_spare_bytes;   /* free slots in slab pages, and up to one empty
				    * cached slab page per class: total - in_use - free */
	size_t largest_free_block; /* the biggest free buddy block (cached slab
				    * pages are released if that is not enough) */
	size_t live_allocations;
	uint64_t alloc_count;      /* successful allocations */
	uint64_t free_count;       /* successful frees */
	uint64_t fail_count;       /* allocations refused for lack of memory */
};

/* ---------------------------------------------------------- any heap */

/* Makes `heap` manage [arena, arena + size). The arena is trimmed to whole
 * pages; its first pages hold the descriptor table. `name` labels the lock.
 * Errors: K_EINVAL if no allocatable page remains after trimming, or the
 * arena has more pages than a descriptor index can name. */
__must_check kerr_t heap_init(struct heap *heap, const char *name, void *arena, size_t size);

/* Allocates `size` bytes aligned to `align` (a power of two; anything up
 * to the largest block works, with align < HEAP_MIN_ALIGN rounded up) and
 * stores the address in *out. Contents are undefined (poisoned in debug).
 * size 0: *out = NULL and K_OK (nothing is allocated, nothing counted).
 * Errors: K_EINVAL for a bad align (*out = NULL), K_ENOMEM when no block
 * is big enough (*out = NULL, fail_count++, heap unchanged). Prints nothing:
 * reporting is the caller's choice (kmalloc reports). */
__must_check kerr_t heap_alloc(struct heap *heap, size_t size, size_t align, void **out);

/* Returns `ptr` to the heap if it is the start of a live allocation.
 * NULL is accepted and does nothing. On any fault the heap is left exactly
 * as it was and the fault is returned; the caller decides how to die. */
__must_check enum heap_fault heap_free_checked(struct heap *heap, void *ptr);

/* realloc semantics on `heap`: ptr NULL -> heap_alloc(size); size 0 ->
 * free, *out = NULL. Otherwise keeps the first min(old, size) bytes; stays
 * in place when the new size rounds to the same slot or block. On K_ENOMEM
 * the old allocation is untouched and still owned by the caller.
 * A bad `ptr` gives K_EFAULT with *fault set (and nothing changed). */
__must_check kerr_t heap_realloc(struct heap *heap, void *ptr, size_t size, void **out,
				 enum heap_fault *fault);

/* A snapshot of the counters, taken under the lock. */
void heap_get_stats(struct heap *heap, struct heap_stats *out);

/* Walks every page, list and (debug) red zone and checks that they agree:
 * blocks tile the arena without overlap, free lists hold exactly the free
 * blocks, no two free buddies were left unmerged, slab bitmaps match their
 * counts, the counters add up. Takes the lock, so it is safe to call any
 * time (it is slow: O(pages + live slots)). Prints one line describing the
 * first problem found, and returns it (HEAP_FAULT_CORRUPT or
 * HEAP_FAULT_REDZONE). */
__must_check enum heap_fault heap_check(struct heap *heap);

/* A short description of a fault, for panic messages and test output. */
const char *heap_fault_name(enum heap_fault fault);

/* ---------------------------------------------------------- kernel heap */

/* The kernel's heap instance (for stats and checks). */
struct heap *heap_kernel(void);

/* kmalloc family on the kernel heap. kmalloc(0) returns NULL without it
 * being an error. Out of memory: NULL, plus one printk line with the size
 * asked and what is free. Before init_kernel_heap() every allocation fails
 * the same way. Callable from any context, interrupt handlers included. */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
/* align: a power of two (up to 1 GiB); a bad align is a kernel bug: panic. */
void *kmalloc_aligned(size_t size, size_t align);
/* ptr NULL -> kmalloc(size); size 0 -> kfree(ptr), returns NULL. NULL on
 * failure, with the old allocation untouched. Panics on a bad ptr. */
void *krealloc(void *ptr, size_t size);
/* kfree(NULL) does nothing. A pointer that is not the start of a live
 * kernel-heap allocation, or whose red zone was overwritten, panics with
 * the address and the fault. */
void kfree(void *ptr);

/* ---------------------------------------------------------- boot (heap_init.c) */

/* Picks the kernel heap's physical region from the memory map: the largest
 * usable entry whose part at or above KERNEL_HEAP_MIN_PHYS, with its base
 * rounded up to KERNEL_HEAP_PHYS_ALIGN, still spans KERNEL_HEAP_MIN_SIZE;
 * the region is the first KERNEL_HEAP_SIZE bytes of it (or all of it if
 * smaller), in whole pages. Ties go to the lowest address.
 * Errors: K_ENOMEM if no entry qualifies, K_EINVAL if map is NULL. */
__must_check kerr_t heap_choose_region(const struct limine_memmap_response *map,
				       uint64_t *phys_base, uint64_t *size);

/* Boot step: chooses the region (heap_choose_region), reaches it through
 * the HHDM (hhdm_set_offset must have run) and makes it the kernel heap;
 * prints "heap: <KiB> KiB at phys 0x... (virt 0x...)". Call once, on the
 * BSP, before anything allocates. Errors: those of heap_choose_region,
 * K_EEXIST if already initialised. */
__must_check kerr_t init_kernel_heap(const struct limine_memmap_response *map);

/* The kernel heap's physical range, so the frame allocator can reserve it.
 * Both are 0 before init_kernel_heap succeeds. */
void heap_physical_range(uint64_t *phys_base, uint64_t *size);

#endif
