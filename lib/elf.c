/*
 * elf: ELF executable validation (see elf.h for the rules).
 *
 * The header and program headers are read with explicit little-endian
 * loads from byte offsets, so a misaligned or truncated file can never be
 * read past its end and the code means the same on any host.
 */
#include "elf.h"

#define EHDR_SIZE 64
#define PHDR_SIZE 56
#define PT_LOAD 1
#define ET_EXEC 2
#define ET_DYN 3
#define PAGE_SIZE 4096ULL

static uint64_t load_le(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = bytes; i > 0; i--)
		v = (v << 8) | p[i - 1];
	return v;
}

static bool add_overflows(uint64_t a, uint64_t b, uint64_t *sum)
{
	return __builtin_add_overflow(a, b, sum);
}

static const char *check_ident(const uint8_t *f, uint64_t size, uint16_t machine)
{
	if (size < EHDR_SIZE)
		return "file too small for an ELF header";
	if (f[0] != 0x7f || f[1] != 'E' || f[2] != 'L' || f[3] != 'F')
		return "bad magic (not an ELF file)";
	if (f[4] != 2)
		return "not a 64-bit ELF";
	if (f[5] != 1)
		return "not little-endian";
	if (f[6] != 1)
		return "unknown ELF version";
	uint64_t type = load_le(f + 16, 2);
	if (type == ET_DYN)
		return "position-independent (ET_DYN) files are not supported";
	if (type != ET_EXEC)
		return "not an executable (e_type)";
	if (load_le(f + 18, 2) != machine)
		return "built for another machine (e_machine)";
	return NULL;
}

static const char *read_segment(const uint8_t *ph, uint64_t file_size,
				const struct elf_rules *rules, struct elf_segment *s)
{
	uint64_t file_end, mem_end, align = load_le(ph + 48, 8);

	s->flags = (uint32_t)load_le(ph + 4, 4);
	s->offset = load_le(ph + 8, 8);
	s->vaddr = load_le(ph + 16, 8);
	s->filesz = load_le(ph + 32, 8);
	s->memsz = load_le(ph + 40, 8);
	if (s->filesz > s->memsz)
		return "segment file size exceeds its memory size";
	if (add_overflows(s->offset, s->filesz, &file_end) || file_end > file_size)
		return "segment data lies outside the file";
	/* The ELF rule (p_offset = p_vaddr modulo the page size) that lets a
	 * loader map file pages in place; a segment with no file bytes has no
	 * pages to map. */
	if (s->filesz > 0 && s->offset % PAGE_SIZE != s->vaddr % PAGE_SIZE)
		return "segment file offset and address disagree modulo the page size";
	if (s->vaddr < rules->min_vaddr)
		return "segment below the lowest address allowed";
	if (add_overflows(s->vaddr, s->memsz, &mem_end) || mem_end > UINT64_MAX - PAGE_SIZE)
		return "segment wraps the address space";
	if (mem_end > rules->end_vaddr)
		return "segment ends above the highest address allowed";
	if (rules->write_xor_execute && (s->flags & ELF_PF_W) && (s->flags & ELF_PF_X))
		return "segment is both writable and executable (W^X)";
	if (align > 1 && (align & (align - 1)))
		return "segment alignment is not a power of two";
	if (align > (1ULL << 30))
		return "segment alignment above 1 GiB";
	return NULL;
}

static bool pages_touch(const struct elf_segment *a, const struct elf_segment *b)
{
	uint64_t a_first = a->vaddr / PAGE_SIZE, a_last = (a->vaddr + a->memsz - 1) / PAGE_SIZE;
	uint64_t b_first = b->vaddr / PAGE_SIZE, b_last = (b->vaddr + b->memsz - 1) / PAGE_SIZE;

	return a_first <= b_last && b_first <= a_last;
}

