/*
 * heap: a buddy allocator with one-page slabs, and the kernel's kmalloc.
 *
 * How it works
 *   The arena is cut into 4 KiB pages. Its first pages hold a table with
 *   one `struct heap_page` descriptor per page; the rest is allocatable.
 *   - Requests above 2 KiB (or aligned above 2 KiB) get a buddy block of
 *     2^order pages. Blocks are aligned to their own size in *absolute*
 *     addresses (not relative to the arena), so an order-k block is
 *     automatically aligned to 4 KiB << k and kmalloc_aligned needs no
 *     extra work. The arena's ends need not be aligned: at init the free
 *     range is tiled greedily with the largest aligned blocks that fit.
 *   - Requests up to 2 KiB go to a slab: one page holding equal slots of a
 *     power-of-two size class (16 ... 2048). Slots are naturally aligned to
 *     their size, which again gives alignment for free. A per-page bitmap
 *     says which slots are live; a per-class list links slab pages that
 *     still have a free slot. An empty slab page goes back to the buddy
 *     allocator unless it is its class's only partial page (which avoids
 *     grabbing and returning a page on every alloc/free pair).
 *   Cost per operation: buddy O(HEAP_MAX_ORDER) (split/merge one level at a
 *   time), slab O(1) (a 4-word bitmap scan), both with one lock held.
 *
 * Page descriptors and the invariant heap_check() verifies
 *   Every allocatable page is either the head of a block (FREE, BLOCK, or
 *   SLAB, which is an order-0 block) or a TAIL inside the block of the
 *   nearest head below it. Splitting writes one new head; merging turns
 *   one head into a TAIL; so the tiling stays exact at O(1) cost per level,
 *   and any address can be classified: a TAIL page is found inside its
 *   block by looking at the aligned candidates below it (O(log n)).
 *
 * Why this design
 *   - All metadata is out of band (the descriptor table, 48 bytes per page,
 *     1.2%). No header sits next to user data, so an overrun cannot corrupt
 *     the free lists, and kfree can validate *any* pointer exactly: outside
 *     the arena, inside an allocation, already free, double free. A
 *     verification-minded kernel wants frees that are checked, not trusted.
 *   - Power-of-two classes waste up to half of a small slot, but keep the
 *     arithmetic trivial (shift, mask) and alignment natural. The kernel
 *     allocates few kinds of objects; if waste shows up in the statistics,
 *     object-specific caches are the fix, not finer classes here.
 *   - One lock per heap: the seed's global lock order has one heap level;
 *     per-CPU caches can come later without changing the interface.
 *
 * Debug mode (CONFIG_HEAP_DEBUG)
 *   Every allocation gets at least HEAP_REDZONE bytes of red zone after the
 *   bytes asked for, filled with REDZONE_BYTE and checked on free, on
 *   realloc and by heap_check. Slab slots end with an 8-byte trailer holding
 *   the size asked for (and its complement), since a slab has nowhere else
 *   to keep it; blocks keep it in their descriptor. Freed memory and fresh
 *   slab pages are filled with POISON_BYTE, so a use after free reads an
 *   obvious pattern.
 *
 * Locking: heap->lock (LOCK_KERNEL_HEAP, irqsave) guards every descriptor,
 * list and counter; the only lock taken under it is the console's (by
 * heap_check's report). Functions named *_locked expect it held.
 */
#include <heap.h>

#include <kstring.h>
#include <panic.h>
#include <printk.h>

#define PAGE_NONE UINT32_MAX

#if CONFIG_HEAP_DEBUG
#define HEAP_REDZONE 16ul /* per allocation: red zone (and slab trailer) */
#else
#define HEAP_REDZONE 0ul
#endif
#define SLAB_TRAILER 8ul              /* debug: u32 size, u32 size ^ key */
#define SLAB_TRAILER_KEY 0x5a1ab5a1u
#define REDZONE_BYTE 0xfd
#define POISON_BYTE 0x6b
/* Debug: how much of a block's red zone is written and checked. Blocks
 * round up to whole pages, so the red zone can be megabytes long; an
 * overrun shows up in its first bytes. */
#define BLOCK_REDZONE_CHECKED 256ul

/* Where a live allocation sits, as found by locate_allocation. */
struct alloc_ref {
	uint32_t page;
	bool in_slab;
	unsigned slot; /* slab only */
};

/* What a request needs: a slab slot of class `index`, or a block of
 * order `index`. */
struct alloc_plan {
	bool in_slab;
	unsigned index;
};

/* ---------------------------------------------------------- arithmetic */

static uintptr_t page_addr(const struct heap *heap, uint32_t page)
{
	return heap->base + ((uintptr_t)page << HEAP_PAGE_SHIFT);
}

static uintptr_t absolute_pfn(const struct heap *heap, uint32_t page)
{
	return (heap->base >> HEAP_PAGE_SHIFT) + page;
}

static size_t order_bytes(unsigned order)
{
	return HEAP_PAGE_SIZE << order;
}

static size_t class_bytes(unsigned size_class)
{
	return 1ul << (HEAP_MIN_CLASS_SHIFT + size_class);
}

