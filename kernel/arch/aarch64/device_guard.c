/*
 * device_guard: the AArch64 kernel's own device registers, put on the
 * list no user mapping may touch (phys_guard.h): the GICv3 distributor,
 * redistributors and ITS (if there is one) and the console PL011, where
 * arch_devices_init() found them. None is a PCI device; the list is for a BAR that claims to be
 * one of them anyway.
 */
#include <arch.h>
#include <phys_guard.h>

#include "devices.h"
#include "mmio.h"

void arch_guard_own_devices(void)
{
	const struct board_devices *b = board_devices();

	phys_guard_add(b->gicd, GICD_SIZE, "the GIC distributor");
	phys_guard_add(b->gicr, b->gicr_size, "the GIC redistributors");
	if (b->its)
		phys_guard_add(b->its, GITS_SIZE, "the GIC ITS");
	phys_guard_add(b->uart, PL011_SIZE, "the console UART");
}
