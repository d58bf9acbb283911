/*
 * main: efi_main(), the loader's story from firmware to kernel.
 *
 * cambios-boot implements the Limine boot protocol (base revision 2) for the
 * features CambiOS uses, so the same kernel and the same disk image boot
 * with genuine Limine or with this loader. Every step below either succeeds
 * or stops the machine with a one-line "cambios-boot: error: ..." message
 * on the screen and the serial port: a boot never fails silently.
 */
#include "loader.h"

#include <kstring.h>

#include "alloc.h"
#include "arch.h"
#include "console.h"
#include "fs.h"
#include "memmap.h"
#include "uefi.h"

#define PAGE_SIZE 4096ULL
#define EXIT_RETRIES 128

static struct loader the_loader;

static const char *const config_paths[] = {
	"/limine.conf", "/limine/limine.conf", "/boot/limine.conf",
	"/boot/limine/limine.conf", "/EFI/BOOT/limine.conf",
};

/* The loader's own image holds the GDT and hand-off data the kernel starts
 * with; it must stay bootloader-reclaimable, whatever type the firmware
 * gave it. */
static void keep_loader_image(void)
{
	static const struct efi_guid loaded_image_guid = EFI_LOADED_IMAGE_GUID;
	struct efi_loaded_image *image;

	if (EFI_IS_ERROR(uefi_boot_services->handle_protocol(uefi_image, &loaded_image_guid,
							      (void **)&image)))
		console_fatal("cannot inspect the loader's own image");
	uint64_t base = (uint64_t)(uintptr_t)image->image_base & ~(PAGE_SIZE - 1);
	uint64_t end = ((uint64_t)(uintptr_t)image->image_base + image->image_size + PAGE_SIZE - 1) &
		       ~(PAGE_SIZE - 1);
	if (alloc_add_overlay(base, end - base, LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE) != 0)
		console_fatal("too many memory overlays");
}

static void load_config(struct loader *l)
{
	char error[CONF_ERROR_MAX];
	uint64_t phys = 0, size = 0;
	const char *found = NULL;

	for (unsigned i = 0; i < sizeof(config_paths) / sizeof(config_paths[0]) && !found; i++) {
		if (fs_read_file(config_paths[i], LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE, &phys,
				 &size) == FS_OK)
			found = config_paths[i];
	}
	if (!found)
		console_fatal("no limine.conf found (looked in /, /limine, /boot, /boot/limine, /EFI/BOOT)");
	if (!conf_parse((const char *)(uintptr_t)phys, size, arch_conf_name, &l->conf, error))
		console_fatal("%s: %s", found, error);
	console_print("config %s: booting \"%s\"", found, l->conf.entry.title);
}

static void read_kernel(struct loader *l)
{
	char error[CONF_ERROR_MAX];
	const char *uri = l->conf.entry.kernel_path;
	enum fs_result r;

	l->kernel.uri = uri;
	l->kernel.cmdline = l->conf.entry.cmdline;
	if (!conf_resolve_path(uri, l->kernel.path, sizeof(l->kernel.path), error))
		console_fatal("kernel: %s", error);
	r = fs_read_file(l->kernel.path, LIMINE_MEMMAP_KERNEL_AND_MODULES, &l->kernel.phys,
			 &l->kernel.size);
	if (r != FS_OK)
		console_fatal("cannot open kernel %s: %s", uri, fs_result_name(r));
}

/* Copies the segments into one zeroed, physically contiguous block, as
 * Limine does: the segment at vaddr goes to phys_base + (vaddr - virt_base). */
static void load_kernel(struct loader *l)
{
	const uint8_t *file = (const uint8_t *)(uintptr_t)l->kernel.phys;
	const char *err = elf_check_kernel(file, l->kernel.size, arch_elf_machine, &l->plan);
	uint64_t span;

	if (err)
		console_fatal("kernel %s is not a valid ELF: %s", l->kernel.uri, err);
	span = l->plan.virt_end - l->plan.virt_base;
	l->kernel_phys = alloc_pages(span, l->plan.align, LIMINE_MEMMAP_KERNEL_AND_MODULES,
				     UINT64_MAX);
	if (!l->kernel_phys)
		console_fatal("out of memory for a %llu KiB kernel",
			      (unsigned long long)(span / 1024));
	for (unsigned i = 0; i < l->plan.segment_count; i++) {
		const struct elf_segment *s = &l->plan.segments[i];
		uint8_t *dst = (uint8_t *)(uintptr_t)(l->kernel_phys + (s->vaddr - l->plan.virt_base));

		memcpy(dst, file + s->offset, s->filesz);
	}
	arch_sync_code(l->kernel_phys, span);
	l->entry = l->plan.entry;
}

static void scan_requests(struct loader *l)
{
	void *image = (void *)(uintptr_t)l->kernel_phys;
	const char *err = requests_scan(image, l->plan.init_size, &l->requests);

	if (err)
		console_fatal("kernel %s: %s", l->kernel.uri, err);
	if (!requests_accept_base_revision(&l->requests))
		console_fatal("kernel %s asks for Limine base revision %llu; cambios-boot implements revision 2",
			      l->kernel.uri, (unsigned long long)l->requests.base_revision);
	l->mp_request = (void *)requests_find(&l->requests, LIMINE_MP_ID);
}

