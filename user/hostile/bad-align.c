/* bad-align: a misaligned access the CPU refuses. x86_64: turns on
 * alignment checking (RFLAGS.AC; the kernel sets CR0.AM so a program may)
 * and loads a 4-byte word from an odd address, #AC on hardware; QEMU's
 * emulator does not check alignment, so it goes on to an aligned-only SSE
 * load (movdqa) from an odd address, which is #GP on every x86. AArch64:
 * branches to an address that is not a multiple of 4: a PC alignment
 * fault. */
#include "hostile.h"

CAMBIOS_MODULE_ROLE("bad-align");

static volatile uint8_t bytes[32] __attribute__((aligned(16)));

int main(void)
{
#if defined(__x86_64__)
	uint32_t word;
	__asm__ volatile("pushfq\n\t"
			 "orl $0x40000, (%%rsp)\n\t" /* RFLAGS.AC */
			 "popfq\n\t"
			 "movl (%1), %0\n\t"
			 "movdqa (%1), %%xmm0"
			 : "=&r"(word) : "r"(bytes + 1) : "xmm0", "memory", "cc");
	return word ? HOSTILE_NOT_STOPPED : HOSTILE_NOT_STOPPED + 1;
#else
	__asm__ volatile("adr x9, 1f\n\t"
			 "add x9, x9, #2\n\t"
			 "br x9\n"
			 "1:\n\t"
			 "nop"
			 : : : "x9");
	return bytes[0] + HOSTILE_NOT_STOPPED;
#endif
}
