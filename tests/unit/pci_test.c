/*
 * pci_test: PCI enumeration, BAR sizing, capabilities and the boot line
 * (lib/pci.c) over a simulated configuration space (tests/support/pci_sim.h).
 *
 * A machine like QEMU's q35 with a few devices: a host bridge; a
 * multi-function device (ISA bridge, SATA with an I/O BAR, SMBus); a
 * virtio-net modern device with a 32-bit BAR, a 64-bit prefetchable BAR,
 * MSI-X and the five virtio structure capabilities; an NVMe-like device
 * with a 64-bit BAR, MSI, MSI-X and PCIe capabilities; and a PCI-to-PCI
 * bridge to bus 1 with a network card behind it. It is enumerated and
 * checked field by field, then broken one way per test: bridges that loop
 * back or point out of range, capability lists that loop or point into the
 * header, virtio capabilities that point past or beside their BAR, BARs of
 * every odd kind, and more functions than the table holds. Every test also
 * checks that the probe left configuration space as it found it and never
 * wrote a BAR with decode on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../support/assert_reason.h"

#include <pci.h>

#include "../support/pci_sim.h"

#define CLASS(c, s, p, r) (((uint32_t)(c) << 24) | ((uint32_t)(s) << 16) | ((p) << 8) | (r))

/* Where the machine's devices sit. */
#define VIRTIO_DEV 2
#define BRIDGE_DEV 3
#define NVME_DEV 4
#define LPC_DEV 0x1f

static struct pci_sim sim;
static struct pci_sim before;
static struct pci_table table;

/* ------------------------------------------------------------ the machine */

static struct pci_sim_function *add(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t vendor,
				    uint16_t device, uint32_t class_word, uint8_t header)
{
	struct pci_sim_function *f = pci_sim_add(&sim, bus, dev, fn, vendor, device, class_word,
						 header);

	assert_non_null(f);
	return f;
}

/* virtio-net as QEMU lays it out: MSI-X at 0x98, then the virtio
 * structures, all in BAR 4 (16 KiB, 64-bit, prefetchable). */
static struct pci_sim_function *add_virtio_net(uint8_t bus, uint8_t dev)
{
	struct pci_sim_function *f = add(bus, dev, 0, 0x1af4, 0x1041, CLASS(2, 0, 0, 1), 0);

	pci_sim_bar_mem32(f, 1, 0xfeb80000, 0x1000, false);
	pci_sim_bar_mem64(f, 4, 0xfe000000, 0x4000, true);
	pci_sim_put(f, 0x3c, 11 | (1u << 8), 2); /* line 11, INTA */
	pci_sim_cap_list(f, 0x98);
	pci_sim_msix(f, 0x98, 0x84, 3, 1, 0, 1, 0x800);
	pci_sim_virtio_cap(f, 0x84, 0x70, 5, 0, 0, 0, 0);
	pci_sim_virtio_cap(f, 0x70, 0x60, 2, 4, 0x3000, 0x1000, 4);
	pci_sim_virtio_cap(f, 0x60, 0x50, 4, 4, 0x2000, 0x1000, 0);
	pci_sim_virtio_cap(f, 0x50, 0x40, 3, 4, 0x1000, 0x1000, 0);
	pci_sim_virtio_cap(f, 0x40, 0x00, 1, 4, 0x0000, 0x1000, 0);
	return f;
}

static struct pci_sim_function *add_bridge(uint8_t bus, uint8_t dev, uint8_t secondary,
					   uint8_t subordinate)
{
	struct pci_sim_function *f = add(bus, dev, 0, 0x1b36, 0x0001, CLASS(6, 4, 0, 0), 1);

	pci_sim_bar_mem32(f, 0, 0xfea00000, 0x100, false);
	pci_sim_bridge_buses(f, bus, secondary, subordinate);
	return f;
}

static void build_machine(void)
{
	pci_sim_init(&sim);
	add(0, 0, 0, 0x8086, 0x29c0, CLASS(6, 0, 0, 0), 0);
	add_virtio_net(0, VIRTIO_DEV);
	add_bridge(0, BRIDGE_DEV, 1, 1);

	struct pci_sim_function *nvme = add(0, NVME_DEV, 0, 0x1b36, 0x0010, CLASS(1, 8, 2, 2), 0);
	pci_sim_bar_mem64(nvme, 0, 0xfeb90000, 0x4000, false);
	pci_sim_put(nvme, 0x3c, 10 | (1u << 8), 2);
	pci_sim_cap_list(nvme, 0x80);
	pci_sim_cap(nvme, 0x80, 0x10, 0x40, 0x02); /* PCIe */
	pci_sim_msix(nvme, 0x40, 0x60, 65, 0, 0x2000, 0, 0x3000);
	pci_sim_cap(nvme, 0x60, 0x05, 0x00, 0x80); /* MSI */

	add(0, LPC_DEV, 0, 0x8086, 0x2918, CLASS(6, 1, 0, 2), 0x80);
	struct pci_sim_function *sata = add(0, LPC_DEV, 2, 0x8086, 0x2922, CLASS(1, 6, 1, 2), 0);
	pci_sim_bar_io(sata, 4, 0xc040, 0x20);
	pci_sim_bar_mem32(sata, 5, 0xfebd1000, 0x1000, false);
	pci_sim_put(sata, 0x3c, 10 | (1u << 8), 2);
	add(0, LPC_DEV, 3, 0x8086, 0x2930, CLASS(0xc, 5, 0, 2), 0);

	struct pci_sim_function *nic = add(1, 0, 0, 0x8086, 0x100e, CLASS(2, 0, 0, 3), 0);
	pci_sim_bar_mem32(nic, 0, 0xfe800000, 0x20000, false);
	pci_sim_bar_io(nic, 1, 0xd000, 0x40);
	pci_sim_put(nic, 0x3c, 0xff | (1u << 8), 2);
}

static int setup(void **state)
{
	(void)state;
	build_machine();
	return 0;
}

static struct pci_sim_function *sim_at(uint8_t bus, uint8_t dev, uint8_t fn)
{
	for (unsigned i = 0; i < sim.count; i++) {
		struct pci_sim_function *f = &sim.functions[i];
		if (f->bus == bus && f->device == dev && f->function == fn)
			return f;
	}
	fail_msg("no simulated function %02x:%02x.%u", bus, dev, fn);
	return NULL;
}

/* Enumerates buses [first, last] and checks what every test must hold:
 * no misuse of the accessor, no BAR written with decode on, every
 * register as it was. */
static enum pci_result enumerate_range(uint8_t first, uint8_t last)
{
	struct pci_config_access access = pci_sim_access(&sim, first, last);

	memcpy(&before, &sim, sizeof(sim));
	enum pci_result r = pci_enumerate(&access, &table);
	assert_int_equal(sim.misuse, 0);
	assert_int_equal(sim.decode_violations, 0);
	for (unsigned i = 0; i < sim.count; i++)
		assert_memory_equal(sim.functions[i].config, before.functions[i].config,
				    PCI_CONFIG_LEGACY_SIZE);
	return r;
}

static enum pci_result enumerate(void)
{
	return enumerate_range(0, 255);
}

