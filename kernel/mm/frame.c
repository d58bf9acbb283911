/*
 * frame: the physical frame allocator (see frame.h for the contract).
 *
 * How it works. Two bitmaps of FRAME_COUNT bits, one bit per 4 KiB frame
 * of a 2 GiB window of physical memory, both in .bss (64 KiB each). The
 * window starts where usable memory starts (rounded down to 1 GiB), so a
 * machine whose RAM begins at 1 GiB (QEMU virt) still gets 2 GiB managed:
 *
 *   unavailable  1 = not free (reserved or allocated). The only bitmap the
 *                allocation paths search.
 *   allocated    1 = handed out by frame_alloc* and not yet freed. Always a
 *                subset of unavailable.
 *
 * A frame's state is the pair of bits: free (0,0), allocated (1,1),
 * reserved (1,0). The second bitmap is what lets frame_free tell a double
 * free or a stray address from a genuine free: a reserved frame (the heap,
 * the kernel, frame 0) can never be "freed" into the pool, and nothing is
 * trusted about allocation sizes because none are stored. Allocation never
 * searches the allocated bitmap; it only sets the bits it hands out, one
 * more read-modify-write of a word already being written.
 *
 * Reserved frames leave the pool rather than count as "used": reserved and
 * never-usable frames share the (1,0) encoding, so keeping them apart would
 * take a third bitmap. Leaving the pool keeps "managed = free + allocated"
 * exact whatever order frame_add_usable and frame_reserve are called in,
 * and "used" means one thing: frames frame_alloc* handed out.
 *
 * Why a bitmap: 2 GiB is small enough that one bit per frame is 64 KiB,
 * which needs no memory to exist before the allocator does, has no
 * per-frame headers that a stray write could corrupt, and makes every
 * state checkable (host tests compare it against a model). Speed comes
 * from looking at 64 frames at a time:
 *
 *   - single frames: next fit. The search starts at the word where the
 *     previous one succeeded, skips words that are all ones, and takes the
 *     lowest clear bit of the first other word (__builtin_ctzll of ~word).
 *   - contiguous runs: find the next free frame, round it up to the
 *     alignment, and look for a used frame inside the candidate run; if
 *     there is one, restart just past it. Both steps skip whole words, and
 *     a pass looks at each frame at most once.
 *   - searches stop at pool_end, the end of the highest usable range, so a
 *     machine with 256 MiB does not scan the 1.75 GiB it lacks.
 *
 * Counters (free, allocated) change only by the number of bits that really
 * flipped (popcount of old ^ new), in every transition, so adding or
 * reserving overlapping ranges keeps them exact: they are the bitmaps'
 * popcounts by construction, not a second record that could disagree.
 * Allocation decisions read the bitmap alone (a search that finds nothing
 * is "no memory"); the counters answer the count queries and let an empty
 * pool say so without a search.
 *
 * The global state (instead of a struct passed to every call) matches the
 * kernel, which has exactly one physical memory; frame_init() resets all of
 * it, which is also how host tests start each case from a clean allocator,
 * so the kernel carries no test-only entry points.
 *
 * Lock order: frame_lock is LOCK_FRAME_ALLOCATOR; it is the only lock this
 * file takes, and no other lock is taken while it is held (printing
 * happens after it is released; panic never returns). Taken with interrupts
 * disabled so a future interrupt-time user cannot deadlock against the CPU
 * it interrupted.
 */
#include <frame.h>

#include <kstring.h>
#include <panic.h>
#include <printk.h>
#include <spinlock.h>
#include <stdbool.h>

#define BITS_PER_WORD 64
#define BITMAP_WORDS (FRAME_COUNT / BITS_PER_WORD)
#define WORD_FULL UINT64_MAX

/* Takes LOCK_FRAME_ALLOCATOR: after the process table, before the
 * interrupt router, object store, heap and console (lock_order.h). */
static struct spinlock frame_lock = SPINLOCK_INIT("frame", LOCK_FRAME_ALLOCATOR);

/* Zero-initialised so it lands in .bss, not in the kernel image; frame_init
 * gives it its real starting state. Every field is guarded by frame_lock. */
static struct frame_state {
	uint64_t unavailable[BITMAP_WORDS];
	uint64_t allocated[BITMAP_WORDS];
	uint64_t free_frames;
	uint64_t allocated_frames;
	uint64_t unmanaged_frames; /* usable frames offered outside the window */
	paddr_t window_base;       /* physical address of bit 0 */
	size_t pool_end;           /* no frame at or above this is in the pool */
	size_t next_fit_word;      /* where the next search starts */
} st;

