/*
 * its: MSIs on AArch64, through the GICv3 Interrupt Translation Service.
 *
 * A PCI function signals an MSI-X vector by writing its message datum to
 * the ITS's GITS_TRANSLATER; the ITS takes the writer's requester ID as
 * the DeviceID and the datum as the EventID, looks the pair up in the
 * tables it keeps in memory, and sets the LPI it finds pending at the
 * redistributor of the collection the event belongs to. Here:
 *  - MSI slot s (msi.h) is EventID s and LPI INTID LPI_FIRST + s, for
 *    whichever device holds it; gic.c turns that LPI into
 *    irq_interrupt(IRQ_MSI_BASE + s);
 *  - the DeviceID is the requester ID (bus << 8 | device << 3 |
 *    function) itself: QEMU virt's host bridge maps requester IDs to the
 *    ITS one to one (its `msi-map` and the IORT's ID mapping are the
 *    identity), which we take as given rather than read;
 *  - each CPU has a collection, numbered as the CPU (ICID = cpu.h's
 *    index), mapped to its redistributor as it starts, whose LPIs it
 *    enables (one configuration table for all, a pending table each).
 *    An event starts in collection 0, the BSP's, and is moved (MOVI) to
 *    the collection of the CPU its owner waits on when the router steers
 *    the line (arch_msi_retarget).
 *
 * The tables. The redistributor's LPI configuration table (a byte per
 * LPI: priority and enable) and pending table cover INTIDs below
 * 1 << LPI_ID_BITS. The ITS's device table is flat, one entry per
 * possible DeviceID (at most 65536: every requester ID); its collection
 * table holds a collection per CPU, unless the ITS keeps that many
 * itself (HCC).
 * Each mapped device gets an interrupt translation table (ITT) of
 * IRQ_MSI_LINES events, carved from one block allocated at boot: at most
 * IRQ_MSI_LINES devices can hold a slot at once, and a device whose last
 * slot is released is unmapped, so the block never runs out and composing
 * a message never allocates.
 *
 * Memory attributes: every table and the command queue are normal
 * write-back memory, inner shareable, as the kernel maps all RAM, so the
 * ITS and redistributor see what the CPU writes once a DSB has ordered it
 * before the register write that hands it over. An implementation may
 * answer that it cannot snoop (the shareability field reads back as
 * non-shareable); we then ask for non-cacheable accesses and clean each
 * change to the point of coherency ourselves. QEMU models no caches, so
 * either way works there.
 *
 * Commands. Each operation queues its few commands, ends them with a SYNC
 * and waits until GITS_CREADR reaches GITS_CWRITER, so the queue is empty
 * between operations and never fills. The ITS not reaching it within
 * ITS_WAIT_SPINS reads, or stalling on a command error, is a broken
 * interrupt controller: the kernel panics, saying which. One lock,
 * LOCK_MSI_TRANSLATION, guards the queue and the tables.
 */
#include <arch.h>
#include <cpu.h>
#include <frame.h>
#include <hhdm.h>
#include <kstring.h>
#include <msi.h>
#include <panic.h>
#include <printk.h>
#include <spinlock.h>

#include "devices.h"
#include "its.h"
#include "mmio.h"
#include "sysreg.h"

/* The ITS's registers. */
#define GITS_CTLR 0x0
#define GITS_CTLR_ENABLED (1u << 0)
#define GITS_CTLR_QUIESCENT (1u << 31)
#define GITS_TYPER 0x8
#define GITS_CBASER 0x80
#define GITS_CWRITER 0x88
#define GITS_CREADR 0x90
#define GITS_CREADR_STALLED (1u << 0)
#define GITS_BASER 0x100 /* GITS_BASER<n> at 0x100 + 8n */
#define GITS_BASER_COUNT 8
#define GITS_TRANSLATER 0x10040

/* GITS_TYPER fields: (shift, width). */
#define TYPER_ITT_ENTRY_SIZE 4, 4 /* bytes - 1 */
#define TYPER_ID_BITS 8, 5        /* EventID bits - 1 */
#define TYPER_DEV_BITS 13, 5      /* DeviceID bits - 1 */
#define TYPER_PTA 19, 1           /* RDbase: 1 physical address, 0 processor number */
#define TYPER_HCC 24, 8           /* collections held in the ITS itself */

