/*
 * pci: enumerating PCI functions through a caller-supplied configuration
 * space accessor -- the portable core the kernel's PCI support sits on.
 *
 * Portable and freestanding: the caller supplies 32-bit configuration
 * reads and writes (the kernel: ECAM from the MCFG table or the device
 * tree, or x86 configuration mechanism 1; the tests: a simulated
 * configuration space). Everything this file reads lies in the first 256
 * bytes of a function's configuration space, so mechanism 1 suffices;
 * offsets 256-4095 (PCIe extended capabilities) need ECAM and are never
 * touched here.
 *
 * The configuration space is treated as untrusted input: a broken or
 * hostile device, or a fuzzer, may answer anything. Every walk is bounded:
 *  - buses: the root bus, then every bus a PCI-to-PCI bridge (header type 1)
 *    names as its secondary bus, as the firmware set it, if it lies inside
 *    the host bridge's bus range; each bus is visited at most once, so a
 *    bridge pointing back at an earlier bus ends nothing but its own branch;
 *  - devices 0-31 on each bus, functions 1-7 only when function 0 says it
 *    is multi-function (header type bit 7);
 *  - capabilities: at most PCI_MAX_CAPS entries, each pointer at or above
 *    0x40 (its two reserved low bits masked off, as the PCI specification
 *    says), and no entry visited twice.
 * The device table has a fixed capacity (PCI_MAX_FUNCTIONS): functions
 * found after it is full are counted (`dropped`) and reported by
 * pci_enumerate's result, never silently lost; their bridges are still
 * followed, so the count is complete.
 *
 * Enumeration writes to the configuration space only to size BARs (the
 * write-all-ones / read-back / restore probe, with the command register's
 * I/O and memory decode turned off meanwhile, see pci.c) and leaves every
 * register as it found it. It assigns nothing: BARs the firmware left
 * unassigned (base 0) are reported with their size, for the caller to place.
 * Because the probe briefly turns a device's decode off and rewrites its
 * BARs, enumerate before any driver uses the devices, and let the accessor
 * serialize its own accesses (mechanism 1 is an address port and a data
 * port: two CPUs interleaving them would read each other's registers).
 */
#ifndef CAMBIOS_LIB_PCI_H
#define CAMBIOS_LIB_PCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCI_MAX_FUNCTIONS 64  /* the device table's capacity */
#define PCI_MAX_BARS 6        /* a normal device (header type 0); a bridge has 2 */
#define PCI_MAX_CAPS 48       /* (256 - 0x40) / 4: every aligned slot at most once */
#define PCI_MAX_VIRTIO_CAPS 8 /* virtio structure capabilities kept per function */
#define PCI_MSIX_MAX_ENTRIES 2048 /* an MSI-X table's largest size */
#define PCI_DEVICES_PER_BUS 32
#define PCI_FUNCTIONS_PER_DEVICE 8
#define PCI_CONFIG_LEGACY_SIZE 256 /* what mechanism 1 reaches; ECAM has 4096 */
#define PCI_LINE_MAX 320           /* pci_format_function's longest line, with the NUL */

#define PCI_VENDOR_VIRTIO 0x1af4

/* Capability IDs this file records (PCI Local Bus / PCIe specifications). */
#define PCI_CAP_ID_MSI 0x05
#define PCI_CAP_ID_VENDOR 0x09
#define PCI_CAP_ID_PCIE 0x10
#define PCI_CAP_ID_MSIX 0x11

/* Virtio structure capability types (virtio 1.x, "Virtio Structure PCI
 * Capabilities"). */
#define PCI_VIRTIO_COMMON 1
#define PCI_VIRTIO_NOTIFY 2
#define PCI_VIRTIO_ISR 3
#define PCI_VIRTIO_DEVICE 4
#define PCI_VIRTIO_PCI_CFG 5

enum pci_result {
	PCI_OK = 0,
	PCI_EINVAL, /* the accessor is incomplete or its bus range is empty */
	PCI_ENOENT, /* no function answers at that address */
	PCI_EFULL,  /* the table filled up: `dropped` functions were not recorded */
};

/* Where a function is. */
struct pci_address {
	uint16_t segment;
	uint8_t bus;
	uint8_t device;   /* 0-31 */
	uint8_t function; /* 0-7 */
};

/* The caller's way into configuration space. `offset` is 4-byte aligned
 * and below PCI_CONFIG_LEGACY_SIZE for every call this file makes. A read
 * of a function that does not exist must return 0xffffffff (what the
 * hardware answers); a write there must do nothing. */