_Static_assert(FRAME_COUNT == 524288, "the allocator manages 2 GiB of 4 KiB frames");
_Static_assert(sizeof(st.unavailable) == 65536, "the frame bitmap is 64 KiB");
_Static_assert(sizeof(st.allocated) == 65536, "the allocated bitmap is 64 KiB");

/* ------------------------------------------------------------ bit ranges */

static size_t word_of(size_t frame)
{
	return frame / BITS_PER_WORD;
}

static size_t words_covering(size_t frames)
{
	return (frames + BITS_PER_WORD - 1) / BITS_PER_WORD;
}

/* The bits of word w that belong to frames [first, end), first < end,
 * for a word w between the range's first and last word: all of them,
 * except below first in the first word and from end on in the last. Both
 * shifts are a bit position within a word, so below 64 by construction. */
static uint64_t word_mask(size_t w, size_t first, size_t end)
{
	uint64_t mask = WORD_FULL;

	if (w == word_of(first))
		mask &= WORD_FULL << (first % BITS_PER_WORD);
	if (w == word_of(end - 1))
		mask &= WORD_FULL >> (BITS_PER_WORD - 1 - (end - 1) % BITS_PER_WORD);
	return mask;
}

/* Sets (value true) or clears bits [first, end); returns how many bits
 * actually changed, which is what the counters need. */
static uint64_t bits_assign(uint64_t *bitmap, size_t first, size_t end, bool value)
{
	uint64_t changed = 0;

	if (first >= end)
		return 0;
	for (size_t w = word_of(first); w <= word_of(end - 1); w++) {
		uint64_t mask = word_mask(w, first, end);
		uint64_t old = bitmap[w];

		bitmap[w] = value ? old | mask : old & ~mask;
		changed += (uint64_t)__builtin_popcountll(old ^ bitmap[w]);
	}
	return changed;
}

/* The first frame in [from, end) whose bit equals value, or end. */
static size_t bits_find(const uint64_t *bitmap, size_t from, size_t end, bool value)
{
	uint64_t flip = value ? 0 : WORD_FULL;

	if (from >= end)
		return end;
	for (size_t w = word_of(from); w <= word_of(end - 1); w++) {
		uint64_t hits = (bitmap[w] ^ flip) & word_mask(w, from, end);

		if (hits)
			return w * BITS_PER_WORD + (size_t)__builtin_ctzll(hits);
	}
	return end;
}

static bool bits_any_set(const uint64_t *bitmap, size_t first, size_t end)
{
	return bits_find(bitmap, first, end, true) != end;
}

static bool bits_all_set(const uint64_t *bitmap, size_t first, size_t end)
{
	return bits_find(bitmap, first, end, false) == end;
}

/* ------------------------------------------------------ address ranges */

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* The whole frames inside [base, end), as frame numbers [first,
 * end_frame). Frame numbers, not addresses, are rounded, so nothing
 * overflows near the top of memory. */
static void frames_inside(paddr_t base, paddr_t end, uint64_t *first, uint64_t *end_frame)
{
	*first = base / FRAME_SIZE + (base % FRAME_SIZE != 0);
	*end_frame = end / FRAME_SIZE;
	if (*end_frame < *first)
		*end_frame = *first;
}

/* Every frame that [base, end) touches, as frame numbers [first, end_frame). */
static void frames_touching(paddr_t base, paddr_t end, uint64_t *first, uint64_t *end_frame)
{
	*first = base / FRAME_SIZE;
	*end_frame = end / FRAME_SIZE + (end % FRAME_SIZE != 0);
}

/* base + length, if it is an address (no wrap past 2^64). */
/*@ requires \valid(end);
    assigns *end;
    ensures \result <==> base + length <= UINT64_MAX;
    ensures \result ==> *end == base + length; */
static bool range_end(paddr_t base, uint64_t length, paddr_t *end)
{
	if (length > UINT64_MAX - base)
		return false;
	*end = base + length;
	return true;
}

/* ---------------------------------------------------- state transitions */

static void assert_locked(void)
{
	if (!spin_is_locked(&frame_lock))
		panic("frame: allocator state touched without frame_lock");
}

/* free -> allocated for frames [first, end), first < end, all of which
 * the caller has just found free under the lock. The counters move by the
 * bits that flipped, like every other transition's. */