static const struct pci_function *found(uint8_t bus, uint8_t dev, uint8_t fn)
{
	for (unsigned i = 0; i < table.count; i++) {
		const struct pci_function *f = &table.functions[i];
		if (f->address.bus == bus && f->address.device == dev && f->address.function == fn)
			return f;
	}
	fail_msg("no function %02x:%02x.%u in the table", bus, dev, fn);
	return NULL;
}

static bool in_table(uint8_t bus, uint8_t dev, uint8_t fn)
{
	for (unsigned i = 0; i < table.count; i++) {
		const struct pci_address *a = &table.functions[i].address;
		if (a->bus == bus && a->device == dev && a->function == fn)
			return true;
	}
	return false;
}

static void assert_bar(const struct pci_bar *b, enum pci_bar_kind kind, bool prefetchable,
		       uint64_t base, uint64_t size)
{
	assert_int_equal(b->kind, kind);
	assert_int_equal(b->prefetchable, prefetchable);
	assert_int_equal(b->base, base);
	assert_int_equal(b->size, size);
}

static void assert_line(const struct pci_function *f, const char *expected)
{
	char line[PCI_LINE_MAX];
	size_t n = pci_format_function(f, line, sizeof(line));

	assert_string_equal(line, expected);
	assert_int_equal(n, strlen(expected));
}

/* ------------------------------------------------------------ the good case */

static void machine_is_enumerated_in_bus_device_function_order(void **state)
{
	static const struct {
		uint8_t bus, dev, fn;
		uint16_t vendor, device;
	} want[] = {
		{ 0, 0, 0, 0x8086, 0x29c0 },	       { 0, VIRTIO_DEV, 0, 0x1af4, 0x1041 },
		{ 0, BRIDGE_DEV, 0, 0x1b36, 0x0001 }, { 0, NVME_DEV, 0, 0x1b36, 0x0010 },
		{ 0, LPC_DEV, 0, 0x8086, 0x2918 },    { 0, LPC_DEV, 2, 0x8086, 0x2922 },
		{ 0, LPC_DEV, 3, 0x8086, 0x2930 },    { 1, 0, 0, 0x8086, 0x100e },
	};

	(void)state;
	assert_int_equal(enumerate(), PCI_OK);
	assert_int_equal(table.count, sizeof(want) / sizeof(want[0]));
	assert_int_equal(table.dropped, 0);
	assert_int_equal(table.buses, 2);
	for (unsigned i = 0; i < table.count; i++) {
		const struct pci_function *f = &table.functions[i];
		assert_int_equal(f->address.bus, want[i].bus);
		assert_int_equal(f->address.device, want[i].dev);
		assert_int_equal(f->address.function, want[i].fn);
		assert_int_equal(f->vendor, want[i].vendor);
		assert_int_equal(f->device, want[i].device);
		assert_int_equal(f->problems, 0);
	}
}

static void identity_and_interrupt_are_read(void **state)
{
	(void)state;
	assert_int_equal(enumerate(), PCI_OK);
	const struct pci_function *sata = found(0, LPC_DEV, 2);
	assert_int_equal(sata->class_code, 1);
	assert_int_equal(sata->subclass, 6);
	assert_int_equal(sata->prog_if, 1);
	assert_int_equal(sata->revision, 2);
	assert_int_equal(sata->header_type, 0);
	assert_false(sata->multi_function);
	assert_int_equal(sata->interrupt_pin, 1);
	assert_int_equal(sata->interrupt_line, 10);
	assert_true(found(0, LPC_DEV, 0)->multi_function);
	assert_int_equal(found(0, 0, 0)->interrupt_pin, 0);
}

static void bars_are_decoded_with_their_sizes(void **state)
{
	(void)state;
	assert_int_equal(enumerate(), PCI_OK);
	const struct pci_function *v = found(0, VIRTIO_DEV, 0);
	assert_int_equal(v->bar_count, 6);
	assert_bar(&v->bars[0], PCI_BAR_NONE, false, 0, 0);
	assert_bar(&v->bars[1], PCI_BAR_MEM32, false, 0xfeb80000, 0x1000);
	assert_bar(&v->bars[2], PCI_BAR_NONE, false, 0, 0);
	assert_bar(&v->bars[3], PCI_BAR_NONE, false, 0, 0);
	assert_bar(&v->bars[4], PCI_BAR_MEM64, true, 0xfe000000, 0x4000);
	assert_bar(&v->bars[5], PCI_BAR_NONE, false, 0, 0); /* the upper half */

	const struct pci_function *sata = found(0, LPC_DEV, 2);
	assert_bar(&sata->bars[4], PCI_BAR_IO, false, 0xc040, 0x20);
	assert_bar(&sata->bars[5], PCI_BAR_MEM32, false, 0xfebd1000, 0x1000);

	const struct pci_function *nvme = found(0, NVME_DEV, 0);
	assert_bar(&nvme->bars[0], PCI_BAR_MEM64, false, 0xfeb90000, 0x4000);

	const struct pci_function *nic = found(1, 0, 0);
	assert_bar(&nic->bars[0], PCI_BAR_MEM32, false, 0xfe800000, 0x20000);
	assert_bar(&nic->bars[1], PCI_BAR_IO, false, 0xd000, 0x40);
}

static void bridges_have_two_bars_and_their_buses(void **state)
{
	(void)state;
	/* A third "BAR" register of a bridge is its bus numbers: never probed. */
	assert_int_equal(enumerate(), PCI_OK);
	const struct pci_function *b = found(0, BRIDGE_DEV, 0);
	assert_int_equal(b->header_type, 1);
	assert_int_equal(b->bar_count, 2);
	assert_bar(&b->bars[0], PCI_BAR_MEM32, false, 0xfea00000, 0x100);
	assert_int_equal(b->secondary_bus, 1);
	assert_int_equal(b->subordinate_bus, 1);
}

static void large_64_bit_bar_is_sized_from_its_upper_half(void **state)
{
	(void)state;
	pci_sim_bar_mem64(sim_at(0, NVME_DEV, 0), 2, 0x4000000000ULL, 8ULL << 30, true);
	assert_int_equal(enumerate(), PCI_OK);
	assert_bar(&found(0, NVME_DEV, 0)->bars[2], PCI_BAR_MEM64, true, 0x4000000000ULL,
		   8ULL << 30);
}

static void io_bar_of_a_16_bit_decoder_is_sized(void **state)
{
	(void)state;
	/* Its upper 16 bits read back as zero after the all-ones write. */
	sim_at(0, LPC_DEV, 2)->write_mask[4 + 4] &= 0xffffu;
	assert_int_equal(enumerate(), PCI_OK);
	assert_bar(&found(0, LPC_DEV, 2)->bars[4], PCI_BAR_IO, false, 0xc040, 0x20);
}

static void probe_turns_decode_off_and_keeps_status_errors(void **state)
{
	(void)state;
	/* A status error bit (write-one-to-clear) set, decode on: the sim
	 * counts any BAR write with decode on, and enumerate() compares
	 * every byte after the run. */
	struct pci_sim_function *v = sim_at(0, VIRTIO_DEV, 0);
	pci_sim_put(v, 0x04, pci_sim_get(v, 0x04, 4) | (1u << 29), 4);
	assert_int_equal(enumerate(), PCI_OK);
	assert_true(pci_sim_get(v, 0x04, 4) & (1u << 29));
	assert_int_equal(pci_sim_get(v, 0x04, 2), 0x7);
	assert_true(sim.writes > 0);
}

