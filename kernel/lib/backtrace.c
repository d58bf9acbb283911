/*
 * backtrace: walking the kernel stack by frame pointers.
 *
 * The kernel is built with -fno-omit-frame-pointer. On both x86_64 and
 * AArch64 a frame record is two words, {previous frame pointer, return
 * address}, at the frame pointer (rbp / x29). The walk stops at a NULL or
 * misaligned frame pointer, at a non-kernel address, or when the chain
 * stops moving up the stack (which also prevents loops in a corrupted
 * chain).
 */
#include <trap.h>

#include <printk.h>
#include <symbols.h>

/* Kernel stacks live in the higher half; anything lower is not ours. */
#define KERNEL_HALF_START 0xffff000000000000ULL

static bool frame_pointer_plausible(uint64_t fp, uint64_t previous)
{
	return fp >= KERNEL_HALF_START && (fp & 7) == 0 && fp > previous;
}

void backtrace_print(uint64_t ip, uint64_t fp)
{
	uint64_t previous = 0;

	printk("  backtrace:\n    #0  0x%016llx ", (unsigned long long)ip);
	symbols_print(ip);
	printk("\n");
	for (int depth = 1; depth < BACKTRACE_MAX_FRAMES; depth++) {
		if (!frame_pointer_plausible(fp, previous))
			break;
		const uint64_t *record = (const uint64_t *)(uintptr_t)fp;
		uint64_t ret = record[1];
		if (ret == 0)
			break;
		printk("    #%-2d 0x%016llx ", depth, (unsigned long long)ret);
		symbols_print(ret);
		printk("\n");
		previous = fp;
		fp = record[0];
	}
}