/*@ assigns st; */
static void take_frames(size_t first, size_t end)
{
	assert_locked();
	st.free_frames -= bits_assign(st.unavailable, first, end, true);
	st.allocated_frames += bits_assign(st.allocated, first, end, true);
	st.next_fit_word = word_of(end - 1);
}

/* allocated -> free for frames [first, end), all of which the caller
 * checked are allocated. */
static void give_back_frames(size_t first, size_t end)
{
	assert_locked();
	st.allocated_frames -= bits_assign(st.allocated, first, end, false);
	st.free_frames += bits_assign(st.unavailable, first, end, false);
}

/* ------------------------------------------------------------- searches */

/* The lowest clear bit of bitmap in the words [from, to), skipping full
 * words: the lowest free frame there, for st.unavailable. */
static bool find_clear_in_words(const uint64_t *bitmap, size_t from, size_t to, size_t *frame)
{
	for (size_t w = from; w < to; w++) {
		uint64_t word = bitmap[w];

		if (word != WORD_FULL) {
			*frame = w * BITS_PER_WORD + (size_t)__builtin_ctzll(~word);
			return true;
		}
	}
	return false;
}

/* Next fit: from the hint to the end of the pool, then from the start up
 * to the hint. The bitmap decides: the free counter is kept exact (every
 * transition moves it by the bits that flipped) but it is a report, and a
 * search that finds nothing is the answer. */
/*@ requires \valid(frame);
    assigns *frame; */
static bool find_free_frame(size_t *frame)
{
	size_t end_word = words_covering(st.pool_end);
	size_t hint = min_size(st.next_fit_word, end_word);

	return find_clear_in_words(st.unavailable, hint, end_word, frame) ||
	       find_clear_in_words(st.unavailable, 0, hint, frame);
}

static size_t align_up(size_t frame, size_t align)
{
	return (frame + align - 1) & ~(align - 1);
}

/* A run of frames [first, end). */
struct frame_run {
	size_t first;
	size_t end;
};

/* The first aligned run of count free frames starting in [from, end) and
 * ending by end (end <= FRAME_COUNT, count <= FRAME_COUNT: the sums below
 * cannot wrap). Each round either succeeds or moves past a used frame. */
static bool find_free_run(size_t from, size_t end, size_t count, size_t align,
			  struct frame_run *run)
{
	while (from < end) {
		size_t candidate = align_up(bits_find(st.unavailable, from, end, false), align);
		size_t run_end = candidate + count;
		size_t blocker;

		if (candidate >= end || run_end > end)
			return false;
		blocker = bits_find(st.unavailable, candidate, run_end, true);
		if (blocker == run_end) {
			*run = (struct frame_run){ candidate, run_end };
			return true;
		}
		from = blocker + 1;
	}
	return false;
}

/* Next fit for runs: from the hint onwards, then the runs that start
 * before the hint (they may reach past it). */
/*@ requires \valid(run);
    assigns *run; */
static bool find_free_run_next_fit(size_t count, size_t align, struct frame_run *run)
{
	size_t hint = min_size(st.next_fit_word * BITS_PER_WORD, st.pool_end);

	if (find_free_run(hint, st.pool_end, count, align, run))
		return true;
	return find_free_run(0, min_size(st.pool_end, hint + count - 1), count, align, run);
}

/* ------------------------------------------------------------ interface */

void frame_init(void)
{
	memset(st.unavailable, 0xff, sizeof(st.unavailable));
	memset(st.allocated, 0, sizeof(st.allocated));
	st.free_frames = 0;
	st.allocated_frames = 0;
	st.unmanaged_frames = 0;
	st.pool_end = 0;
	st.next_fit_word = 0;
	st.window_base = 0;
}

void frame_set_window(paddr_t base)
{
	arch_irqflags_t flags = spin_lock_irqsave(&frame_lock);

	if (st.free_frames == 0 && st.allocated_frames == 0 && base % FRAME_WINDOW_ALIGN == 0)
		st.window_base = base;
	spin_unlock_irqrestore(&frame_lock, flags);
}

paddr_t frame_window_base(void)
{
	return st.window_base;
}

/* p as an offset into the window, clamped to [0, FRAME_MANAGED_LIMIT].
 * The offset is taken first and compared with the window's size, never
 * with its end: for a window in the top 2 GiB of the address space,
 * base + FRAME_MANAGED_LIMIT is past 2^64 and would wrap (every address
 * there once came out as the window's end, so that memory was silently
 * never added). */
static uint64_t clamp_to_window(paddr_t p)
{
	if (p < st.window_base)
		return 0;
	return min_u64(p - st.window_base, FRAME_MANAGED_LIMIT);
}

