/* bad-args: system calls with every kind of bad argument -- unknown
 * numbers; kernel-half, non-canonical, unmapped and straddling pointers;
 * lengths of 0, 257 and 2^64-1; a read-only buffer for an output; out of
 * range endpoints and pids -- each must get its error code (the kernel
 * changes nothing). Exits 0 when every answer was right, else the number
 * of the first wrong one. */
#include "hostile.h"

CAMBIOS_MODULE_ROLE("bad-args");

#define KERNEL_ADDRESS 0xffffffff80000000ULL
#define NON_CANONICAL 0x0000800000000000ULL
#define UNMAPPED 0x10000000ULL
#define HUGE UINT64_MAX
#define PAGE 4096

static const volatile uint8_t read_only[64] = { 1 }; /* read back after the calls */
static uint8_t page[PAGE] __attribute__((aligned(PAGE))); /* the last page of .bss */

struct check {
	uint64_t nr, a0, a1, a2;
	int64_t want;
};

int main(void)
{
	const uint64_t ro = (uint64_t)(uintptr_t)read_only;
	const uint64_t straddle = (uint64_t)(uintptr_t)page + PAGE - 8;
	const struct check checks[] = {
		/* unknown numbers */
		{ 33, 0, 0, 0, SYS_ENOSYS },
		{ 18, 0, 0, 0, SYS_ENOSYS },
		{ 2047, 0, 0, 0, SYS_ENOSYS },
		{ HUGE, 0, 0, 0, SYS_ENOSYS },
		/* Print: pointers and lengths */
		{ SYS_PRINT, KERNEL_ADDRESS, 8, 0, SYS_EFAULT },
		{ SYS_PRINT, NON_CANONICAL, 8, 0, SYS_EFAULT },
		{ SYS_PRINT, UNMAPPED, 8, 0, SYS_EFAULT },
		{ SYS_PRINT, straddle, 64, 0, SYS_EFAULT },
		{ SYS_PRINT, ro, 0, 0, 0 },
		{ SYS_PRINT, ro, 257, 0, SYS_EINVAL },
		{ SYS_PRINT, ro, HUGE, 0, SYS_EINVAL },
		{ SYS_PRINT, HUGE, 8, 0, SYS_EFAULT },
		/* Write: endpoints, lengths, pointers */
		{ SYS_WRITE, 32, ro, 8, SYS_EINVAL },
		{ SYS_WRITE, (1ULL << 32) + 28, ro, 8, SYS_EINVAL },
		{ SYS_WRITE, 28, ro, 257, SYS_EINVAL },
		{ SYS_WRITE, 28, ro, HUGE, SYS_EINVAL },
		{ SYS_WRITE, 28, KERNEL_ADDRESS, 8, SYS_EFAULT },
		{ SYS_WRITE, 28, ro, 0, 0 },
		/* receiving into memory the program may not write */
		{ SYS_READ, 30, ro, 8, SYS_EFAULT },
		{ SYS_READ, 30, ro, 257, SYS_EINVAL },
		{ SYS_TRY_RECV_MSG, 30, ro, 64, SYS_EFAULT },
		{ SYS_TRY_RECV_MSG, 30, KERNEL_ADDRESS, 64, SYS_EFAULT },
		{ SYS_TRY_RECV_MSG, 30, (uint64_t)(uintptr_t)page, 35, SYS_EINVAL },
		{ SYS_RECV_MSG, 32, (uint64_t)(uintptr_t)page, 64, SYS_EINVAL },
		{ SYS_RECV_MSG, 30, straddle, 64, SYS_EFAULT },
		/* the rest */
		{ SYS_REGISTER_ENDPOINT, 32, 0, 0, SYS_EINVAL },
		{ SYS_REGISTER_ENDPOINT, 1ULL << 63, 0, 0, SYS_EINVAL },
		{ SYS_GET_PRINCIPAL, (uint64_t)(uintptr_t)page, 31, 0, SYS_EINVAL },
		{ SYS_GET_PRINCIPAL, KERNEL_ADDRESS, 32, 0, SYS_EFAULT },
		{ SYS_GET_PRINCIPAL, ro, 32, 0, SYS_EFAULT },
		{ SYS_SPAWN, ro, 0, 0, SYS_EINVAL },
		{ SYS_SPAWN, ro, 32, 0, SYS_EINVAL },
		{ SYS_SPAWN, KERNEL_ADDRESS, 5, 0, SYS_EFAULT },
		{ SYS_WAIT_TASK, 64, 0, 0, SYS_ENOENT },
		{ SYS_WAIT_TASK, HUGE, 0, 0, SYS_ENOENT },
	};

	for (unsigned i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		const struct check *c = &checks[i];
		if (sys_call(c->nr, c->a0, c->a1, c->a2) != c->want)
			return (int)i + 1;
	}
	/* and the kernel wrote nothing into it, which the compiler cannot know */
	// cppcheck-suppress knownConditionTrueFalse ; a system call could have written it
	return read_only[0] == 1 ? 0 : 100;
}