/* GITS_BASER<n>, GITS_CBASER, GICR_PROPBASER and GICR_PENDBASER share
 * their memory attribute fields. */
#define BASER_VALID (1ull << 63)
#define BASER_INDIRECT (1ull << 62)
#define BASER_OUTER_SHIFT 53
#define BASER_TYPE 56, 3
#define BASER_ENTRY_SIZE 48, 5 /* bytes - 1 */
#define BASER_PAGE_SIZE 8, 2   /* 0: 4 KiB, 1: 16 KiB, 2 and 3: 64 KiB */
#define BASER_PAGE_SIZE_MASK (3ull << 8)
#define BASER_PAGES_MASK 0xffull /* pages - 1 */
#define BASER_TYPE_DEVICE 1
#define BASER_TYPE_COLLECTION 4
#define BASER_INNER_SHIFT 59   /* GITS_BASER<n> and GITS_CBASER */
#define REDIST_INNER_SHIFT 7   /* GICR_PROPBASER and GICR_PENDBASER */
#define CACHE_NONCACHEABLE 1ull
#define CACHE_WRITE_BACK 7ull  /* read- and write-allocate */
#define CACHE_MASK 7ull
#define SHARE_SHIFT 10
#define SHARE_MASK (3ull << SHARE_SHIFT)
#define SHARE_INNER (1ull << SHARE_SHIFT)
#define ADDRESS_MASK 0x000ffffffffff000ull

/* The redistributor's LPI registers. */
#define GICD_TYPER 0x4
#define GICD_TYPER_LPIS (1u << 17)
#define GICR_CTLR 0x0
#define GICR_CTLR_ENABLE_LPIS (1u << 0)
#define GICR_TYPER 0x8
#define GICR_TYPER_PLPIS (1u << 0)
#define GICR_PROCESSOR_NUMBER 8, 16
#define GICR_PROPBASER 0x70
#define GICR_PENDBASER 0x78

/* Commands: 32 bytes, the number in the first byte. */
#define CMD_MOVI 0x01
#define CMD_SYNC 0x05
#define CMD_MAPD 0x08
#define CMD_MAPC 0x09
#define CMD_MAPTI 0x0a
#define CMD_INV 0x0c
#define CMD_DISCARD 0x0f
#define CMD_VALID (1ull << 63)
#define CMD_ITT_MASK 0x000fffffffffff00ull /* MAPD: ITT address bits 51:8 */
#define CMD_RDBASE_MASK 0x000fffffffff0000ull
#define CMD_RDBASE_SHIFT 16

#define LPI_ID_BITS 14 /* INTIDs below 16384: every LPI_FIRST + slot */
#define LPI_CONFIG_BYTES ((1u << LPI_ID_BITS) - LPI_FIRST)
#define LPI_PENDING_ALIGN_FRAMES 16 /* 64 KiB */
#define LPI_PRIORITY 0xa0      /* the SPIs' (gic.c) */
#define LPI_CONFIG_RES1 (1u << 1)
#define LPI_CONFIG_ENABLED (1u << 0)
#define EVENT_BITS 6           /* EventIDs 0-63: one per slot */
#define DEVICE_ID_LIMIT 65536u /* every PCI requester ID */
#define QUEUE_BYTES (16 * FRAME_SIZE) /* 2048 commands, 64 KiB as Linux has it */
#define COMMAND_BYTES 32
#define ITT_ALIGN 256
#define ITS_WAIT_SPINS 1000000u
#define NO_DEVICE 0xff

_Static_assert(IRQ_MSI_LINES == 1u << EVENT_BITS, "its: one EventID per MSI slot");
_Static_assert(IRQ_MSI_LINES < NO_DEVICE, "its: a device index fits a byte");
_Static_assert(LPI_FIRST + IRQ_MSI_LINES <= 1u << LPI_ID_BITS, "its: the LPIs fit the tables");

struct its_command {
	uint64_t dw[4];
};

/* A DeviceID mapped to its ITT (block index = its index here). */
struct its_device {
	bool mapped;
	uint32_t id;
	uint64_t events; /* one bit per slot mapped for it */
};