static unsigned class_slots(unsigned size_class)
{
	return (unsigned)(HEAP_PAGE_SIZE / class_bytes(size_class));
}

static bool is_power_of_two(size_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

/* Is page the start of a possible order-`order` block (absolute alignment)? */
static bool block_aligned(const struct heap *heap, uint32_t page, unsigned order)
{
	return (absolute_pfn(heap, page) & ((1ul << order) - 1)) == 0;
}

static bool page_allocatable(const struct heap *heap, uintptr_t page)
{
	return page >= heap->first_page && page < heap->page_count;
}

static unsigned order_for_bytes(size_t bytes)
{
	unsigned order = 0;

	while (order <= HEAP_MAX_ORDER && order_bytes(order) < bytes)
		order++;
	return order; /* HEAP_ORDER_COUNT: too big */
}

/* bytes in 1 .. HEAP_MAX_SLAB_OBJECT: the smallest class that holds it. */
static unsigned class_for_bytes(size_t bytes)
{
	unsigned bits = bytes <= 16 ? HEAP_MIN_CLASS_SHIFT
				    : (unsigned)(64 - __builtin_clzll((uint64_t)bytes - 1));

	return bits - HEAP_MIN_CLASS_SHIFT;
}

/* ---------------------------------------------------------- lists */

/* Doubly linked lists of page indices, threaded through the descriptors
 * (buddy free lists and slab partial lists share the link fields; a page
 * is on at most one list). */
static void list_push(struct heap *heap, uint32_t *head, uint32_t page)
{
	struct heap_page *desc = &heap->pages[page];

	desc->prev = PAGE_NONE;
	desc->next = *head;
	if (*head != PAGE_NONE)
		heap->pages[*head].prev = page;
	*head = page;
}

static void list_remove(struct heap *heap, uint32_t *head, uint32_t page)
{
	struct heap_page *desc = &heap->pages[page];

	if (desc->prev != PAGE_NONE)
		heap->pages[desc->prev].next = desc->next;
	else
		*head = desc->next;
	if (desc->next != PAGE_NONE)
		heap->pages[desc->next].prev = desc->prev;
	desc->next = desc->prev = PAGE_NONE;
}

/* ---------------------------------------------------------- buddy */

static void free_block_insert(struct heap *heap, uint32_t page, unsigned order)
{
	heap->pages[page].state = PAGE_FREE;
	heap->pages[page].order = (uint8_t)order;
	list_push(heap, &heap->free_head[order], page);
	heap->free_bytes += order_bytes(order);
}

/* Unlinks a free block; the caller gives its head a new state. */
static void free_block_remove(struct heap *heap, uint32_t page)
{
	unsigned order = heap->pages[page].order;

	list_remove(heap, &heap->free_head[order], page);
	heap->free_bytes -= order_bytes(order);
}

/* The buddy's index, or PAGE_NONE if the buddy lies outside the arena. */
static uint32_t buddy_of(const struct heap *heap, uint32_t page, unsigned order)
{
	uintptr_t buddy_pfn = absolute_pfn(heap, page) ^ (1ul << order);
	uintptr_t buddy = buddy_pfn - (heap->base >> HEAP_PAGE_SHIFT);

	if (buddy_pfn < (heap->base >> HEAP_PAGE_SHIFT) || !page_allocatable(heap, buddy))
		return PAGE_NONE;
	return (uint32_t)buddy;
}

static bool buddy_is_free(const struct heap *heap, uint32_t buddy, unsigned order)
{
	return buddy != PAGE_NONE && heap->pages[buddy].state == PAGE_FREE &&
	       heap->pages[buddy].order == order;
}

/* Takes a block of exactly `order`, splitting a bigger one if needed.
 * Returns its head (state still PAGE_FREE: the caller sets it) or
 * PAGE_NONE. */
static uint32_t buddy_take_locked(struct heap *heap, unsigned order)
{
	unsigned have = order;
	uint32_t page;

	while (have <= HEAP_MAX_ORDER && heap->free_head[have] == PAGE_NONE)
		have++;
	if (have > HEAP_MAX_ORDER)
		return PAGE_NONE;
	page = heap->free_head[have];
	free_block_remove(heap, page);
	while (have > order) {
		have--;
		free_block_insert(heap, page + (1u << have), have); /* upper half */
	}
	heap->pages[page].order = (uint8_t)order;
	return page;
}

/* Frees the block at `page`, merging with free buddies as far as possible. */
static void buddy_release_locked(struct heap *heap, uint32_t page, unsigned order)
{
	while (order < HEAP_MAX_ORDER) {
		uint32_t buddy = buddy_of(heap, page, order);

		if (!buddy_is_free(heap, buddy, order))
			break;
		free_block_remove(heap, buddy);
		if (buddy < page) {
			heap->pages[page].state = PAGE_TAIL;
			page = buddy;
		} else {
			heap->pages[buddy].state = PAGE_TAIL;
		}
		order++;
	}
	free_block_insert(heap, page, order);
}

/* The largest order whose aligned block starts at `page` and fits before
 * `end`. */
static unsigned largest_block_at(const struct heap *heap, uint32_t page, uint32_t end)
{
	unsigned order = 0;

	while (order < HEAP_MAX_ORDER && block_aligned(heap, page, order + 1) &&
	       page + (2u << order) <= end)
		order++;
	return order;
}

/* ---------------------------------------------------------- debug marks */

#if CONFIG_HEAP_DEBUG
static void fill(uintptr_t addr, int byte, size_t len)
{
	memset((void *)addr, byte, len);
}

static bool all_bytes_are(uintptr_t addr, uint8_t byte, size_t len)
{
	const uint8_t *p = (const uint8_t *)addr;

	for (size_t i = 0; i < len; i++) {
		if (p[i] != byte)
			return false;
	}
	return true;
}

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* Slot layout: [requested bytes][REDZONE_BYTE ...][u32 size][u32 size^key]. */
static void slot_arm(uintptr_t slot, size_t slot_size, size_t requested)
{
	uint32_t trailer[2] = { (uint32_t)requested, (uint32_t)requested ^ SLAB_TRAILER_KEY };

	fill(slot + requested, REDZONE_BYTE, slot_size - SLAB_TRAILER - requested);
	memcpy((void *)(slot + slot_size - SLAB_TRAILER), trailer, sizeof(trailer));
}

/* The size recorded in the slot's trailer, or SIZE_MAX if the trailer or
 * the red zone before it was overwritten. */
static size_t slot_requested(uintptr_t slot, size_t slot_size)
{
	uint32_t trailer[2];

	memcpy(trailer, (const void *)(slot + slot_size - SLAB_TRAILER), sizeof(trailer));
	if ((trailer[0] ^ SLAB_TRAILER_KEY) != trailer[1] ||
	    trailer[0] + HEAP_REDZONE > slot_size)
		return SIZE_MAX;
	if (!all_bytes_are(slot + trailer[0], REDZONE_BYTE,
			   slot_size - SLAB_TRAILER - trailer[0]))
		return SIZE_MAX;
	return trailer[0];
}

static void block_arm(uintptr_t start, size_t block_size, size_t requested)
{
	fill(start + requested, REDZONE_BYTE,
	     min_size(block_size - requested, BLOCK_REDZONE_CHECKED));
}

static bool block_redzone_intact(uintptr_t start, size_t block_size, size_t requested)
{
	if (requested + HEAP_REDZONE > block_size)
		return false;
	return all_bytes_are(start + requested, REDZONE_BYTE,
			     min_size(block_size - requested, BLOCK_REDZONE_CHECKED));
}
#else
static void fill(uintptr_t addr, int byte, size_t len)
{
	(void)addr, (void)byte, (void)len;
}

static void slot_arm(uintptr_t slot, size_t slot_size, size_t requested)
{
	(void)slot, (void)slot_size, (void)requested;
}

static size_t slot_requested(uintptr_t slot, size_t slot_size)
{
	(void)slot;
	return slot_size;
}

static void block_arm(uintptr_t start, size_t block_size, size_t requested)
{
	(void)start, (void)block_size, (void)requested;
}

static bool block_redzone_intact(uintptr_t start, size_t block_size, size_t requested)
{
	(void)start, (void)block_size, (void)requested;
	return true;
}
#endif

/* ---------------------------------------------------------- slabs */

static uint32_t slab_page_create_locked(struct heap *heap, unsigned size_class)
{
	uint32_t page = buddy_take_locked(heap, 0);
	struct heap_page *desc;

	if (page == PAGE_NONE)
		return PAGE_NONE;
	desc = &heap->pages[page];
	desc->state = PAGE_SLAB;
	desc->size_class = (uint8_t)size_class;
	desc->slab_live = 0;
	memset(desc->slab_used, 0, sizeof(desc->slab_used));
	list_push(heap, &heap->partial_head[size_class], page);
	fill(page_addr(heap, page), POISON_BYTE, HEAP_PAGE_SIZE);
	return page;
}

static bool slot_is_live(const struct heap_page *desc, unsigned slot)
{
	return (desc->slab_used[slot / 64] >> (slot % 64)) & 1;
}

static unsigned first_free_slot(const struct heap_page *desc, unsigned slots)
{
	for (unsigned word = 0; word * 64 < slots; word++) {
		uint64_t free_bits = ~desc->slab_used[word];
		unsigned left = slots - word * 64;

		if (left < 64)
			free_bits &= (1ull << left) - 1;
		if (free_bits)
			return word * 64 + (unsigned)__builtin_ctzll(free_bits);
	}
	return slots;
}

static uintptr_t slab_take_locked(struct heap *heap, unsigned size_class)
{
	uint32_t page = heap->partial_head[size_class];
	struct heap_page *desc;
	unsigned slots = class_slots(size_class), slot;

	if (page == PAGE_NONE)
		page = slab_page_create_locked(heap, size_class);
	if (page == PAGE_NONE)
		return 0;
	desc = &heap->pages[page];
	slot = first_free_slot(desc, slots);
	if (slot >= slots) /* the partial list holds only pages with a free slot */
		panic("heap: full slab page %u on the partial list of class %u", page, size_class);
	desc->slab_used[slot / 64] |= 1ull << (slot % 64);
	if (++desc->slab_live == slots)
		list_remove(heap, &heap->partial_head[size_class], page);
	return page_addr(heap, page) + slot * class_bytes(size_class);
}

static void slab_put_locked(struct heap *heap, uint32_t page, unsigned slot)
{
	struct heap_page *desc = &heap->pages[page];
	uint32_t *partial = &heap->partial_head[desc->size_class];
	bool was_full = desc->slab_live == class_slots(desc->size_class);

	desc->slab_used[slot / 64] &= ~(1ull << (slot % 64));
	desc->slab_live--;
	if (was_full)
		list_push(heap, partial, page);
	if (desc->slab_live == 0 && !(*partial == page && desc->next == PAGE_NONE)) {
		list_remove(heap, partial, page);
		buddy_release_locked(heap, page, 0);
	}
}

/* ---------------------------------------------------------- init */

kerr_t heap_init(struct heap *heap, const char *name, void *arena, size_t size)
{
	uintptr_t start = ((uintptr_t)arena + HEAP_PAGE_SIZE - 1) & ~(HEAP_PAGE_SIZE - 1);
	uintptr_t end = ((uintptr_t)arena + size) & ~(HEAP_PAGE_SIZE - 1);
	size_t pages, table_pages;

	if (size < HEAP_PAGE_SIZE || end <= start)
		return K_EINVAL;
	pages = (end - start) >> HEAP_PAGE_SHIFT;
	table_pages = (pages * sizeof(struct heap_page) + HEAP_PAGE_SIZE - 1) >> HEAP_PAGE_SHIFT;
	if (pages >= PAGE_NONE || table_pages >= pages)
		return K_EINVAL;

	memset(heap, 0, sizeof(*heap));
	atomic_init(&heap->lock.locked, false);
	heap->lock.name = name;
	heap->lock.level = LOCK_KERNEL_HEAP;
	heap->base = start;
	heap->page_count = (uint32_t)pages;
	heap->first_page = (uint32_t)table_pages;
	heap->pages = (struct heap_page *)start;
	memset(heap->pages, 0, pages * sizeof(struct heap_page)); /* all PAGE_TAIL */
	memset(heap->free_head, 0xff, sizeof(heap->free_head));  /* PAGE_NONE */
	memset(heap->partial_head, 0xff, sizeof(heap->partial_head));
	for (uint32_t page = 0; page < table_pages; page++)
		heap->pages[page].state = PAGE_META;

	/* Tile the allocatable pages with the largest aligned blocks. */
	for (uint32_t page = heap->first_page; page < heap->page_count;) {
		unsigned order = largest_block_at(heap, page, heap->page_count);

		free_block_insert(heap, page, order);
		page += 1u << order;
	}
	return K_OK;
}

/* ---------------------------------------------------------- allocation */

/* Decides slab class or block order for a request; false if impossible
 * (too big). `align` is already a power of two >= HEAP_MIN_ALIGN. */
static bool plan_request(size_t size, size_t align, struct alloc_plan *plan)
{
	size_t need;

	if (size > SIZE_MAX - HEAP_REDZONE)
		return false;
	need = size + HEAP_REDZONE;
	if (need < align)
		need = align; /* power-of-two sizes are aligned to themselves */
	plan->in_slab = need <= HEAP_MAX_SLAB_OBJECT;
	plan->index = plan->in_slab ? class_for_bytes(need) : order_for_bytes(need);
	return plan->index <= HEAP_MAX_ORDER;
}

static uintptr_t block_take_locked(struct heap *heap, unsigned order, size_t requested)
{
	uint32_t page = buddy_take_locked(heap, order);

	if (page == PAGE_NONE)
		return 0;
	heap->pages[page].state = PAGE_BLOCK;
	heap->pages[page].requested = requested;
	block_arm(page_addr(heap, page), order_bytes(order), requested);
	return page_addr(heap, page);
}

/* Gives the buddy allocator back the empty slab pages kept as caches (at
 * most one per class). Only done when memory runs out: a cached page in
 * the middle of the arena can stop the largest blocks from re-forming.
 * Returns whether anything was released. */
static bool release_cached_slabs_locked(struct heap *heap)
{
	bool released = false;

	for (unsigned cls = 0; cls < HEAP_CLASS_COUNT; cls++) {
		uint32_t page = heap->partial_head[cls];

		if (page == PAGE_NONE || heap->pages[page].slab_live != 0)
			continue;
		list_remove(heap, &heap->partial_head[cls], page);
		buddy_release_locked(heap, page, 0);
		released = true;
	}
	return released;
}

static uintptr_t take_planned_locked(struct heap *heap, const struct alloc_plan *plan,
				     size_t size)
{
	uintptr_t addr;

	if (!plan->in_slab)
		return block_take_locked(heap, plan->index, size);
	addr = slab_take_locked(heap, plan->index);
	if (addr)
		slot_arm(addr, class_bytes(plan->index), size);
	return addr;
}

/* Performs a planned allocation; 0 when memory runs out. */
static uintptr_t alloc_locked(struct heap *heap, const struct alloc_plan *plan, size_t size)
{
	size_t granted = plan->in_slab ? class_bytes(plan->index) : order_bytes(plan->index);
	uintptr_t addr = take_planned_locked(heap, plan, size);

	if (!addr && release_cached_slabs_locked(heap))
		addr = take_planned_locked(heap, plan, size);
	if (!addr)
		return 0;
	heap->in_use_bytes += granted;
	heap->live_allocations++;
	heap->alloc_count++;
	return addr;
}

kerr_t heap_alloc(struct heap *heap, size_t size, size_t align, void **out)
{
	struct alloc_plan plan;
	arch_irqflags_t flags;
	uintptr_t addr = 0;

	*out = NULL;
	if (!is_power_of_two(align) || align > order_bytes(HEAP_MAX_ORDER))
		return K_EINVAL;
	if (size == 0)
		return K_OK;
	if (align < HEAP_MIN_ALIGN)
		align = HEAP_MIN_ALIGN;

	flags = spin_lock_irqsave(&heap->lock);
	if (heap->pages && plan_request(size, align, &plan))
		addr = alloc_locked(heap, &plan, size);
	if (!addr)
		heap->fail_count++;
	spin_unlock_irqrestore(&heap->lock, flags);

	*out = (void *)addr;
	return addr ? K_OK : K_ENOMEM;
}

/* ---------------------------------------------------------- validation */

/* A TAIL page: find the head of the block containing it. The first
 * non-TAIL among the aligned candidates below is that head, if the tiling
 * is intact. */
static enum heap_fault classify_tail(const struct heap *heap, uint32_t page)
{
	for (unsigned order = 1; order <= HEAP_MAX_ORDER; order++) {
		uintptr_t pfn = absolute_pfn(heap, page) & ~((1ul << order) - 1);
		uintptr_t head = pfn - (heap->base >> HEAP_PAGE_SHIFT);
		const struct heap_page *desc;

		if (pfn < (heap->base >> HEAP_PAGE_SHIFT) || !page_allocatable(heap, head))
			return HEAP_FAULT_CORRUPT;
		desc = &heap->pages[head];
		if (desc->state == PAGE_TAIL)
			continue;
		if (desc->order < order)
			return HEAP_FAULT_CORRUPT;
		if (desc->state == PAGE_FREE)
			return HEAP_FAULT_DOUBLE_FREE;
		return desc->state == PAGE_BLOCK ? HEAP_FAULT_NOT_START : HEAP_FAULT_CORRUPT;
	}
	return HEAP_FAULT_CORRUPT;
}

static enum heap_fault locate_in_slab(const struct heap *heap, uintptr_t addr,
				      struct alloc_ref *ref)
{
	const struct heap_page *desc = &heap->pages[ref->page];
	size_t slot_size = class_bytes(desc->size_class);
	uintptr_t offset = addr - page_addr(heap, ref->page);

	if (offset % slot_size != 0)
		return HEAP_FAULT_NOT_START;
	ref->in_slab = true;
	ref->slot = (unsigned)(offset / slot_size);
	if (!slot_is_live(desc, ref->slot))
		return HEAP_FAULT_DOUBLE_FREE;
	if (slot_requested(addr, slot_size) == SIZE_MAX)
		return HEAP_FAULT_REDZONE;
	return HEAP_FAULT_NONE;
}

static enum heap_fault locate_in_block(const struct heap *heap, uintptr_t addr,
				       struct alloc_ref *ref)
{
	const struct heap_page *desc = &heap->pages[ref->page];

	if (addr != page_addr(heap, ref->page))
		return HEAP_FAULT_NOT_START;
	ref->in_slab = false;
	if (!block_redzone_intact(addr, order_bytes(desc->order), desc->requested))
		return HEAP_FAULT_REDZONE;
	return HEAP_FAULT_NONE;
}

/* Decode step of every free/realloc: is `ptr` the start of a live
 * allocation with intact red zone? Changes nothing. */
static enum heap_fault locate_allocation(const struct heap *heap, const void *ptr,
					 struct alloc_ref *ref)
{
	uintptr_t addr = (uintptr_t)ptr;

	if (!heap->pages || addr < page_addr(heap, heap->first_page) ||
	    addr >= page_addr(heap, heap->page_count))
		return HEAP_FAULT_FOREIGN;
	ref->page = (uint32_t)((addr - heap->base) >> HEAP_PAGE_SHIFT);
	switch (heap->pages[ref->page].state) {
	case PAGE_SLAB:
		return locate_in_slab(heap, addr, ref);
	case PAGE_BLOCK:
		return locate_in_block(heap, addr, ref);
	case PAGE_FREE:
		return HEAP_FAULT_DOUBLE_FREE;
	case PAGE_TAIL:
		return classify_tail(heap, ref->page);
	default:
		return HEAP_FAULT_CORRUPT;
	}
}

static size_t granted_bytes(const struct heap *heap, const struct alloc_ref *ref)
{
	const struct heap_page *desc = &heap->pages[ref->page];

	/* locate_allocation sets in_slab whenever it finds an allocation; the
	 * analyzer loses that in classify_tail, which never reports one.
	 * NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Branch) */
	return ref->in_slab ? class_bytes(desc->size_class) : order_bytes(desc->order);
}

/* ---------------------------------------------------------- free */

/* Perform step: `ref` came from locate_allocation under the same lock. */
static void free_locked(struct heap *heap, const struct alloc_ref *ref)
{
	size_t granted = granted_bytes(heap, ref);
	uintptr_t start = page_addr(heap, ref->page) + (ref->in_slab ? ref->slot * granted : 0);

	if (!spin_is_locked(&heap->lock))
		panic("heap %s: free without the lock", heap->lock.name);
	fill(start, POISON_BYTE, granted);
	if (ref->in_slab)
		slab_put_locked(heap, ref->page, ref->slot);
	else
		buddy_release_locked(heap, ref->page, heap->pages[ref->page].order);
	heap->in_use_bytes -= granted;
	heap->live_allocations--;
	heap->free_count++;
}

enum heap_fault heap_free_checked(struct heap *heap, void *ptr)
{
	struct alloc_ref ref;
	enum heap_fault fault;
	arch_irqflags_t flags;

	if (!ptr)
		return HEAP_FAULT_NONE;
	flags = spin_lock_irqsave(&heap->lock);
	fault = locate_allocation(heap, ptr, &ref);
	if (fault == HEAP_FAULT_NONE)
		free_locked(heap, &ref);
	spin_unlock_irqrestore(&heap->lock, flags);
	return fault;
}

/* ---------------------------------------------------------- realloc */

/* Resizes in place when the new size needs the same slot class or block
 * order; re-arms the red zone for the new size. */
static bool resize_in_place_locked(struct heap *heap, const struct alloc_ref *ref,
				   size_t requested)
{
	struct heap_page *desc = &heap->pages[ref->page];
	size_t granted = granted_bytes(heap, ref);
	uintptr_t start = page_addr(heap, ref->page) + (ref->in_slab ? ref->slot * granted : 0);
	struct alloc_plan plan;

	if (!plan_request(requested, HEAP_MIN_ALIGN, &plan) || plan.in_slab != ref->in_slab)
		return false;
	if (plan.index != (ref->in_slab ? desc->size_class : desc->order))
		return false;
	if (ref->in_slab) {
		slot_arm(start, granted, requested);
	} else {
		desc->requested = requested;
		block_arm(start, granted, requested);
	}
	return true;
}

/* First step of a realloc: validate, and resize in place if possible.
 * *usable gets the old allocation's usable size. */
static enum heap_fault realloc_prepare(struct heap *heap, void *ptr, size_t size,
				       bool *resized, size_t *usable)
{
	struct alloc_ref ref;
	enum heap_fault fault;
	arch_irqflags_t flags;

	flags = spin_lock_irqsave(&heap->lock);
	fault = locate_allocation(heap, ptr, &ref);
	if (fault == HEAP_FAULT_NONE) {
		*usable = granted_bytes(heap, &ref) - HEAP_REDZONE;
		*resized = resize_in_place_locked(heap, &ref, size);
	}
	spin_unlock_irqrestore(&heap->lock, flags);
	return fault;
}

kerr_t heap_realloc(struct heap *heap, void *ptr, size_t size, void **out, enum heap_fault *fault)
{
	bool resized = false;
	size_t usable = 0;
	void *moved;
	kerr_t err;

	*out = NULL;
	*fault = HEAP_FAULT_NONE;
	if (!ptr)
		return heap_alloc(heap, size, HEAP_MIN_ALIGN, out);
	if (size == 0) {
		*fault = heap_free_checked(heap, ptr);
		return *fault == HEAP_FAULT_NONE ? K_OK : K_EFAULT;
	}
	*fault = realloc_prepare(heap, ptr, size, &resized, &usable);
	if (*fault != HEAP_FAULT_NONE)
		return K_EFAULT;
	if (resized) {
		*out = ptr;
		return K_OK;
	}
	err = heap_alloc(heap, size, HEAP_MIN_ALIGN, &moved);
	if (err != K_OK)
		return err; /* the old allocation stays the caller's */
	memcpy(moved, ptr, size < usable ? size : usable);
	*fault = heap_free_checked(heap, ptr);
	*out = moved;
	return *fault == HEAP_FAULT_NONE ? K_OK : K_EFAULT;
}

/* ---------------------------------------------------------- statistics */

static size_t largest_free_locked(const struct heap *heap)
{
	for (int order = HEAP_MAX_ORDER; order >= 0; order--) {
		if (heap->free_head[order] != PAGE_NONE)
			return order_bytes((unsigned)order);
	}
	return 0;
}

void heap_get_stats(struct heap *heap, struct heap_stats *out)
{
	arch_irqflags_t flags = spin_lock_irqsave(&heap->lock);

	out->total_bytes = (size_t)(heap->page_count - heap->first_page) << HEAP_PAGE_SHIFT;
	out->in_use_bytes = heap->in_use_bytes;
	out->free_bytes = heap->free_bytes;
	out->slab_spare_bytes = out->total_bytes - out->in_use_bytes - out->free_bytes;
	out->largest_free_block = heap->pages ? largest_free_locked(heap) : 0;
	out->live_allocations = heap->live_allocations;
	out->alloc_count = heap->alloc_count;
	out->free_count = heap->free_count;
	out->fail_count = heap->fail_count;
	spin_unlock_irqrestore(&heap->lock, flags);
}

const char *heap_fault_name(enum heap_fault fault)
{
	switch (fault) {
	case HEAP_FAULT_NONE:
		return "no fault";
	case HEAP_FAULT_FOREIGN:
		return "not a pointer into this heap's allocatable memory";
	case HEAP_FAULT_NOT_START:
		return "points inside an allocation, not at its start";
	case HEAP_FAULT_DOUBLE_FREE:
		return "points at free memory (double free or stale pointer)";
	case HEAP_FAULT_REDZONE:
		return "red zone overwritten (buffer overrun past the end)";
	case HEAP_FAULT_CORRUPT:
		return "heap metadata corrupt";
	}
	return "unknown heap fault";
}

/* ---------------------------------------------------------- heap_check */

/* What the page walk found, to compare with the lists and counters. */
struct check_tally {
	uint32_t free_blocks[HEAP_ORDER_COUNT];
	uint32_t partial_pages[HEAP_CLASS_COUNT];
	size_t free_bytes;
	size_t in_use_bytes;
	size_t live;
};

static enum heap_fault check_failed(const struct heap *heap, uint32_t page, const char *what)
{
	println("heap %s: check failed at page %u: %s", heap->lock.name, page, what);
	return HEAP_FAULT_CORRUPT;
}

static enum heap_fault check_slab_page(const struct heap *heap, uint32_t page,
				       struct check_tally *tally)
{
	const struct heap_page *desc = &heap->pages[page];
	unsigned slots, live = 0;

	if (desc->order != 0 || desc->size_class >= HEAP_CLASS_COUNT)
		return check_failed(heap, page, "slab page with bad order or class");
	slots = class_slots(desc->size_class);
	for (unsigned slot = 0; slot < 256; slot++) {
		if (!slot_is_live(desc, slot))
			continue;
		if (slot >= slots)
			return check_failed(heap, page, "slab bitmap marks a slot past the page");
		if (slot_requested(page_addr(heap, page) + slot * class_bytes(desc->size_class),
				   class_bytes(desc->size_class)) == SIZE_MAX) {
			check_failed(heap, page, "slab slot red zone overwritten");
			return HEAP_FAULT_REDZONE;
		}
		live++;
	}
	if (live != desc->slab_live)
		return check_failed(heap, page, "slab live count disagrees with its bitmap");
	if (live < slots)
		tally->partial_pages[desc->size_class]++;
	tally->in_use_bytes += live * class_bytes(desc->size_class);
	tally->live += live;
	return HEAP_FAULT_NONE;
}

static enum heap_fault check_block_head(const struct heap *heap, uint32_t page,
					struct check_tally *tally)
{
	const struct heap_page *desc = &heap->pages[page];
	size_t size = order_bytes(desc->order);

	switch (desc->state) {
	case PAGE_FREE:
		if (desc->order < HEAP_MAX_ORDER &&
		    buddy_is_free(heap, buddy_of(heap, page, desc->order), desc->order))
			return check_failed(heap, page, "free block next to its free buddy");
		tally->free_blocks[desc->order]++;
		tally->free_bytes += size;
		return HEAP_FAULT_NONE;
	case PAGE_BLOCK:
		if (!block_redzone_intact(page_addr(heap, page), size, desc->requested)) {
			check_failed(heap, page, "block red zone overwritten");
			return HEAP_FAULT_REDZONE;
		}
		tally->in_use_bytes += size;
		tally->live++;
		return HEAP_FAULT_NONE;
	case PAGE_SLAB:
		return check_slab_page(heap, page, tally);
	default:
		return check_failed(heap, page, "expected a block head");
	}
}

/* Blocks must tile [first_page, page_count) exactly: a head, then TAILs. */
static enum heap_fault check_tiling(const struct heap *heap, struct check_tally *tally)
{
	uint32_t page = heap->first_page;

	while (page < heap->page_count) {
		unsigned order = heap->pages[page].order;
		enum heap_fault fault;

		if (order > HEAP_MAX_ORDER || !block_aligned(heap, page, order) ||
		    page + (1ul << order) > heap->page_count)
			return check_failed(heap, page, "block misaligned or past the arena");
		fault = check_block_head(heap, page, tally);
		if (fault != HEAP_FAULT_NONE)
			return fault;
		for (uint32_t tail = page + 1; tail < page + (1u << order); tail++) {
			if (heap->pages[tail].state != PAGE_TAIL)
				return check_failed(heap, tail, "block overlaps another block");
		}
		page += 1u << order;
	}
	return HEAP_FAULT_NONE;
}

/* Walks one list: every member in range, in `state` with `key` (order or
 * class), back links right, and exactly `expected` members. */
static enum heap_fault check_list(const struct heap *heap, uint32_t head, uint8_t state,
				  unsigned key, uint32_t expected)
{
	uint32_t count = 0, prev = PAGE_NONE;

	for (uint32_t page = head; page != PAGE_NONE; page = heap->pages[page].next) {
		const struct heap_page *desc;

		if (!page_allocatable(heap, page) || count++ > expected)
			return check_failed(heap, page, "list runs out of the arena or too long");
		desc = &heap->pages[page];
		if (desc->state != state || desc->prev != prev)
			return check_failed(heap, page, "list member in wrong state or bad back link");
		if ((state == PAGE_FREE ? desc->order : desc->size_class) != key)
			return check_failed(heap, page, "list member of the wrong order or class");
		if (state == PAGE_SLAB && desc->slab_live >= class_slots(key))
			return check_failed(heap, page, "full slab page on a partial list");
		prev = page;
	}
	if (count != expected)
		return check_failed(heap, head, "list length differs from the blocks found");
	return HEAP_FAULT_NONE;
}

static enum heap_fault check_lists(const struct heap *heap, const struct check_tally *tally)
{
	enum heap_fault fault = HEAP_FAULT_NONE;

	for (unsigned order = 0; order <= HEAP_MAX_ORDER && !fault; order++)
		fault = check_list(heap, heap->free_head[order], PAGE_FREE, order,
				   tally->free_blocks[order]);
	for (unsigned cls = 0; cls < HEAP_CLASS_COUNT && !fault; cls++)
		fault = check_list(heap, heap->partial_head[cls], PAGE_SLAB, cls,
				   tally->partial_pages[cls]);
	return fault;
}

static enum heap_fault check_locked(const struct heap *heap)
{
	struct check_tally tally;
	enum heap_fault fault;

	if (!heap->pages)
		return HEAP_FAULT_NONE; /* never initialised: nothing to check */
	memset(&tally, 0, sizeof(tally));
	fault = check_tiling(heap, &tally);
	if (fault == HEAP_FAULT_NONE)
		fault = check_lists(heap, &tally);
	if (fault != HEAP_FAULT_NONE)
		return fault;
	if (tally.free_bytes != heap->free_bytes || tally.in_use_bytes != heap->in_use_bytes ||
	    tally.live != heap->live_allocations)
		return check_failed(heap, 0, "counters disagree with the pages");
	return HEAP_FAULT_NONE;
}

enum heap_fault heap_check(struct heap *heap)
{
	arch_irqflags_t flags = spin_lock_irqsave(&heap->lock);
	enum heap_fault fault = check_locked(heap);

	spin_unlock_irqrestore(&heap->lock, flags);
	return fault;
}

/* ---------------------------------------------------------- kernel heap */

/* Until init_kernel_heap() fills it, `pages` is NULL and every allocation
 * fails cleanly. */
static struct heap kernel_heap = { .lock = SPINLOCK_INIT("kernel heap", LOCK_KERNEL_HEAP) };

struct heap *heap_kernel(void)
{
	return &kernel_heap;
}

static void report_out_of_memory(size_t size, size_t align)
{
	struct heap_stats stats;

	heap_get_stats(&kernel_heap, &stats);
	println("heap: out of memory: asked %zu bytes (align %zu); free %zu bytes, largest block "
		"%zu bytes, slab spare %zu bytes",
		size, align, stats.free_bytes, stats.largest_free_block, stats.slab_spare_bytes);
}

void *kmalloc_aligned(size_t size, size_t align)
{
	void *ptr;
	kerr_t err = heap_alloc(&kernel_heap, size, align, &ptr);

	if (err == K_EINVAL)
		panic("kmalloc_aligned(%zu, %zu): align is not a power of two up to 1 GiB", size,
		      align);
	if (err == K_ENOMEM)
		report_out_of_memory(size, align);
	return ptr;
}

void *kmalloc(size_t size)
{
	return kmalloc_aligned(size, HEAP_MIN_ALIGN);
}

void *kzalloc(size_t size)
{
	void *ptr = kmalloc(size);

	if (ptr)
		memset(ptr, 0, size);
	return ptr;
}

void *krealloc(void *ptr, size_t size)
{
	enum heap_fault fault;
	void *out;
	kerr_t err = heap_realloc(&kernel_heap, ptr, size, &out, &fault);

	if (err == K_EFAULT)
		panic("krealloc(%p, %zu): %s", ptr, size, heap_fault_name(fault));
	if (err == K_ENOMEM)
		report_out_of_memory(size, HEAP_MIN_ALIGN);
	return out;
}

void kfree(void *ptr)
{
	enum heap_fault fault = heap_free_checked(&kernel_heap, ptr);

	if (fault != HEAP_FAULT_NONE)
		panic("kfree(%p): %s", ptr, heap_fault_name(fault));
}
