/*
 * devices: where the AArch64 kernel's own devices are (devices.c).
 */
#ifndef CAMBIOS_AARCH64_DEVICES_H
#define CAMBIOS_AARCH64_DEVICES_H

#include <stdint.h>

/* Physical addresses, all mapped as device memory once
 * arch_devices_init() has run (QEMU virt's until then). */
struct board_devices {
	uint64_t gicd;      /* the GICv3 distributor */
	uint64_t gicr;      /* the first redistributor */
	uint64_t gicr_size; /* how far the redistributors are mapped */
	uint64_t uart;      /* the console PL011 */
	unsigned uart_intid; /* its receive interrupt (a GIC INTID) */
	uint64_t its;       /* the GICv3 ITS (GITS_SIZE bytes); 0: there is none */
	const char *its_source; /* the table that named it */
};

const struct board_devices *board_devices(void);

#endif
