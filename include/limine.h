/*
 * The Limine boot protocol, base revision 2: the subset CambiOS uses.
 *
 * This header is the contract between the kernel and whichever loader
 * boots it: genuine Limine 8.x or our own cambios-boot (boot/). Both sides
 * include it, so the kernel's requests and the loader's responses can never
 * disagree on a layout. Layouts are checked with _Static_assert at the end.
 *
 * Rules worth repeating (protocol, base revision 2):
 *  - A request is a struct whose first two id words are LIMINE_COMMON_MAGIC;
 *    the loader finds it by scanning the kernel's initialised data between
 *    the start and end markers, and writes `response` (an HHDM address).
 *  - A request the loader does not support keeps a NULL response.
 *  - Every pointer handed over is an HHDM virtual address, except
 *    kernel_address.physical_base and the kernel-written goto_address.
 */
#ifndef CAMBIOS_LIMINE_H
#define CAMBIOS_LIMINE_H

#include <stdint.h>

#define LIMINE_COMMON_MAGIC_0 0xc7b1dd30df4c8b88ULL
#define LIMINE_COMMON_MAGIC_1 0x0a82e883a194f07bULL
#define LIMINE_ID(...) { LIMINE_COMMON_MAGIC_0, LIMINE_COMMON_MAGIC_1, __VA_ARGS__ }

/* Base revision tag: {magic0, magic1, N}; a loader that supports N writes 0
 * into the third word. */
#define LIMINE_BASE_REVISION_MAGIC_0 0xf9562b2d5c95a6c8ULL
#define LIMINE_BASE_REVISION_MAGIC_1 0x6a7b384944536bdcULL
#define LIMINE_BASE_REVISION(n) \
	{ LIMINE_BASE_REVISION_MAGIC_0, LIMINE_BASE_REVISION_MAGIC_1, (n) }

/* Markers delimiting the request area. The last start marker and the first
 * end marker win. */
#define LIMINE_REQUESTS_START_MARKER                                       \
	{ 0xf6b8f4b39de7d1aeULL, 0xfab91a6940fcb9cfULL, 0x785c6ed015d3e316ULL, \
	  0x181e920a7852b9d9ULL }
#define LIMINE_REQUESTS_END_MARKER { 0xadc0e0531bb10d03ULL, 0x9572709f31764c62ULL }
#define LIMINE_REQUESTS_START_WORDS 4
#define LIMINE_REQUESTS_END_WORDS 2

/* Feature identifiers: id[2], id[3]. */
#define LIMINE_BOOTLOADER_INFO_ID 0xf55038d8e2a1202fULL, 0x279426fcf5f59740ULL
#define LIMINE_FIRMWARE_TYPE_ID   0x8c2f75d90bef28a8ULL, 0x7045a4688eac00c3ULL
#define LIMINE_STACK_SIZE_ID      0x224ef0460a8e8926ULL, 0xe1cb0fc25f46ea3dULL
#define LIMINE_HHDM_ID            0x48dcf1cb8ad2b852ULL, 0x63984e959a98244bULL
#define LIMINE_FRAMEBUFFER_ID     0x9d5827dcd881dd75ULL, 0xa3148604f6fab11bULL
#define LIMINE_PAGING_MODE_ID     0x95c1a0edab0944cbULL, 0xa4e5cb3842f7488aULL
#define LIMINE_MP_ID              0x95a67b819a1b857eULL, 0xa0b61b723b6a73e0ULL
#define LIMINE_MEMMAP_ID          0x67cf3d9d378a806fULL, 0xe304acdfc50c3c62ULL
#define LIMINE_ENTRY_POINT_ID     0x13d86c035a1cd3e1ULL, 0x2b0caa89d8f3026aULL
#define LIMINE_KERNEL_FILE_ID     0xad97e90e83f1ed67ULL, 0x31eb5d1c5ff23b69ULL
#define LIMINE_MODULE_ID          0x3e7e279702be32afULL, 0xca1c4f3bd1280ceeULL
#define LIMINE_RSDP_ID            0xc5e77b6b397e7b43ULL, 0x27637845accdcf3cULL
#define LIMINE_KERNEL_ADDRESS_ID  0x71ba76863cc55f63ULL, 0xb2644a48c516a487ULL
#define LIMINE_DTB_ID             0xb40ddb48fb54bac7ULL, 0x545081493f81ffb7ULL

/* Every request starts with this header. */
struct limine_request_header {
	uint64_t id[4];
	uint64_t revision;
	void *response;
};

struct limine_response_header {
	uint64_t revision;
};

/* Bootloader info */
struct limine_bootloader_info_response {
	uint64_t revision;
	char *name;
	char *version;
};
struct limine_bootloader_info_request {
	uint64_t id[4];
	uint64_t revision;
	struct limine_bootloader_info_response *response;
};

