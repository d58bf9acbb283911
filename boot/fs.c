/*
 * fs: file reading through the UEFI Simple File System protocol.
 *
 * The flow is LoadedImage -> DeviceHandle -> SimpleFileSystem -> root
 * directory -> Open -> GetInfo (for the size) -> AllocatePages -> Read.
 * Paths arrive with '/' and are converted to UEFI's '\\' in UCS-2.
 */
#include "fs.h"

#include <kstring.h>

#include "alloc.h"
#include "uefi.h"

#define PATH_MAX_CHARS 256
#define INFO_BUFFER_SIZE 512

static struct efi_file *root;

int fs_open_boot_volume(void)
{
	static const struct efi_guid loaded_image_guid = EFI_LOADED_IMAGE_GUID;
	static const struct efi_guid sfs_guid = EFI_SIMPLE_FILE_SYSTEM_GUID;
	struct efi_loaded_image *image;
	struct efi_simple_file_system *sfs;

	if (EFI_IS_ERROR(uefi_boot_services->handle_protocol(uefi_image, &loaded_image_guid,
							      (void **)&image)))
		return 0;
	if (EFI_IS_ERROR(uefi_boot_services->handle_protocol(image->device_handle, &sfs_guid,
							      (void **)&sfs)))
		return 0;
	return !EFI_IS_ERROR(sfs->open_volume(sfs, &root));
}

static int to_efi_path(const char *path, char16 *out)
{
	size_t n = strlen(path);

	if (n >= PATH_MAX_CHARS)
		return 0;
	for (size_t i = 0; i <= n; i++)
		out[i] = path[i] == '/' ? '\\' : (char16)(unsigned char)path[i];
	return 1;
}

static enum fs_result file_size(struct efi_file *f, uint64_t *size)
{
	static const struct efi_guid info_guid = EFI_FILE_INFO_GUID;
	uint64_t buffer[INFO_BUFFER_SIZE / 8];
	uint64_t buffer_size = sizeof(buffer);
	struct efi_file_info *info = (struct efi_file_info *)buffer;

	if (EFI_IS_ERROR(f->get_info(f, &info_guid, &buffer_size, info)))
		return FS_IO_ERROR;
	if (info->attribute & EFI_FILE_DIRECTORY)
		return FS_IS_DIRECTORY;
	*size = info->file_size;
	return FS_OK;
}

static enum fs_result read_all(struct efi_file *f, uint64_t size, uint64_t limine_type,
			       uint64_t *phys)
{
	/* An empty file still gets one page, so its address is valid. */
	*phys = alloc_pages(size ? size : 1, 4096, limine_type, UINT64_MAX);
	if (!*phys)
		return FS_NO_MEMORY;
	uint64_t done = 0;
	while (done < size) {
		uint64_t chunk = size - done;
		if (EFI_IS_ERROR(f->read(f, &chunk, (uint8_t *)(uintptr_t)*phys + done)) ||
		    chunk == 0)
			return FS_IO_ERROR;
		done += chunk;
	}
	return FS_OK;
}

enum fs_result fs_read_file(const char *path, uint64_t limine_type, uint64_t *phys,
			    uint64_t *size)
{
	char16 efi_path[PATH_MAX_CHARS];
	struct efi_file *f;
	enum fs_result r;

	if (!root || !to_efi_path(path, efi_path))
		return FS_NOT_FOUND;
	if (EFI_IS_ERROR(root->open(root, &f, efi_path, EFI_FILE_MODE_READ, 0)))
		return FS_NOT_FOUND;
	r = file_size(f, size);
	if (r == FS_OK)
		r = read_all(f, *size, limine_type, phys);
	f->close(f);
	return r;
}

const char *fs_result_name(enum fs_result r)
{
	switch (r) {
	case FS_OK: return "ok";
	case FS_NOT_FOUND: return "not found";
	case FS_IS_DIRECTORY: return "is a directory";
	case FS_NO_MEMORY: return "out of memory";
	default: return "read error";
	}
}
