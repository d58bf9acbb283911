/*
 * pci: PCI enumeration over a caller-supplied accessor (see pci.h).
 *
 * Every register is read as an aligned 32-bit word and the narrower
 * fields are cut out of it, so the accessor needs one width only (x86
 * mechanism 1 and ECAM both offer it). The configuration space may be
 * hostile: counts, bus numbers and pointers read from it bound nothing
 * here without first being checked against fixed limits.
 */
#include "pci.h"

#include <stdarg.h>

#include "format.h"

/* Type 0 and 1 header offsets (PCI Local Bus Specification 3.0, 6.1). */
#define REG_ID 0x00          /* vendor, device */
#define REG_COMMAND 0x04     /* command (low half), status (high half) */
#define REG_CLASS 0x08       /* revision, prog-if, subclass, class */
#define REG_HEADER 0x0c      /* ..., header type in bits 16-23 */
#define REG_BAR0 0x10
#define REG_BUSES 0x18       /* bridges: primary, secondary, subordinate */
#define REG_CAP_POINTER 0x34 /* low byte */
#define REG_INTERRUPT 0x3c   /* line, pin */

#define COMMAND_IO (1u << 0)
#define COMMAND_MEMORY (1u << 1)
#define STATUS_CAP_LIST (1u << 4)
#define HEADER_MULTI_FUNCTION 0x80
#define HEADER_NORMAL 0
#define HEADER_BRIDGE 1
#define BRIDGE_BARS 2

#define BAR_IO (1u << 0)
#define BAR_MEM_TYPE(v) (((v) >> 1) & 3u)
#define BAR_MEM_TYPE_32 0
#define BAR_MEM_TYPE_1M 1 /* PCI 2.x "below 1 MiB": a 32-bit BAR */
#define BAR_MEM_TYPE_64 2
#define BAR_PREFETCHABLE (1u << 3)
#define BAR_IO_FLAGS 0x3u
#define BAR_MEM_FLAGS 0xfu

#define CAP_FIRST 0x40 /* capabilities live after the standard header */
#define VIRTIO_CAP_LEN 16
#define VIRTIO_NOTIFY_CAP_LEN 20
#define VIRTIO_CFG_CAP_LEN 20 /* the capability and its 4-byte data window */
#define VIRTIO_BAR_MAX 5      /* 6 and 7 are reserved */
#define MSIX_CAP_LEN 12
#define MSIX_TABLE_SIZE_MASK 0x7ffu /* in message control: entries - 1 */
#define MSIX_BIR_MASK 0x7u

static uint8_t byte_of(uint32_t word, unsigned index)
{
	return (uint8_t)(word >> (8 * index));
}

/* The configuration byte at `offset`, from its aligned word. */
static uint8_t rd8(const struct pci_config_access *a, struct pci_address at, unsigned offset)
{
	return byte_of(pci_read32(a, at, offset & ~3u), offset & 3u);
}

/* ------------------------------------------------------------ BARs */

/* The lowest set bit of the writable address bits is the size: a BAR of
 * 2^n bytes hardwires its low n address bits to zero. Taking the lowest
 * bit instead of ~mask + 1 also serves I/O BARs whose upper 16 bits read
 * back as zero (16-bit decoders). */
static uint64_t size_of_mask(uint64_t mask)
{
	return mask & (~mask + 1);
}

/* Writes all ones, reads the answer, puts the original back. */
static uint32_t probe_word(const struct pci_config_access *a, struct pci_address at,
			   unsigned offset, uint32_t original)
{
	pci_write32(a, at, offset, 0xffffffffu);
	uint32_t answer = pci_read32(a, at, offset);
	pci_write32(a, at, offset, original);
	return answer;
}

/* A BAR of one register: I/O (`flags` BAR_IO_FLAGS) or 32-bit memory
 * (BAR_MEM_FLAGS); the low `flags` bits say what it is, the rest, probed,
 * how large. */
