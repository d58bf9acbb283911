/*
 * elf_build: see elf_build.h.
 */
#include "elf_build.h"

#include <string.h>

void elf_build_put_le(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put_phdr(uint8_t *ph, const struct elf_build_segment *s)
{
	elf_build_put_le(ph + 0, s->type, 4);
	elf_build_put_le(ph + 4, s->flags, 4);
	elf_build_put_le(ph + 8, s->offset, 8);
	elf_build_put_le(ph + 16, s->vaddr, 8);
	elf_build_put_le(ph + 24, s->vaddr, 8); /* p_paddr: unused by our loaders */
	elf_build_put_le(ph + 32, s->filesz, 8);
	elf_build_put_le(ph + 40, s->memsz, 8);
	elf_build_put_le(ph + 48, s->align, 8);
}

size_t elf_build(uint8_t *buf, size_t cap, uint16_t machine, uint64_t entry,
		 const struct elf_build_segment *segs, unsigned n)
{
	uint64_t end = ELF_BUILD_EHDR_SIZE + (uint64_t)n * ELF_BUILD_PHDR_SIZE;

	if (end > cap)
		return 0;
	memset(buf, 0, cap);
	memcpy(buf, "\x7f" "ELF", 4);
	buf[4] = 2; /* ELFCLASS64 */
	buf[5] = 1; /* little-endian */
	buf[6] = 1; /* EV_CURRENT */
	elf_build_put_le(buf + 16, 2, 2); /* ET_EXEC */
	elf_build_put_le(buf + 18, machine, 2);
	elf_build_put_le(buf + 20, 1, 4);
	elf_build_put_le(buf + 24, entry, 8);
	elf_build_put_le(buf + 32, ELF_BUILD_EHDR_SIZE, 8);
	elf_build_put_le(buf + 52, ELF_BUILD_EHDR_SIZE, 2);
	elf_build_put_le(buf + 54, ELF_BUILD_PHDR_SIZE, 2);
	elf_build_put_le(buf + 56, n, 2);
	for (unsigned i = 0; i < n; i++) {
		put_phdr(buf + ELF_BUILD_EHDR_SIZE + i * ELF_BUILD_PHDR_SIZE, &segs[i]);
		uint64_t seg_end = segs[i].offset + segs[i].filesz;
		if (segs[i].type == ELF_BUILD_PT_LOAD && seg_end > end && seg_end <= cap)
			end = seg_end;
	}
	return end;
}