static const char *check_layout(const struct elf_plan *plan)
{
	for (unsigned i = 0; i < plan->segment_count; i++) {
		for (unsigned j = i + 1; j < plan->segment_count; j++) {
			const struct elf_segment *a = &plan->segments[i], *b = &plan->segments[j];

			if (a->vaddr < b->vaddr + b->memsz && b->vaddr < a->vaddr + a->memsz)
				return "segments overlap";
			if (pages_touch(a, b) && a->flags != b->flags)
				return "segments with different permissions share a page";
		}
	}
	for (unsigned i = 0; i < plan->segment_count; i++) {
		const struct elf_segment *s = &plan->segments[i];

		if ((s->flags & ELF_PF_X) && plan->entry >= s->vaddr &&
		    plan->entry < s->vaddr + s->memsz)
			return NULL;
	}
	return "entry point is not inside an executable segment";
}

/* Fills virt_base/virt_end/init_size from the segments. */
static void plan_extent(struct elf_plan *plan)
{
	uint64_t lo = UINT64_MAX, hi = 0, last_vaddr = 0;
	const struct elf_segment *last = &plan->segments[0];

	for (unsigned i = 0; i < plan->segment_count; i++) {
		const struct elf_segment *s = &plan->segments[i];

		if (s->vaddr < lo)
			lo = s->vaddr;
		if (s->vaddr + s->memsz > hi)
			hi = s->vaddr + s->memsz;
		if (s->vaddr >= last_vaddr) {
			last_vaddr = s->vaddr;
			last = s;
		}
	}
	plan->virt_base = lo & ~(PAGE_SIZE - 1);
	plan->virt_end = (hi + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	/* Limine's rule: initialised data ends where the last segment's
	 * zero-filled tail begins. */
	plan->init_size = (last->vaddr + last->filesz) - plan->virt_base;
}

const char *elf_check(const void *file, uint64_t size, const struct elf_rules *rules,
		      struct elf_plan *plan)
{
	const uint8_t *f = file;
	const char *err = check_ident(f, size, rules->machine);
	uint64_t phoff, phnum, table_size, table_end;

	if (err)
		return err;
	*plan = (struct elf_plan){ .entry = load_le(f + 24, 8), .align = PAGE_SIZE };
	phoff = load_le(f + 32, 8);
	phnum = load_le(f + 56, 2);
	if (load_le(f + 54, 2) != PHDR_SIZE)
		return "unexpected program header size";
	if (phnum == 0)
		return "no program headers";
	table_size = phnum * PHDR_SIZE;
	if (add_overflows(phoff, table_size, &table_end) || table_end > size)
		return "program headers lie outside the file";
	for (uint64_t i = 0; i < phnum; i++) {
		const uint8_t *ph = f + phoff + i * PHDR_SIZE;
		uint64_t align = load_le(ph + 48, 8);

		if (load_le(ph, 4) != PT_LOAD || load_le(ph + 40, 8) == 0)
			continue;
		if (plan->segment_count == ELF_MAX_SEGMENTS)
			return "too many loadable segments";
		err = read_segment(ph, size, rules, &plan->segments[plan->segment_count++]);
		if (err)
			return err;
		if (align > plan->align)
			plan->align = align;
	}
	if (plan->segment_count == 0)
		return "no loadable segments";
	plan_extent(plan);
	return check_layout(plan);
}

const char *elf_check_kernel(const void *file, uint64_t size, uint16_t machine,
			     struct elf_plan *plan)
{
	const struct elf_rules kernel = {
		.machine = machine, .min_vaddr = ELF_KERNEL_MIN_VADDR, .end_vaddr = UINT64_MAX,
	};

	return elf_check(file, size, &kernel, plan);
}

const char *elf_check_user(const void *file, uint64_t size, uint16_t machine,
			   struct elf_plan *plan)
{
	const struct elf_rules user = {
		.machine = machine, .min_vaddr = ELF_USER_MIN_VADDR, .end_vaddr = ELF_USER_END_VADDR,
		.write_xor_execute = true,
	};

	return elf_check(file, size, &user, plan);
}
