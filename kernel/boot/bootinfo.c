/*
 * bootinfo: the kernel's first description of the machine it woke up on.
 *
 * Prints the memory map as a table and the modules the loader handed over.
 * Only reads the Limine responses; allocates nothing.
 */
#include <boot.h>

#include <printk.h>
#include <stddef.h>

static const char *memmap_type_name(uint64_t type)
{
	static const char *const names[LIMINE_MEMMAP_TYPE_COUNT] = {
		[LIMINE_MEMMAP_USABLE] = "usable",
		[LIMINE_MEMMAP_RESERVED] = "reserved",
		[LIMINE_MEMMAP_ACPI_RECLAIMABLE] = "acpi-reclaimable",
		[LIMINE_MEMMAP_ACPI_NVS] = "acpi-nvs",
		[LIMINE_MEMMAP_BAD_MEMORY] = "bad-memory",
		[LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE] = "bootloader-reclaimable",
		[LIMINE_MEMMAP_KERNEL_AND_MODULES] = "kernel-and-modules",
		[LIMINE_MEMMAP_FRAMEBUFFER] = "framebuffer",
	};

	return type < LIMINE_MEMMAP_TYPE_COUNT ? names[type] : "unknown";
}

/* Types that are RAM (as opposed to reserved ranges and MMIO windows). */
static bool memmap_type_is_ram(uint64_t type)
{
	switch (type) {
	case LIMINE_MEMMAP_USABLE:
	case LIMINE_MEMMAP_ACPI_RECLAIMABLE:
	case LIMINE_MEMMAP_ACPI_NVS:
	case LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE:
	case LIMINE_MEMMAP_KERNEL_AND_MODULES:
		return true;
	default:
		return false;
	}
}

void boot_print_memmap(void)
{
	const struct limine_memmap_response *map = boot_memmap();
	uint64_t usable = 0, ram = 0;

	println("memmap: %llu entries", (unsigned long long)map->entry_count);
	println("  %-18s %-18s %s", "base", "length", "type");
	for (uint64_t i = 0; i < map->entry_count; i++) {
		const struct limine_memmap_entry *e = map->entries[i];

		println("  0x%016llx 0x%016llx %s", (unsigned long long)e->base,
			(unsigned long long)e->length, memmap_type_name(e->type));
		if (e->type == LIMINE_MEMMAP_USABLE)
			usable += e->length;
		if (memmap_type_is_ram(e->type))
			ram += e->length;
	}
	println("memmap: %llu MiB usable of %llu MiB", (unsigned long long)(usable >> 20),
		(unsigned long long)(ram >> 20));
}

void boot_print_modules(void)
{
	const struct limine_module_response *mods = boot_modules();
	uint64_t count = mods ? mods->module_count : 0;

	println("modules: %llu", (unsigned long long)count);
	for (uint64_t i = 0; i < count; i++) {
		const struct limine_file *f = mods->modules[i];

		println("  %s %llu bytes \"%s\"", f->path, (unsigned long long)f->size,
			f->cmdline ? f->cmdline : "");
	}
}

