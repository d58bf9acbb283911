/*
 * responses: answering the kernel's Limine requests.
 *
 * One function per feature. Each allocates its response in the
 * bootloader-reclaimable arena, fills it, and stores the response's HHDM
 * address into the request (protocol rule for base revision 2: every
 * pointer handed over is an HHDM address). A request this loader does not
 * know keeps its NULL response. The memory map and MP responses are
 * completed after ExitBootServices (main.c and the arch MP code).
 */
#include "loader.h"

#include <kstring.h>

#include "alloc.h"
#include "console.h"
#include "fs.h"
#include "uefi.h"

#define PAGE_SIZE 4096ULL

static void *new_response(uint64_t size, uint64_t revision)
{
	struct limine_response_header *r = alloc_arena(size);

	if (!r)
		console_fatal("out of memory for boot responses");
	r->revision = revision;
	return r;
}

static void publish(struct loader *l, struct limine_request_header *req, void *response)
{
	req->response = loader_hhdm_ptr(l, response);
}

static char *hhdm_string(struct loader *l, const char *s)
{
	char *copy = alloc_arena_string(s);

	if (!copy)
		console_fatal("out of memory for boot responses");
	return loader_hhdm_ptr(l, copy);
}

static struct limine_request_header *find(struct loader *l, uint64_t id2, uint64_t id3)
{
	return requests_find(&l->requests, id2, id3);
}

#define find(l, feature) find((l), feature)

static void answer_bootloader_info(struct loader *l)
{
	struct limine_request_header *req = find(l, LIMINE_BOOTLOADER_INFO_ID);
	struct limine_bootloader_info_response *r;

	if (!req)
		return;
	r = new_response(sizeof(*r), 0);
	r->name = hhdm_string(l, LOADER_NAME);
	r->version = hhdm_string(l, LOADER_VERSION);
	publish(l, req, r);
}

static void answer_firmware_type(struct loader *l)
{
	struct limine_request_header *req = find(l, LIMINE_FIRMWARE_TYPE_ID);
	struct limine_firmware_type_response *r;

	if (!req)
		return;
	r = new_response(sizeof(*r), 0);
	r->firmware_type = LIMINE_FIRMWARE_UEFI64;
	publish(l, req, r);
}