static void decode_bar32(const struct pci_config_access *a, struct pci_address at,
			 unsigned offset, uint32_t original, uint32_t flags, struct pci_bar *bar)
{
	uint32_t mask = probe_word(a, at, offset, original) & ~flags;

	bar->size = size_of_mask(mask);
	if (bar->size == 0)
		return;
	bar->kind = flags == BAR_IO_FLAGS ? PCI_BAR_IO : PCI_BAR_MEM32;
	bar->prefetchable = bar->kind == PCI_BAR_MEM32 && (original & BAR_PREFETCHABLE) != 0;
	bar->base = original & ~flags;
}

/* Both halves are probed before either is restored: with only the low
 * half all ones, the pair would describe an address the high half does
 * not, and the size bits may sit in the high half (BARs of 4 GiB and up). */
static void decode_mem64_bar(const struct pci_config_access *a, struct pci_address at,
			     unsigned offset, uint32_t original, struct pci_bar *bar)
{
	uint32_t original_high = pci_read32(a, at, offset + 4);

	pci_write32(a, at, offset, 0xffffffffu);
	pci_write32(a, at, offset + 4, 0xffffffffu);
	uint64_t answer = pci_read32(a, at, offset) | ((uint64_t)pci_read32(a, at, offset + 4) << 32);
	pci_write32(a, at, offset, original);
	pci_write32(a, at, offset + 4, original_high);

	bar->size = size_of_mask(answer & ~(uint64_t)BAR_MEM_FLAGS);
	if (bar->size == 0)
		return;
	bar->kind = PCI_BAR_MEM64;
	bar->prefetchable = (original & BAR_PREFETCHABLE) != 0;
	bar->base = (original & ~BAR_MEM_FLAGS) | ((uint64_t)original_high << 32);
}

/* Decodes BAR `slot`; returns how many slots it took (2 for a 64-bit BAR). */
static unsigned decode_bar(const struct pci_config_access *a, struct pci_function *f,
			   unsigned slot)
{
	unsigned offset = REG_BAR0 + 4 * slot;
	uint32_t original = pci_read32(a, f->address, offset);
	struct pci_bar *bar = &f->bars[slot];

	if (original & BAR_IO) {
		decode_bar32(a, f->address, offset, original, BAR_IO_FLAGS, bar);
		return 1;
	}
	switch (BAR_MEM_TYPE(original)) {
	case BAR_MEM_TYPE_32:
	case BAR_MEM_TYPE_1M:
		decode_bar32(a, f->address, offset, original, BAR_MEM_FLAGS, bar);
		return 1;
	case BAR_MEM_TYPE_64:
		if (slot + 1 >= f->bar_count) {
			/* Its upper half would be the next register, not a BAR. */
			f->problems |= PCI_PROBLEM_BAR_64_LAST;
			return 1;
		}
		decode_mem64_bar(a, f->address, offset, original, bar);
		return 2;
	default:
		/* Reserved: its width is unknown, so it is not probed. */
		f->problems |= PCI_PROBLEM_BAR_TYPE;
		return 1;
	}
}

/*
 * Sizes every BAR with I/O and memory decode off. While a BAR holds all
 * ones the device claims the address range that names -- for a memory BAR
 * the top of the address space, where RAM, the local APIC or another
 * device may live -- and any access landing there meanwhile (another CPU,
 * a firmware handler, a peer's DMA) would reach this device instead, or
 * both. With decode off it answers nothing until its BARs hold their real
 * addresses again. The status half of the command word is written as zero:
 * its error bits clear when written with ones.
 */
static void decode_bars(const struct pci_config_access *a, struct pci_function *f)
{
	uint32_t command = pci_read32(a, f->address, REG_COMMAND) & 0xffffu;
	bool decoding = (command & (COMMAND_IO | COMMAND_MEMORY)) != 0;

	if (decoding)
		pci_write32(a, f->address, REG_COMMAND, command & ~(COMMAND_IO | COMMAND_MEMORY));
	for (unsigned slot = 0; slot < f->bar_count;)
		slot += decode_bar(a, f, slot);
	if (decoding)
		pci_write32(a, f->address, REG_COMMAND, command);
}

