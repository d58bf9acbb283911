/* bad-offset: an ordinary program whose writable segment's address is
 * moved 16 bytes off its file offset after linking
 * (tests/support/skew_segment.py). The ELF rules require the two to agree
 * modulo the page size; the loader must refuse it. */
#include "hostile.h"

CAMBIOS_MODULE_ROLE("bad-offset");

static volatile uint64_t skewed = 1;

int main(void)
{
	return (int)skewed + HOSTILE_NOT_STOPPED;
}