/* The stack exists whether or not the kernel asked about its size. */
static void answer_stack_size(struct loader *l)
{
	struct limine_stack_size_request *req = (void *)find(l, LIMINE_STACK_SIZE_ID);
	uint64_t phys;

	l->stack_size = LOADER_MIN_STACK;
	if (req && req->stack_size > l->stack_size)
		l->stack_size = (req->stack_size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	phys = alloc_pages(l->stack_size, PAGE_SIZE, LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE,
			   UINT64_MAX);
	if (!phys)
		console_fatal("out of memory for a %llu KiB kernel stack",
			      (unsigned long long)(l->stack_size / 1024));
	l->stack_top = loader_hhdm(l, phys + l->stack_size);
	if (req)
		publish(l, (void *)req, new_response(sizeof(struct limine_stack_size_response), 0));
}

static void answer_hhdm(struct loader *l)
{
	struct limine_request_header *req = find(l, LIMINE_HHDM_ID);
	struct limine_hhdm_response *r;

	if (!req)
		return;
	r = new_response(sizeof(*r), 0);
	r->offset = l->hhdm;
	publish(l, req, r);
}

/* This loader only builds 4-level tables; a kernel that insists on 5-level
 * paging cannot be booted. */
static void answer_paging_mode(struct loader *l)
{
	struct limine_paging_mode_request *req = (void *)find(l, LIMINE_PAGING_MODE_ID);
	struct limine_paging_mode_response *r;

	if (!req)
		return;
	if (req->revision >= 1 && req->min_mode > LIMINE_PAGING_MODE_4LVL)
		console_fatal("the kernel requires 5-level paging, which cambios-boot does not provide");
	r = new_response(sizeof(*r), 0);
	r->mode = LIMINE_PAGING_MODE_4LVL;
	publish(l, (void *)req, r);
}

static void answer_entry_point(struct loader *l)
{
	struct limine_entry_point_request *req = (void *)find(l, LIMINE_ENTRY_POINT_ID);

	if (!req)
		return;
	l->entry = (uint64_t)(uintptr_t)req->entry;
	publish(l, (void *)req, new_response(sizeof(struct limine_entry_point_response), 0));
}

static struct limine_file *describe_file(struct loader *l, const struct loaded_file *f)
{
	struct limine_file *file = alloc_arena(sizeof(*file));

	if (!file)
		console_fatal("out of memory for boot responses");
	file->revision = 0;
	file->address = (void *)(uintptr_t)loader_hhdm(l, f->phys);
	file->size = f->size;
	file->path = hhdm_string(l, f->path);
	file->cmdline = hhdm_string(l, f->cmdline ? f->cmdline : "");
	file->media_type = LIMINE_MEDIA_TYPE_GENERIC;
	return loader_hhdm_ptr(l, file);
}

static void answer_kernel_file(struct loader *l)
{
	struct limine_request_header *req = find(l, LIMINE_KERNEL_FILE_ID);
	struct limine_kernel_file_response *r;

	if (!req)
		return;
	r = new_response(sizeof(*r), 0);
	r->kernel_file = describe_file(l, &l->kernel);
	publish(l, req, r);
}

static void load_module(const struct conf_module *m, struct loaded_file *out)
{
	char error[CONF_ERROR_MAX];
	enum fs_result result;

	out->uri = m->path;
	out->cmdline = m->cmdline;
	if (!conf_resolve_path(m->path, out->path, sizeof(out->path), error))
		console_fatal("module: %s", error);
	result = fs_read_file(out->path, LIMINE_MEMMAP_KERNEL_AND_MODULES, &out->phys, &out->size);
	if (result != FS_OK)
		console_fatal("cannot open module %s: %s", m->path, fs_result_name(result));
}

/* Modules are loaded whether or not the kernel asked: a missing module is a
 * configuration error the user must hear about either way. */
static void answer_modules(struct loader *l)
{
	struct limine_request_header *req = find(l, LIMINE_MODULE_ID);
	const struct conf_entry *e = &l->conf.entry;
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	struct limine_file **list = alloc_arena(sizeof(*list) * (e->module_count + 1));
	struct limine_module_response *r;

	if (!list)
		console_fatal("out of memory for boot responses");
	for (unsigned i = 0; i < e->module_count; i++) {
		struct loaded_file f = { 0 };

		load_module(&e->modules[i], &f);
		list[i] = describe_file(l, &f);
	}
	if (!req || e->module_count == 0)
		return; /* protocol: no response when there are no modules */
	r = new_response(sizeof(*r), 1);
	r->module_count = e->module_count;
	r->modules = loader_hhdm_ptr(l, list);
	publish(l, req, r);
}

static void answer_rsdp(struct loader *l)
{
	struct limine_request_header *req = find(l, LIMINE_RSDP_ID);
	const void *rsdp = uefi_find_rsdp();
	struct limine_rsdp_response *r;

	if (!req || !rsdp)
		return;
	r = new_response(sizeof(*r), 0);
	r->address = loader_hhdm_ptr(l, rsdp);
	publish(l, req, r);
}

static void answer_kernel_address(struct loader *l)
{
	struct limine_request_header *req = find(l, LIMINE_KERNEL_ADDRESS_ID);
	struct limine_kernel_address_response *r;

	if (!req)
		return;
	r = new_response(sizeof(*r), 0);
	r->physical_base = l->kernel_phys;
	r->virtual_base = l->plan.virt_base;
	publish(l, req, r);
}

/* The firmware's device tree, copied into reclaimable memory (the firmware's
 * copy lives in boot-services memory that the kernel may reuse). */
static void answer_dtb(struct loader *l)
{
	struct limine_request_header *req = find(l, LIMINE_DTB_ID);
	uint32_t size;
	const void *dtb = uefi_find_dtb(&size);
	struct limine_dtb_response *r;

	if (!req || !dtb)
		return;
	uint64_t copy = alloc_pages(size, PAGE_SIZE, LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE,
				    UINT64_MAX);
	if (!copy)
		console_fatal("out of memory for the device tree");
	memcpy((void *)(uintptr_t)copy, dtb, size);
	r = new_response(sizeof(*r), 0);
	r->dtb_ptr = (void *)(uintptr_t)loader_hhdm(l, copy);
	publish(l, req, r);
}

static unsigned mask_shift(uint32_t mask)
{
	unsigned s = 0;

	while (mask && !(mask & 1)) {
		mask >>= 1;
		s++;
	}
	return s;
}

static unsigned mask_size(uint32_t mask)
{
	unsigned n = 0;

	for (mask >>= mask_shift(mask); mask & 1; mask >>= 1)
		n++;
	return n;
}

static bool describe_pixels(const struct efi_gop_mode_info *info, struct limine_framebuffer *fb)
{
	struct efi_gop_pixel_bitmask m = info->pixel_information;

	switch (info->pixel_format) {
	case EFI_PIXEL_RGBX_8BPC:
		m = (struct efi_gop_pixel_bitmask){ 0xff, 0xff00, 0xff0000, 0xff000000 };
		break;
	case EFI_PIXEL_BGRX_8BPC:
		m = (struct efi_gop_pixel_bitmask){ 0xff0000, 0xff00, 0xff, 0xff000000 };
		break;
	case EFI_PIXEL_BIT_MASK:
		break;
	default:
		return false; /* BltOnly: no linear framebuffer */
	}
	uint32_t all = m.red | m.green | m.blue | m.reserved;
	fb->bpp = (uint16_t)(32 - __builtin_clz(all ? all : 1));
	fb->bpp = fb->bpp <= 16 ? 16 : fb->bpp <= 24 ? 24 : 32;
	fb->memory_model = LIMINE_FRAMEBUFFER_RGB;
	fb->red_mask_size = (uint8_t)mask_size(m.red);
	fb->red_mask_shift = (uint8_t)mask_shift(m.red);
	fb->green_mask_size = (uint8_t)mask_size(m.green);
	fb->green_mask_shift = (uint8_t)mask_shift(m.green);
	fb->blue_mask_size = (uint8_t)mask_size(m.blue);
	fb->blue_mask_shift = (uint8_t)mask_shift(m.blue);
	return true;
}

static void answer_framebuffer(struct loader *l)
{
	static const struct efi_guid gop_guid = EFI_GOP_GUID;
	struct limine_request_header *req = find(l, LIMINE_FRAMEBUFFER_ID);
	struct efi_graphics_output *gop;
	struct limine_framebuffer *fb;

	if (!req || EFI_IS_ERROR(uefi_boot_services->locate_protocol(&gop_guid, NULL, (void **)&gop)))
		return;
	const struct efi_gop_mode *mode = gop->mode;
	fb = alloc_arena(sizeof(*fb));
	if (!fb || !describe_pixels(mode->info, fb))
		return;
	fb->width = mode->info->horizontal_resolution;
	fb->height = mode->info->vertical_resolution;
	fb->pitch = (uint64_t)mode->info->pixels_per_scan_line * (fb->bpp / 8);
	fb->address = (void *)(uintptr_t)loader_hhdm(l, mode->frame_buffer_base);
	address_space_cover(l, mode->frame_buffer_base, mode->frame_buffer_size);
	if (alloc_add_overlay(mode->frame_buffer_base, mode->frame_buffer_size,
			      LIMINE_MEMMAP_FRAMEBUFFER) != 0)
		console_fatal("too many memory overlays");

	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	struct limine_framebuffer **list = alloc_arena(sizeof(*list));
	struct limine_framebuffer_response *r = new_response(sizeof(*r), 1);
	if (!list)
		console_fatal("out of memory for boot responses");
	list[0] = loader_hhdm_ptr(l, fb);
	r->framebuffer_count = 1;
	r->framebuffers = loader_hhdm_ptr(l, list);
	publish(l, req, r);
}

void responses_answer(struct loader *l)
{
	answer_bootloader_info(l);
	answer_firmware_type(l);
	answer_stack_size(l);
	answer_hhdm(l);
	answer_paging_mode(l);
	answer_entry_point(l);
	answer_kernel_file(l);
	answer_modules(l);
	answer_rsdp(l);
	answer_kernel_address(l);
	answer_dtb(l);
	answer_framebuffer(l);
}

void responses_publish_mp(struct loader *l, struct limine_mp_response *response,
			  struct limine_mp_info **cpus, uint64_t ready)
{
	uint64_t listed = response->cpu_count;

	response->cpu_count = ready;
	response->cpus = loader_hhdm_ptr(l, cpus);
	l->mp_request->response = loader_hhdm_ptr(l, response);
	console_print("mp: %llu/%llu CPUs ready", (unsigned long long)ready,
		      (unsigned long long)listed);
}
