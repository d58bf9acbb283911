/*
 * msix: MSI-X vectors of PCI functions, given to their drivers as router
 * lines (msi.h, irq.h).
 *
 * EnableMsix(function, entry) claims the function for the caller (the
 * same implicit claim as MapMmio's, device_claim.h), takes a free slot s
 * of IRQ_MSI_LINES, asks the arch for slot s's message, writes it into
 * entry `entry` of the function's MSI-X table (masked), grants line
 * IRQ_MSI_BASE + s to the caller, and turns on the function's MSI-X
 * (enable set, function mask clear) and its bus mastering -- an MSI is a
 * memory write the device makes, which needs it. The driver then tells
 * the device which entry to use for what (virtio: the config and queue
 * vectors) and waits on the line with WaitIrq: the router unmasks the
 * vector while the driver waits and masks it when it fires, through the
 * entry's vector-control mask bit; a message the device raises while the
 * vector is masked stays pending in the device and comes at the unmask.
 *
 * The table itself is the kernel's: its pages are refused to MapMmio
 * (pci_msix_touches), so a driver cannot aim the device's writes at
 * anything but its own vector.
 *
 * Everything a process enabled ends with it (msix_release_owner, before
 * its devices are released): each entry masked and cleared, the slot's
 * route undone, the line back to unrouted, and the function's MSI-X
 * turned off when none of its entries is left, so the next driver finds
 * it on INTx, as the firmware left it.
 *
 * Lock: LOCK_MSIX (lock_order.h) guards the slot table and is held only
 * to take, publish or free a slot: the device, the arch and the router
 * are programmed between, with a taken slot marked busy. The router's
 * mask and unmask of a vector read the slot's entry address without the
 * lock: it is published before the line is granted and cleared only
 * after the line is revoked, both under the router's lock.
 */
#ifndef CAMBIOS_MSIX_H
#define CAMBIOS_MSIX_H

#include <kerr.h>
#include <process.h>
#include <stdint.h>

/* Routes entry `entry` of function `function` (an index into
 * pci_host_table()) to a line only `pid` may wait on; *line is it. Again
 * for the same entry: the same line. K_EINVAL for a function past the
 * table, without MSI-X or with a broken capability, an entry past its
 * table, or a table BAR that is unassigned; K_EPERM when another process
 * holds the function; K_ENOMEM when every slot is in use; K_EBUSY while
 * another thread of `pid` is enabling the same entry; K_ENOENT when the
 * machine cannot deliver MSIs (AArch64 without an ITS). */
__must_check kerr_t msix_enable(unsigned function, unsigned entry, kpid_t pid, unsigned *line);

/* Ends every vector `pid` enabled (see above); returns how many, and
 * prints one line for each function whose MSI-X it turned off. */
unsigned msix_release_owner(kpid_t pid);

/* Vectors enabled, machine-wide (for reports and tests). */
unsigned msix_vectors_in_use(void);

#endif
