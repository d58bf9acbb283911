/*
 * pci_fuzz: libFuzzer target for PCI enumeration (lib/pci.c).
 *
 * The input is a configuration space: two bytes for the host bridge's bus
 * range (first, last), then records of PCI_FUZZ_RECORD bytes, one per
 * function: its bus, its device and function (device << 3 | function), the
 * log2 of each of its six BARs' sizes (the sim's write masks; 0 for a BAR
 * that keeps every bit) and its 256 configuration bytes. A short last
 * record is padded with zeros.
 *
 * Whatever the bytes say, enumeration must end, must use the accessor only
 * for aligned offsets below 256, must never write a BAR with decode on,
 * must leave every register as it found it, and what it reports must hold
 * together: no more functions than exist, BAR sizes powers of two, usable
 * virtio structures and MSI-X tables inside their BARs, boot lines that
 * fit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pci.h>

#include "../support/pci_sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HEADER_SIZE 2
#define RECORD_SIZE (2 + PCI_MAX_BARS + PCI_CONFIG_LEGACY_SIZE)

static struct pci_sim sim;
static struct pci_sim before;
static struct pci_table table;

static void check(int ok)
{
	if (!ok)
		abort();
}

static void add_record(const uint8_t *r)
{
	struct pci_sim_function *f = pci_sim_add(&sim, r[0], (r[1] >> 3) & 31, r[1] & 7, 0, 0, 0, 0);

	memcpy(f->config, r + 2 + PCI_MAX_BARS, PCI_CONFIG_LEGACY_SIZE);
	for (unsigned slot = 0; slot < PCI_MAX_BARS; slot++) {
		unsigned log2 = r[2 + slot] % 64;
		/* A 2^n-byte BAR: its low n bits, and the flag bits, read-only. */
		f->write_mask[4 + slot] = log2 ? (uint32_t)(~0ULL << log2) & ~0xfu : 0;
	}
}

static void load(const uint8_t *data, size_t size)
{
	uint8_t record[RECORD_SIZE];

	pci_sim_init(&sim);
	for (size_t at = HEADER_SIZE; at < size && sim.count < PCI_SIM_MAX; at += RECORD_SIZE) {
		size_t n = size - at < RECORD_SIZE ? size - at : RECORD_SIZE;
		memset(record, 0, sizeof(record));
		memcpy(record, data + at, n);
		add_record(record);
	}
}

static void check_function(const struct pci_function *f)
{
	char line[PCI_LINE_MAX];

	check(pci_format_function(f, line, sizeof(line)) < sizeof(line));
	check(strlen(line) < sizeof(line));
	check(f->bar_count <= PCI_MAX_BARS && f->virtio_count <= PCI_MAX_VIRTIO_CAPS);
	for (unsigned b = 0; b < f->bar_count; b++) {
		const struct pci_bar *bar = &f->bars[b];
		check((bar->size & (bar->size - 1)) == 0);
		check((bar->kind == PCI_BAR_NONE) == (bar->size == 0));
	}
	if (f->msix_offset && !f->msix.problem) {
		const struct pci_msix *m = &f->msix;
		check(m->table_bar < f->bar_count && f->bars[m->table_bar].kind >= PCI_BAR_MEM32);
		check((uint64_t)m->table_offset + 16ULL * m->table_size <= f->bars[m->table_bar].size);
		check(m->pba_bar < f->bar_count && f->bars[m->pba_bar].kind >= PCI_BAR_MEM32);
		check((uint64_t)m->pba_offset + (m->table_size + 63) / 64 * 8 <=
		      f->bars[m->pba_bar].size);
	}
	for (unsigned c = 0; c < f->virtio_count; c++) {
		const struct pci_virtio_cap *v = &f->virtio[c];
		if (v->problem || v->cfg_type == PCI_VIRTIO_PCI_CFG)
			continue;
		check(v->bar < f->bar_count && f->bars[v->bar].kind != PCI_BAR_NONE);
		check(v->length > 0 && (uint64_t)v->offset + v->length <= f->bars[v->bar].size);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < HEADER_SIZE)
		return 0;
	load(data, size);
	memcpy(&before, &sim, sizeof(sim));

	struct pci_config_access access = pci_sim_access(&sim, data[0], data[1]);
	enum pci_result r = pci_enumerate(&access, &table);

	if (data[1] < data[0]) {
		check(r == PCI_EINVAL && sim.reads == 0);
		return 0;
	}
	check(r == PCI_OK || r == PCI_EFULL);
	check(sim.misuse == 0 && sim.decode_violations == 0);
	check(table.count <= PCI_MAX_FUNCTIONS && table.count + table.dropped <= sim.count);
	check(table.buses <= (unsigned)data[1] - data[0] + 1);
	check((r == PCI_EFULL) == (table.dropped != 0));
	for (unsigned i = 0; i < sim.count; i++)
		check(memcmp(sim.functions[i].config, before.functions[i].config,
			     PCI_CONFIG_LEGACY_SIZE) == 0);
	for (unsigned i = 0; i < table.count; i++)
		check_function(&table.functions[i]);

	char line[PCI_LINE_MAX];
	check(pci_format_summary(&table, line, sizeof(line)) < sizeof(line));
	return 0;
}