static struct {
	bool ready;
	uint64_t phys;
	uintptr_t regs;
	bool coherent;           /* the ITS and redistributor snoop our caches */
	bool pta;                /* commands name redistributors by address */
	uint64_t rdbase;         /* the BSP's redistributor, as commands name it */
	uint64_t lpi_config_phys;
	uint64_t cpus;           /* bit c: CPU c's collection is mapped */
	uint64_t cpu_rdbase[CPU_STRUCTS]; /* each mapped CPU's redistributor */
	uint32_t device_limit;   /* DeviceIDs the device table holds */
	uint8_t *lpi_config;     /* byte s: LPI LPI_FIRST + s */
	struct its_command *queue;
	unsigned queue_next;     /* the next command's index */
	uint8_t *itts;           /* IRQ_MSI_LINES ITTs, itt_stride bytes apart */
	uint64_t itts_phys;
	size_t itt_stride;
	struct its_device devices[IRQ_MSI_LINES];
	uint8_t slot_device[IRQ_MSI_LINES]; /* index into devices, or NO_DEVICE */
} its;

static struct spinlock its_lock = SPINLOCK_INIT("msi-translation", LOCK_MSI_TRANSLATION);

static uint64_t field(uint64_t reg, unsigned shift, unsigned width)
{
	return reg >> shift & ((1ull << width) - 1);
}

/* ------------------------------------------------------- visibility */

static size_t cache_line_bytes(void)
{
	uint64_t ctr;

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	return 4u << field(ctr, 16, 4); /* DminLine: log2 of words */
}

/* [p, p + len) cleaned and invalidated to the point of coherency, where
 * a GIC that does not snoop reads it. */
static void clean_to_poc(const void *p, size_t len)
{
	size_t line = cache_line_bytes();
	uintptr_t end = (uintptr_t)p + len;

	for (uintptr_t a = (uintptr_t)p & ~(line - 1); a < end; a += line)
		__asm__ volatile("dc civac, %0" : : "r"(a) : "memory");
	__asm__ volatile("dsb sy" ::: "memory");
}

/* What the CPU wrote at [p, p + len) is where the ITS reads it: a DSB
 * orders it before the register write that follows, and for an ITS that
 * does not snoop, it is first cleaned out to the point of coherency. */
static void publish(const void *p, size_t len)
{
	if (!its.coherent)
		clean_to_poc(p, len);
	else
		dsb_ishst();
}

/* Memory attributes for a table register: write-back and inner shareable
 * while the GIC snoops, non-cacheable once any register has said it does
 * not. */
static uint64_t attributes(unsigned inner_shift)
{
	uint64_t cache = its.coherent ? CACHE_WRITE_BACK : CACHE_NONCACHEABLE;

	return cache << inner_shift | (its.coherent ? SHARE_INNER : 0);
}

/* Writes a table register; if it reads back non-shareable, the GIC cannot
 * snoop: from now on everything is non-cacheable and cleaned by hand. */
static void write_table_register(uintptr_t reg, uint64_t value, unsigned inner_shift)
{
	mmio_write64(reg, value | attributes(inner_shift));
	if (its.coherent && !(mmio_read64(reg) & SHARE_MASK)) {
		its.coherent = false;
		mmio_write64(reg, value | attributes(inner_shift));
	}
}

/* Zeroed, contiguous, aligned frames; 0 if none. The zeros are cleaned
 * out of the caches whatever the GIC turns out to snoop: a dirty line
 * evicted later must not overwrite what the ITS has written since. */
static uint64_t zeroed_frames(size_t bytes, size_t align_bytes)
{
	size_t count = (bytes + FRAME_SIZE - 1) / FRAME_SIZE;
	size_t align = align_bytes > FRAME_SIZE ? align_bytes / FRAME_SIZE : 1;
	paddr_t phys;

	if (frame_alloc_contiguous(count, align, &phys) != K_OK)
		return 0;
	memset(phys_to_virt(phys), 0, count * FRAME_SIZE);
	clean_to_poc(phys_to_virt(phys), count * FRAME_SIZE);
	return phys;
}

/* --------------------------------------------------------- commands */

