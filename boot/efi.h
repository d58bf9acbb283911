/*
 * efi: the part of the UEFI specification cambios-boot calls.
 *
 * Written from the specification's tables; only the members we use have
 * real prototypes, the rest are placeholders that keep the offsets right.
 * Offsets of every member we call are checked at the end of the file.
 *
 * Calling convention: on x86_64 UEFI uses the Microsoft x64 ABI, which is
 * the default of the x86_64-unknown-windows target the loader is built for;
 * EFIAPI is therefore empty. The header is also compiled into host unit
 * tests (for the structures only), where EFIAPI becomes ms_abi.
 */
#ifndef CAMBIOS_BOOT_EFI_H
#define CAMBIOS_BOOT_EFI_H

#include <stddef.h>
#include <stdint.h>

#if defined(__x86_64__) && !defined(_WIN32)
#define EFIAPI __attribute__((ms_abi))
#else
#define EFIAPI
#endif

typedef uint64_t efi_status;
typedef void *efi_handle;
typedef uint16_t char16;
typedef uint64_t efi_phys_addr;

#define EFI_ERROR_BIT (1ULL << 63)
#define EFI_SUCCESS 0
#define EFI_INVALID_PARAMETER (EFI_ERROR_BIT | 2)
#define EFI_UNSUPPORTED (EFI_ERROR_BIT | 3)
#define EFI_BUFFER_TOO_SMALL (EFI_ERROR_BIT | 5)
#define EFI_NOT_FOUND (EFI_ERROR_BIT | 14)
#define EFI_IS_ERROR(s) (((s) & EFI_ERROR_BIT) != 0)

struct efi_guid {
	uint32_t a;
	uint16_t b;
	uint16_t c;
	uint8_t d[8];
};

struct efi_table_header {
	uint64_t signature;
	uint32_t revision;
	uint32_t header_size;
	uint32_t crc32;
	uint32_t reserved;
};

/* Memory types (EFI_MEMORY_TYPE). */
enum efi_memory_type {
	EFI_RESERVED_MEMORY = 0,
	EFI_LOADER_CODE = 1,
	EFI_LOADER_DATA = 2,
	EFI_BOOT_SERVICES_CODE = 3,
	EFI_BOOT_SERVICES_DATA = 4,
	EFI_RUNTIME_SERVICES_CODE = 5,
	EFI_RUNTIME_SERVICES_DATA = 6,
	EFI_CONVENTIONAL_MEMORY = 7,
	EFI_UNUSABLE_MEMORY = 8,
	EFI_ACPI_RECLAIM_MEMORY = 9,
	EFI_ACPI_MEMORY_NVS = 10,
	EFI_MEMORY_MAPPED_IO = 11,
	EFI_MEMORY_MAPPED_IO_PORT_SPACE = 12,
	EFI_PAL_CODE = 13,
	EFI_PERSISTENT_MEMORY = 14,
	EFI_UNACCEPTED_MEMORY = 15,
};

struct efi_memory_descriptor {
	uint32_t type;
	uint32_t pad;
	efi_phys_addr physical_start;
	uint64_t virtual_start;
	uint64_t number_of_pages;
	uint64_t attribute;
};

enum efi_allocate_type {
	EFI_ALLOCATE_ANY_PAGES = 0,
	EFI_ALLOCATE_MAX_ADDRESS = 1,
	EFI_ALLOCATE_ADDRESS = 2,
};

struct efi_simple_text_output {
	void *reset;
	efi_status(EFIAPI *output_string)(struct efi_simple_text_output *self, const char16 *s);
};

