/*
 * elf_build: writing small ELF64 executables in memory, for tests and
 * fuzzer seeds.
 *
 * The image is an ELF header, the program headers right after it, and
 * whatever segment bytes the caller puts at the offsets it chose; the size
 * covers every PT_LOAD segment's file bytes (and at least the headers).
 */
#ifndef CAMBIOS_ELF_BUILD_H
#define CAMBIOS_ELF_BUILD_H

#include <stddef.h>
#include <stdint.h>

#define ELF_BUILD_EHDR_SIZE 64
#define ELF_BUILD_PHDR_SIZE 56
#define ELF_BUILD_PT_LOAD 1
#define ELF_BUILD_PT_NOTE 4

struct elf_build_segment {
	uint32_t type;
	uint32_t flags;
	uint64_t offset, vaddr, filesz, memsz, align;
};

/* Writes the headers into buf (zeroing the first `cap` bytes first) and
 * returns the image size, or 0 if it would not fit in `cap`. */
size_t elf_build(uint8_t *buf, size_t cap, uint16_t machine, uint64_t entry,
		 const struct elf_build_segment *segs, unsigned n);

/* Little-endian store of the low `bytes` bytes of v. */
void elf_build_put_le(uint8_t *p, uint64_t v, unsigned bytes);

#endif
