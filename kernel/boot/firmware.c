/*
 * firmware: opening the ACPI tables and the device tree (see firmware.h).
 *
 * Both arrive as HHDM addresses in the Limine RSDP and DTB responses
 * (protocol base revision 2). The ACPI reader (lib/acpi.c) names tables by
 * physical address and reaches them through acpi_map below, which lets it
 * read only what the HHDM is known to map: physical 0..4 GiB always, and
 * above that the memory-map regions that are neither reserved nor bad, as
 * both Limine and cambios-boot build it. A firmware pointer anywhere else
 * is refused instead of faulting the kernel. The device tree is the
 * bootloader's copy of exactly `totalsize` bytes in reclaimable memory,
 * which the kernel leaves alone, so its header's size bounds every read.
 */
#include <firmware.h>

#include <boot.h>
#include <hhdm.h>
#include <printk.h>

#define HHDM_ALWAYS_MAPPED (4ULL << 30)

static struct acpi acpi;
static bool have_acpi;
static struct fdt dt;
static bool have_dt;

/* Whether [phys, phys + length) lies inside one memory-map region the
 * HHDM covers. */
static bool in_mapped_region(uint64_t phys, uint64_t length)
{
	const struct limine_memmap_response *map = boot_memmap();

	for (uint64_t i = 0; map && i < map->entry_count; i++) {
		const struct limine_memmap_entry *e = map->entries[i];

		if (e->type == LIMINE_MEMMAP_RESERVED || e->type == LIMINE_MEMMAP_BAD_MEMORY)
			continue;
		if (phys >= e->base && length <= e->length && phys - e->base <= e->length - length)
			return true;
	}
	return false;
}

/* lib/acpi has checked that phys + length does not wrap. */
static const void *acpi_map(uint64_t phys, uint64_t length, void *ctx)
{
	(void)ctx;
	if (phys + length > HHDM_ALWAYS_MAPPED && !in_mapped_region(phys, length))
		return NULL;
	return phys_to_virt(phys);
}

static void open_acpi(void)
{
	const struct limine_rsdp_response *r = boot_rsdp();
	enum acpi_status s;

	if (!r || !r->address) {
		println("firmware: no ACPI tables");
		return;
	}
	s = acpi_open(&acpi, virt_to_phys_hhdm(r->address), acpi_map, NULL);
	if (s != ACPI_OK) {
		println("firmware: ACPI RSDP at 0x%llx unusable: %s",
			(unsigned long long)virt_to_phys_hhdm(r->address), acpi_status_name(s));
		return;
	}
	have_acpi = true;
	println("firmware: ACPI tables, revision %u, through the %s at 0x%llx", acpi.revision,
		acpi.xsdt ? "XSDT" : "RSDT",
		(unsigned long long)virt_to_phys_hhdm(acpi.root));
}

static void open_dt(void)
{
	const struct limine_dtb_response *r = boot_dtb();
	uint32_t size;

	if (!r || !r->dtb_ptr) {
		println("firmware: no device tree");
		return;
	}
	size = fdt_total_size(r->dtb_ptr);
	if (!fdt_open(&dt, r->dtb_ptr, size)) {
		println("firmware: the device tree at 0x%llx is unreadable",
			(unsigned long long)virt_to_phys_hhdm(r->dtb_ptr));
		return;
	}
	have_dt = true;
	println("firmware: device tree, %u bytes", size);
}

void firmware_init(void)
{
	open_acpi();
	open_dt();
}

const struct acpi *firmware_acpi(void)
{
	return have_acpi ? &acpi : NULL;
}

const struct fdt *firmware_dt(void)
{
	return have_dt ? &dt : NULL;
}
