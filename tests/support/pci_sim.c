/*
 * pci_sim: a simulated PCI configuration space (pci_sim.h).
 */
#include "pci_sim.h"

#include <string.h>

#define COMMAND_DECODE 0x3u
#define COMMAND_WRITABLE 0x0407u /* I/O, memory, bus master, INTx disable */
#define STATUS_CAP_LIST (1u << 20)

static struct pci_sim_function *find(struct pci_sim *s, struct pci_address at)
{
	for (unsigned i = 0; i < s->count; i++) {
		struct pci_sim_function *f = &s->functions[i];
		if (f->bus == at.bus && f->device == at.device && f->function == at.function)
			return f;
	}
	return NULL;
}

static bool bad_offset(struct pci_sim *s, struct pci_address at, uint16_t offset)
{
	if (offset % 4 || offset >= PCI_CONFIG_LEGACY_SIZE || at.device > 31 || at.function > 7) {
		s->misuse++;
		return true;
	}
	return false;
}

static uint32_t sim_read(void *ctx, struct pci_address at, uint16_t offset)
{
	struct pci_sim *s = ctx;

	s->reads++;
	if (bad_offset(s, at, offset))
		return 0xffffffffu;
	struct pci_sim_function *f = find(s, at);
	return f ? pci_sim_get(f, offset, 4) : 0xffffffffu;
}

static bool is_bar(const struct pci_sim_function *f, unsigned offset)
{
	unsigned bars = (f->config[0x0e] & 0x7f) == 1 ? 2 : 6;

	return offset >= 0x10 && offset < 0x10 + 4 * bars;
}

static void sim_write(void *ctx, struct pci_address at, uint16_t offset, uint32_t value)
{
	struct pci_sim *s = ctx;

	s->writes++;
	if (bad_offset(s, at, offset))
		return;
	struct pci_sim_function *f = find(s, at);
	if (!f)
		return;
	uint32_t old = pci_sim_get(f, offset, 4), mask = f->write_mask[offset / 4];
	if (is_bar(f, offset) && (pci_sim_get(f, 0x04, 2) & COMMAND_DECODE))
		s->decode_violations++;
	uint32_t next = (old & ~mask) | (value & mask);
	if (offset == 0x04)
		next &= ~(value & PCI_SIM_STATUS_RW1C);
	pci_sim_put(f, offset, next, 4);
}

void pci_sim_init(struct pci_sim *s)
{
	memset(s, 0, sizeof(*s));
}

struct pci_config_access pci_sim_access(struct pci_sim *s, uint8_t bus_first, uint8_t bus_last)
{
	return (struct pci_config_access){ .read32 = sim_read,
					   .write32 = sim_write,
					   .ctx = s,
					   .bus_first = bus_first,
					   .bus_last = bus_last };
}

void pci_sim_put(struct pci_sim_function *f, unsigned offset, uint32_t value, unsigned bytes)
{
	for (unsigned i = 0; i < bytes && offset + i < PCI_CONFIG_LEGACY_SIZE; i++)
		f->config[offset + i] = (uint8_t)(value >> (8 * i));
}

uint32_t pci_sim_get(const struct pci_sim_function *f, unsigned offset, unsigned bytes)
{
	uint32_t v = 0;

	for (unsigned i = bytes; i > 0; i--)
		v = (v << 8) | (offset + i - 1 < PCI_CONFIG_LEGACY_SIZE ? f->config[offset + i - 1] : 0xff);
	return v;
}