struct pci_config_access {
	uint32_t (*read32)(void *ctx, struct pci_address at, uint16_t offset);
	void (*write32)(void *ctx, struct pci_address at, uint16_t offset, uint32_t value);
	void *ctx;
	uint16_t segment;
	/* The bus numbers the host bridge decodes (MCFG start/end bus, the
	 * device tree's bus-range; 0-255 for mechanism 1). The root bus is
	 * bus_first. */
	uint8_t bus_first;
	uint8_t bus_last;
};

/* One register through the accessor (offset 4-aligned, below 256). */
static inline uint32_t pci_read32(const struct pci_config_access *a, struct pci_address at,
				  unsigned offset)
{
	return a->read32(a->ctx, at, (uint16_t)offset);
}

static inline void pci_write32(const struct pci_config_access *a, struct pci_address at,
			       unsigned offset, uint32_t value)
{
	a->write32(a->ctx, at, (uint16_t)offset, value);
}

enum pci_bar_kind {
	PCI_BAR_NONE = 0, /* unimplemented (size 0), or the upper half of a 64-bit BAR */
	PCI_BAR_IO,
	PCI_BAR_MEM32,
	PCI_BAR_MEM64, /* takes this slot and the next */
};

struct pci_bar {
	enum pci_bar_kind kind;
	bool prefetchable;
	uint64_t base; /* as the firmware set it; 0 when unassigned */
	uint64_t size; /* a power of two; 0 when absent */
};

/* A virtio structure capability. `problem` is NULL when the structure is
 * usable, else why it must not be trusted (a reserved BAR number, a BAR
 * that does not exist, a range running past its BAR, a capability too
 * short for its fields...). */
struct pci_virtio_cap {
	uint8_t cfg_type;   /* PCI_VIRTIO_* */
	uint8_t bar;        /* BAR slot, 0-5 */
	uint8_t cap_offset; /* where the capability sits in configuration space */
	uint32_t offset;    /* inside the BAR */
	uint32_t length;
	uint32_t notify_off_multiplier; /* PCI_VIRTIO_NOTIFY only */
	const char *problem;
};

/* Where an MSI-X function keeps its vector table and pending-bit array
 * (PCI Local Bus Specification 3.0, 6.8.2), from its first MSI-X
 * capability. `problem` is NULL when both lie inside a memory BAR that
 * exists, else why they must not be used. */
struct pci_msix {
	uint16_t table_size; /* entries, 1-2048 */
	uint8_t table_bar;
	uint8_t pba_bar;
	uint32_t table_offset; /* inside its BAR; 16 bytes an entry */
	uint32_t pba_offset;   /* inside its BAR; a bit an entry, in 64-bit words */
	const char *problem;
};

/* pci_function.caps: which capabilities the list holds. */
#define PCI_HAS_MSI (1u << 0)
#define PCI_HAS_MSIX (1u << 1)
#define PCI_HAS_PCIE (1u << 2)
#define PCI_HAS_VENDOR (1u << 3)

/* pci_function.problems: what was wrong with the function, each bit a
 * reason; the rest of the record is still what could be read safely. */
#define PCI_PROBLEM_HEADER_TYPE (1u << 0)     /* neither 0 nor 1: BARs and caps not read */
#define PCI_PROBLEM_BAR_TYPE (1u << 1)        /* a memory BAR of the reserved type 3 */
#define PCI_PROBLEM_BAR_64_LAST (1u << 2)     /* a 64-bit BAR in the last slot */
#define PCI_PROBLEM_CAP_POINTER (1u << 3)     /* a capability pointer below 0x40 */
#define PCI_PROBLEM_CAP_LOOP (1u << 4)        /* the list came back to an entry */
#define PCI_PROBLEM_VIRTIO_INVALID (1u << 5)  /* a virtio capability has a `problem` */
#define PCI_PROBLEM_VIRTIO_OVERFLOW (1u << 6) /* more than PCI_MAX_VIRTIO_CAPS */
#define PCI_PROBLEM_BRIDGE_BUS (1u << 7)      /* secondary bus unset, out of range or seen */
#define PCI_PROBLEM_MSIX_INVALID (1u << 8)    /* msix.problem is set */