/* Firmware type */
enum limine_firmware_type {
	LIMINE_FIRMWARE_X86_BIOS = 0,
	LIMINE_FIRMWARE_UEFI32 = 1,
	LIMINE_FIRMWARE_UEFI64 = 2,
};
struct limine_firmware_type_response {
	uint64_t revision;
	uint64_t firmware_type;
};
struct limine_firmware_type_request {
	uint64_t id[4];
	uint64_t revision;
	struct limine_firmware_type_response *response;
};

/* Stack size: the loader gives the BSP (and every AP) a stack of
 * max(64 KiB, stack_size). */
struct limine_stack_size_response {
	uint64_t revision;
};
struct limine_stack_size_request {
	uint64_t id[4];
	uint64_t revision;
	struct limine_stack_size_response *response;
	uint64_t stack_size;
};

/* HHDM: the virtual address at which physical address 0 is mapped. */
struct limine_hhdm_response {
	uint64_t revision;
	uint64_t offset;
};
struct limine_hhdm_request {
	uint64_t id[4];
	uint64_t revision;
	struct limine_hhdm_response *response;
};

/* Framebuffer */
#define LIMINE_FRAMEBUFFER_RGB 1
struct limine_video_mode {
	uint64_t pitch;
	uint64_t width;
	uint64_t height;
	uint16_t bpp;
	uint8_t memory_model;
	uint8_t red_mask_size;
	uint8_t red_mask_shift;
	uint8_t green_mask_size;
	uint8_t green_mask_shift;
	uint8_t blue_mask_size;
	uint8_t blue_mask_shift;
};
struct limine_framebuffer {
	void *address;
	uint64_t width;
	uint64_t height;
	uint64_t pitch;
	uint16_t bpp;
	uint8_t memory_model;
	uint8_t red_mask_size;
	uint8_t red_mask_shift;
	uint8_t green_mask_size;
	uint8_t green_mask_shift;
	uint8_t blue_mask_size;
	uint8_t blue_mask_shift;
	uint8_t unused[7];
	uint64_t edid_size;
	void *edid;
	/* response revision 1 */
	uint64_t mode_count;
	struct limine_video_mode **modes;
};
struct limine_framebuffer_response {
	uint64_t revision;
	uint64_t framebuffer_count;
	struct limine_framebuffer **framebuffers;
};
struct limine_framebuffer_request {
	uint64_t id[4];
	uint64_t revision;
	struct limine_framebuffer_response *response;
};

/* Paging mode. The same numbers mean "4-level" on both architectures. */
#define LIMINE_PAGING_MODE_4LVL 0
#define LIMINE_PAGING_MODE_5LVL 1
struct limine_paging_mode_response {
	uint64_t revision;
	uint64_t mode;
};
struct limine_paging_mode_request {
	uint64_t id[4];
	uint64_t revision;
	struct limine_paging_mode_response *response;
	uint64_t mode;
	uint64_t max_mode; /* request revision 1 */
	uint64_t min_mode; /* request revision 1 */
};

/* MP (multiprocessor). An AP spins until the kernel stores a function
 * pointer into its goto_address; it then jumps there on its own stack with
 * its info pointer as the first argument. */
struct limine_mp_info;
typedef void (*limine_goto_address)(struct limine_mp_info *);

#if defined(__x86_64__)
#define LIMINE_MP_X2APIC (1u << 0)
struct limine_mp_info {
	uint32_t processor_id;
	uint32_t lapic_id;
	uint64_t reserved; /* loader-private: the AP's stack top */
	limine_goto_address goto_address;
	uint64_t extra_argument;
};
struct limine_mp_response {
	uint64_t revision;
	uint32_t flags;
	uint32_t bsp_lapic_id;
	uint64_t cpu_count;
	struct limine_mp_info **cpus;
};
#elif defined(__aarch64__)
struct limine_mp_info {
	uint32_t processor_id;
	uint32_t reserved1;
	uint64_t mpidr;
	uint64_t reserved; /* loader-private: the AP's stack top */
	limine_goto_address goto_address;
	uint64_t extra_argument;
};
struct limine_mp_response {
	uint64_t revision;
	uint64_t flags;
	uint64_t bsp_mpidr;
	uint64_t cpu_count;
	struct limine_mp_info **cpus;
};
#else
#error "limine.h: unsupported architecture"
#endif
struct limine_mp_request {
	uint64_t id[4];
	uint64_t revision;
	struct limine_mp_response *response;
	uint64_t flags;
};

/* Memory map */
enum limine_memmap_type {
	LIMINE_MEMMAP_USABLE = 0,
	LIMINE_MEMMAP_RESERVED = 1,
	LIMINE_MEMMAP_ACPI_RECLAIMABLE = 2,
	LIMINE_MEMMAP_ACPI_NVS = 3,
	LIMINE_MEMMAP_BAD_MEMORY = 4,
	LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE = 5,
	LIMINE_MEMMAP_KERNEL_AND_MODULES = 6,
	LIMINE_MEMMAP_FRAMEBUFFER = 7,
};
#define LIMINE_MEMMAP_TYPE_COUNT 8
struct limine_memmap_entry {
	uint64_t base;
	uint64_t length;
	uint64_t type;
};
struct limine_memmap_response {
	uint64_t revision;
	uint64_t entry_count;
	struct limine_memmap_entry **entries;
};
struct limine_memmap_request {
	uint64_t id[4];
	uint64_t revision;
	struct limine_memmap_response *response;
};