static void function_with_decode_off_is_probed_without_touching_command(void **state)
{
	(void)state;
	struct pci_sim_function *sata = sim_at(0, LPC_DEV, 2);
	pci_sim_put(sata, 0x04, 0x4, 2); /* bus master only */
	assert_int_equal(enumerate(), PCI_OK);
	assert_bar(&found(0, LPC_DEV, 2)->bars[4], PCI_BAR_IO, false, 0xc040, 0x20);
}

/* ------------------------------------------------------------ capabilities */

static void capabilities_are_recorded_with_their_offsets(void **state)
{
	(void)state;
	assert_int_equal(enumerate(), PCI_OK);
	const struct pci_function *nvme = found(0, NVME_DEV, 0);
	assert_int_equal(nvme->caps, PCI_HAS_MSI | PCI_HAS_MSIX | PCI_HAS_PCIE);
	assert_int_equal(nvme->msi_offset, 0x60);
	assert_int_equal(nvme->msix_offset, 0x40);
	assert_int_equal(nvme->pcie_offset, 0x80);
	assert_int_equal(nvme->virtio_count, 0);

	const struct pci_function *v = found(0, VIRTIO_DEV, 0);
	assert_int_equal(v->caps, PCI_HAS_MSIX | PCI_HAS_VENDOR);
	assert_int_equal(v->msix_offset, 0x98);
	assert_int_equal(found(0, 0, 0)->caps, 0);
}

static void virtio_structures_are_parsed(void **state)
{
	static const struct {
		uint8_t type, at;
		uint32_t offset;
	} want[] = { { 5, 0x84, 0 }, { 2, 0x70, 0x3000 }, { 4, 0x60, 0x2000 },
		     { 3, 0x50, 0x1000 }, { 1, 0x40, 0 } };

	(void)state;
	assert_int_equal(enumerate(), PCI_OK);
	const struct pci_function *v = found(0, VIRTIO_DEV, 0);
	assert_int_equal(v->virtio_count, 5);
	for (unsigned i = 0; i < 5; i++) {
		assert_int_equal(v->virtio[i].cfg_type, want[i].type);
		assert_int_equal(v->virtio[i].cap_offset, want[i].at);
		assert_int_equal(v->virtio[i].offset, want[i].offset);
		assert_null(v->virtio[i].problem);
	}
	const struct pci_virtio_cap *notify = pci_virtio_find(v, PCI_VIRTIO_NOTIFY);
	assert_non_null(notify);
	assert_int_equal(notify->bar, 4);
	assert_int_equal(notify->length, 0x1000);
	assert_int_equal(notify->notify_off_multiplier, 4);
	assert_ptr_equal(pci_virtio_find(v, PCI_VIRTIO_COMMON), &v->virtio[4]);
	assert_null(pci_virtio_find(v, 9));
}

static void vendor_capabilities_of_other_devices_are_not_parsed_as_virtio(void **state)
{
	(void)state;
	struct pci_sim_function *nvme = sim_at(0, NVME_DEV, 0);
	pci_sim_virtio_cap(nvme, 0x60, 0x00, 1, 0, 0, 0x1000, 0);
	assert_int_equal(enumerate(), PCI_OK);
	assert_int_equal(found(0, NVME_DEV, 0)->virtio_count, 0);
	assert_true(found(0, NVME_DEV, 0)->caps & PCI_HAS_VENDOR);
}

static void looping_capability_list_is_stopped(void **state)
{
	(void)state;
	struct pci_sim_function *nvme = sim_at(0, NVME_DEV, 0);
	pci_sim_cap(nvme, 0x60, 0x05, 0x80, 0x80); /* MSI points back at the first */
	assert_int_equal(enumerate(), PCI_OK);
	const struct pci_function *f = found(0, NVME_DEV, 0);
	assert_int_equal(f->problems, PCI_PROBLEM_CAP_LOOP);
	assert_int_equal(f->caps, PCI_HAS_MSI | PCI_HAS_MSIX | PCI_HAS_PCIE);
}

static void capability_pointing_at_itself_is_a_loop(void **state)
{
	(void)state;
	struct pci_sim_function *nvme = sim_at(0, NVME_DEV, 0);
	pci_sim_cap(nvme, 0x80, 0x10, 0x80, 0x02);
	assert_int_equal(enumerate(), PCI_OK);
	assert_int_equal(found(0, NVME_DEV, 0)->problems, PCI_PROBLEM_CAP_LOOP);
	assert_int_equal(found(0, NVME_DEV, 0)->caps, PCI_HAS_PCIE);
}

static void longest_list_is_walked_to_its_end(void **state)
{
	(void)state;
	/* 48 entries, every aligned slot from 0x40 up, the last ending it. */
	struct pci_sim_function *nvme = sim_at(0, NVME_DEV, 0);
	pci_sim_cap_list(nvme, 0x40);
	for (unsigned at = 0x40; at < 0x100; at += 4)
		pci_sim_cap(nvme, (uint8_t)at, at == 0xfc ? 0x05 : 0x01,
			    (uint8_t)(at == 0xfc ? 0 : at + 4), 0);
	assert_int_equal(enumerate(), PCI_OK);
	assert_int_equal(found(0, NVME_DEV, 0)->problems, 0);
	assert_int_equal(found(0, NVME_DEV, 0)->msi_offset, 0xfc);
}

static void capability_pointer_into_the_header_is_refused(void **state)
{
	(void)state;
	struct pci_sim_function *nvme = sim_at(0, NVME_DEV, 0);
	pci_sim_msix(nvme, 0x40, 0x10, 65, 0, 0x2000, 0, 0x3000); /* next: into the header */
	assert_int_equal(enumerate(), PCI_OK);
	assert_int_equal(found(0, NVME_DEV, 0)->problems, PCI_PROBLEM_CAP_POINTER);
	assert_int_equal(found(0, NVME_DEV, 0)->caps, PCI_HAS_MSIX | PCI_HAS_PCIE);
}

static void reserved_pointer_bits_are_masked(void **state)
{
	(void)state;
	struct pci_sim_function *nvme = sim_at(0, NVME_DEV, 0);
	pci_sim_put(nvme, 0x34, 0x83, 1);
	pci_sim_cap(nvme, 0x80, 0x10, 0x42, 0x02);
	assert_int_equal(enumerate(), PCI_OK);
	assert_int_equal(found(0, NVME_DEV, 0)->problems, 0);
	assert_int_equal(found(0, NVME_DEV, 0)->caps, PCI_HAS_MSI | PCI_HAS_MSIX | PCI_HAS_PCIE);
}

static void without_the_status_bit_the_list_is_not_read(void **state)
{
	(void)state;
	struct pci_sim_function *nvme = sim_at(0, NVME_DEV, 0);
	pci_sim_put(nvme, 0x06, 0, 2);
	assert_int_equal(enumerate(), PCI_OK);
	assert_int_equal(found(0, NVME_DEV, 0)->caps, 0);
}

