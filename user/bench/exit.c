/*
 * bench-exit: the tiny program `bench` spawns and waits for, over and
 * over, to time Spawn + WaitTask (user/bench/bench.c). It does nothing
 * but end, so the figure is what starting and ending a process costs.
 * (It also runs once at boot, like every boot module, and ends there.)
 */
#include "../lib/module.h"
#include "../lib/sys.h"

CAMBIOS_MODULE_ROLE("bench-exit");

int main(void)
{
	return 0;
}
