/*
 * pci_assign: placing the BARs the firmware left unassigned in the host
 * bridge's windows -- the portable core (lib/pci enumerates, this places).
 *
 * Given the windows through which the host bridge forwards CPU accesses
 * to PCI (an I/O window, a 32-bit and a 64-bit memory window, each
 * possibly prefetchable), the enumerated table and its configuration
 * access, every BAR with base 0 is given an address:
 *  - naturally aligned to its size; memory BARs to at least a 4 KiB page,
 *    and a small one takes its whole page, so no two functions ever share
 *    a page a driver maps (MapMmio maps pages);
 *  - overlapping no BAR already assigned (by the firmware or by this pass),
 *    no forwarding window of a PCI-to-PCI bridge the function is not
 *    behind, and no range the caller excludes (RAM, the ECAM window);
 *  - biggest BARs first, the classic way to keep the windows from
 *    fragmenting;
 *  - in the window that suits it best: a prefetchable 64-bit BAR in a
 *    prefetchable 64-bit window, then a plain 64-bit one, then the 32-bit
 *    ones; a 64-bit BAR may go in a 32-bit window; a 32-bit BAR (and an I/O
 *    BAR, whose register has 32 bits) only below 4 GiB in bus addresses,
 *    whatever the window's kind; a non-prefetchable BAR never in a
 *    prefetchable window (reads there may be merged or repeated).
 * The chosen address is written to the BAR (both halves of a 64-bit one)
 * with the command register's I/O and memory decode off meanwhile, as
 * lib/pci's sizing probe does, and read back: a BAR that does not keep it
 * (an I/O BAR decoding 16 bits, a broken device) is put back to what it
 * held and reported. A function whose BARs of a space are then all
 * assigned has that space's decode turned on; one with a BAR still
 * unassigned keeps it as it was, since an unassigned BAR would decode
 * address 0.
 *
 * Behind PCI-to-PCI bridges a BAR is reachable only inside the forwarding
 * windows of every bridge between it and the host (PCI-to-PCI Bridge
 * Architecture Specification 1.2, 3.2.5: an I/O window, a non-prefetchable
 * memory window below 4 GiB and a prefetchable memory window, 64-bit when
 * the bridge says so). This pass takes those windows as the firmware set
 * them and places a bridged BAR only where the same kind of window of
 * every bridge on the way, and a host window, all contain it; otherwise
 * the BAR stays unassigned with the reason. Firmware that leaves bridges
 * unprogrammed would need the bridge windows assigned as well, which is
 * out of scope. A window whose base reads as 0 is taken as absent (an
 * unprogrammed bridge reads so, and nothing is ever placed at bus address
 * 0: base 0 is what "unassigned" means in the table).
 *
 * Addresses: a BAR register holds the PCI bus address; the CPU reaches it
 * at the window's CPU base plus its offset in the window. lib/pci records
 * BAR registers as read, and every machine we run on maps memory 1:1
 * (QEMU virt, q35), so the table's memory bases are CPU addresses; this
 * pass keeps that meaning, writing the CPU address of a memory BAR into the
 * table (what the kernel maps). An I/O BAR's table base stays the port
 * number, its bus address -- what x86's in/out take, and what lib/pci
 * records -- even where the I/O window is memory-mapped (QEMU virt: ports
 * 0-0xffff at CPU 0x3eff0000); the result gives both addresses. Conflicts
 * are judged in bus addresses, each space (I/O, memory) on its own; the
 * caller's exclusions, in CPU addresses.
 *
 * Untrusted input: BAR sizes and bridge windows come from the devices,
 * windows and exclusions from firmware tables. Every sum is checked: a
 * BAR of 2^63 bytes, a window ending at 2^64 - 1, a range that would wrap
 * are all handled, and refused where they cannot fit.
 *
 * Where the windows come from is the caller's business. On AArch64 it is
 * the device tree's `ranges` of the host bridge node (fdt_pci_range). ACPI
 * machines describe them in the host bridge's _CRS, in AML, which we do
 * not interpret; on x86_64 the firmware assigns every BAR, so the kernel
 * runs this pass only where the device tree gives windows.
 */
#ifndef CAMBIOS_LIB_PCI_ASSIGN_H
#define CAMBIOS_LIB_PCI_ASSIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pci.h"