static void msix_table_and_pending_bits_are_located(void **state)
{
	(void)state;
	assert_int_equal(enumerate(), PCI_OK);
	const struct pci_msix *m = &found(0, NVME_DEV, 0)->msix;
	assert_null(m->problem);
	assert_int_equal(m->table_size, 65);
	assert_int_equal(m->table_bar, 0);
	assert_int_equal(m->table_offset, 0x2000);
	assert_int_equal(m->pba_bar, 0);
	assert_int_equal(m->pba_offset, 0x3000);
	m = &found(0, VIRTIO_DEV, 0)->msix;
	assert_null(m->problem);
	assert_int_equal(m->table_size, 3);
	assert_int_equal(m->table_bar, 1);
	assert_int_equal(m->pba_offset, 0x800);
}

/* Rewrites the NVMe device's MSI-X capability, enumerates, returns it. */
static const struct pci_function *msix_after(uint16_t entries, uint8_t table_bar,
					     uint32_t table_offset, uint8_t pba_bar,
					     uint32_t pba_offset)
{
	pci_sim_msix(sim_at(0, NVME_DEV, 0), 0x40, 0x60, entries, table_bar, table_offset, pba_bar,
		     pba_offset);
	assert_int_equal(enumerate(), PCI_OK);
	return found(0, NVME_DEV, 0);
}

static void msix_table_past_its_bar_is_invalid(void **state)
{
	(void)state;
	/* 2048 entries of 16 bytes from 0x2000: 32 KiB past a 16 KiB BAR. */
	const struct pci_function *f = msix_after(2048, 0, 0x2000, 0, 0x3000);
	assert_reason(f->msix.problem, "vector table outside");
	assert_int_equal(f->problems, PCI_PROBLEM_MSIX_INVALID);
	assert_int_equal(f->msix.table_size, 2048);
}

static void msix_pending_bits_past_their_bar_are_invalid(void **state)
{
	(void)state;
	assert_reason(msix_after(65, 0, 0x2000, 0, 0x3ff8)->msix.problem, "pending bits outside");
	assert_null(msix_after(64, 0, 0x2000, 0, 0x3ff8)->msix.problem);
}

static void msix_in_a_missing_or_io_bar_is_invalid(void **state)
{
	(void)state;
	assert_reason(msix_after(1, 2, 0, 0, 0x3000)->msix.problem, "vector table outside");
	assert_reason(msix_after(1, 0, 0, 7, 0)->msix.problem, "pending bits outside");
	pci_sim_bar_io(sim_at(0, NVME_DEV, 0), 2, 0xc100, 0x100);
	assert_reason(msix_after(1, 2, 0, 0, 0x3000)->msix.problem, "vector table outside");
}

static void msix_capability_at_the_end_of_config_space_is_invalid(void **state)
{
	(void)state;
	struct pci_sim_function *nvme = sim_at(0, NVME_DEV, 0);
	pci_sim_cap(nvme, 0x60, 0x05, 0xf8, 0x80);
	pci_sim_cap(nvme, 0x40, 0x01, 0x60, 0);
	pci_sim_cap(nvme, 0xf8, 0x11, 0x00, 0);
	assert_int_equal(enumerate(), PCI_OK);
	const struct pci_function *f = found(0, NVME_DEV, 0);
	assert_int_equal(f->msix_offset, 0xf8);
	assert_reason(f->msix.problem, "past configuration space");
}

/* ------------------------------------------------------------ bad virtio structures */

/* Rewrites the virtio-net's structure at `at`, enumerates, and returns it. */
static const struct pci_virtio_cap *virtio_cap_after(uint8_t at, uint8_t cfg_type, uint8_t bar,
						     uint32_t offset, uint32_t length,
						     uint32_t multiplier)
{
	struct pci_sim_function *v = sim_at(0, VIRTIO_DEV, 0);
	uint8_t next = (uint8_t)pci_sim_get(v, at + 1, 1);

	pci_sim_virtio_cap(v, at, next, cfg_type, bar, offset, length, multiplier);
	assert_int_equal(enumerate(), PCI_OK);
	const struct pci_function *f = found(0, VIRTIO_DEV, 0);
	for (unsigned i = 0; i < f->virtio_count; i++) {
		if (f->virtio[i].cap_offset == at)
			return &f->virtio[i];
	}
	fail_msg("no virtio capability at 0x%x", at);
	return NULL;
}

static void virtio_structure_past_its_bar_is_invalid(void **state)
{
	(void)state;
	const struct pci_virtio_cap *c = virtio_cap_after(0x40, 1, 4, 0x3000, 0x2000, 0);
	assert_reason(c->problem, "past its BAR");
	const struct pci_function *f = found(0, VIRTIO_DEV, 0);
	assert_int_equal(f->problems, PCI_PROBLEM_VIRTIO_INVALID);
	assert_null(pci_virtio_find(f, PCI_VIRTIO_COMMON));
	assert_non_null(pci_virtio_find(f, PCI_VIRTIO_ISR));
}

static void virtio_structure_whose_end_wraps_is_invalid(void **state)
{
	(void)state;
	const struct pci_virtio_cap *c = virtio_cap_after(0x40, 1, 4, 0xfffff000, 0x2000, 0);
	assert_reason(c->problem, "past its BAR");
}

static void virtio_structure_in_a_missing_bar_is_invalid(void **state)
{
	(void)state;
	assert_reason(virtio_cap_after(0x50, 3, 2, 0, 0x10, 0)->problem, "does not exist");
}

static void virtio_structure_in_the_upper_half_of_a_64_bit_bar_is_invalid(void **state)
{
	(void)state;
	assert_reason(virtio_cap_after(0x50, 3, 5, 0, 0x10, 0)->problem, "does not exist");
}

static void virtio_structure_with_a_reserved_bar_is_invalid(void **state)
{
	(void)state;
	assert_reason(virtio_cap_after(0x60, 4, 6, 0, 0x10, 0)->problem, "reserved BAR");
}

static void empty_virtio_structure_is_invalid(void **state)
{
	(void)state;
	assert_reason(virtio_cap_after(0x60, 4, 4, 0x2000, 0, 0)->problem, "empty");
}

static void odd_notify_multiplier_is_invalid(void **state)
{
	(void)state;
	assert_reason(virtio_cap_after(0x70, 2, 4, 0x3000, 0x1000, 3)->problem, "multiplier");
	assert_reason(virtio_cap_after(0x70, 2, 4, 0x3000, 0x1000, 1)->problem, "multiplier");
	assert_null(virtio_cap_after(0x70, 2, 4, 0x3000, 0x1000, 0)->problem);
}

static void short_virtio_capability_is_invalid(void **state)
{
	(void)state;
	struct pci_sim_function *v = sim_at(0, VIRTIO_DEV, 0);
	pci_sim_put(v, 0x72, 16, 1); /* notify without its multiplier */
	pci_sim_put(v, 0x52, 12, 1); /* isr without its length */
	assert_int_equal(enumerate(), PCI_OK);
	const struct pci_function *f = found(0, VIRTIO_DEV, 0);
	assert_reason(f->virtio[1].problem, "too short");
	assert_reason(f->virtio[3].problem, "too short");
}