/* ------------------------------------------------------------ capabilities */

static const char *virtio_bar_problem(const struct pci_function *f,
				      const struct pci_virtio_cap *v)
{
	if (v->bar > VIRTIO_BAR_MAX)
		return "reserved BAR number";
	if (v->bar >= f->bar_count || f->bars[v->bar].kind == PCI_BAR_NONE)
		return "its BAR does not exist";
	if (v->length == 0)
		return "empty range";
	if ((uint64_t)v->offset + v->length > f->bars[v->bar].size)
		return "range runs past its BAR";
	return NULL;
}

/* Checks one virtio structure against the spec's rules and the BARs. */
static const char *virtio_problem(const struct pci_function *f, const struct pci_virtio_cap *v,
				  uint8_t cap_len)
{
	/* The pci-cfg window's bar, offset and length are the driver's to
	 * write: nothing to check against the BARs. */
	if (v->cfg_type == PCI_VIRTIO_PCI_CFG)
		return cap_len < VIRTIO_CFG_CAP_LEN ? "capability too short" : NULL;
	if (v->cfg_type == PCI_VIRTIO_NOTIFY) {
		if (cap_len < VIRTIO_NOTIFY_CAP_LEN)
			return "capability too short";
		/* "an even power of 2, or 0" */
		uint32_t m = v->notify_off_multiplier;
		if (m != 0 && (m & (m - 1) || m == 1))
			return "notify multiplier not an even power of two";
	}
	if (cap_len < VIRTIO_CAP_LEN)
		return "capability too short";
	return virtio_bar_problem(f, v);
}

static bool is_virtio(const struct pci_function *f)
{
	return f->vendor == PCI_VENDOR_VIRTIO && f->device >= 0x1000 && f->device <= 0x107f;
}

/* A virtio vendor capability at `at` (whose header word is `head`):
 * recorded with its verdict. Types the specification reserves are
 * skipped, as it tells drivers to. */
static void read_virtio_cap(const struct pci_config_access *a, struct pci_function *f,
			    unsigned at, uint32_t head)
{
	uint8_t cap_len = byte_of(head, 2), cfg_type = byte_of(head, 3);

	if (cfg_type < PCI_VIRTIO_COMMON || cfg_type > PCI_VIRTIO_PCI_CFG)
		return;
	if (f->virtio_count == PCI_MAX_VIRTIO_CAPS) {
		f->problems |= PCI_PROBLEM_VIRTIO_OVERFLOW;
		return;
	}
	struct pci_virtio_cap *v = &f->virtio[f->virtio_count++];
	v->cfg_type = cfg_type;
	v->cap_offset = (uint8_t)at;
	/* The fields must lie inside the 256-byte space: a capability near
	 * its end is refused before they are read. */
	if (at + VIRTIO_CAP_LEN > PCI_CONFIG_LEGACY_SIZE ||
	    (cfg_type == PCI_VIRTIO_NOTIFY && at + VIRTIO_NOTIFY_CAP_LEN > PCI_CONFIG_LEGACY_SIZE)) {
		v->problem = "capability runs past configuration space";
	} else {
		v->bar = byte_of(pci_read32(a, f->address, at + 4), 0);
		v->offset = pci_read32(a, f->address, at + 8);
		v->length = pci_read32(a, f->address, at + 12);
		if (cfg_type == PCI_VIRTIO_NOTIFY)
			v->notify_off_multiplier = pci_read32(a, f->address, at + 16);
		v->problem = virtio_problem(f, v, cap_len);
	}
	if (v->problem)
		f->problems |= PCI_PROBLEM_VIRTIO_INVALID;
}

