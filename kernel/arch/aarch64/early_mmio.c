/*
 * early_mmio: map device registers before anything else can run.
 *
 * Limine's HHDM on AArch64 maps physical memory as Normal cacheable memory,
 * which is wrong for device registers (writes may be merged, reordered or
 * never leave the cache). So before the console exists we remap the PL011
 * at its HHDM address as Device-nGnRE, in the live TTBR1 tables -- at QEMU
 * virt's documented address, because the firmware's tables are read only
 * later, once the console can report what they say. devices.c then maps
 * the GIC (and the UART, if the firmware puts it elsewhere) the same way,
 * still before the frame allocator exists.
 *
 * The bootstrap paradox: new page-table pages are needed, but there is no
 * frame allocator yet. They come from a small pool in .bss; the physical
 * address the MMU needs is found by walking the current tables for the
 * pool's virtual address, exactly as the hardware would.
 *
 * A leaf that already maps the range as a block (Limine uses 1 GiB blocks
 * for the HHDM) is split into a table of smaller entries with the same
 * attributes, so the rest of that gigabyte keeps its mapping. Changing a
 * live entry follows break-before-make: invalidate, flush the TLBs, write.
 */
#include <arch.h>
#include <hhdm.h>
#include <pagetable.h>
#include <stddef.h>

#include "mmio.h"
#include "sysreg.h"

#define PAGE_SIZE 4096ULL
#define ENTRIES_PER_TABLE 512
#define BOOTSTRAP_TABLES 8

#define DESC_VALID (1ULL << 0)
#define DESC_TABLE (1ULL << 1)   /* at levels 0-2: table; at level 3: page */
#define DESC_AF (1ULL << 10)
#define DESC_PXN (1ULL << 53)
#define DESC_UXN (1ULL << 54)
#define DESC_ATTR_INDEX(i) ((uint64_t)(i) << 2)
#define DESC_ADDR_MASK 0x0000fffffffff000ULL
#define DESC_ATTR_MASK (~DESC_ADDR_MASK & ~(DESC_VALID | DESC_TABLE))
#define TTBR_BADDR_MASK 0x0000fffffffffffeULL

/* MAIR slot for device registers. Slots 0 (normal memory) and 1
 * (framebuffer) are the loader's and stay as they are. */
#define MAIR_DEVICE_INDEX 2
#define MAIR_DEVICE_nGnRE 0x04ULL

typedef uint64_t pte_t;

static pte_t bootstrap_tables[BOOTSTRAP_TABLES][ENTRIES_PER_TABLE]
	__attribute__((aligned(PAGE_SIZE)));
static unsigned bootstrap_tables_used;

static unsigned level_shift(int level)
{
	return 39 - 9 * (unsigned)level;
}

static unsigned table_index(uint64_t va, int level)
{
	return (va >> level_shift(level)) & (ENTRIES_PER_TABLE - 1);
}

static pte_t *table_at(uint64_t phys)
{
	return phys_to_virt(phys);
}

/* Software walk of TTBR1 (the kernel half): the physical address `va` maps
 * to, or 0 if unmapped. Handles blocks at levels 1 and 2. */
static uint64_t walk_virt_to_phys(uint64_t va)
{
	pte_t *table = table_at(read_ttbr1_el1() & TTBR_BADDR_MASK);

	for (int level = 0; level <= 3; level++) {
		pte_t e = table[table_index(va, level)];
		uint64_t span = 1ULL << level_shift(level);

		if (!(e & DESC_VALID))
			return 0;
		if (level == 3 || !(e & DESC_TABLE))
			return (e & DESC_ADDR_MASK & ~(span - 1)) | (va & (span - 1));
		table = table_at(e & DESC_ADDR_MASK);
	}
	return 0;
}

/* A zeroed table page from the .bss pool, with its physical address. */
static pte_t *bootstrap_table_alloc(uint64_t *phys)
{
	if (bootstrap_tables_used == BOOTSTRAP_TABLES)
		return NULL;
	pte_t *t = bootstrap_tables[bootstrap_tables_used++];
	*phys = walk_virt_to_phys((uint64_t)(uintptr_t)t);
	return *phys ? t : NULL;
}

/* Replaces a live entry: break, flush, make. */
static void entry_replace(pte_t *entry, pte_t value)
{
	*entry = 0;
	tlb_flush_all_is();
	*entry = value;
	tlb_flush_all_is();
}

/* Builds a table of level+1 entries reproducing the block `block` at
 * `level`, and puts it in place of the block. */
static bool split_block(pte_t *entry, int level)
{
	uint64_t phys;
	pte_t *table = bootstrap_table_alloc(&phys);
	pte_t block = *entry;
	uint64_t child_span = 1ULL << level_shift(level + 1);
	pte_t child_type = level + 1 == 3 ? (DESC_VALID | DESC_TABLE) : DESC_VALID;

	if (!table)
		return false;
	for (unsigned i = 0; i < ENTRIES_PER_TABLE; i++)
		table[i] = ((block & DESC_ADDR_MASK) + i * child_span) |
			   (block & DESC_ATTR_MASK) | child_type;
	dsb_ishst();
	entry_replace(entry, phys | DESC_VALID | DESC_TABLE);
	return true;
}

/* The level-3 entry for `va`, creating or splitting tables on the way. */
static pte_t *walk_create(uint64_t va)
{
	pte_t *table = table_at(read_ttbr1_el1() & TTBR_BADDR_MASK);

	for (int level = 0; level < 3; level++) {
		pte_t *entry = &table[table_index(va, level)];

		if (!(*entry & DESC_VALID)) {
			uint64_t phys;
			if (!bootstrap_table_alloc(&phys))
				return NULL;
			*entry = phys | DESC_VALID | DESC_TABLE;
			dsb_ishst();
		} else if (!(*entry & DESC_TABLE) && !split_block(entry, level)) {
			return NULL;
		}
		table = table_at(*entry & DESC_ADDR_MASK);
	}
	return &table[table_index(va, 3)];
}

/* The range is widened to whole pages; one the tables cannot hold (past
 * the 48-bit output addresses) is refused. */
bool mmio_map_device(uint64_t phys, uint64_t size)
{
	if (size == 0 || phys > DESC_ADDR_MASK || size > DESC_ADDR_MASK - phys)
		return false;
	uint64_t end = (phys + size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

	for (uint64_t page = phys & ~(PAGE_SIZE - 1); page < end; page += PAGE_SIZE) {
		pte_t *entry = walk_create((uint64_t)(uintptr_t)phys_to_virt(page));

		if (!entry)
			return false;
		entry_replace(entry, page | DESC_VALID | DESC_TABLE | DESC_AF |
					     DESC_ATTR_INDEX(MAIR_DEVICE_INDEX) | DESC_PXN |
					     DESC_UXN);
	}
	return true;
}

/* User mappings of device registers (MapMmio) name the same slot. */
_Static_assert(MAIR_DEVICE_INDEX == PT_A64_MAIR_DEVICE, "pagetable.h's device slot");

void mmio_install_device_attributes(void)
{
	uint64_t mair = read_mair_el1();

	mair &= ~(0xffULL << (8 * MAIR_DEVICE_INDEX));
	mair |= MAIR_DEVICE_nGnRE << (8 * MAIR_DEVICE_INDEX);
	write_mair_el1(mair);
	isb();
}

/* No console exists yet, so failure cannot be reported; kmain halts. */
bool arch_early_map_mmio(void)
{
	if (hhdm_offset() == 0)
		return false;
	mmio_install_device_attributes();
	return mmio_map_device(VIRT_PL011_BASE, PL011_SIZE);
}
