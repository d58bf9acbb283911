/*
 * devices: where the x86_64 kernel's own devices are (devices.c).
 */
#ifndef CAMBIOS_X86_DEVICES_H
#define CAMBIOS_X86_DEVICES_H

#include <stdint.h>

/* The local APIC's physical address (the same on every CPU: each sees its
 * own), as arch_devices_init() decided it; the IA32_APIC_BASE MSR's before. */
uint64_t devices_lapic_phys(void);

#endif
