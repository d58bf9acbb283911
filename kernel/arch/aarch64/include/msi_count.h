/*
 * msi_count (AArch64): how many LPIs each MSI slot has delivered since
 * boot (gic.c counts them as it dispatches), for reports and the ITS
 * self-test, which cannot see the router's lines for MSIs.
 */
#ifndef CAMBIOS_MSI_COUNT_H
#define CAMBIOS_MSI_COUNT_H

#include <stdint.h>

/* 0 for a slot past IRQ_MSI_LINES. */
uint64_t msi_slot_count(unsigned slot);

#endif