static uint32_t requester_id(struct pci_address a)
{
	return (uint32_t)a.bus << 8 | (uint32_t)a.device << 3 | a.function;
}

static void queue_command(uint64_t dw0, uint64_t dw1, uint64_t dw2)
{
	struct its_command *c = &its.queue[its.queue_next];

	c->dw[0] = dw0;
	c->dw[1] = dw1;
	c->dw[2] = dw2;
	c->dw[3] = 0;
	publish(c, sizeof(*c));
	its.queue_next = (its.queue_next + 1) % (QUEUE_BYTES / COMMAND_BYTES);
}

static void queue_mapd(uint32_t device, uint64_t itt, bool valid)
{
	queue_command(CMD_MAPD | (uint64_t)device << 32, EVENT_BITS - 1,
		      (valid ? CMD_VALID : 0) | (itt & CMD_ITT_MASK));
}

static void queue_mapti(uint32_t device, uint32_t event, uint32_t intid)
{
	queue_command(CMD_MAPTI | (uint64_t)device << 32, event | (uint64_t)intid << 32,
		      0 /* ICID 0: collection 0 */);
}

static void queue_event(uint8_t command, uint32_t device, uint32_t event)
{
	queue_command(command | (uint64_t)device << 32, event, 0);
}

/* Hands the queued commands to the ITS, ending with a SYNC, and waits
 * until it has carried them all out. */
static void run_commands(void)
{
	queue_command(CMD_SYNC, 0, its.rdbase);
	uint64_t target = (uint64_t)its.queue_next * COMMAND_BYTES;
	mmio_write64(its.regs + GITS_CWRITER, target);
	for (unsigned i = 0; i < ITS_WAIT_SPINS; i++) {
		uint64_t read = mmio_read64(its.regs + GITS_CREADR);
		if (read & GITS_CREADR_STALLED)
			panic("its: the command at offset 0x%llx failed and stalled the ITS's queue",
			      (unsigned long long)(read & ~(uint64_t)(COMMAND_BYTES - 1)));
		if (read == target)
			return;
		arch_cpu_relax();
	}
	panic("its: the ITS did not carry out its commands (GITS_CREADR 0x%llx, GITS_CWRITER 0x%llx)",
	      (unsigned long long)mmio_read64(its.regs + GITS_CREADR),
	      (unsigned long long)target);
}

/* -------------------------------------------------------- boot setup */

/* A redistributor takes LPIs up to 1 << LPI_ID_BITS, configured by the
 * one table every CPU shares, pending in a table of its own: false when
 * it cannot, or when LPIs were enabled before us (its tables are then
 * fixed, and not ours). */
static bool redistributor_enable_lpis(uintptr_t gicr)
{
	if (!(mmio_read32(gicr + GICR_TYPER) & GICR_TYPER_PLPIS) ||
	    (mmio_read32(gicr + GICR_CTLR) & GICR_CTLR_ENABLE_LPIS))
		return false;
	uint64_t pending = zeroed_frames((1u << LPI_ID_BITS) / 8,
					 LPI_PENDING_ALIGN_FRAMES * FRAME_SIZE);
	if (!pending)
		panic("its: no memory for an LPI pending table");
	write_table_register(gicr + GICR_PROPBASER, its.lpi_config_phys | (LPI_ID_BITS - 1),
			     REDIST_INNER_SHIFT);
	write_table_register(gicr + GICR_PENDBASER, pending, REDIST_INNER_SHIFT);
	mmio_write32(gicr + GICR_CTLR, mmio_read32(gicr + GICR_CTLR) | GICR_CTLR_ENABLE_LPIS);
	dsb_ish();
	return true;
}

/* The configuration table: a byte per LPI, all disabled. */
static void lpi_config_table(void)
{
	its.lpi_config_phys = zeroed_frames(LPI_CONFIG_BYTES, FRAME_SIZE);
	if (!its.lpi_config_phys)
		panic("its: no memory for the LPI configuration table");
	its.lpi_config = phys_to_virt(its.lpi_config_phys);
}

/* A redistributor as commands name it: its physical address, or its
 * processor number. */