/* Entry point override */
typedef void (*limine_entry_point)(void);
struct limine_entry_point_response {
	uint64_t revision;
};
struct limine_entry_point_request {
	uint64_t id[4];
	uint64_t revision;
	struct limine_entry_point_response *response;
	limine_entry_point entry;
};

/* Files: the kernel file and modules. */
struct limine_uuid {
	uint32_t a;
	uint16_t b;
	uint16_t c;
	uint8_t d[8];
};
#define LIMINE_MEDIA_TYPE_GENERIC 0
struct limine_file {
	uint64_t revision;
	void *address;
	uint64_t size;
	char *path;
	char *cmdline;
	uint32_t media_type;
	uint32_t unused;
	uint32_t tftp_ip;
	uint32_t tftp_port;
	uint32_t partition_index;
	uint32_t mbr_disk_id;
	struct limine_uuid gpt_disk_uuid;
	struct limine_uuid gpt_part_uuid;
	struct limine_uuid part_uuid;
};

struct limine_kernel_file_response {
	uint64_t revision;
	struct limine_file *kernel_file;
};
struct limine_kernel_file_request {
	uint64_t id[4];
	uint64_t revision;
	struct limine_kernel_file_response *response;
};

struct limine_internal_module {
	const char *path;
	const char *cmdline;
	uint64_t flags;
};
struct limine_module_response {
	uint64_t revision;
	uint64_t module_count;
	struct limine_file **modules;
};
struct limine_module_request {
	uint64_t id[4];
	uint64_t revision;
	struct limine_module_response *response;
	/* request revision 1 */
	uint64_t internal_module_count;
	struct limine_internal_module **internal_modules;
};

/* ACPI RSDP */
struct limine_rsdp_response {
	uint64_t revision;
	void *address;
};
struct limine_rsdp_request {
	uint64_t id[4];
	uint64_t revision;
	struct limine_rsdp_response *response;
};

/* Kernel address: where the kernel image sits physically and virtually. */
struct limine_kernel_address_response {
	uint64_t revision;
	uint64_t physical_base;
	uint64_t virtual_base;
};
struct limine_kernel_address_request {
	uint64_t id[4];
	uint64_t revision;
	struct limine_kernel_address_response *response;
};

/* Device tree blob */
struct limine_dtb_response {
	uint64_t revision;
	void *dtb_ptr;
};
struct limine_dtb_request {
	uint64_t id[4];
	uint64_t revision;
	struct limine_dtb_response *response;
};

/* Layout checks: these offsets are fixed by the protocol. */
#define LIMINE_ASSERT_OFFSET(type, field, off) \
	_Static_assert(__builtin_offsetof(struct type, field) == (off), #type "." #field)
LIMINE_ASSERT_OFFSET(limine_request_header, revision, 0x20);
LIMINE_ASSERT_OFFSET(limine_request_header, response, 0x28);
LIMINE_ASSERT_OFFSET(limine_stack_size_request, stack_size, 0x30);
LIMINE_ASSERT_OFFSET(limine_paging_mode_request, min_mode, 0x40);
LIMINE_ASSERT_OFFSET(limine_mp_request, flags, 0x30);
LIMINE_ASSERT_OFFSET(limine_entry_point_request, entry, 0x30);
LIMINE_ASSERT_OFFSET(limine_module_request, internal_modules, 0x38);
LIMINE_ASSERT_OFFSET(limine_file, media_type, 0x28);
LIMINE_ASSERT_OFFSET(limine_file, gpt_disk_uuid, 0x40);
LIMINE_ASSERT_OFFSET(limine_file, part_uuid, 0x60);
_Static_assert(sizeof(struct limine_file) == 112, "limine_file size");
LIMINE_ASSERT_OFFSET(limine_framebuffer, bpp, 0x20);
LIMINE_ASSERT_OFFSET(limine_framebuffer, edid_size, 0x30);
LIMINE_ASSERT_OFFSET(limine_framebuffer, modes, 0x48);
_Static_assert(sizeof(struct limine_framebuffer) == 0x50, "limine_framebuffer size");
_Static_assert(sizeof(struct limine_video_mode) == 0x28, "limine_video_mode size");
_Static_assert(sizeof(struct limine_memmap_entry) == 24, "limine_memmap_entry size");
LIMINE_ASSERT_OFFSET(limine_mp_info, goto_address, sizeof(struct limine_mp_info) - 16);
#if defined(__x86_64__)
_Static_assert(sizeof(struct limine_mp_info) == 0x20, "limine_mp_info size");
LIMINE_ASSERT_OFFSET(limine_mp_response, cpus, 0x18);
#else
_Static_assert(sizeof(struct limine_mp_info) == 0x28, "limine_mp_info size");
LIMINE_ASSERT_OFFSET(limine_mp_response, cpus, 0x20);
#endif

#endif /* CAMBIOS_LIMINE_H */
