/*
 * elf: validating a kernel ELF and planning where its segments go.
 *
 * Portable and side-effect free: elf_check_kernel() reads untrusted file
 * bytes and either fills a load plan or names the first problem found.
 * Every size and offset is checked for overflow before use, because the
 * file may be corrupt or hostile. The loader copies segments only after the
 * whole plan has been accepted.
 *
 * Accepted: ELF64, little-endian, ET_EXEC for the loader's machine, PT_LOAD
 * segments at or above 0xffffffff80000000 (the Limine rule) that do not
 * overlap, whose file bytes lie inside the file, and that share a 4 KiB page
 * only with segments of equal permissions; the entry point must lie inside
 * an executable segment. Position-independent (ET_DYN) kernels are refused:
 * cambios-boot does not relocate.
 */
#ifndef CAMBIOS_BOOT_ELF_H
#define CAMBIOS_BOOT_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ELF_MACHINE_X86_64 62
#define ELF_MACHINE_AARCH64 183
#define ELF_MAX_SEGMENTS 16
#define ELF_KERNEL_MIN_VADDR 0xffffffff80000000ULL

/* Segment permissions (the ELF p_flags bits). */
#define ELF_PF_X 1u
#define ELF_PF_W 2u
#define ELF_PF_R 4u

struct elf_segment {
	uint64_t vaddr;
	uint64_t memsz;
	uint64_t offset;
	uint64_t filesz;
	uint32_t flags;
};

struct elf_plan {
	uint64_t entry;
	uint64_t virt_base;  /* lowest segment address, rounded down to a page */
	uint64_t virt_end;   /* end of the highest segment, rounded up to a page */
	uint64_t align;      /* largest p_align (at least 4 KiB) */
	uint64_t init_size;  /* bytes from virt_base that hold file data (for the request scan) */
	unsigned segment_count;
	struct elf_segment segments[ELF_MAX_SEGMENTS];
};

/* Checks `size` bytes at `file` as a kernel for `machine`. Returns NULL and
 * fills `plan` if acceptable, else a static string naming the problem. */
const char *elf_check_kernel(const void *file, uint64_t size, uint16_t machine,
			     struct elf_plan *plan);

#endif