kerr_t frame_add_usable(paddr_t base, uint64_t length)
{
	paddr_t end;
	uint64_t first, end_frame, above_first, above_end;
	arch_irqflags_t flags;
	kerr_t err = K_OK;

	if (!range_end(base, length, &end))
		return K_EINVAL;
	/* Window offsets; whole frames of [base, end) outside the window are
	 * counted as unmanaged. */
	frames_inside(clamp_to_window(base), clamp_to_window(end), &first, &end_frame);
	frames_inside(base, end, &above_first, &above_end);
	above_end -= end_frame - first;
	if (first == 0 && st.window_base == 0)
		first = 1; /* physical frame 0 never joins the pool (frame.h) */

	flags = spin_lock_irqsave(&frame_lock);
	if (bits_any_set(st.allocated, first, end_frame)) {
		err = K_EBUSY;
		goto out_unlock;
	}
	st.free_frames += bits_assign(st.unavailable, first, end_frame, false);
	if (first < end_frame && end_frame > st.pool_end)
		st.pool_end = end_frame;
	st.unmanaged_frames += above_end - above_first;
out_unlock:
	spin_unlock_irqrestore(&frame_lock, flags);
	return err;
}

kerr_t frame_reserve(paddr_t base, uint64_t length)
{
	paddr_t end;
	uint64_t first, end_frame;
	arch_irqflags_t flags;
	kerr_t err = K_OK;

	if (!range_end(base, length, &end))
		return K_EINVAL;
	if (length == 0)
		return K_OK; /* touches no frame, not even the one base is in */
	frames_touching(clamp_to_window(base), clamp_to_window(end), &first, &end_frame);

	flags = spin_lock_irqsave(&frame_lock);
	if (bits_any_set(st.allocated, first, end_frame)) {
		err = K_EBUSY;
		goto out_unlock;
	}
	st.free_frames -= bits_assign(st.unavailable, first, end_frame, true);
out_unlock:
	spin_unlock_irqrestore(&frame_lock, flags);
	return err;
}

/* Where usable memory starts: QEMU virt's RAM begins at 1 GiB, so a window
 * starting at 0 would spend half its bits on a hole. */
static paddr_t lowest_usable(const struct limine_memmap_response *map)
{
	paddr_t lowest = 0;
	bool found = false;

	for (uint64_t i = 0; i < map->entry_count; i++) {
		const struct limine_memmap_entry *e = map->entries[i];

		if (e && e->type == LIMINE_MEMMAP_USABLE && (!found || e->base < lowest)) {
			lowest = e->base;
			found = true;
		}
	}
	return lowest;
}

static kerr_t add_usable_entries(const struct limine_memmap_response *map)
{
	for (uint64_t i = 0; i < map->entry_count; i++) {
		const struct limine_memmap_entry *e = map->entries[i];
		kerr_t err;

		if (!e)
			return K_EINVAL;
		if (e->type != LIMINE_MEMMAP_USABLE)
			continue;
		err = frame_add_usable(e->base, e->length);
		if (err != K_OK) {
			println("frames: cannot add usable %#llx+%#llx: %s",
			        (unsigned long long)e->base, (unsigned long long)e->length,
			        kerr_name(err));
			return err;
		}
	}
	return K_OK;
}

static kerr_t reserve_ranges(const struct frame_reservation *reserved, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		const struct frame_reservation *r = &reserved[i];
		kerr_t err = frame_reserve(r->base, r->length);

		if (err != K_OK) {
			println("frames: cannot reserve %s %#llx+%#llx: %s",
			        r->what ? r->what : "(unnamed)", (unsigned long long)r->base,
			        (unsigned long long)r->length, kerr_name(err));
			return err;
		}
	}
	return K_OK;
}

static void print_summary(void)
{
	uint64_t free_frames = frame_free_count();
	uint64_t frames_per_mib = (1ULL << 20) / FRAME_SIZE;
	uint64_t unmanaged = frame_unmanaged_count();

	println("frames: %llu free, %llu used of %llu managed (%llu MiB free)",
	        (unsigned long long)free_frames, (unsigned long long)frame_used_count(),
	        (unsigned long long)frame_managed_count(),
	        (unsigned long long)(free_frames / frames_per_mib));
	/* Rounded up: a sliver outside the window must not print as "0 MiB". */
	if (unmanaged > 0)
		println("frames: %llu MiB of usable memory outside the 2 GiB window at 0x%llx is not managed",
		        (unsigned long long)((unmanaged + frames_per_mib - 1) / frames_per_mib),
		        (unsigned long long)st.window_base);
}

