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
#define PT_NOTE 4
#define NOTE_HEADER_SIZE 12 /* namesz, descsz, type */
#define NOTE_OWNER_SIZE 8   /* "CambiOS" and its NUL */
#define ET_EXEC 2
#define ET_DYN 3
#define PAGE_SIZE 4096ULL

/*
 * The helpers' ACSL contracts (comments to the compilers) are what WP
 * proves the public contracts in elf.h from; mk/verify.mk's WP run proves
 * them too (tests/verify/elf.mk lists them). The loop invariants are only
 * those EVA proves as well: it checks every annotation it meets.
 */

/*@ requires 1 <= bytes <= 8;
    requires \valid_read(p + (0 .. bytes - 1));
    assigns \nothing; */
static uint64_t load_le(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;

	/*@ loop invariant 0 <= i <= bytes;
	    loop assigns i, v; */
	for (unsigned i = bytes; i > 0; i--)
		v = (v << 8) | p[i - 1];
	return v;
}

/*@ requires \valid(sum);
    assigns *sum \from a, b;
    ensures *sum == (uint64_t)(a + b);
    ensures \result <==> a + b > UINT64_MAX; */
static bool add_overflows(uint64_t a, uint64_t b, uint64_t *sum)
{
	return __builtin_add_overflow(a, b, sum);
}

bool elf_has_magic(const void *file, uint64_t size)
{
	const uint8_t *f = file;

	return size >= 4 && f[0] == 0x7f && f[1] == 'E' && f[2] == 'L' && f[3] == 'F';
}

/*@ requires \valid_read(f + (0 .. size - 1));
    assigns \nothing;
    ensures \result == \null ==> size >= EHDR_SIZE; */