struct efi_boot_services {
	struct efi_table_header hdr;
	void *raise_tpl;
	void *restore_tpl;
	efi_status(EFIAPI *allocate_pages)(uint32_t type, uint32_t memory_type, uint64_t pages,
					   efi_phys_addr *memory);
	efi_status(EFIAPI *free_pages)(efi_phys_addr memory, uint64_t pages);
	efi_status(EFIAPI *get_memory_map)(uint64_t *map_size, struct efi_memory_descriptor *map,
					   uint64_t *map_key, uint64_t *descriptor_size,
					   uint32_t *descriptor_version);
	efi_status(EFIAPI *allocate_pool)(uint32_t memory_type, uint64_t size, void **buffer);
	efi_status(EFIAPI *free_pool)(void *buffer);
	void *create_event;
	void *set_timer;
	void *wait_for_event;
	void *signal_event;
	void *close_event;
	void *check_event;
	void *install_protocol_interface;
	void *reinstall_protocol_interface;
	void *uninstall_protocol_interface;
	efi_status(EFIAPI *handle_protocol)(efi_handle handle, const struct efi_guid *protocol,
					    void **interface);
	void *reserved;
	void *register_protocol_notify;
	void *locate_handle;
	void *locate_device_path;
	void *install_configuration_table;
	void *load_image;
	void *start_image;
	void *exit;
	void *unload_image;
	efi_status(EFIAPI *exit_boot_services)(efi_handle image, uint64_t map_key);
	void *get_next_monotonic_count;
	efi_status(EFIAPI *stall)(uint64_t microseconds);
	efi_status(EFIAPI *set_watchdog_timer)(uint64_t timeout, uint64_t code, uint64_t size,
					       const char16 *data);
	void *connect_controller;
	void *disconnect_controller;
	void *open_protocol;
	void *close_protocol;
	void *open_protocol_information;
	void *protocols_per_handle;
	void *locate_handle_buffer;
	efi_status(EFIAPI *locate_protocol)(const struct efi_guid *protocol, void *registration,
					    void **interface);
};

enum efi_reset_type { EFI_RESET_COLD = 0, EFI_RESET_WARM = 1, EFI_RESET_SHUTDOWN = 2 };

struct efi_runtime_services {
	struct efi_table_header hdr;
	void *get_time;
	void *set_time;
	void *get_wakeup_time;
	void *set_wakeup_time;
	void *set_virtual_address_map;
	void *convert_pointer;
	void *get_variable;
	void *get_next_variable_name;
	void *set_variable;
	void *get_next_high_monotonic_count;
	void(EFIAPI *reset_system)(uint32_t type, efi_status status, uint64_t data_size,
				   void *data);
};

struct efi_configuration_table {
	struct efi_guid vendor_guid;
	void *vendor_table;
};

struct efi_system_table {
	struct efi_table_header hdr;
	char16 *firmware_vendor;
	uint32_t firmware_revision;
	efi_handle console_in_handle;
	void *con_in;
	efi_handle console_out_handle;
	struct efi_simple_text_output *con_out;
	efi_handle standard_error_handle;
	void *std_err;
	struct efi_runtime_services *runtime_services;
	struct efi_boot_services *boot_services;
	uint64_t number_of_table_entries;
	struct efi_configuration_table *configuration_table;
};

struct efi_loaded_image {
	uint32_t revision;
	efi_handle parent_handle;
	struct efi_system_table *system_table;
	efi_handle device_handle;
	void *file_path;
	void *reserved;
	uint32_t load_options_size;
	void *load_options;
	void *image_base;
	uint64_t image_size;
	uint32_t image_code_type;
	uint32_t image_data_type;
	void *unload;
};

#define EFI_FILE_MODE_READ 1ULL

struct efi_file {
	uint64_t revision;
	efi_status(EFIAPI *open)(struct efi_file *self, struct efi_file **new_handle,
				 const char16 *file_name, uint64_t open_mode, uint64_t attributes);
	efi_status(EFIAPI *close)(struct efi_file *self);
	void *delete_file;
	efi_status(EFIAPI *read)(struct efi_file *self, uint64_t *buffer_size, void *buffer);
	void *write;
	void *get_position;
	void *set_position;
	efi_status(EFIAPI *get_info)(struct efi_file *self, const struct efi_guid *type,
				     uint64_t *buffer_size, void *buffer);
};

struct efi_time {
	uint16_t year;
	uint8_t month, day, hour, minute, second, pad1;
	uint32_t nanosecond;
	int16_t time_zone;
	uint8_t daylight, pad2;
};

#define EFI_FILE_DIRECTORY 0x10ULL

struct efi_file_info {
	uint64_t size;
	uint64_t file_size;
	uint64_t physical_size;
	struct efi_time create_time;
	struct efi_time last_access_time;
	struct efi_time modification_time;
	uint64_t attribute;
	char16 file_name[];
};

struct efi_simple_file_system {
	uint64_t revision;
	efi_status(EFIAPI *open_volume)(struct efi_simple_file_system *self, struct efi_file **root);
};

enum efi_gop_pixel_format {
	EFI_PIXEL_RGBX_8BPC = 0,
	EFI_PIXEL_BGRX_8BPC = 1,
	EFI_PIXEL_BIT_MASK = 2,
	EFI_PIXEL_BLT_ONLY = 3,
};