/* Whether [offset, offset + length) lies inside memory BAR `bar`. */
static bool in_memory_bar(const struct pci_function *f, unsigned bar, uint32_t offset,
			  uint64_t length)
{
	if (bar >= f->bar_count)
		return false;
	const struct pci_bar *b = &f->bars[bar];
	return (b->kind == PCI_BAR_MEM32 || b->kind == PCI_BAR_MEM64) && offset + length <= b->size;
}

static const char *msix_problem(const struct pci_function *f, const struct pci_msix *m)
{
	if (!in_memory_bar(f, m->table_bar, m->table_offset, (uint64_t)m->table_size * 16))
		return "vector table outside a memory BAR";
	/* One pending bit an entry, in whole 64-bit words. */
	if (!in_memory_bar(f, m->pba_bar, m->pba_offset, ((uint64_t)m->table_size + 63) / 64 * 8))
		return "pending bits outside a memory BAR";
	return NULL;
}

/* The MSI-X capability at `at`: message control in the header word, then
 * table and pending-bit array, each an offset whose low 3 bits name the
 * BAR (the BIR). */
static void read_msix(const struct pci_config_access *a, struct pci_function *f, unsigned at,
		      uint32_t head)
{
	struct pci_msix *m = &f->msix;

	if (at + MSIX_CAP_LEN > PCI_CONFIG_LEGACY_SIZE) {
		m->problem = "capability runs past configuration space";
	} else {
		uint32_t table = pci_read32(a, f->address, at + 4), pba = pci_read32(a, f->address, at + 8);
		m->table_size = (uint16_t)(((head >> 16) & MSIX_TABLE_SIZE_MASK) + 1);
		m->table_bar = (uint8_t)(table & MSIX_BIR_MASK);
		m->table_offset = table & ~MSIX_BIR_MASK;
		m->pba_bar = (uint8_t)(pba & MSIX_BIR_MASK);
		m->pba_offset = pba & ~MSIX_BIR_MASK;
		m->problem = msix_problem(f, m);
	}
	if (m->problem)
		f->problems |= PCI_PROBLEM_MSIX_INVALID;
}

static void note_cap(const struct pci_config_access *a, struct pci_function *f, unsigned at,
		     uint32_t head)
{
	switch (byte_of(head, 0)) {
	case PCI_CAP_ID_MSI:
		f->caps |= PCI_HAS_MSI;
		if (!f->msi_offset)
			f->msi_offset = (uint8_t)at;
		break;
	case PCI_CAP_ID_MSIX:
		f->caps |= PCI_HAS_MSIX;
		if (!f->msix_offset) {
			f->msix_offset = (uint8_t)at;
			read_msix(a, f, at, head);
		}
		break;
	case PCI_CAP_ID_PCIE:
		f->caps |= PCI_HAS_PCIE;
		if (!f->pcie_offset)
			f->pcie_offset = (uint8_t)at;
		break;
	case PCI_CAP_ID_VENDOR:
		f->caps |= PCI_HAS_VENDOR;
		if (is_virtio(f))
			read_virtio_cap(a, f, at, head);
		break;
	default:
		break;
	}
}

/*
 * Walks the capability list. The low two bits of every pointer are
 * reserved and masked off (as the PCI specification tells software to),
 * so every entry is 4-byte aligned; an entry below 0x40 would be the
 * standard header and ends the walk as a problem. The 48 aligned slots in
 * [0x40, 0x100) each get one bit of `seen`: an entry met twice is a loop,
 * which also bounds the walk to PCI_MAX_CAPS entries.
 */
