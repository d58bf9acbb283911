/* bad-stack: recurses until its stack runs out, toward its own data: it is
 * linked with its data segment in the page right below the stack's guard
 * page (USER_DATA_START=0x7ee000, see the Makefile). The guard page is
 * never mapped, so the overflow faults there instead of writing over the
 * data. */
#include "hostile.h"

CAMBIOS_MODULE_ROLE("bad-stack");

#define FRAME_BYTES 1024
#define DEPTH_BEYOND_ANY_STACK (1 << 20) /* a GiB of frames */
#define PAGE 4096

/* The data the stack would run into: exactly the page below the guard. */
static volatile uint8_t neighbour[PAGE] __attribute__((aligned(PAGE))) = { 1 };

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
	(void)dive(neighbour[0]);
	return HOSTILE_NOT_STOPPED;
}
