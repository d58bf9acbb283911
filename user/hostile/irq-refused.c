/* irq-refused: WaitIrq and ConsoleRead with what they must refuse -- the
 * kernel's own lines (the console's receive interrupt; on x86_64 also
 * the PIT's GSI 2), lines no device interrupt arrives on, numbers past
 * every line; console reads of 0 or more than 256 bytes, into kernel
 * memory, read-only memory or nowhere -- each with its error code, none
 * blocking. Exits 0 when every answer was right, else the number of the
 * first wrong one. */
#include "hostile.h"

CAMBIOS_MODULE_ROLE("irq-refused");

#define KERNEL_ADDRESS 0xffffffff80000000ULL
#define HUGE UINT64_MAX
#if defined(__x86_64__)
#define CONSOLE_LINE 4  /* COM1's GSI */
#define TIMER_LINE 2    /* the PIT's, ISA IRQ 0 after q35's override */
#define NO_DEVICE_LINE 500
#else
#define CONSOLE_LINE 33 /* the PL011's SPI 1 */
#define TIMER_LINE 27   /* the virtual timer's PPI: not a device line at all */
#define NO_DEVICE_LINE 5 /* an SGI */
#endif

static const volatile uint8_t read_only[64] = { 1 };

struct check {
	uint64_t nr, a0, a1;
	int64_t want;
};

int main(void)
{
	static uint8_t buf[512] = { 1 }; /* written by nothing: every read here is refused */
	const uint64_t ro = (uint64_t)(uintptr_t)read_only;
	const uint64_t rw = (uint64_t)(uintptr_t)buf;
	const struct check checks[] = {
		{ SYS_WAIT_IRQ, CONSOLE_LINE, 0, SYS_EPERM },
#if defined(__x86_64__)
		{ SYS_WAIT_IRQ, TIMER_LINE, 0, SYS_EPERM },
#else
		{ SYS_WAIT_IRQ, TIMER_LINE, 0, SYS_EINVAL },
#endif
		{ SYS_WAIT_IRQ, NO_DEVICE_LINE, 0, SYS_EINVAL },
		{ SYS_WAIT_IRQ, 1020, 0, SYS_EINVAL },
		{ SYS_WAIT_IRQ, HUGE, 0, SYS_EINVAL },
		{ SYS_WAIT_IRQ, (1ULL << 32) | CONSOLE_LINE, 0, SYS_EINVAL },
		{ SYS_CONSOLE_READ, rw, 0, SYS_EINVAL },
		{ SYS_CONSOLE_READ, rw, 257, SYS_EINVAL },
		{ SYS_CONSOLE_READ, rw, HUGE, SYS_EINVAL },
		{ SYS_CONSOLE_READ, KERNEL_ADDRESS, 8, SYS_EFAULT },
		{ SYS_CONSOLE_READ, ro, 8, SYS_EFAULT },
		{ SYS_CONSOLE_READ, 0, 8, SYS_EFAULT },
	};

	for (unsigned i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		const struct check *c = &checks[i];
		if (sys_call(c->nr, c->a0, c->a1, 0) != c->want)
			return (int)i + 1;
	}
	// cppcheck-suppress knownConditionTrueFalse ; a system call could have written it
	return read_only[0] == 1 ? 0 : 100;
}