static void walk_caps(const struct pci_config_access *a, struct pci_function *f)
{
	uint64_t seen = 0;
	unsigned at = rd8(a, f->address, REG_CAP_POINTER) & ~3u;

	for (unsigned n = 0; at != 0 && n < PCI_MAX_CAPS; n++) {
		if (at < CAP_FIRST) {
			f->problems |= PCI_PROBLEM_CAP_POINTER;
			return;
		}
		uint64_t bit = 1ULL << ((at - CAP_FIRST) / 4);
		if (seen & bit) {
			f->problems |= PCI_PROBLEM_CAP_LOOP;
			return;
		}
		seen |= bit;
		uint32_t head = pci_read32(a, f->address, at);
		note_cap(a, f, at, head);
		at = byte_of(head, 1) & ~3u;
	}
}

/* ------------------------------------------------------------ functions */

static void read_identity(const struct pci_config_access *a, struct pci_function *f,
			  uint32_t id)
{
	uint32_t class_word = pci_read32(a, f->address, REG_CLASS);
	uint32_t header = byte_of(pci_read32(a, f->address, REG_HEADER), 2);
	uint32_t interrupt = pci_read32(a, f->address, REG_INTERRUPT);

	f->vendor = (uint16_t)id;
	f->device = (uint16_t)(id >> 16);
	f->revision = byte_of(class_word, 0);
	f->prog_if = byte_of(class_word, 1);
	f->subclass = byte_of(class_word, 2);
	f->class_code = byte_of(class_word, 3);
	f->header_type = (uint8_t)(header & ~HEADER_MULTI_FUNCTION);
	f->multi_function = (header & HEADER_MULTI_FUNCTION) != 0;
	f->interrupt_line = byte_of(interrupt, 0);
	f->interrupt_pin = byte_of(interrupt, 1);
}

static bool id_present(uint32_t id)
{
	uint16_t vendor = (uint16_t)id;

	/* 0xffff is what an empty slot answers; 0 is no valid vendor either. */
	return vendor != 0xffff && vendor != 0;
}

enum pci_result pci_read_function(const struct pci_config_access *access, struct pci_address at,
				  struct pci_function *out)
{
	*out = (struct pci_function){ .address = at };
	uint32_t id = pci_read32(access, at, REG_ID);
	if (!id_present(id))
		return PCI_ENOENT;
	read_identity(access, out, id);
	if (out->header_type == HEADER_BRIDGE) {
		uint32_t buses = pci_read32(access, at, REG_BUSES);
		out->secondary_bus = byte_of(buses, 1);
		out->subordinate_bus = byte_of(buses, 2);
		out->bar_count = BRIDGE_BARS;
	} else if (out->header_type == HEADER_NORMAL) {
		out->bar_count = PCI_MAX_BARS;
	} else {
		/* CardBus (2) or unknown: another layout, not decoded. */
		out->problems |= PCI_PROBLEM_HEADER_TYPE;
		return PCI_OK;
	}
	decode_bars(access, out);
	if ((pci_read32(access, at, REG_COMMAND) >> 16) & STATUS_CAP_LIST)
		walk_caps(access, out);
	return PCI_OK;
}

const struct pci_virtio_cap *pci_virtio_find(const struct pci_function *f, uint8_t cfg_type)
{
	for (unsigned i = 0; i < f->virtio_count && i < PCI_MAX_VIRTIO_CAPS; i++) {
		if (f->virtio[i].cfg_type == cfg_type && !f->virtio[i].problem)
			return &f->virtio[i];
	}
	return NULL;
}

static bool bar_contains(const struct pci_bar *bar, bool io, uint64_t base, uint64_t size)
{
	bool is_io = bar->kind == PCI_BAR_IO;
	bool is_mem = bar->kind == PCI_BAR_MEM32 || bar->kind == PCI_BAR_MEM64;

	if ((io && !is_io) || (!io && !is_mem) || bar->base == 0 || bar->size == 0)
		return false;
	return base >= bar->base && base - bar->base <= bar->size &&
	       size <= bar->size - (base - bar->base);
}

/* Whether [base, base + size) touches the pages of [offset, offset +
 * length) inside BAR `bar` (the whole BAR when `whole`). */
