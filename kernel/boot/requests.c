/*
 * requests: the questions the kernel asks its bootloader.
 *
 * Limine (and cambios-boot) find these by scanning the kernel's initialised
 * data between the start and end markers, which the linker script keeps in
 * this order inside .data. They are volatile because the loader writes the
 * response pointers behind the compiler's back; without it the compiler
 * could fold every `response` to the NULL it was initialised with.
 */
#include <boot.h>

#include <stddef.h>

#define REQUEST __attribute__((used, section(".limine_requests")))

__attribute__((used, section(".limine_requests_start")))
static volatile uint64_t requests_start[] = LIMINE_REQUESTS_START_MARKER;

REQUEST static volatile uint64_t base_revision[3] = LIMINE_BASE_REVISION(2);

REQUEST static volatile struct limine_bootloader_info_request bootloader_info_request = {
	.id = LIMINE_ID(LIMINE_BOOTLOADER_INFO_ID),
};

REQUEST static volatile struct limine_hhdm_request hhdm_request = {
	.id = LIMINE_ID(LIMINE_HHDM_ID),
};

REQUEST static volatile struct limine_memmap_request memmap_request = {
	.id = LIMINE_ID(LIMINE_MEMMAP_ID),
};

REQUEST static volatile struct limine_module_request module_request = {
	.id = LIMINE_ID(LIMINE_MODULE_ID),
};

REQUEST static volatile struct limine_kernel_file_request kernel_file_request = {
	.id = LIMINE_ID(LIMINE_KERNEL_FILE_ID),
};

/* flags 0: keep the xAPIC; x2APIC is a later chapter's choice. */
REQUEST static volatile struct limine_mp_request mp_request = {
	.id = LIMINE_ID(LIMINE_MP_ID),
	.flags = 0,
};

/* 256 KiB boot stack: kmain and, later, the idle task live on it. */
REQUEST static volatile struct limine_stack_size_request stack_size_request = {
	.id = LIMINE_ID(LIMINE_STACK_SIZE_ID),
	.stack_size = 256 * 1024,
};

/* The firmware's descriptions of the machine (firmware.c reads them):
 * answered by Limine and cambios-boot alike, each only when the firmware
 * has one. */
REQUEST static volatile struct limine_rsdp_request rsdp_request = {
	.id = LIMINE_ID(LIMINE_RSDP_ID),
};

REQUEST static volatile struct limine_dtb_request dtb_request = {
	.id = LIMINE_ID(LIMINE_DTB_ID),
};

__attribute__((used, section(".limine_requests_end")))
static volatile uint64_t requests_end[] = LIMINE_REQUESTS_END_MARKER;

bool boot_base_revision_supported(void)
{
	return base_revision[2] == 0;
}

const struct limine_bootloader_info_response *boot_bootloader_info(void)
{
	return bootloader_info_request.response;
}

const struct limine_hhdm_response *boot_hhdm(void)
{
	return hhdm_request.response;
}

const struct limine_memmap_response *boot_memmap(void)
{
	return memmap_request.response;
}

const struct limine_module_response *boot_modules(void)
{
	return module_request.response;
}

const char *boot_cmdline(void)
{
	const struct limine_kernel_file_response *r = kernel_file_request.response;

	return r && r->kernel_file ? r->kernel_file->cmdline : NULL;
}

struct limine_mp_response *boot_mp(void)
{
	return mp_request.response;
}

const struct limine_rsdp_response *boot_rsdp(void)
{
	return rsdp_request.response;
}

const struct limine_dtb_response *boot_dtb(void)
{
	return dtb_request.response;
}