/* Sizes every buffer the memory map needs now: after ExitBootServices
 * nothing can be allocated. Each allocation here may itself add firmware
 * descriptors, hence the slack. */
static void prepare_memmap(struct loader *l)
{
	uint64_t size = 0, key, desc_size;
	uint32_t version;
	size_t overlays;

	uefi_boot_services->get_memory_map(&size, NULL, &key, &desc_size, &version);
	size_t firmware_max = size / desc_size + 64;
	alloc_overlays(&overlays);
	l->efi_desc_size = desc_size;
	l->efi_map_capacity = firmware_max * desc_size;
	l->memmap_capacity = memmap_capacity_needed(firmware_max, overlays);
	l->efi_map = (void *)(uintptr_t)alloc_pages(l->efi_map_capacity, PAGE_SIZE,
						    LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE, UINT64_MAX);
	l->firmware_ranges = alloc_arena(sizeof(struct mm_range) * firmware_max);
	l->memmap_entries = alloc_arena(sizeof(struct limine_memmap_entry) * l->memmap_capacity);
	l->memmap_pointers = alloc_arena(sizeof(void *) * l->memmap_capacity);
	l->memmap_response = alloc_arena(sizeof(*l->memmap_response));
	if (!l->efi_map || !l->firmware_ranges || !l->memmap_entries || !l->memmap_pointers ||
	    !l->memmap_response)
		console_fatal("out of memory for the memory map");
}

/* The firmware's map key changes with every allocation, so reading the map
 * and exiting must be back to back; on a stale key, read again and retry. */
static void exit_boot_services(struct loader *l)
{
	for (int attempt = 0; attempt < EXIT_RETRIES; attempt++) {
		uint64_t size = l->efi_map_capacity, key, desc_size;
		uint32_t version;

		if (EFI_IS_ERROR(uefi_boot_services->get_memory_map(&size, l->efi_map, &key,
								     &desc_size, &version)))
			continue;
		if (!EFI_IS_ERROR(uefi_boot_services->exit_boot_services(uefi_image, key))) {
			l->efi_map_size = size;
			l->efi_desc_size = desc_size;
			uefi_boot_services = NULL;
			arch_interrupts_off();
			return;
		}
	}
	console_fatal("ExitBootServices failed %d times", EXIT_RETRIES);
}

static void finish_memmap(struct loader *l)
{
	size_t firmware_count = 0, overlay_count;
	const struct mm_range *overlays = alloc_overlays(&overlay_count);

	for (uint64_t off = 0; off + l->efi_desc_size <= l->efi_map_size; off += l->efi_desc_size) {
		const struct efi_memory_descriptor *d = (void *)((uint8_t *)l->efi_map + off);

		l->firmware_ranges[firmware_count++] = (struct mm_range){
			d->physical_start, d->number_of_pages * PAGE_SIZE,
			memmap_type_from_efi(d->type) };
	}
	size_t n = memmap_build(l->firmware_ranges, firmware_count, overlays, overlay_count,
				l->memmap_entries, l->memmap_capacity);
	if (n == 0)
		console_fatal("memory map does not fit its buffer");
	for (size_t i = 0; i < n; i++)
		l->memmap_pointers[i] = loader_hhdm_ptr(l, &l->memmap_entries[i]);
	l->memmap_response->entry_count = n;
	l->memmap_response->entries = loader_hhdm_ptr(l, l->memmap_pointers);

	struct limine_request_header *req = requests_find(&l->requests, LIMINE_MEMMAP_ID);
	if (req)
		req->response = loader_hhdm_ptr(l, l->memmap_response);
}

efi_status efi_main(efi_handle image, struct efi_system_table *system_table);

efi_status efi_main(efi_handle image, struct efi_system_table *system_table)
{
	struct loader *l = &the_loader;

	uefi_image = image;
	uefi_system_table = system_table;
	uefi_boot_services = system_table->boot_services;
	uefi_boot_services->set_watchdog_timer(0, 0, 0, NULL); /* no 5-minute reset */
	console_print("%s %s (%s), Limine protocol base revision 2", LOADER_NAME, LOADER_VERSION,
		      arch_conf_name);

	keep_loader_image();
	if (!fs_open_boot_volume())
		console_fatal("cannot open the boot volume's file system");
	load_config(l);        /* which kernel, which modules */
	read_kernel(l);        /* the file, into kernel-and-modules memory */
	load_kernel(l);        /* checked, then copied segment by segment */
	scan_requests(l);      /* what the kernel asks of us */
	l->hhdm = arch_hhdm_base;
	address_space_build(l); /* kernel + HHDM + identity tables */
	responses_answer(l);   /* everything but the memory map and MP */
	arch_mp_prepare(l);    /* CPUs found, trampoline and stacks ready */
	prepare_memmap(l);     /* the last allocations */
	exit_boot_services(l); /* the firmware steps aside */
	finish_memmap(l);      /* the map as it is now, final */
	arch_mp_start(l);      /* APs parked on the kernel's tables */
	console_print("entering kernel at 0x%llx", (unsigned long long)l->entry);
	arch_enter_kernel(l);
}
