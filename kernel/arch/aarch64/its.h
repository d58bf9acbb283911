/*
 * its: MSIs through the GICv3 ITS, as LPIs (its.c); arch_msi_compose and
 * arch_msi_release (msi.h) are its other half.
 */
#ifndef CAMBIOS_AARCH64_ITS_H
#define CAMBIOS_AARCH64_ITS_H

#include <stdint.h>

/* The first LPI; MSI slot s arrives as LPI_FIRST + s. */
#define LPI_FIRST 8192u

/* Finds the ITS devices.c located, gives the BSP's redistributor (at
 * `bsp_redistributor`) its LPI tables and the ITS its own, and maps
 * collection 0 to the BSP; prints what it found, or that MSIs cannot be
 * had. The distributor is at `gicd`. Runs once, on the BSP. */
void its_init(uintptr_t gicd, uintptr_t bsp_redistributor);

/* An AP, as it starts: its redistributor (at `gicr`) gets LPIs, and its
 * collection (number `cpu`) is mapped there, so MSIs can be steered to
 * it. Nothing happens without an ITS, or if the redistributor cannot. */
void its_start_ap(uintptr_t gicr, unsigned cpu);

#endif
