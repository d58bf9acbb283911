/* alloc: Allocate and Free. Regions come back zeroed and writable, apart
 * from each other (the page after each is unmapped), freeable once; sizes
 * of 0 or over 1 MiB, unknown flags and frees of anything but a region's
 * start are refused. Exits 0 when every answer was right, else the number
 * of the first wrong one. (Whatever it still holds at the end goes with
 * its address space: the self-test counts the frames.) */
#include "hostile.h"

#include <stdbool.h>

CAMBIOS_MODULE_ROLE("alloc");

#define PAGE 4096
#define MIB (1024 * 1024)

static int64_t allocate(uint64_t size, uint64_t flags)
{
	return sys_call(SYS_ALLOCATE, size, flags, 0);
}

static int64_t release(int64_t address)
{
	return sys_call(SYS_FREE, (uint64_t)address, 0, 0);
}

static bool zeroed_and_writable(volatile uint8_t *p, uint64_t size)
{
	if (p[size - 1] != 0)
		return false;
	for (uint64_t i = 0; i < size; i += 512) {
		if (p[i] != 0 && i != size - 1)
			return false;
		p[i] = 0xa5;
	}
	p[size - 1] = 0x5a;
	return p[size - 1] == 0x5a;
}

int main(void)
{
	int64_t one = allocate(1, 0), page = allocate(PAGE, 0), big = allocate(MIB, 0);

	if (one <= 0 || page <= 0 || big <= 0)
		return 1;
	if (page < one + 2 * PAGE && one < page + 2 * PAGE)
		return 2; /* no guard page between them */
	if (!zeroed_and_writable((volatile uint8_t *)(uintptr_t)big, MIB) ||
	    !zeroed_and_writable((volatile uint8_t *)(uintptr_t)one, 1))
		return 3;
	if (allocate(0, 0) != SYS_EINVAL || allocate(MIB + 1, 0) != SYS_EINVAL ||
	    allocate(PAGE, 1) != SYS_EINVAL)
		return 4;
	if (release(page) != 0 || release(page) != SYS_EINVAL || release(big + PAGE) != SYS_EINVAL ||
	    release(0x400000) != SYS_EINVAL)
		return 5;
	int64_t again = allocate(PAGE, 0); /* the freed room is found again */
	if (again != page)
		return 6;
	if (release(big) != 0)
		return 7;
	return 0; /* `one` and `again` stay: the kernel takes them back at exit */
}