static uint64_t rdbase_of(uintptr_t gicr)
{
	if (its.pta)
		return virt_to_phys_hhdm((const void *)gicr) & CMD_RDBASE_MASK;
	return field(mmio_read64(gicr + GICR_TYPER), GICR_PROCESSOR_NUMBER) << CMD_RDBASE_SHIFT;
}

/* The page size GITS_BASER<n> takes, preferring 4 KiB. */
static size_t baser_page_size(uintptr_t reg)
{
	uint64_t v = mmio_read64(reg) & ~BASER_VALID & ~BASER_PAGE_SIZE_MASK;

	mmio_write64(reg, v); /* 4 KiB, if the field is writable */
	switch (field(mmio_read64(reg), BASER_PAGE_SIZE)) {
	case 0:
		return 4096;
	case 1:
		return 16384;
	default:
		return 65536;
	}
}

/* One table: `entries` of what GITS_BASER<n> says, in as many of its
 * pages as that takes (at most 256). Returns how many entries fit. */
static uint64_t baser_table(uintptr_t reg, uint64_t entries)
{
	size_t page = baser_page_size(reg);
	uint64_t v = mmio_read64(reg);
	uint64_t entry = field(v, BASER_ENTRY_SIZE) + 1;
	uint64_t pages = (entries * entry + page - 1) / page;

	if (pages > BASER_PAGES_MASK + 1)
		pages = BASER_PAGES_MASK + 1;
	uint64_t table = zeroed_frames(pages * page, page);
	if (!table)
		panic("its: no memory for a %llu KiB ITS table", (unsigned long long)(pages * page / 1024));
	uint64_t keep = v & ~BASER_INDIRECT & ~(CACHE_MASK << BASER_INNER_SHIFT) &
			~(CACHE_MASK << BASER_OUTER_SHIFT) & ~SHARE_MASK & ~ADDRESS_MASK &
			~BASER_PAGES_MASK; /* flat, outer attributes as inner */
	write_table_register(reg, BASER_VALID | keep | table | (pages - 1), BASER_INNER_SHIFT);
	return pages * page / entry;
}

/* The device table, and the collection table unless the ITS holds
 * a collection per CPU itself; the other tables (vPEs) stay invalid. */
static void its_tables(uint64_t typer)
{
	uint32_t device_bits = (uint32_t)field(typer, TYPER_DEV_BITS) + 1;
	uint64_t devices = device_bits >= 16 ? DEVICE_ID_LIMIT : 1u << device_bits;

	for (unsigned n = 0; n < GITS_BASER_COUNT; n++) {
		uintptr_t reg = its.regs + GITS_BASER + 8 * n;
		uint64_t type = field(mmio_read64(reg), BASER_TYPE);
		if (type == BASER_TYPE_DEVICE) {
			uint64_t fit = baser_table(reg, devices);
			its.device_limit = (uint32_t)(fit < devices ? fit : devices);
		} else if (type == BASER_TYPE_COLLECTION && field(typer, TYPER_HCC) < CPU_STRUCTS) {
			(void)baser_table(reg, CPU_STRUCTS);
		}
	}
}

static void its_queue(void)
{
	uint64_t queue = zeroed_frames(QUEUE_BYTES, FRAME_SIZE);

	if (!queue)
		panic("its: no memory for the command queue");
	its.queue = phys_to_virt(queue);
	write_table_register(its.regs + GITS_CBASER,
			     CMD_VALID | queue | (QUEUE_BYTES / FRAME_SIZE - 1), BASER_INNER_SHIFT);
	mmio_write64(its.regs + GITS_CWRITER, 0);
}

/* The ITT block: one per device that can hold a slot. */
static void its_itts(uint64_t typer)
{
	size_t bytes = IRQ_MSI_LINES * (field(typer, TYPER_ITT_ENTRY_SIZE) + 1);

	its.itt_stride = (bytes + ITT_ALIGN - 1) / ITT_ALIGN * ITT_ALIGN;
	its.itts_phys = zeroed_frames(its.itt_stride * IRQ_MSI_LINES, FRAME_SIZE);
	if (!its.itts_phys)
		panic("its: no memory for the interrupt translation tables");
	its.itts = phys_to_virt(its.itts_phys);
	memset(its.slot_device, NO_DEVICE, sizeof(its.slot_device));
}