static bool touches_in_bar(const struct pci_function *f, unsigned bar, uint64_t offset,
			   uint64_t length, bool whole, uint64_t base, uint64_t size)
{
	const uint64_t page = 4096;

	if (bar >= f->bar_count || bar >= PCI_MAX_BARS || f->bars[bar].size == 0)
		return false;
	const struct pci_bar *b = &f->bars[bar];
	uint64_t first = whole ? b->base : b->base + (offset & ~(page - 1));
	uint64_t end = whole ? b->base + b->size
			     : b->base + ((offset + length + page - 1) & ~(page - 1));
	return base < end && first < base + size;
}

bool pci_msix_touches(const struct pci_function *f, uint64_t base, uint64_t size)
{
	const struct pci_msix *m = &f->msix;
	bool whole = m->problem != NULL;

	if (!(f->caps & PCI_HAS_MSIX) || size == 0 || base + size < base)
		return false;
	return touches_in_bar(f, m->table_bar, m->table_offset, (uint64_t)m->table_size * 16,
			      whole, base, size) ||
	       touches_in_bar(f, m->pba_bar, m->pba_offset,
			      ((uint64_t)m->table_size + 63) / 64 * 8, whole, base, size);
}

/* The bridge whose secondary bus is `bus`, or NULL. */
static const struct pci_function *bridge_to(const struct pci_table *table, uint8_t bus)
{
	for (unsigned i = 0; i < table->count; i++) {
		const struct pci_function *b = &table->functions[i];
		if (b->header_type == HEADER_BRIDGE && b->secondary_bus == bus)
			return b;
	}
	return NULL;
}

bool pci_intx_at_root(const struct pci_table *table, const struct pci_function *f,
		      uint8_t root_bus, struct pci_address *root, uint8_t *pin)
{
	struct pci_address at = f->address;
	uint8_t p = f->interrupt_pin;

	if (p < 1 || p > 4)
		return false;
	/* At most one bridge per bus: a longer chain is a loop. */
	for (unsigned hops = 0; at.bus != root_bus; hops++) {
		const struct pci_function *bridge = bridge_to(table, at.bus);
		if (!bridge || hops > UINT8_MAX)
			return false;
		p = (uint8_t)((p - 1u + at.device) % 4u + 1u);
		at = bridge->address;
	}
	*root = at;
	*pin = p;
	return true;
}

bool pci_bar_containing(const struct pci_table *table, bool io, uint64_t base, uint64_t size,
			unsigned *function)
{
	if (size == 0 || base + size < base)
		return false;
	for (unsigned i = 0; i < table->count && i < PCI_MAX_FUNCTIONS; i++) {
		const struct pci_function *f = &table->functions[i];
		for (unsigned b = 0; b < f->bar_count && b < PCI_MAX_BARS; b++) {
			if (bar_contains(&f->bars[b], io, base, size)) {
				*function = i;
				return true;
			}
		}
	}
	return false;
}

/* ------------------------------------------------------------ buses */

/* Buses still to scan, each queued at most once (`queued` has a bit per
 * bus number), so the queue never holds more than 256. */
struct bus_queue {
	uint8_t bus[256];
	unsigned head, tail;
	uint64_t queued[4];
};

/* Queues `bus` unless it lies outside the host bridge's range or was
 * queued before; false then. */
static bool queue_bus(struct bus_queue *q, const struct pci_config_access *a, unsigned bus)
{
	uint64_t bit = 1ULL << (bus % 64);

	if (bus < a->bus_first || bus > a->bus_last || (q->queued[bus / 64] & bit))
		return false;
	q->queued[bus / 64] |= bit;
	q->bus[q->tail++] = (uint8_t)bus;
	return true;
}

/* A function found after the table filled up: counted, and read no more
 * than a bridge needs to be followed, so the count stays complete. */
