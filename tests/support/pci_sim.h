/*
 * pci_sim: a simulated PCI configuration space behind lib/pci.h's
 * accessor, for the unit tests and the fuzzer.
 *
 * A sparse table of functions, each with its 256 bytes of configuration
 * space and a write mask per register: a write changes only the bits its
 * mask lets through, which is how BARs answer the sizing probe (a BAR of
 * 2^n bytes has its low n address bits and its flag bits read-only). The
 * command register's decode bits are writable, the status register's error
 * bits are write-one-to-clear, as on hardware. Reads of absent functions
 * answer 0xffffffff; reads at or past 256, or misaligned, are counted as
 * misuse (lib/pci.c must never make them).
 */
#ifndef CAMBIOS_TEST_PCI_SIM_H
#define CAMBIOS_TEST_PCI_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include <pci.h>

#define PCI_SIM_MAX 96 /* functions */
#define PCI_SIM_STATUS_RW1C 0xf9000000u /* the status errors, in the command word */

struct pci_sim_function {
	uint8_t bus, device, function;
	uint8_t config[PCI_CONFIG_LEGACY_SIZE];
	uint32_t write_mask[PCI_CONFIG_LEGACY_SIZE / 4];
};

struct pci_sim {
	unsigned count;
	struct pci_sim_function functions[PCI_SIM_MAX];
	unsigned long reads, writes;
	unsigned misuse;          /* misaligned or out-of-range offsets */
	unsigned decode_violations; /* BAR written while its decode was on */
};

/* Empties the simulation. */
void pci_sim_init(struct pci_sim *s);

/* An accessor over `s` for buses [bus_first, bus_last]. */
struct pci_config_access pci_sim_access(struct pci_sim *s, uint8_t bus_first, uint8_t bus_last);

/* Adds a function (NULL if the simulation is full): identity, class
 * (class, subclass, prog-if, revision), header type (with bit 7 for a
 * multi-function device's function 0). The command register's I/O,
 * memory and bus-master bits are writable and set. */
struct pci_sim_function *pci_sim_add(struct pci_sim *s, uint8_t bus, uint8_t device,
				     uint8_t function, uint16_t vendor, uint16_t device_id,
				     uint32_t class_word, uint8_t header_type);

/* Little-endian field access in a function's configuration bytes. */
void pci_sim_put(struct pci_sim_function *f, unsigned offset, uint32_t value, unsigned bytes);
uint32_t pci_sim_get(const struct pci_sim_function *f, unsigned offset, unsigned bytes);

/* BARs: an I/O or 32-bit memory BAR of `size` bytes at `base`, a 64-bit
 * memory BAR taking `slot` and the next. */
void pci_sim_bar_io(struct pci_sim_function *f, unsigned slot, uint32_t base, uint32_t size);
void pci_sim_bar_mem32(struct pci_sim_function *f, unsigned slot, uint32_t base, uint32_t size,
		       bool prefetchable);
void pci_sim_bar_mem64(struct pci_sim_function *f, unsigned slot, uint64_t base, uint64_t size,
		       bool prefetchable);

/* A bridge's bus numbers. */
void pci_sim_bridge_buses(struct pci_sim_function *f, uint8_t primary, uint8_t secondary,
			  uint8_t subordinate);

/* Sets the capability list's start (and the status bit saying there is one). */
void pci_sim_cap_list(struct pci_sim_function *f, uint8_t first);
/* A capability header at `at`: id, next, and the byte after them. */
void pci_sim_cap(struct pci_sim_function *f, uint8_t at, uint8_t id, uint8_t next, uint8_t len);
/* An MSI-X capability of `entries` vectors, its table and pending bits at
 * those offsets of those BARs. */
void pci_sim_msix(struct pci_sim_function *f, uint8_t at, uint8_t next, uint16_t entries,
		  uint8_t table_bar, uint32_t table_offset, uint8_t pba_bar, uint32_t pba_offset);
/* A virtio structure capability (vendor-specific, 16 bytes; 20 for notify
 * and pci-cfg). */
void pci_sim_virtio_cap(struct pci_sim_function *f, uint8_t at, uint8_t next, uint8_t cfg_type,
			uint8_t bar, uint32_t offset, uint32_t length, uint32_t multiplier);

#endif