kerr_t frame_init_from_memmap(const struct limine_memmap_response *map,
                              const struct frame_reservation *reserved, size_t count)
{
	kerr_t err;

	if (!map || (map->entry_count > 0 && !map->entries) || (count > 0 && !reserved))
		return K_EINVAL;
	frame_init();
	frame_set_window(lowest_usable(map) & ~(FRAME_WINDOW_ALIGN - 1));
	/* Add first, reserve second: a reservation inside usable memory (the
	 * heap) must win over the usable entry that contains it. */
	err = add_usable_entries(map);
	if (err != K_OK)
		return err;
	err = reserve_ranges(reserved, count);
	if (err != K_OK)
		return err;
	print_summary();
	return K_OK;
}

kerr_t frame_alloc(paddr_t *out)
{
	arch_irqflags_t flags;
	size_t frame;

	if (!out)
		return K_EINVAL;
	flags = spin_lock_irqsave(&frame_lock);
	if (st.free_frames == 0 || !find_free_frame(&frame)) {
		spin_unlock_irqrestore(&frame_lock, flags);
		return K_ENOMEM;
	}
	take_frames(frame, frame + 1);
	spin_unlock_irqrestore(&frame_lock, flags);
	*out = st.window_base + (paddr_t)frame * FRAME_SIZE;
	return K_OK;
}

/*@ assigns \nothing;
    ensures \result <==> x != 0 && (x & (x - 1)) == 0; */
static bool is_power_of_two(size_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

kerr_t frame_alloc_contiguous(size_t count, size_t align_frames, paddr_t *out)
{
	arch_irqflags_t flags;
	struct frame_run run;
	kerr_t err = K_ENOMEM;

	if (!out || count == 0 || count > FRAME_COUNT || !is_power_of_two(align_frames) ||
	    align_frames > FRAME_COUNT)
		return K_EINVAL;
	flags = spin_lock_irqsave(&frame_lock);
	if (count <= st.free_frames && find_free_run_next_fit(count, align_frames, &run)) {
		take_frames(run.first, run.end);
		*out = st.window_base + (paddr_t)run.first * FRAME_SIZE;
		err = K_OK;
	}
	spin_unlock_irqrestore(&frame_lock, flags);
	return err;
}

kerr_t frame_free_contiguous(paddr_t base, size_t count)
{
	arch_irqflags_t flags;
	paddr_t offset = base - st.window_base;
	size_t first = (size_t)(offset / FRAME_SIZE);
	size_t end = first + count; /* checked below, where it matters */
	kerr_t err = K_OK;

	/* A count above FRAME_COUNT is refused before end is trusted: with
	 * first below FRAME_COUNT, only such a count can make end wrap. */
	if (base % FRAME_SIZE != 0 || base < st.window_base || offset >= FRAME_MANAGED_LIMIT ||
	    count == 0 || count > FRAME_COUNT || end > FRAME_COUNT)
		return K_EINVAL;
	flags = spin_lock_irqsave(&frame_lock);
	if (bits_all_set(st.allocated, first, end))
		give_back_frames(first, end);
	else
		err = K_EINVAL; /* a double free, or a frame that was never handed out */
	spin_unlock_irqrestore(&frame_lock, flags);
	return err;
}

kerr_t frame_free(paddr_t addr)
{
	return frame_free_contiguous(addr, 1);
}

uint64_t frame_free_count(void)
{
	arch_irqflags_t flags = spin_lock_irqsave(&frame_lock);
	uint64_t n = st.free_frames;

	spin_unlock_irqrestore(&frame_lock, flags);
	return n;
}

uint64_t frame_used_count(void)
{
	arch_irqflags_t flags = spin_lock_irqsave(&frame_lock);
	uint64_t n = st.allocated_frames;

	spin_unlock_irqrestore(&frame_lock, flags);
	return n;
}

uint64_t frame_managed_count(void)
{
	arch_irqflags_t flags = spin_lock_irqsave(&frame_lock);
	uint64_t n = st.free_frames + st.allocated_frames;

	spin_unlock_irqrestore(&frame_lock, flags);
	return n;
}

uint64_t frame_unmanaged_count(void)
{
	arch_irqflags_t flags = spin_lock_irqsave(&frame_lock);
	uint64_t n = st.unmanaged_frames;

	spin_unlock_irqrestore(&frame_lock, flags);
	return n;
}