struct pci_sim_function *pci_sim_add(struct pci_sim *s, uint8_t bus, uint8_t device,
				     uint8_t function, uint16_t vendor, uint16_t device_id,
				     uint32_t class_word, uint8_t header_type)
{
	if (s->count == PCI_SIM_MAX)
		return NULL;
	struct pci_sim_function *f = &s->functions[s->count++];
	memset(f, 0, sizeof(*f));
	f->bus = bus;
	f->device = device;
	f->function = function;
	pci_sim_put(f, 0x00, vendor | ((uint32_t)device_id << 16), 4);
	pci_sim_put(f, 0x04, COMMAND_WRITABLE & 0x7u, 4);
	f->write_mask[1] = COMMAND_WRITABLE;
	pci_sim_put(f, 0x08, class_word, 4);
	pci_sim_put(f, 0x0e, header_type, 1);
	pci_sim_put(f, 0x3c, 0xff, 1); /* interrupt line unknown */
	return f;
}

void pci_sim_bar_io(struct pci_sim_function *f, unsigned slot, uint32_t base, uint32_t size)
{
	pci_sim_put(f, 0x10 + 4 * slot, (base & ~(size - 1)) | 1u, 4);
	f->write_mask[4 + slot] = ~(size - 1) & ~3u;
}

void pci_sim_bar_mem32(struct pci_sim_function *f, unsigned slot, uint32_t base, uint32_t size,
		       bool prefetchable)
{
	pci_sim_put(f, 0x10 + 4 * slot, (base & ~(size - 1)) | (prefetchable ? 8u : 0u), 4);
	f->write_mask[4 + slot] = ~(size - 1) & ~0xfu;
}

void pci_sim_bar_mem64(struct pci_sim_function *f, unsigned slot, uint64_t base, uint64_t size,
		       bool prefetchable)
{
	uint64_t mask = ~(size - 1);

	pci_sim_put(f, 0x10 + 4 * slot, (uint32_t)(base & mask) | 4u | (prefetchable ? 8u : 0u), 4);
	pci_sim_put(f, 0x14 + 4 * slot, (uint32_t)((base & mask) >> 32), 4);
	f->write_mask[4 + slot] = (uint32_t)mask & ~0xfu;
	f->write_mask[5 + slot] = (uint32_t)(mask >> 32);
}

void pci_sim_bridge_buses(struct pci_sim_function *f, uint8_t primary, uint8_t secondary,
			  uint8_t subordinate)
{
	pci_sim_put(f, 0x18, primary | ((uint32_t)secondary << 8) | ((uint32_t)subordinate << 16), 4);
}

void pci_sim_cap_list(struct pci_sim_function *f, uint8_t first)
{
	pci_sim_put(f, 0x04, pci_sim_get(f, 0x04, 4) | STATUS_CAP_LIST, 4);
	pci_sim_put(f, 0x34, first, 1);
}

void pci_sim_cap(struct pci_sim_function *f, uint8_t at, uint8_t id, uint8_t next, uint8_t len)
{
	pci_sim_put(f, at, id | ((uint32_t)next << 8) | ((uint32_t)len << 16), 3);
}

void pci_sim_msix(struct pci_sim_function *f, uint8_t at, uint8_t next, uint16_t entries,
		  uint8_t table_bar, uint32_t table_offset, uint8_t pba_bar, uint32_t pba_offset)
{
	pci_sim_put(f, at, 0x11 | ((uint32_t)next << 8) | ((uint32_t)(entries - 1) << 16), 4);
	pci_sim_put(f, at + 4, table_offset | table_bar, 4);
	pci_sim_put(f, at + 8, pba_offset | pba_bar, 4);
}

void pci_sim_virtio_cap(struct pci_sim_function *f, uint8_t at, uint8_t next, uint8_t cfg_type,
			uint8_t bar, uint32_t offset, uint32_t length, uint32_t multiplier)
{
	uint8_t len = cfg_type == 2 || cfg_type == 5 ? 20 : 16;

	pci_sim_cap(f, at, 0x09, next, len);
	pci_sim_put(f, at + 3, cfg_type, 1);
	pci_sim_put(f, at + 4, bar, 1);
	pci_sim_put(f, at + 8, offset, 4);
	pci_sim_put(f, at + 12, length, 4);
	if (cfg_type == 2)
		pci_sim_put(f, at + 16, multiplier, 4);
}