static void virtio_capability_at_the_end_of_config_space_is_invalid(void **state)
{
	(void)state;
	struct pci_sim_function *v = sim_at(0, VIRTIO_DEV, 0);
	pci_sim_put(v, 0x41, 0xf8, 1); /* common, now pointing on */
	pci_sim_cap(v, 0xf8, 0x09, 0x00, 16);
	pci_sim_put(v, 0xfb, 1, 1);
	assert_int_equal(enumerate(), PCI_OK);
	const struct pci_function *f = found(0, VIRTIO_DEV, 0);
	assert_int_equal(f->virtio_count, 6);
	assert_reason(f->virtio[5].problem, "past configuration space");
	assert_int_equal(f->virtio[5].cap_offset, 0xf8);
}

static void reserved_virtio_types_are_skipped(void **state)
{
	(void)state;
	struct pci_sim_function *v = sim_at(0, VIRTIO_DEV, 0);
	pci_sim_put(v, 0x43, 8, 1); /* shared memory: not ours to read */
	assert_int_equal(enumerate(), PCI_OK);
	const struct pci_function *f = found(0, VIRTIO_DEV, 0);
	assert_int_equal(f->virtio_count, 4);
	assert_int_equal(f->problems, 0);
}

static void more_virtio_structures_than_kept_are_reported(void **state)
{
	(void)state;
	struct pci_sim_function *v = sim_at(0, VIRTIO_DEV, 0);
	pci_sim_put(v, 0x41, 0xa4, 1); /* five more after MSI-X's 12 bytes at 0x98 */
	for (uint8_t at = 0xa4; at < 0xf4; at += 0x10)
		pci_sim_virtio_cap(v, at, (uint8_t)(at + 0x10 < 0xf4 ? at + 0x10 : 0), 3, 4,
				   0x1000, 0x10, 0);
	assert_int_equal(enumerate(), PCI_OK);
	const struct pci_function *f = found(0, VIRTIO_DEV, 0);
	assert_int_equal(f->virtio_count, PCI_MAX_VIRTIO_CAPS);
	assert_int_equal(f->problems, PCI_PROBLEM_VIRTIO_OVERFLOW);
}

/* ------------------------------------------------------------ odd BARs and headers */

static void unimplemented_bars_are_absent(void **state)
{
	(void)state;
	/* Flag bits that read back without any writable address bit. */
	struct pci_sim_function *nvme = sim_at(0, NVME_DEV, 0);
	pci_sim_put(nvme, 0x18, 0x8, 4);
	pci_sim_put(nvme, 0x1c, 0x1, 4);
	assert_int_equal(enumerate(), PCI_OK);
	const struct pci_function *f = found(0, NVME_DEV, 0);
	for (unsigned i = 2; i < 6; i++)
		assert_bar(&f->bars[i], PCI_BAR_NONE, false, 0, 0);
}

static void sixty_four_bit_bar_in_the_last_slot_is_refused(void **state)
{
	(void)state;
	struct pci_sim_function *b = sim_at(0, BRIDGE_DEV, 0);
	pci_sim_bar_mem64(b, 1, 0xfe900000, 0x1000, false);
	pci_sim_bridge_buses(b, 0, 1, 1); /* over the upper half's register */
	assert_int_equal(enumerate(), PCI_OK);
	const struct pci_function *f = found(0, BRIDGE_DEV, 0);
	assert_int_equal(f->problems, PCI_PROBLEM_BAR_64_LAST);
	assert_int_equal(f->bars[1].kind, PCI_BAR_NONE);
	assert_non_null(found(1, 0, 0));
}

static void reserved_memory_bar_type_is_refused(void **state)
{
	(void)state;
	struct pci_sim_function *sata = sim_at(0, LPC_DEV, 2);
	pci_sim_put(sata, 0x24, 0xfebd1006, 4);
	assert_int_equal(enumerate(), PCI_OK);
	const struct pci_function *f = found(0, LPC_DEV, 2);
	assert_int_equal(f->problems, PCI_PROBLEM_BAR_TYPE);
	assert_int_equal(f->bars[5].kind, PCI_BAR_NONE);
}

static void cardbus_header_is_reported_not_decoded(void **state)
{
	(void)state;
	struct pci_sim_function *nvme = sim_at(0, NVME_DEV, 0);
	pci_sim_put(nvme, 0x0e, 2, 1);
	assert_int_equal(enumerate(), PCI_OK);
	const struct pci_function *f = found(0, NVME_DEV, 0);
	assert_int_equal(f->problems, PCI_PROBLEM_HEADER_TYPE);
	assert_int_equal(f->bar_count, 0);
	assert_int_equal(f->caps, 0);
}

/* ------------------------------------------------------------ buses and functions */

static void bridge_back_to_the_root_bus_is_not_followed(void **state)
{
	(void)state;
	add_bridge(1, 1, 0, 0);
	assert_int_equal(enumerate(), PCI_OK);
	assert_int_equal(table.buses, 2);
	assert_int_equal(table.count, 9);
	assert_int_equal(found(1, 1, 0)->problems, PCI_PROBLEM_BRIDGE_BUS);
	assert_int_equal(found(0, BRIDGE_DEV, 0)->problems, 0);
}

static void two_bridges_to_one_bus_scan_it_once(void **state)
{
	(void)state;
	add_bridge(0, 5, 1, 1);
	assert_int_equal(enumerate(), PCI_OK);
	assert_int_equal(table.buses, 2);
	assert_int_equal(table.count, 9);
	assert_int_equal(found(0, 5, 0)->problems, PCI_PROBLEM_BRIDGE_BUS);
}

static void bridge_to_a_bus_out_of_range_is_not_followed(void **state)
{
	(void)state;
	add_bridge(0, 5, 9, 9);
	add(9, 0, 0, 0x8086, 0x100e, CLASS(2, 0, 0, 3), 0);
	assert_int_equal(enumerate_range(0, 3), PCI_OK);
	assert_int_equal(table.buses, 2);
	assert_false(in_table(9, 0, 0));
	assert_int_equal(found(0, 5, 0)->problems, PCI_PROBLEM_BRIDGE_BUS);
}

static void unconfigured_bridge_is_reported(void **state)
{
	(void)state;
	add_bridge(0, 5, 0, 0);
	assert_int_equal(enumerate(), PCI_OK);
	assert_int_equal(found(0, 5, 0)->problems, PCI_PROBLEM_BRIDGE_BUS);
}

static void chain_of_bridges_reaches_every_bus(void **state)
{
	(void)state;
	/* 0 -> 1 -> 2 -> ... -> 40, one bridge per bus. */
	for (uint8_t bus = 1; bus < 40; bus++)
		add_bridge(bus, 2, (uint8_t)(bus + 1), 40);
	add(40, 7, 0, 0x1af4, 0x1042, CLASS(1, 0, 0, 1), 0);
	assert_int_equal(enumerate(), PCI_OK);
	assert_int_equal(table.buses, 41);
	assert_non_null(found(40, 7, 0));
}

static void root_bus_other_than_zero(void **state)
{
	(void)state;
	pci_sim_init(&sim);
	add(0x80, 0, 0, 0x8086, 0x29c0, CLASS(6, 0, 0, 0), 0);
	add(0, 1, 0, 0x8086, 0x29c0, CLASS(6, 0, 0, 0), 0);
	assert_int_equal(enumerate_range(0x80, 0xff), PCI_OK);
	assert_int_equal(table.count, 1);
	assert_int_equal(table.functions[0].address.bus, 0x80);
}