static void count_dropped(const struct pci_config_access *a, struct pci_table *t,
			  struct bus_queue *q, struct pci_address at)
{
	uint32_t header = byte_of(pci_read32(a, at, REG_HEADER), 2) & ~HEADER_MULTI_FUNCTION;

	t->dropped++;
	if (header == HEADER_BRIDGE)
		(void)queue_bus(q, a, byte_of(pci_read32(a, at, REG_BUSES), 1));
}

/* Records the function found at `at` (the table has room) and follows it
 * if it is a bridge. */
static void record(const struct pci_config_access *a, struct pci_table *t, struct bus_queue *q,
		   struct pci_address at)
{
	struct pci_function *f = &t->functions[t->count];

	if (pci_read_function(a, at, f) != PCI_OK)
		return;
	t->count++;
	/* Secondary bus 0 is a bridge the firmware left unconfigured. */
	if (f->header_type == HEADER_BRIDGE &&
	    (f->secondary_bus == 0 || !queue_bus(q, a, f->secondary_bus)))
		f->problems |= PCI_PROBLEM_BRIDGE_BUS;
}

/* Whether function 0 of the device at `at` says it has more. */
static bool is_multi_function(const struct pci_config_access *a, struct pci_address at)
{
	return (byte_of(pci_read32(a, at, REG_HEADER), 2) & HEADER_MULTI_FUNCTION) != 0;
}

static void scan_device(const struct pci_config_access *a, struct pci_table *t,
			struct bus_queue *q, struct pci_address at)
{
	if (!id_present(pci_read32(a, at, REG_ID)))
		return; /* functions 1-7 exist only beside a function 0 */
	unsigned functions = is_multi_function(a, at) ? PCI_FUNCTIONS_PER_DEVICE : 1;
	for (unsigned fn = 0; fn < functions; fn++) {
		at.function = (uint8_t)fn;
		if (!id_present(pci_read32(a, at, REG_ID)))
			continue;
		if (t->count < PCI_MAX_FUNCTIONS)
			record(a, t, q, at);
		else
			count_dropped(a, t, q, at);
	}
}

enum pci_result pci_enumerate(const struct pci_config_access *access, struct pci_table *table)
{
	struct bus_queue q = { .head = 0 };

	table->count = 0;
	table->dropped = 0;
	table->buses = 0;
	if (!access->read32 || !access->write32 || access->bus_last < access->bus_first)
		return PCI_EINVAL;
	(void)queue_bus(&q, access, access->bus_first);
	while (q.head < q.tail) {
		struct pci_address at = { .segment = access->segment, .bus = q.bus[q.head++] };
		table->buses++;
		for (unsigned dev = 0; dev < PCI_DEVICES_PER_BUS; dev++) {
			at.device = (uint8_t)dev;
			scan_device(access, table, &q, at);
		}
	}
	return table->dropped ? PCI_EFULL : PCI_OK;
}

const char *pci_result_name(enum pci_result r)
{
	switch (r) {
	case PCI_OK:
		return "ok";
	case PCI_EINVAL:
		return "invalid accessor";
	case PCI_ENOENT:
		return "no function";
	case PCI_EFULL:
		return "table full";
	}
	return "unknown";
}

/* ------------------------------------------------------------ boot lines */

/* A line being built: snprintf semantics over several appends. */
struct line {
	char *buf;
	size_t size;
	size_t length; /* what the whole line needs, even past `size` */
};