struct pci_function {
	struct pci_address address;
	uint16_t vendor;
	uint16_t device;
	uint8_t class_code;
	uint8_t subclass;
	uint8_t prog_if;
	uint8_t revision;
	uint8_t header_type; /* without the multi-function bit */
	bool multi_function;
	uint8_t interrupt_line; /* as the firmware wrote it; 0xff: unknown */
	uint8_t interrupt_pin;  /* 0 none, 1-4 INTA-INTD */
	uint8_t bar_count;      /* 6, or 2 for a bridge, or 0 for other header types */
	struct pci_bar bars[PCI_MAX_BARS];
	/* Bridges: the bus numbers behind them, as the firmware set them. */
	uint8_t secondary_bus;
	uint8_t subordinate_bus;
	uint32_t caps; /* PCI_HAS_* */
	/* Where those capabilities start (0: absent), for whoever programs them. */
	uint8_t msi_offset;
	uint8_t msix_offset;
	uint8_t pcie_offset;
	struct pci_msix msix; /* when caps has PCI_HAS_MSIX */
	uint8_t virtio_count;
	struct pci_virtio_cap virtio[PCI_MAX_VIRTIO_CAPS];
	uint32_t problems; /* PCI_PROBLEM_* */
};

struct pci_table {
	unsigned count; /* recorded in functions[] */
	unsigned dropped; /* found after the table was full */
	unsigned buses; /* buses scanned */
	struct pci_function functions[PCI_MAX_FUNCTIONS];
};

/*
 * Enumerates every function reachable from access->bus_first into `table`
 * (which it clears first), in bus order of discovery (breadth first), then
 * device and function order. Returns PCI_OK, PCI_EFULL when some functions
 * did not fit (table->dropped says how many), or PCI_EINVAL for an
 * accessor without read32/write32 or with bus_last < bus_first.
 */
enum pci_result pci_enumerate(const struct pci_config_access *access, struct pci_table *table);

/* Reads one function: identity, header, BARs with their sizes,
 * capabilities. PCI_ENOENT if nothing answers there (vendor 0xffff or 0). */
enum pci_result pci_read_function(const struct pci_config_access *access, struct pci_address at,
				  struct pci_function *out);

/* The first usable virtio capability of `cfg_type`, or NULL. The virtio
 * specification lets a device offer several of a type, the driver taking
 * the first it understands. */
const struct pci_virtio_cap *pci_virtio_find(const struct pci_function *f, uint8_t cfg_type);

/* The function (its index in `table`) with an I/O BAR (`io`) or a memory
 * BAR (!`io`) that wholly contains [base, base + size). False when none
 * does, for size 0, and for a range that wraps around. Unassigned BARs
 * (base 0) contain nothing: they decode no address yet. A range is never
 * found by straddling two BARs, even adjacent ones: each BAR belongs to a
 * function of its own, and a caller may hold only one. */
bool pci_bar_containing(const struct pci_table *table, bool io, uint64_t base, uint64_t size,
			unsigned *function);

/* Whether [base, base + size) touches a 4 KiB page holding part of the
 * function's MSI-X vector table or pending-bit array (physical addresses,
 * from its BARs). Those pages are the interrupt controller's business,
 * not a driver's: an MSI-X entry names the address the device writes to
 * signal, and a driver that could write one could aim the device's
 * writes at the local APIC. With a `problem` in the capability the whole
 * BARs it names are taken as touched; no MSI-X, nothing is. */
bool pci_msix_touches(const struct pci_function *f, uint64_t base, uint64_t size);

/* Where function `f`'s INTx arrives at the root bus: every PCI-to-PCI
 * bridge between them passes it on as pin ((pin - 1 + device) mod 4) + 1
 * of its own, device being the number of the slot below it the interrupt
 * came from (the PCI-to-PCI bridge specification's swizzle), so an
 * interrupt controller's map of the root bus's slots and pins -- a device
 * tree's interrupt-map -- finds it there. *root is the root-bus function
 * it arrives as (f itself when f is on the root bus), *pin its pin there.
 * False when f has no pin or a bridge on the way is not in the table (or
 * the chain of bridges does not end at `root_bus`). */
bool pci_intx_at_root(const struct pci_table *table, const struct pci_function *f,
		      uint8_t root_bus, struct pci_address *root, uint8_t *pin);

/* The boot line of one function, e.g.
 *   pci 00:02.0 1af4:1041 class 02.00 if 00 rev 01 irq INTA line 11
 *   bar1 mem32 0xfeb80000 4K bar4 mem64 pf 0xfe000000 16K caps msix,vendor
 *   virtio common,notify,isr,device,pci-cfg
 * (one line, capabilities and virtio structures in list order), without a
 * newline; "bad-" marks a virtio structure with a problem. snprintf semantics: writes at most
 * size-1 characters and a NUL; returns the full line's length. */
size_t pci_format_function(const struct pci_function *f, char *buf, size_t size);

/* The summary after the lines: how many functions on how many buses, and
 * how many did not fit in the table. Same semantics. */
size_t pci_format_summary(const struct pci_table *table, char *buf, size_t size);

/* "ok", "invalid accessor", "no function", "table full". */
const char *pci_result_name(enum pci_result r);

#endif