static void functions_of_single_function_devices_are_not_scanned(void **state)
{
	(void)state;
	add(0, NVME_DEV, 1, 0x8086, 0x1234, CLASS(2, 0, 0, 0), 0);
	add(0, 6, 3, 0x8086, 0x1234, CLASS(2, 0, 0, 0), 0); /* no function 0 */
	assert_int_equal(enumerate(), PCI_OK);
	assert_int_equal(table.count, 8);
	assert_false(in_table(0, NVME_DEV, 1));
	assert_false(in_table(0, 6, 3));
}

static void vendor_zero_is_absent(void **state)
{
	(void)state;
	struct pci_address at = { .bus = 0, .device = NVME_DEV };
	struct pci_config_access access = pci_sim_access(&sim, 0, 255);
	struct pci_function f;

	pci_sim_put(sim_at(0, NVME_DEV, 0), 0, 0, 2);
	assert_int_equal(pci_read_function(&access, at, &f), PCI_ENOENT);
	at.device = 9;
	assert_int_equal(pci_read_function(&access, at, &f), PCI_ENOENT);
	at.device = NVME_DEV;
	pci_sim_put(sim_at(0, NVME_DEV, 0), 0, 0x1b36, 2);
	assert_int_equal(pci_read_function(&access, at, &f), PCI_OK);
	assert_int_equal(f.device, 0x0010);
}

static void full_table_counts_what_it_drops(void **state)
{
	(void)state;
	/* 9 multi-function devices of 8 functions on bus 0 (72), the last
	 * function a bridge to bus 1 with one device behind it: 73. */
	pci_sim_init(&sim);
	for (uint8_t dev = 0; dev < 9; dev++) {
		for (uint8_t fn = 0; fn < 8; fn++)
			add(0, dev, fn, 0x8086, 0x1000, CLASS(2, 0, 0, 0), fn == 0 ? 0x80 : 0);
	}
	pci_sim_put(sim_at(0, 8, 7), 0x0e, 1, 1);
	pci_sim_bridge_buses(sim_at(0, 8, 7), 0, 1, 1);
	add(1, 0, 0, 0x1af4, 0x1041, CLASS(2, 0, 0, 1), 0);

	assert_int_equal(enumerate(), PCI_EFULL);
	assert_int_equal(table.count, PCI_MAX_FUNCTIONS);
	assert_int_equal(table.dropped, 9);
	assert_int_equal(table.buses, 2);
	assert_int_equal(table.functions[63].address.device, 7);
	assert_int_equal(table.functions[63].address.function, 7);

	char line[PCI_LINE_MAX];
	pci_format_summary(&table, line, sizeof(line));
	assert_string_equal(line, "pci: 73 functions on 2 buses, 9 not recorded (table of 64 full)");
}

static void incomplete_accessor_is_refused(void **state)
{
	(void)state;
	struct pci_config_access access = pci_sim_access(&sim, 0, 255);

	access.write32 = NULL;
	assert_int_equal(pci_enumerate(&access, &table), PCI_EINVAL);
	access = pci_sim_access(&sim, 5, 4);
	assert_int_equal(pci_enumerate(&access, &table), PCI_EINVAL);
	assert_int_equal(table.count, 0);
	assert_int_equal(sim.reads, 0);
	assert_string_equal(pci_result_name(PCI_EINVAL), "invalid accessor");
	assert_string_equal(pci_result_name(PCI_EFULL), "table full");
}

/* ------------------------------------------------------------ boot lines */

static void boot_lines_say_what_was_found(void **state)
{
	(void)state;
	assert_int_equal(enumerate(), PCI_OK);
	assert_line(found(0, VIRTIO_DEV, 0),
		    "pci 00:02.0 1af4:1041 class 02.00 if 00 rev 01 irq INTA line 11"
		    " bar1 mem32 0xfeb80000 4K bar4 mem64 pf 0xfe000000 16K caps msix,vendor"
		    " virtio pci-cfg,notify,device,isr,common");
	assert_line(found(0, BRIDGE_DEV, 0),
		    "pci 00:03.0 1b36:0001 class 06.04 if 00 rev 00 bridge 01-01"
		    " bar0 mem32 0xfea00000 256");
	assert_line(found(0, LPC_DEV, 2),
		    "pci 00:1f.2 8086:2922 class 01.06 if 01 rev 02 irq INTA line 10"
		    " bar4 io 0xc040 32 bar5 mem32 0xfebd1000 4K");
	assert_line(found(1, 0, 0),
		    "pci 01:00.0 8086:100e class 02.00 if 00 rev 03 irq INTA"
		    " bar0 mem32 0xfe800000 128K bar1 io 0xd000 64");
	assert_line(found(0, NVME_DEV, 0),
		    "pci 00:04.0 1b36:0010 class 01.08 if 02 rev 02 irq INTA line 10"
		    " bar0 mem64 0xfeb90000 16K caps msi,msix,pcie");

	char line[PCI_LINE_MAX];
	pci_format_summary(&table, line, sizeof(line));
	assert_string_equal(line, "pci: 8 functions on 2 buses");
}

static void boot_line_names_problems_and_segments(void **state)
{
	(void)state;
	struct pci_function f = { .address = { .segment = 1, .bus = 2, .device = 3, .function = 4 },
				  .vendor = 0x1af4,
				  .device = 0x1042,
				  .class_code = 1,
				  .interrupt_pin = 7,
				  .interrupt_line = 5,
				  .virtio_count = 1,
				  .virtio = { { .cfg_type = 2, .problem = "x" } },
				  .problems = PCI_PROBLEM_VIRTIO_INVALID };

	assert_line(&f, "pci 0001:02:03.4 1af4:1042 class 01.00 if 00 rev 00 irq pin7 line 5"
			" virtio bad-notify problems 0x20");
}

static void boot_line_is_truncated_safely(void **state)
{
	(void)state;
	assert_int_equal(enumerate(), PCI_OK);
	const struct pci_function *v = found(0, VIRTIO_DEV, 0);
	char full[PCI_LINE_MAX], cut[24];
	size_t n = pci_format_function(v, full, sizeof(full));

	memset(cut, 'x', sizeof(cut));
	assert_int_equal(pci_format_function(v, cut, sizeof(cut)), n);
	assert_int_equal(strlen(cut), sizeof(cut) - 1);
	assert_memory_equal(cut, full, sizeof(cut) - 1);
	assert_int_equal(pci_format_function(v, NULL, 0), n);
	assert_true(n < PCI_LINE_MAX);
}

/* ------------------------------------------------------------ random damage */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Random bytes and write masks in the machine's configuration spaces:
 * enumeration stays bounded, never misuses the accessor, and what it
 * reports holds together. */
