/*
 * cpu_random: the CPU's random-number instruction, from user mode.
 *
 * RDRAND (x86_64) and RNDR (AArch64) each give 64 bits or say, by a flag,
 * that they have none right now; Intel's guidance is to retry a few times.
 * Whether the instruction exists at all comes from the kernel
 * (CpuFeatures): AArch64 keeps its ID registers from user mode, and an
 * instruction the CPU lacks would end the program.
 */
#include <abi/cpu.h>

#include "../lib/sys.h"
#include "entropy.h"

#define RETRIES 10

/* One 64-bit value, or false when the instruction had none. */
static bool one_word(uint64_t *out)
{
	uint8_t ok;
#if defined(__x86_64__)
	__asm__ volatile("rdrand %0; setc %1" : "=r"(*out), "=qm"(ok) : : "cc");
#elif defined(__aarch64__)
	/* RNDR: s3_3_c2_c4_0; NZCV is 0b0000 on success, 0b0100 on failure. */
	__asm__ volatile("mrs %0, s3_3_c2_c4_0; cset %w1, ne" : "=r"(*out), "=r"(ok) : : "cc");
#else
#error "no random-number instruction for this architecture"
#endif
	return ok != 0;
}

bool entropy_from_cpu(uint8_t *out, size_t len)
{
	if (!(sys_call(SYS_CPU_FEATURES, 0, 0, 0) & CPU_FEATURE_RANDOM))
		return false;
	for (size_t i = 0; i + 8 <= len; i += 8) {
		uint64_t w = 0;
		unsigned tries = 0;
		while (!one_word(&w))
			if (++tries == RETRIES)
				return false;
		for (unsigned b = 0; b < 8; b++)
			out[i + b] = (uint8_t)(w >> (8 * b));
	}
	return true;
}