struct efi_gop_pixel_bitmask {
	uint32_t red, green, blue, reserved;
};

struct efi_gop_mode_info {
	uint32_t version;
	uint32_t horizontal_resolution;
	uint32_t vertical_resolution;
	uint32_t pixel_format;
	struct efi_gop_pixel_bitmask pixel_information;
	uint32_t pixels_per_scan_line;
};

struct efi_gop_mode {
	uint32_t max_mode;
	uint32_t mode;
	struct efi_gop_mode_info *info;
	uint64_t size_of_info;
	efi_phys_addr frame_buffer_base;
	uint64_t frame_buffer_size;
};

struct efi_graphics_output {
	void *query_mode;
	void *set_mode;
	void *blt;
	struct efi_gop_mode *mode;
};

#define EFI_LOADED_IMAGE_GUID \
	{ 0x5b1b31a1, 0x9562, 0x11d2, { 0x8e, 0x3f, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b } }
#define EFI_SIMPLE_FILE_SYSTEM_GUID \
	{ 0x964e5b22, 0x6459, 0x11d2, { 0x8e, 0x39, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b } }
#define EFI_FILE_INFO_GUID \
	{ 0x09576e92, 0x6d3f, 0x11d2, { 0x8e, 0x39, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b } }
#define EFI_GOP_GUID \
	{ 0x9042a9de, 0x23dc, 0x4a38, { 0x96, 0xfb, 0x7a, 0xde, 0xd0, 0x80, 0x51, 0x6a } }
#define EFI_ACPI_20_TABLE_GUID \
	{ 0x8868e871, 0xe4f1, 0x11d3, { 0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81 } }
#define EFI_ACPI_10_TABLE_GUID \
	{ 0xeb9d2d30, 0x2d88, 0x11d3, { 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d } }
#define EFI_DTB_TABLE_GUID \
	{ 0xb1b621d5, 0xf19c, 0x41a5, { 0x83, 0x0b, 0xd9, 0x15, 0x2c, 0x69, 0xaa, 0xe0 } }

#define EFI_ASSERT_OFFSET(type, field, off) \
	_Static_assert(offsetof(struct type, field) == (off), #type "." #field)
EFI_ASSERT_OFFSET(efi_system_table, con_out, 0x40);
EFI_ASSERT_OFFSET(efi_system_table, runtime_services, 0x58);
EFI_ASSERT_OFFSET(efi_system_table, boot_services, 0x60);
EFI_ASSERT_OFFSET(efi_system_table, configuration_table, 0x70);
EFI_ASSERT_OFFSET(efi_boot_services, allocate_pages, 0x28);
EFI_ASSERT_OFFSET(efi_boot_services, get_memory_map, 0x38);
EFI_ASSERT_OFFSET(efi_boot_services, allocate_pool, 0x40);
EFI_ASSERT_OFFSET(efi_boot_services, handle_protocol, 0x98);
EFI_ASSERT_OFFSET(efi_boot_services, exit_boot_services, 0xe8);
EFI_ASSERT_OFFSET(efi_boot_services, stall, 0xf8);
EFI_ASSERT_OFFSET(efi_boot_services, set_watchdog_timer, 0x100);
EFI_ASSERT_OFFSET(efi_boot_services, locate_protocol, 0x140);
EFI_ASSERT_OFFSET(efi_runtime_services, reset_system, 0x68);
EFI_ASSERT_OFFSET(efi_loaded_image, device_handle, 0x18);
EFI_ASSERT_OFFSET(efi_loaded_image, image_base, 0x40);
EFI_ASSERT_OFFSET(efi_file, read, 0x20);
EFI_ASSERT_OFFSET(efi_file, get_info, 0x40);
EFI_ASSERT_OFFSET(efi_file_info, file_size, 0x08);
EFI_ASSERT_OFFSET(efi_file_info, attribute, 0x48);
EFI_ASSERT_OFFSET(efi_file_info, file_name, 0x50);
EFI_ASSERT_OFFSET(efi_gop_mode, frame_buffer_base, 0x18);
EFI_ASSERT_OFFSET(efi_graphics_output, mode, 0x18);
EFI_ASSERT_OFFSET(efi_gop_mode_info, pixels_per_scan_line, 0x20);
_Static_assert(sizeof(struct efi_memory_descriptor) == 40, "efi_memory_descriptor");

#endif
