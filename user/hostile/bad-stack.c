/* bad-stack: recurses until its stack runs out. The page below the stack
 * is a guard page no segment may take, so the overflow faults there
 * instead of writing over the program's data. */
#include "hostile.h"

CAMBIOS_MODULE_ROLE("bad-stack");

#define FRAME_BYTES 1024
#define DEPTH_BEYOND_ANY_STACK (1 << 20) /* a GiB of frames */

static int dive(int depth) /* NOLINT(misc-no-recursion): the point of the program */
{
	volatile uint8_t frame[FRAME_BYTES];

	frame[0] = (uint8_t)depth;
	frame[FRAME_BYTES - 1] = (uint8_t)depth;
	if (depth == DEPTH_BEYOND_ANY_STACK)
		return frame[0];
	return dive(depth + 1) + frame[FRAME_BYTES - 1];
}

int main(void)
{
	(void)dive(0);
	return HOSTILE_NOT_STOPPED;
}
