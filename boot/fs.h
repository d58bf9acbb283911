/*
 * fs: reading whole files from the volume the loader was started from.
 */
#ifndef CAMBIOS_BOOT_FS_H
#define CAMBIOS_BOOT_FS_H

#include <stdint.h>

enum fs_result { FS_OK, FS_NOT_FOUND, FS_IS_DIRECTORY, FS_NO_MEMORY, FS_IO_ERROR };

/* Opens the boot volume (the device the loader image came from).
 * Returns false if it has no simple file system. */
int fs_open_boot_volume(void);

/* Reads the file at in-volume `path` ("/boot/x", forward slashes) into
 * fresh pages of Limine type `limine_type`. */
enum fs_result fs_read_file(const char *path, uint64_t limine_type, uint64_t *phys,
			    uint64_t *size);

/* A short human-readable name for a result ("not found", ...). */
const char *fs_result_name(enum fs_result r);

#endif