static void append(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void append(struct line *l, const char *fmt, ...)
{
	va_list ap;
	size_t room = l->length < l->size ? l->size - l->length : 0;
	char *at = room ? l->buf + l->length : NULL;

	va_start(ap, fmt);
	l->length += format_vsnprintf(at, room, fmt, ap);
	va_end(ap);
}

/* Sizes as people write them: 4K, 16M, 2G; bytes when not a multiple. */
static void append_size(struct line *l, uint64_t size)
{
	static const char units[] = { 'G', 'M', 'K' };

	for (unsigned i = 0; i < sizeof(units); i++) {
		unsigned shift = 30 - 10 * i;
		if (size >= (1ULL << shift) && size % (1ULL << shift) == 0) {
			append(l, " %llu%c", (unsigned long long)(size >> shift), units[i]);
			return;
		}
	}
	append(l, " %llu", (unsigned long long)size);
}

static void append_bars(struct line *l, const struct pci_function *f)
{
	static const char *const kinds[] = { "none", "io", "mem32", "mem64" };

	for (unsigned i = 0; i < f->bar_count && i < PCI_MAX_BARS; i++) {
		const struct pci_bar *b = &f->bars[i];
		if (b->kind == PCI_BAR_NONE)
			continue;
		append(l, " bar%u %s%s 0x%llx", i, kinds[b->kind], b->prefetchable ? " pf" : "",
		       (unsigned long long)b->base);
		append_size(l, b->size);
	}
}

static void append_irq(struct line *l, const struct pci_function *f)
{
	if (f->interrupt_pin == 0)
		return;
	if (f->interrupt_pin > 4)
		append(l, " irq pin%u", f->interrupt_pin);
	else
		append(l, " irq INT%c", 'A' + f->interrupt_pin - 1);
	if (f->interrupt_line != 0xff)
		append(l, " line %u", f->interrupt_line);
}

static void append_caps(struct line *l, const struct pci_function *f)
{
	static const char *const names[] = { "msi", "msix", "pcie", "vendor" };
	const char *sep = " caps ";

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (f->caps & (1u << i)) {
			append(l, "%s%s", sep, names[i]);
			sep = ",";
		}
	}
}

static void append_virtio(struct line *l, const struct pci_function *f)
{
	static const char *const names[] = { "?", "common", "notify", "isr", "device", "pci-cfg" };
	const char *sep = " virtio ";

	for (unsigned i = 0; i < f->virtio_count && i < PCI_MAX_VIRTIO_CAPS; i++) {
		const struct pci_virtio_cap *v = &f->virtio[i];
		const char *name = v->cfg_type <= PCI_VIRTIO_PCI_CFG ? names[v->cfg_type] : "?";
		append(l, "%s%s%s", sep, v->problem ? "bad-" : "", name);
		sep = ",";
	}
}

size_t pci_format_function(const struct pci_function *f, char *buf, size_t size)
{
	struct line l = { .buf = buf, .size = size, .length = 0 };
	const struct pci_address *at = &f->address;

	if (size)
		buf[0] = '\0';
	append(&l, "pci ");
	if (at->segment)
		append(&l, "%04x:", at->segment);
	append(&l, "%02x:%02x.%u %04x:%04x class %02x.%02x if %02x rev %02x", at->bus, at->device,
	       at->function, f->vendor, f->device, f->class_code, f->subclass, f->prog_if,
	       f->revision);
	if (f->header_type == HEADER_BRIDGE)
		append(&l, " bridge %02x-%02x", f->secondary_bus, f->subordinate_bus);
	else if (f->header_type != HEADER_NORMAL)
		append(&l, " header %02x", f->header_type);
	append_irq(&l, f);
	append_bars(&l, f);
	append_caps(&l, f);
	append_virtio(&l, f);
	if (f->problems)
		append(&l, " problems 0x%x", f->problems);
	return l.length;
}

size_t pci_format_summary(const struct pci_table *table, char *buf, size_t size)
{
	struct line l = { .buf = buf, .size = size, .length = 0 };

	if (size)
		buf[0] = '\0';
	unsigned functions = table->count + table->dropped;

	append(&l, "pci: %u function%s on %u bus%s", functions, functions == 1 ? "" : "s",
	       table->buses, table->buses == 1 ? "" : "es");
	if (table->dropped)
		append(&l, ", %u not recorded (table of %u full)", table->dropped, PCI_MAX_FUNCTIONS);
	return l.length;
}
