/*
 * phys_guard: the physical ranges no user mapping may touch (see
 * phys_guard.h).
 */
#include <phys_guard.h>

#include <printk.h>
#include <stdbool.h>
#include <stddef.h>

struct guarded {
	uint64_t base, size;
	const char *what;
};

static struct guarded ranges[PHYS_GUARD_MAX];
static unsigned count;
static bool overflowed;
static const struct limine_memmap_response *memmap;

void phys_guard_add(uint64_t base, uint64_t size, const char *what)
{
	if (count == PHYS_GUARD_MAX) {
		overflowed = true;
		println("phys_guard: list full; %s at 0x%llx not added, so no device memory will be mapped",
			what, (unsigned long long)base);
		return;
	}
	ranges[count++] = (struct guarded){ .base = base, .size = size, .what = what };
}

void phys_guard_set_memmap(const struct limine_memmap_response *map)
{
	memmap = map;
}

/* Whether [a, a + as) and [b, b + bs) share a byte; neither wraps. */
static bool overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return as && bs && a < b + bs && b < a + as;
}

static bool wraps(uint64_t base, uint64_t size)
{
	return size > UINT64_MAX - base;
}

static bool in_memmap(uint64_t base, uint64_t size)
{
	for (uint64_t i = 0; memmap && memmap->entries && i < memmap->entry_count; i++) {
		const struct limine_memmap_entry *e = memmap->entries[i];
		if (!e)
			continue;
		/* An entry that wraps is clamped to the top: still guarded. */
		uint64_t length = wraps(e->base, e->length) ? UINT64_MAX - e->base : e->length;
		if (overlap(base, size, e->base, length))
			return true;
	}
	return false;
}

const char *phys_guard_check(uint64_t base, uint64_t size)
{
	if (wraps(base, size))
		return "the top of the address space";
	if (overflowed)
		return "an incomplete list of the kernel's ranges";
	if (in_memmap(base, size))
		return "the memory map";
	for (unsigned i = 0; i < count; i++) {
		uint64_t length = wraps(ranges[i].base, ranges[i].size) ? UINT64_MAX - ranges[i].base
								       : ranges[i].size;
		if (overlap(base, size, ranges[i].base, length))
			return ranges[i].what;
	}
	return NULL;
}

void phys_guard_reset(void)
{
	count = 0;
	overflowed = false;
	memmap = NULL;
}
