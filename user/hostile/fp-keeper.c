/* fp-keeper: fills every SIMD/FP register and its thread pointer with a
 * marker of its own (from its pid), then spins for SPIN_TICKS ticks of
 * the kernel's clock -- long enough to be preempted many times by another
 * fp-keeper -- checking after every system call that all of them still
 * hold its marker. Exits 0 if they always did, 1 if any changed, 2 if
 * its clock never moved. Two of them side by side show preemption and
 * that no register state crosses between programs. */
#include "hostile.h"

#include <stdbool.h>

CAMBIOS_MODULE_ROLE("fp-keeper");

#define SPIN_TICKS 40
#define MARKER_STEP 0x0101010101010101ULL

#if defined(__x86_64__)
#define VREGS 16
static void fill(uint64_t marker)
{
	__asm__ volatile("movq %0, %%xmm0\n\t"
			 "punpcklqdq %%xmm0, %%xmm0\n\t"
			 ".irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n\t"
			 "movdqa %%xmm0, %%xmm\\n\n\t"
			 ".endr"
			 : : "r"(marker) : "memory");
}

struct seen {
	uint64_t word[2 * VREGS];
};

static void dump(struct seen *out)
{
	__asm__ volatile(".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n\t"
			 "movdqu %%xmm\\n, \\n*16(%1)\n\t"
			 ".endr"
			 : "=m"(*out) : "r"(out));
}
#else
#define VREGS 32
static void fill(uint64_t marker)
{
	__asm__ volatile(".arch_extension fp\n\t"
			 ".arch_extension simd\n\t"
			 ".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,"
			 "24,25,26,27,28,29,30,31\n\t"
			 "dup v\\n\\().2d, %0\n\t"
			 ".endr\n\t"
			 "msr tpidr_el0, %0"
			 : : "r"(marker) : "memory");
}

struct seen {
	uint64_t word[2 * VREGS + 1]; /* and TPIDR_EL0 */
};

static void dump(struct seen *out)
{
	__asm__ volatile(".arch_extension fp\n\t"
			 ".arch_extension simd\n\t"
			 ".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,"
			 "24,25,26,27,28,29,30,31\n\t"
			 "str q\\n, [%1, #\\n*16]\n\t"
			 ".endr\n\t"
			 "mrs x9, tpidr_el0\n\t"
			 "str x9, [%1, #512]"
			 : "=m"(*out) : "r"(out) : "x9");
}
#endif

static bool intact(uint64_t marker)
{
	struct seen regs;

	dump(&regs);
	for (size_t i = 0; i < sizeof(regs.word) / sizeof(regs.word[0]); i++) {
		if (regs.word[i] != marker)
			return false;
	}
	return true;
}

int main(void)
{
	uint64_t marker = MARKER_STEP * (uint64_t)(sys_getpid() & 0xff);
	int64_t start = sys_gettime();

	fill(marker);
	for (;;) {
		int64_t now = sys_gettime();
		if (!intact(marker))
			return 1;
		if (now - start >= SPIN_TICKS)
			return 0;
		if (now < start)
			return 2;
	}
}
