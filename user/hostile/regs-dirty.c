/* regs-dirty: fills every register a program can set and the next
 * program could read -- the SIMD/FP registers, their control and status,
 * the x87 stack, the thread pointer, the data segment selectors -- with
 * a marker (0x5345435245543131, "SECRET11") and exits. regs-check, run
 * right after it, must see none of it. */
#include "hostile.h"

CAMBIOS_MODULE_ROLE("regs-dirty");

#define MARKER 0x5345435245543131ULL

#if defined(__x86_64__)
#define USER_DATA_SELECTOR 0x1b /* GDT_USER_DATA | RPL 3 */
#define MXCSR_ROUND_TO_ZERO 0x7f80

static const uint32_t dirty_mxcsr = MXCSR_ROUND_TO_ZERO;

int main(void)
{
	__asm__ volatile("movq %0, %%xmm0\n\t"
			 "punpcklqdq %%xmm0, %%xmm0\n\t"
			 ".irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n\t"
			 "movdqa %%xmm0, %%xmm\\n\n\t"
			 ".endr\n\t"
			 "fldpi\n\t"
			 "fld1\n\t"
			 "ldmxcsr %1\n\t"
			 "movl %2, %%eax\n\t"
			 "movl %%eax, %%ds\n\t"
			 "movl %%eax, %%es\n\t"
			 "movl %%eax, %%fs\n\t"
			 "movl %%eax, %%gs"
			 : : "r"(MARKER), "m"(dirty_mxcsr), "i"(USER_DATA_SELECTOR) : "rax", "memory");
	return 0;
}
#else
#define FPCR_ROUND_TO_ZERO (3ULL << 22)
#define FPSR_CUMULATIVE_FLAGS 0x9fULL

int main(void)
{
	__asm__ volatile(".arch_extension fp\n\t"
			 ".arch_extension simd\n\t"
			 ".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,"
			 "24,25,26,27,28,29,30,31\n\t"
			 "dup v\\n\\().2d, %0\n\t"
			 ".endr\n\t"
			 "msr tpidr_el0, %0\n\t"
			 "msr fpcr, %1\n\t"
			 "msr fpsr, %2"
			 : : "r"(MARKER), "r"(FPCR_ROUND_TO_ZERO), "r"(FPSR_CUMULATIVE_FLAGS)
			 : "memory");
	return 0;
}
#endif