static const char *check_ident(const uint8_t *f, uint64_t size, uint16_t machine)
{
	if (size < EHDR_SIZE)
		return "file too small for an ELF header";
	if (!elf_has_magic(f, size))
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

/*@ requires \valid_read(ph + (0 .. PHDR_SIZE - 1));
    requires \valid_read(rules);
    requires \valid(s);
    requires \separated(s, rules, ph + (0 .. PHDR_SIZE - 1));
    assigns *s;
    ensures \result == \null ==> elf_segment_fits(*s, file_size, rules->min_vaddr, rules->end_vaddr); */
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

/*
 * Bounds at the read. Where a read's bound follows from earlier checks on
 * other quantities (the whole table, the whole note), it is checked again
 * where the bytes are read, as `n <= end && at <= end - n`: nothing can
 * wrap and the comparison bounds the read's offset alone, which is what
 * lets the static analysis (mk/verify.mk) see the read inside the file.
 * These re-checks never fail; each says so where it stands.
 */

/* Program header i of a table header_table accepted: never NULL, the
 * whole table lies inside the file. */
/*@ requires \valid_read(f + (0 .. size - 1));
    assigns \nothing;
    ensures \result != \null ==> \valid_read(\result + (0 .. PHDR_SIZE - 1)); */
static const uint8_t *program_header(const uint8_t *f, uint64_t size, uint64_t phoff,
				     uint64_t i)
{
	uint64_t at = phoff + i * PHDR_SIZE;

	if (size < PHDR_SIZE || at > size - PHDR_SIZE)
		return NULL;
	return f + at;
}

/*@ requires \valid_read(a) && \valid_read(b);
    assigns \nothing; */
static bool pages_touch(const struct elf_segment *a, const struct elf_segment *b)
{
	uint64_t a_first = a->vaddr / PAGE_SIZE, a_last = (a->vaddr + a->memsz - 1) / PAGE_SIZE;
	uint64_t b_first = b->vaddr / PAGE_SIZE, b_last = (b->vaddr + b->memsz - 1) / PAGE_SIZE;

	return a_first <= b_last && b_first <= a_last;
}

/*@ requires \valid_read(plan);
    requires plan->segment_count <= ELF_MAX_SEGMENTS;
    assigns \nothing; */
static const char *check_layout(const struct elf_plan *plan)
{
	/*@ loop invariant 0 <= i <= ELF_MAX_SEGMENTS;
	    loop assigns i; */
	for (unsigned i = 0; i < plan->segment_count; i++) {
		/*@ loop invariant 1 <= j <= ELF_MAX_SEGMENTS + 1;
		    loop assigns j; */
		for (unsigned j = i + 1; j < plan->segment_count; j++) {
			const struct elf_segment *a = &plan->segments[i], *b = &plan->segments[j];

			if (a->vaddr < b->vaddr + b->memsz && b->vaddr < a->vaddr + a->memsz)
				return "segments overlap";
			if (pages_touch(a, b) && a->flags != b->flags)
				return "segments with different permissions share a page";
		}
	}
	/*@ loop invariant 0 <= i <= plan->segment_count;
	    loop assigns i; */
	for (unsigned i = 0; i < plan->segment_count; i++) {
		const struct elf_segment *s = &plan->segments[i];

		if ((s->flags & ELF_PF_X) && plan->entry >= s->vaddr &&
		    plan->entry < s->vaddr + s->memsz)
			return NULL;
	}
	return "entry point is not inside an executable segment";
}

/* Fills virt_base/virt_end/init_size from the segments. */
/*@ requires \valid(plan);
    requires 1 <= plan->segment_count <= ELF_MAX_SEGMENTS;
    assigns plan->virt_base, plan->virt_end, plan->init_size; */
static void plan_extent(struct elf_plan *plan)
{
	uint64_t lo = UINT64_MAX, hi = 0, last_vaddr = 0;
	const struct elf_segment *last = &plan->segments[0];

	/*@ loop invariant 0 <= i <= plan->segment_count;
	    loop invariant \valid_read(last);
	    loop assigns i, lo, hi, last_vaddr, last; */
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

/* Finds the program header table of a file whose header has been read
 * (size >= EHDR_SIZE): the whole table lies inside the file. */
/*@ requires size >= EHDR_SIZE;
    requires \valid_read(f + (0 .. size - 1));
    requires \valid(phoff) && \valid(phnum) && \separated(phoff, phnum);
    assigns *phoff, *phnum; */
static const char *header_table(const uint8_t *f, uint64_t size, uint64_t *phoff,
				uint64_t *phnum)
{
	uint64_t table_end;

	*phoff = load_le(f + 32, 8);
	*phnum = load_le(f + 56, 2);
	if (load_le(f + 54, 2) != PHDR_SIZE)
		return "unexpected program header size";
	if (*phnum == 0)
		return "no program headers";
	/* phnum < 2^16: the product cannot overflow. */
	if (add_overflows(*phoff, *phnum * PHDR_SIZE, &table_end) || table_end > size)
		return "program headers lie outside the file";
	return NULL;
}

const char *elf_check(const void *file, uint64_t size, const struct elf_rules *rules,
		      struct elf_plan *plan)
{
	const uint8_t *f = file;
	const char *err = check_ident(f, size, rules->machine);
	uint64_t phoff, phnum;

	if (err)
		return err;
	*plan = (struct elf_plan){ .entry = load_le(f + 24, 8), .align = PAGE_SIZE };
	err = header_table(f, size, &phoff, &phnum);
	if (err)
		return err;
	/*@ loop invariant plan->segment_count <= ELF_MAX_SEGMENTS;
	    loop assigns i, err, plan->segment_count, plan->align,
		plan->segments[0 .. ELF_MAX_SEGMENTS - 1]; */
	for (uint64_t i = 0; i < phnum; i++) {
		const uint8_t *ph = program_header(f, size, phoff, i);
		uint64_t align;

		if (!ph)
			return "program headers lie outside the file";
		align = load_le(ph + 48, 8);
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

/* Rounds a note's relative offset up to the note alignment: 4 bytes, or 8
 * in a segment aligned to 8 (as some toolchains emit). The descriptor and
 * the next note start at aligned offsets from the note's start. Offsets
 * here stay below 2^34, so this cannot overflow. */
/*@ assigns \nothing; */
static uint64_t note_pad(uint64_t n, uint64_t align)
{
	return (n + align - 1) & ~(align - 1);
}

/* Whether the note is the CambiOS role note: owner, name size and type.
 * The name's bound re-checks the walk's check on the whole note (see
 * "Bounds at the read"). */
/*@ requires \valid_read(f + (0 .. end - 1));
    assigns \nothing; */
static bool is_role_note(const uint8_t *f, uint64_t name_at, uint64_t end, uint64_t namesz,
			 uint64_t type)
{
	static const char owner[NOTE_OWNER_SIZE] = ELF_NOTE_CAMBIOS_OWNER;

	if (namesz != NOTE_OWNER_SIZE || type != ELF_NOTE_CAMBIOS_MODULE ||
	    end < NOTE_OWNER_SIZE || name_at > end - NOTE_OWNER_SIZE)
		return false;
	/*@ loop invariant 0 <= i <= NOTE_OWNER_SIZE;
	    loop assigns i; */
	for (unsigned i = 0; i < NOTE_OWNER_SIZE; i++) {
		if (f[name_at + i] != (uint8_t)owner[i])
			return false;
	}
	return true;
}

/* Where in the file the role note's descriptor lies, once found. */
struct role_desc {
	bool found;
	uint64_t at;
	uint64_t len;
};

/* Walks the notes in [at, end) of f (already inside the file) and records
 * the role note's descriptor. A second role note is refused: which one
 * counted would depend on the order of headers. */
/*@ requires \valid_read(f + (0 .. end - 1));
    requires \valid(desc) && \separated(desc, f + (0 .. end - 1));
    assigns *desc; */
static const char *find_role_note(const uint8_t *f, uint64_t at, uint64_t end, uint64_t align,
				  struct role_desc *desc)
{
	/*@ loop assigns at, *desc; */
	while (at < end) {
		uint64_t namesz, descsz, type, desc_at, desc_end, next;

		if (end < NOTE_HEADER_SIZE || at > end - NOTE_HEADER_SIZE)
			return "note header runs past its segment";
		namesz = load_le(f + at, 4);
		descsz = load_le(f + at + 4, 4);
		type = load_le(f + at + 8, 4);
		/* The name (padded) and the descriptor must both end inside the
		 * segment; desc_end covers both. */
		if (add_overflows(at, note_pad(NOTE_HEADER_SIZE + namesz, align), &desc_at) ||
		    add_overflows(desc_at, descsz, &desc_end) || desc_end > end)
			return "note runs past its segment";
		if (is_role_note(f, at + NOTE_HEADER_SIZE, end, namesz, type)) {
			if (desc->found)
				return "more than one role note";
			*desc = (struct role_desc){ .found = true, .at = desc_at, .len = descsz };
		}
		/* The last note's padding may be missing; that ends the walk. */
		if (add_overflows(at, note_pad(desc_end - at, align), &next))
			break;
		at = next;
	}
	return NULL;
}

/* Copies the role out of the descriptor the walk found inside the file.
 * module_role_copy refuses a length above a role's before reading; a
 * shorter one is re-checked against the file (see "Bounds at the read";
 * the split keeps each length apart for the analysis and is a comment to
 * the compilers). */
/*@ requires \valid_read(f + (0 .. size - 1));
    requires \valid_read(desc);
    requires \valid(role + (0 .. MODULE_ROLE_MAX)) && role[0] == '\0';
    requires \separated(role + (0 .. MODULE_ROLE_MAX), f + (0 .. size - 1), desc);
    assigns role[0 .. MODULE_ROLE_MAX];
    ensures \result != \null ==> role[0] == '\0'; */
static const char *copy_role(const uint8_t *f, uint64_t size, const struct role_desc *desc,
			     char role[MODULE_ROLE_MAX + 1])
{
	uint64_t len = desc->len;

	if (len <= MODULE_ROLE_MAX + 1) {
		/*@ split len; */
		if (len > size || desc->at > size - len)
			return "note lies outside the file";
	}
	return module_role_copy(f + desc->at, len, role);
}

const char *elf_module_role(const void *file, uint64_t size, char role[MODULE_ROLE_MAX + 1])
{
	const uint8_t *f = file;
	struct role_desc desc = { .found = false };
	uint64_t phoff, phnum, notes = 0;
	const char *err;

	role[0] = '\0';
	if (size < EHDR_SIZE || !elf_has_magic(f, size))
		return "not an ELF file";
	if (f[4] != 2 || f[5] != 1)
		return "not a 64-bit little-endian ELF";
	err = header_table(f, size, &phoff, &phnum);
	if (err)
		return err;
	/*@ loop assigns i, notes, err, desc; */
	for (uint64_t i = 0; i < phnum; i++) {
		const uint8_t *ph = program_header(f, size, phoff, i);
		uint64_t offset, filesz, end;

		if (!ph)
			return "program headers lie outside the file";
		offset = load_le(ph + 8, 8);
		filesz = load_le(ph + 32, 8);
		if (load_le(ph, 4) != PT_NOTE)
			continue;
		if (++notes > ELF_MAX_NOTE_HEADERS)
			return "too many note headers";
		if (add_overflows(offset, filesz, &end) || end > size)
			return "note lies outside the file";
		err = find_role_note(f, offset, end, load_le(ph + 48, 8) == 8 ? 8 : 4, &desc);
		if (err)
			return err;
	}
	if (!desc.found)
		return MODULE_ROLE_NONE;
	return copy_role(f, size, &desc, role);
}