/* An ITS left enabled (by firmware) is turned off and drained before its
 * tables change. */
static bool its_quiesce(void)
{
	uint32_t ctlr = mmio_read32(its.regs + GITS_CTLR);

	mmio_write32(its.regs + GITS_CTLR, ctlr & ~GITS_CTLR_ENABLED);
	for (unsigned i = 0; i < ITS_WAIT_SPINS; i++) {
		if (mmio_read32(its.regs + GITS_CTLR) & GITS_CTLR_QUIESCENT)
			return true;
		arch_cpu_relax();
	}
	return false;
}

/* Collection `cpu` (queued, not yet run) delivers to `rdbase`. */
static void map_collection(unsigned cpu, uint64_t rdbase)
{
	queue_command(CMD_MAPC, 0, CMD_VALID | rdbase | cpu);
	its.cpu_rdbase[cpu] = rdbase;
	its.cpus |= 1ull << cpu;
}

static const char *its_setup(uintptr_t gicd, uintptr_t gicr)
{
	const struct board_devices *board = board_devices();

	if (!board->its)
		return "no GICv3 ITS in the firmware's tables: no MSIs";
	if (!(mmio_read32(gicd + GICD_TYPER) & GICD_TYPER_LPIS) ||
	    !(mmio_read32(gicr + GICR_TYPER) & GICR_TYPER_PLPIS))
		return "the GIC has no LPIs: no MSIs";
	its.phys = board->its;
	its.regs = (uintptr_t)phys_to_virt(board->its);
	its.coherent = true;
	uint64_t typer = mmio_read64(its.regs + GITS_TYPER);
	if (field(typer, TYPER_ID_BITS) + 1 < EVENT_BITS)
		return "the ITS has too few EventID bits: no MSIs";
	if (!its_quiesce())
		return "the ITS did not quiesce: no MSIs";
	lpi_config_table();
	if (!redistributor_enable_lpis(gicr))
		return "LPIs were enabled before the kernel started: no MSIs";
	its_tables(typer);
	its_queue();
	its_itts(typer);
	its.pta = field(typer, TYPER_PTA);
	its.rdbase = rdbase_of(gicr);
	mmio_write32(its.regs + GITS_CTLR, mmio_read32(its.regs + GITS_CTLR) | GITS_CTLR_ENABLED);
	map_collection(0, its.rdbase);
	run_commands();
	its.ready = true;
	return NULL;
}

void its_init(uintptr_t gicd, uintptr_t bsp_redistributor)
{
	const char *missing = its_setup(gicd, bsp_redistributor);

	if (missing) {
		println("interrupts: %s", missing);
		return;
	}
	println("interrupts: GICv3 ITS at 0x%llx from %s, %u LPIs (INTIDs %u-%u) for MSI-X, DeviceIDs below %u, %s",
		(unsigned long long)its.phys, board_devices()->its_source, IRQ_MSI_LINES,
		LPI_FIRST, LPI_FIRST + IRQ_MSI_LINES - 1, its.device_limit,
		its.coherent ? "tables cached and snooped" : "tables non-cacheable");
}

/* An AP that cannot take LPIs (or comes when MSIs are not available) is
 * simply never a target: its collection stays unmapped. */
void its_start_ap(uintptr_t gicr, unsigned cpu)
{
	_Static_assert(CPU_STRUCTS <= 64, "its: a CPU set fits a word");
	if (!its.ready || cpu >= CPU_STRUCTS || !redistributor_enable_lpis(gicr))
		return;
	arch_irqflags_t flags = spin_lock_irqsave(&its_lock);
	map_collection(cpu, rdbase_of(gicr));
	run_commands();
	spin_unlock_irqrestore(&its_lock, flags);
}

/* ------------------------------------------------------ slot mapping */

static struct its_device *find_device(uint32_t id)
{
	for (unsigned i = 0; i < IRQ_MSI_LINES; i++) {
		if (its.devices[i].mapped && its.devices[i].id == id)
			return &its.devices[i];
	}
	return NULL;
}

static uint64_t itt_of(const struct its_device *d)
{
	return its.itts_phys + (uint64_t)(d - its.devices) * its.itt_stride;
}

