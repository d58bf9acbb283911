/*
 * frame (verify harness): the physical frame allocator driven through every
 * state its callers can reach.
 *
 * First the pool is built the way the boot path builds it, from a memory
 * map of unknown entries (any base, length and type, NULL entries too) and
 * unknown reservations -- or, the other way callers have, by hand: a
 * window at any base (aligned or not), then ranges added and reserved.
 * Then a loop of unknown length performs unknown operations with unknown
 * arguments: add and reserve any range, allocate single frames and runs of
 * any count and alignment, free what was handed out (whole, or a part) and
 * free any address at all (the API checks and rejects what it did not
 * hand out), and read the counters. EVA's fixpoint over that loop covers
 * every state a sequence of calls can produce.
 *
 * The caps (MAX_ENTRIES map entries, MAX_RESERVED reservations) only size
 * the analysis's arrays: the code handles each entry or reservation on its
 * own, in a loop whose bound it reads from the caller, so a longer map
 * adds iterations of the same body and no new behaviour.
 */
#include <__fc_builtin.h>
#include <frame.h>

#define MAX_ENTRIES 4
#define MAX_RESERVED 3

static struct limine_memmap_entry entry_storage[MAX_ENTRIES];
static struct limine_memmap_entry *entry_ptrs[MAX_ENTRIES];
static struct frame_reservation reserved[MAX_RESERVED];

static uint64_t any_u64(void)
{
	uint64_t v;

	Frama_C_make_unknown((char *)&v, sizeof(v));
	return v;
}

static void build_from_memmap(void)
{
	struct limine_memmap_response map;
	size_t count = Frama_C_size_t_interval(0, MAX_RESERVED);

	for (int i = 0; i < MAX_ENTRIES; i++) {
		entry_storage[i].base = any_u64();
		entry_storage[i].length = any_u64();
		entry_storage[i].type = any_u64();
		entry_ptrs[i] = Frama_C_nondet(0, 1) ? &entry_storage[i] : NULL;
	}
	for (int i = 0; i < MAX_RESERVED; i++) {
		reserved[i].base = any_u64();
		reserved[i].length = any_u64();
		reserved[i].what = Frama_C_nondet(0, 1) ? "reservation" : NULL;
	}
	map.revision = any_u64();
	map.entry_count = Frama_C_unsigned_long_interval(0, MAX_ENTRIES);
	map.entries = Frama_C_nondet(0, 1) ? entry_ptrs : NULL;
	(void)frame_init_from_memmap(&map, Frama_C_nondet(0, 1) ? reserved : NULL, count);
	(void)frame_init_from_memmap(NULL, reserved, count);
}

static void build_by_hand(void)
{
	frame_init();
	frame_set_window(any_u64());
	(void)frame_add_usable(any_u64(), any_u64());
	(void)frame_reserve(any_u64(), any_u64());
}

int main(void)
{
	paddr_t held = 0;
	size_t held_count = 0;

	if (Frama_C_nondet(0, 1))
		build_from_memmap();
	else
		build_by_hand();

	while (Frama_C_nondet(0, 1)) {
		paddr_t p = 0;
		size_t n;

		switch (Frama_C_int_interval(0, 9)) {
		case 0:
			(void)frame_add_usable(any_u64(), any_u64());
			break;
		case 1:
			(void)frame_reserve(any_u64(), any_u64());
			break;
		case 2:
			if (frame_alloc(&p) == K_OK) {
				held = p;
				held_count = 1;
			}
			(void)frame_alloc(NULL);
			break;
		case 3:
			n = (size_t)any_u64();
			if (frame_alloc_contiguous(n, (size_t)any_u64(), &p) == K_OK) {
				held = p;
				held_count = n;
			}
			(void)frame_alloc_contiguous(n, 1, NULL);
			break;
		case 4:
			/* What a caller got back, whole or a part of it. */
			if (held_count > 0) {
				n = Frama_C_size_t_interval(1, held_count);
				if (frame_free_contiguous(held, n) == K_OK)
					held_count = 0;
			}
			break;
		case 5:
			if (held_count > 0 && frame_free(held) == K_OK)
				held_count = 0;
			break;
		case 6:
			(void)frame_free(any_u64());
			break;
		case 7:
			(void)frame_free_contiguous(any_u64(), (size_t)any_u64());
			break;
		case 8:
			frame_set_window(any_u64()); /* ignored once frames were added */
			break;
		default:
			(void)frame_free_count();
			(void)frame_used_count();
			(void)frame_managed_count();
			(void)frame_unmanaged_count();
			(void)frame_window_base();
			break;
		}
	}
	return 0;
}