static void random_damage_never_misleads(void **state)
{
	(void)state;
	for (unsigned round = 0; round < 3000; round++) {
		build_machine();
		for (unsigned n = rng() % 16 + 1; n > 0; n--) {
			struct pci_sim_function *f = &sim.functions[rng() % sim.count];
			unsigned at = rng() % PCI_CONFIG_LEGACY_SIZE;
			f->config[at] = (uint8_t)(rng() % 3 ? rng() : 0x40 + rng() % 0xc0);
			if (rng() % 4 == 0)
				f->write_mask[at / 4] = (uint32_t)rng();
		}
		struct pci_config_access access = pci_sim_access(&sim, 0, 255);
		enum pci_result r = pci_enumerate(&access, &table);
		assert_true(r == PCI_OK || r == PCI_EFULL);
		assert_int_equal(sim.misuse, 0);
		assert_true(table.count <= PCI_MAX_FUNCTIONS);
		for (unsigned i = 0; i < table.count; i++) {
			const struct pci_function *f = &table.functions[i];
			char line[PCI_LINE_MAX];
			assert_true(pci_format_function(f, line, sizeof(line)) < PCI_LINE_MAX);
			for (unsigned b = 0; b < f->bar_count; b++)
				assert_int_equal(f->bars[b].size & (f->bars[b].size - 1), 0);
			for (unsigned c = 0; c < f->virtio_count; c++) {
				const struct pci_virtio_cap *v = &f->virtio[c];
				if (v->problem || v->cfg_type == PCI_VIRTIO_PCI_CFG)
					continue;
				assert_true(v->bar < f->bar_count);
				assert_true((uint64_t)v->offset + v->length <= f->bars[v->bar].size);
			}
		}
	}
}

/* pci_bar_containing: a range wholly inside one BAR of the kind asked
 * for, edges included; never across two BARs, never in an unassigned or
 * absent one, never of the other kind, never empty or wrapping. */
static void bar_containing_finds_whole_ranges_only(void **state)
{
	static struct pci_table t;
	unsigned fn = 99;

	(void)state;
	t = (struct pci_table){ .count = 3 };
	t.functions[0].bar_count = PCI_MAX_BARS;
	t.functions[0].bars[0] = (struct pci_bar){ .kind = PCI_BAR_IO, .base = 0xc000, .size = 0x40 };
	t.functions[0].bars[1] = (struct pci_bar){ .kind = PCI_BAR_MEM32, .base = 0xfe000000,
						   .size = 0x1000 };
	t.functions[1].bar_count = PCI_MAX_BARS;
	t.functions[1].bars[0] = (struct pci_bar){ .kind = PCI_BAR_MEM32, .base = 0xfe001000,
						   .size = 0x1000 };
	t.functions[1].bars[2] = (struct pci_bar){ .kind = PCI_BAR_MEM64, .base = 0x8000000000,
						   .size = 0x4000 };
	t.functions[1].bars[4] = (struct pci_bar){ .kind = PCI_BAR_MEM32, .base = 0, .size = 0x1000 };
	t.functions[2].bar_count = 2; /* a bridge: slots past 2 are not read */
	t.functions[2].bars[3] = (struct pci_bar){ .kind = PCI_BAR_MEM32, .base = 0xfd000000,
						   .size = 0x1000 };

	assert_true(pci_bar_containing(&t, false, 0xfe000000, 0x1000, &fn));
	assert_int_equal(fn, 0);
	assert_true(pci_bar_containing(&t, false, 0xfe001fff, 1, &fn));
	assert_int_equal(fn, 1);
	assert_true(pci_bar_containing(&t, false, 0x8000003000, 0x1000, &fn));
	assert_int_equal(fn, 1);
	assert_true(pci_bar_containing(&t, true, 0xc03c, 4, &fn));
	assert_int_equal(fn, 0);
	fn = 99;
	assert_false(pci_bar_containing(&t, false, 0xfe000000, 0x2000, &fn)); /* two BARs */
	assert_false(pci_bar_containing(&t, false, 0xfe000fff, 2, &fn));
	assert_false(pci_bar_containing(&t, false, 0x8000003000, 0x1001, &fn)); /* past the end */
	assert_false(pci_bar_containing(&t, false, 0x8000004000, 1, &fn));
	assert_false(pci_bar_containing(&t, false, 0xfdfff000, 0x1000, &fn));  /* before */
	assert_false(pci_bar_containing(&t, false, 0, 0x1000, &fn));           /* unassigned */
	assert_false(pci_bar_containing(&t, false, 0xfd000000, 0x1000, &fn));  /* not a BAR */
	assert_false(pci_bar_containing(&t, true, 0xfe000000, 4, &fn));        /* memory, not I/O */
	assert_false(pci_bar_containing(&t, false, 0xc000, 4, &fn));           /* I/O, not memory */
	assert_false(pci_bar_containing(&t, true, 0xc040, 1, &fn));
	assert_false(pci_bar_containing(&t, true, 0xc000, 0, &fn));            /* empty */
	assert_false(pci_bar_containing(&t, false, 0xfe000000, UINT64_MAX, &fn)); /* wraps */
	assert_false(pci_bar_containing(&t, false, UINT64_MAX, 2, &fn));
	assert_int_equal(fn, 99); /* untouched when nothing is found */
	t.count = 1;                                                         /* beyond the count */
	assert_false(pci_bar_containing(&t, false, 0xfe001000, 0x1000, &fn));
}

/* pci_msix_touches: the pages of the vector table and the pending bits,
 * nothing beside them; a broken capability takes its BARs whole; no
 * MSI-X, nothing. */
static void msix_pages_are_found(void **state)
{
	static struct pci_function f;

	(void)state;
	f = (struct pci_function){ .bar_count = PCI_MAX_BARS, .caps = PCI_HAS_MSIX };
	f.bars[0] = (struct pci_bar){ .kind = PCI_BAR_MEM32, .base = 0xfe000000, .size = 0x4000 };
	f.bars[2] = (struct pci_bar){ .kind = PCI_BAR_MEM32, .base = 0xfd000000, .size = 0x1000 };
	f.msix = (struct pci_msix){ .table_size = 300, .table_bar = 0, .table_offset = 0x1800,
				    .pba_bar = 2, .pba_offset = 0x800 };
	/* The table: 300 * 16 bytes from 0x1800, so the pages 0x1000-0x2fff. */
	assert_false(pci_msix_touches(&f, 0xfe000000, 0x1000));
	assert_true(pci_msix_touches(&f, 0xfe000000, 0x1001));
	assert_true(pci_msix_touches(&f, 0xfe002000, 0x1000));
	assert_false(pci_msix_touches(&f, 0xfe003000, 0x1000));
	assert_true(pci_msix_touches(&f, 0xfd000000, 0x1000));   /* the pending bits' page */
	assert_false(pci_msix_touches(&f, 0xfc000000, 0x1000));
	assert_false(pci_msix_touches(&f, 0xfe001000, 0));
	assert_false(pci_msix_touches(&f, UINT64_MAX - 0xfff, 0x2000));
	f.msix.problem = "vector table outside a memory BAR";
	assert_true(pci_msix_touches(&f, 0xfe003000, 0x1000));   /* the whole BAR */
	assert_false(pci_msix_touches(&f, 0xfe004000, 0x1000));
	f.caps = 0;
	assert_false(pci_msix_touches(&f, 0xfe002000, 0x1000));
}

/* INTx through bridges: each swizzles the pin by the slot below it, up to
 * the root bus; a missing bridge or a loop of them finds nothing. */