/* Maps `id` to a free ITT (queued, not yet run); NULL if all are taken. */
static struct its_device *map_device(uint32_t id)
{
	for (unsigned i = 0; i < IRQ_MSI_LINES; i++) {
		struct its_device *d = &its.devices[i];
		if (d->mapped)
			continue;
		uint8_t *itt = its.itts + i * its.itt_stride;
		memset(itt, 0, its.itt_stride);
		publish(itt, its.itt_stride);
		*d = (struct its_device){ .mapped = true, .id = id };
		queue_mapd(id, itt_of(d), true);
		return d;
	}
	return NULL;
}

static void set_lpi_enabled(unsigned slot, bool enabled)
{
	its.lpi_config[slot] = LPI_PRIORITY | LPI_CONFIG_RES1 | (enabled ? LPI_CONFIG_ENABLED : 0);
	publish(&its.lpi_config[slot], 1);
}

/* Slot `slot`'s event no longer translates: its LPI disabled, the mapping
 * discarded (which clears a pending LPI too), the device unmapped with its
 * last event. */
static void unmap_slot(unsigned slot)
{
	struct its_device *d = &its.devices[its.slot_device[slot]];

	set_lpi_enabled(slot, false);
	queue_event(CMD_INV, d->id, slot);
	queue_event(CMD_DISCARD, d->id, slot);
	d->events &= ~(1ull << slot);
	its.slot_device[slot] = NO_DEVICE;
	if (!d->events) {
		queue_mapd(d->id, 0, false);
		d->mapped = false;
	}
	run_commands();
}

bool arch_msi_compose(unsigned slot, struct pci_address requester, struct msi_message *out)
{
	uint32_t id = requester_id(requester);

	if (!its.ready || slot >= IRQ_MSI_LINES || id >= its.device_limit)
		return false;
	arch_irqflags_t flags = spin_lock_irqsave(&its_lock);
	if (its.slot_device[slot] != NO_DEVICE)
		unmap_slot(slot); /* composed again unreleased: MAPTI must not remap an event */
	struct its_device *d = find_device(id);
	if (!d)
		d = map_device(id);
	if (!d) {
		spin_unlock_irqrestore(&its_lock, flags);
		return false;
	}
	queue_mapti(id, slot, LPI_FIRST + slot);
	set_lpi_enabled(slot, true);
	queue_event(CMD_INV, id, slot);
	run_commands();
	d->events |= 1ull << slot;
	its.slot_device[slot] = (uint8_t)(d - its.devices);
	spin_unlock_irqrestore(&its_lock, flags);
	out->address = its.phys + GITS_TRANSLATER;
	out->data = slot;
	return true;
}

/* MOVI takes the event, and an LPI pending for it, to the new collection;
 * the SYNC on the new redistributor sees the move through there. */
bool arch_msi_retarget(unsigned slot, unsigned cpu, struct msi_message *out)
{
	bool moved = false;

	if (!its.ready || slot >= IRQ_MSI_LINES || cpu >= CPU_STRUCTS)
		return false;
	arch_irqflags_t flags = spin_lock_irqsave(&its_lock);
	uint8_t holder = its.slot_device[slot];
	if (holder != NO_DEVICE && (its.cpus >> cpu & 1)) {
		queue_command(CMD_MOVI | (uint64_t)its.devices[holder].id << 32, slot, cpu);
		queue_command(CMD_SYNC, 0, its.cpu_rdbase[cpu]);
		run_commands();
		moved = true;
	}
	spin_unlock_irqrestore(&its_lock, flags);
	if (moved)
		*out = (struct msi_message){ .address = its.phys + GITS_TRANSLATER, .data = slot };
	return moved;
}

void arch_msi_release(unsigned slot, struct pci_address requester)
{
	if (!its.ready || slot >= IRQ_MSI_LINES)
		return;
	arch_irqflags_t flags = spin_lock_irqsave(&its_lock);
	uint8_t holder = its.slot_device[slot];
	if (holder != NO_DEVICE && its.devices[holder].id == requester_id(requester))
		unmap_slot(slot);
	spin_unlock_irqrestore(&its_lock, flags);
}
