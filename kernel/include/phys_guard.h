/*
 * phys_guard: the physical ranges no user mapping may ever touch.
 *
 * MapMmio (system call 20) maps only ranges inside a PCI function's
 * memory BAR, but a BAR is whatever the firmware or the device says: a
 * broken or hostile one could claim to sit on RAM, on the kernel image or
 * on the kernel's own devices. This list is the second check, made
 * whatever the BAR says:
 *   - every range of the bootloader's memory map, of every type (usable
 *     RAM, the kernel and its modules, ACPI tables, firmware, the
 *     framebuffer, reserved holes): none of it is a driver's;
 *   - the ranges the kernel's own devices occupy, added at boot by whoever
 *     finds them (the local and I/O APICs, the GIC distributor and
 *     redistributors, the console UART, the PCI configuration space).
 *
 * Written only during boot, on one CPU, before any user program runs;
 * read-only afterwards, so it takes no lock.
 */
#ifndef CAMBIOS_PHYS_GUARD_H
#define CAMBIOS_PHYS_GUARD_H

#include <limine.h>
#include <stdint.h>

#define PHYS_GUARD_MAX 32

/* Adds [base, base + size) under the name `what` (kept, not copied). A
 * list already full keeps its entries and the boot says which range was
 * left out -- and then refuses every range, since it can no longer tell. */
void phys_guard_add(uint64_t base, uint64_t size, const char *what);

/* Every entry of `map` is guarded (the map is kept, not copied). */
void phys_guard_set_memmap(const struct limine_memmap_response *map);

/* What [base, base + size) overlaps -- "memory map" or an added range's
 * name -- or NULL when it is clear. A range that wraps past the top of
 * the address space overlaps everything. */
const char *phys_guard_check(uint64_t base, uint64_t size);

/* Host tests: forget everything. */
void phys_guard_reset(void);

#endif