#define PCI_ASSIGN_ALL (-1) /* pci_assign_request.only: every function */
#define PCI_ASSIGN_MAX_BARS (PCI_MAX_FUNCTIONS * PCI_MAX_BARS)
#define PCI_ASSIGN_PAGE 4096ULL /* the smallest memory BAR footprint */
#define PCI_ASSIGN_LINE_MAX 160 /* pci_assign_format's longest line, with the NUL */

enum pci_window_kind {
	PCI_WINDOW_IO = 1,
	PCI_WINDOW_MEM32,
	PCI_WINDOW_MEM64,
};

/* A host bridge window: bus addresses [bus_base, bus_base + size) appear to
 * the CPU at [cpu_base, cpu_base + size). A window of size 0, of an
 * unknown kind, or that would run past 2^64 (either side) is ignored. */
struct pci_window {
	enum pci_window_kind kind;
	bool prefetchable;
	uint64_t cpu_base;
	uint64_t bus_base;
	uint64_t size;
};

/* A CPU physical range nothing may be placed over (size 0: none). */
struct pci_range {
	uint64_t base;
	uint64_t size;
};

/* A PCI-to-PCI bridge's forwarding window, as read: bus addresses
 * [base, limit], inclusive. */
struct pci_bridge_window {
	bool present;
	uint64_t base;
	uint64_t limit;
};

/* The three windows of a bridge. */
struct pci_bridge_windows {
	struct pci_bridge_window io;
	struct pci_bridge_window memory;       /* non-prefetchable, below 4 GiB */
	struct pci_bridge_window prefetchable; /* 64-bit when the bridge says so */
};

/* One unassigned BAR and what became of it. */
struct pci_assign_bar {
	unsigned function; /* its index in the table */
	unsigned slot;     /* the BAR's register, 0-5 */
	uint64_t size;
	bool assigned;
	uint64_t bus_address; /* when assigned: what the register holds */
	uint64_t cpu_address; /* when assigned: where the CPU reaches it */
	unsigned window;      /* when assigned: the index of its window */
	bool decode_on;       /* when assigned: its function's decode of it is on */
	const char *reason;   /* when not assigned: why */
};

struct pci_assign_result {
	unsigned count;    /* unassigned BARs found: records in bars[], biggest first */
	unsigned assigned; /* of which assigned */
	struct pci_assign_bar bars[PCI_ASSIGN_MAX_BARS];
	/* The forwarding windows of every bridge in the table, by table index
	 * (zero for functions that are not bridges). */
	struct pci_bridge_windows bridges[PCI_MAX_FUNCTIONS];
};

struct pci_assign_request {
	const struct pci_config_access *access;
	struct pci_table *table; /* enumerated with `access`; bases updated */
	const struct pci_window *windows;
	unsigned window_count;
	const struct pci_range *excluded;
	unsigned excluded_count;
	/* PCI_ASSIGN_ALL, or the table index of the one function whose
	 * unassigned BARs are placed (every other BAR is still avoided). */
	int only;
};

enum pci_assign_status {
	PCI_ASSIGN_OK = 0,
	PCI_ASSIGN_EINVAL,     /* no accessor, no table, `only` not in the table */
	PCI_ASSIGN_EINCOMPLETE, /* the table dropped functions: their BARs are unknown, so nothing is placed */
};

/* Places every unassigned memory and I/O BAR of the table (or of function
 * `only`), programs the devices and updates the table; `out` says what
 * became of each (when the status is PCI_ASSIGN_OK; else out->count is 0). */
enum pci_assign_status pci_assign(const struct pci_assign_request *req,
				  struct pci_assign_result *out);

/* Reads bridge `f`'s three forwarding windows (for a function that is not
 * a bridge: none). */
void pci_assign_bridge_windows(const struct pci_config_access *access,
			       const struct pci_function *f, struct pci_bridge_windows *out);

/* The boot line of one record, e.g.
 *   pci: 00:03.0 bar1 assigned 0x10040000 (4K) from the 32-bit memory window
 *   pci: 01:00.0 bar0 (1M) not assigned: no free, aligned room in a window it may use
 * without a newline; the address is the CPU's. An assigned BAR whose
 * function's decode stayed off ends "(decode left off: another BAR is
 * unassigned)". snprintf semantics: writes at most size-1 characters
 * and a NUL; returns the full line's length. */
size_t pci_assign_format(const struct pci_table *table, const struct pci_window *windows,
			 unsigned window_count, const struct pci_assign_bar *bar, char *buf,
			 size_t size);

/* "ok", "invalid request", "table incomplete". */
const char *pci_assign_status_name(enum pci_assign_status s);

#endif