static void intx_is_swizzled_to_the_root_bus(void **state)
{
	static struct pci_table t = {
		.count = 10,
		.functions = {
			{ .address = { 0, 0, 0, 0 } },
			{ .address = { 0, 0, 2, 0 }, .header_type = 1, .secondary_bus = 1 },
			{ .address = { 0, 1, 0, 0 }, .interrupt_pin = 1 },
			{ .address = { 0, 1, 3, 0 }, .interrupt_pin = 2 },
			{ .address = { 0, 1, 1, 0 }, .header_type = 1, .secondary_bus = 2 },
			{ .address = { 0, 2, 2, 0 }, .interrupt_pin = 3 },
			{ .address = { 0, 0, 5, 0 }, .interrupt_pin = 4 },
			{ .address = { 0, 3, 0, 0 }, .interrupt_pin = 1 },
			{ .address = { 0, 4, 0, 0 }, .header_type = 1, .secondary_bus = 4 },
			{ .address = { 0, 4, 1, 0 }, .interrupt_pin = 1 },
		},
	};
	static const struct { unsigned function; uint8_t root_device, pin; } found[] = {
		{ 2, 2, 1 }, /* 01:00.0 INTA: slot 0 keeps the pin */
		{ 3, 2, 1 }, /* 01:03.0 INTB: (1 + 3) mod 4 -> INTA */
		{ 5, 2, 2 }, /* 02:02.0 INTC -> INTA at 01:01.0 -> INTB at 00:02.0 */
		{ 6, 5, 4 }, /* on the root bus: itself */
	};
	struct pci_address root;
	uint8_t pin;

	(void)state;
	for (size_t i = 0; i < sizeof(found) / sizeof(found[0]); i++) {
		assert_true(pci_intx_at_root(&t, &t.functions[found[i].function], 0, &root, &pin));
		assert_int_equal(root.bus, 0);
		assert_int_equal(root.device, found[i].root_device);
		assert_int_equal(pin, found[i].pin);
	}
	assert_false(pci_intx_at_root(&t, &t.functions[7], 0, &root, &pin)); /* no bridge to bus 3 */
	assert_false(pci_intx_at_root(&t, &t.functions[9], 0, &root, &pin)); /* a bridge to itself */
	assert_false(pci_intx_at_root(&t, &t.functions[0], 0, &root, &pin)); /* no pin */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(machine_is_enumerated_in_bus_device_function_order, setup),
		cmocka_unit_test_setup(identity_and_interrupt_are_read, setup),
		cmocka_unit_test_setup(bars_are_decoded_with_their_sizes, setup),
		cmocka_unit_test_setup(bridges_have_two_bars_and_their_buses, setup),
		cmocka_unit_test_setup(large_64_bit_bar_is_sized_from_its_upper_half, setup),
		cmocka_unit_test_setup(io_bar_of_a_16_bit_decoder_is_sized, setup),
		cmocka_unit_test_setup(probe_turns_decode_off_and_keeps_status_errors, setup),
		cmocka_unit_test_setup(function_with_decode_off_is_probed_without_touching_command,
				       setup),
		cmocka_unit_test_setup(capabilities_are_recorded_with_their_offsets, setup),
		cmocka_unit_test_setup(virtio_structures_are_parsed, setup),
		cmocka_unit_test_setup(vendor_capabilities_of_other_devices_are_not_parsed_as_virtio,
				       setup),
		cmocka_unit_test_setup(looping_capability_list_is_stopped, setup),
		cmocka_unit_test_setup(capability_pointing_at_itself_is_a_loop, setup),
		cmocka_unit_test_setup(longest_list_is_walked_to_its_end, setup),
		cmocka_unit_test_setup(capability_pointer_into_the_header_is_refused, setup),
		cmocka_unit_test_setup(reserved_pointer_bits_are_masked, setup),
		cmocka_unit_test_setup(without_the_status_bit_the_list_is_not_read, setup),
		cmocka_unit_test_setup(msix_table_and_pending_bits_are_located, setup),
		cmocka_unit_test_setup(msix_table_past_its_bar_is_invalid, setup),
		cmocka_unit_test_setup(msix_pending_bits_past_their_bar_are_invalid, setup),
		cmocka_unit_test_setup(msix_in_a_missing_or_io_bar_is_invalid, setup),
		cmocka_unit_test_setup(msix_capability_at_the_end_of_config_space_is_invalid, setup),
		cmocka_unit_test_setup(virtio_structure_past_its_bar_is_invalid, setup),
		cmocka_unit_test_setup(virtio_structure_whose_end_wraps_is_invalid, setup),
		cmocka_unit_test_setup(virtio_structure_in_a_missing_bar_is_invalid, setup),
		cmocka_unit_test_setup(virtio_structure_in_the_upper_half_of_a_64_bit_bar_is_invalid,
				       setup),
		cmocka_unit_test_setup(virtio_structure_with_a_reserved_bar_is_invalid, setup),
		cmocka_unit_test_setup(empty_virtio_structure_is_invalid, setup),
		cmocka_unit_test_setup(odd_notify_multiplier_is_invalid, setup),
		cmocka_unit_test_setup(short_virtio_capability_is_invalid, setup),
		cmocka_unit_test_setup(virtio_capability_at_the_end_of_config_space_is_invalid,
				       setup),
		cmocka_unit_test_setup(reserved_virtio_types_are_skipped, setup),
		cmocka_unit_test_setup(more_virtio_structures_than_kept_are_reported, setup),
		cmocka_unit_test_setup(unimplemented_bars_are_absent, setup),
		cmocka_unit_test_setup(sixty_four_bit_bar_in_the_last_slot_is_refused, setup),
		cmocka_unit_test_setup(reserved_memory_bar_type_is_refused, setup),
		cmocka_unit_test_setup(cardbus_header_is_reported_not_decoded, setup),
		cmocka_unit_test_setup(bridge_back_to_the_root_bus_is_not_followed, setup),
		cmocka_unit_test_setup(two_bridges_to_one_bus_scan_it_once, setup),
		cmocka_unit_test_setup(bridge_to_a_bus_out_of_range_is_not_followed, setup),
		cmocka_unit_test_setup(unconfigured_bridge_is_reported, setup),
		cmocka_unit_test_setup(chain_of_bridges_reaches_every_bus, setup),
		cmocka_unit_test_setup(root_bus_other_than_zero, setup),
		cmocka_unit_test_setup(functions_of_single_function_devices_are_not_scanned, setup),
		cmocka_unit_test_setup(vendor_zero_is_absent, setup),
		cmocka_unit_test_setup(full_table_counts_what_it_drops, setup),
		cmocka_unit_test_setup(incomplete_accessor_is_refused, setup),
		cmocka_unit_test_setup(boot_lines_say_what_was_found, setup),
		cmocka_unit_test_setup(boot_line_names_problems_and_segments, setup),
		cmocka_unit_test_setup(boot_line_is_truncated_safely, setup),
		cmocka_unit_test(random_damage_never_misleads),
		cmocka_unit_test(bar_containing_finds_whole_ranges_only),
		cmocka_unit_test(msix_pages_are_found),
		cmocka_unit_test(intx_is_swizzled_to_the_root_bus),
	};

	return cmocka_run_group_tests_name("pci", tests, NULL, NULL);
}
