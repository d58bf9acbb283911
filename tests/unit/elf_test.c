/*
 * elf_test: ELF validation and load planning (lib/elf.c): the kernel's
 * rules (for the loader) and a user program's (for the kernel).
 *
 * ELF images are written into memory by a small builder: one valid kernel
 * (text R+X, rodata R, data RW with a zero-filled tail) whose plan is
 * checked field by field, then one test per rule in elf.h that breaks
 * exactly that rule. A randomized test mutates the valid image (bit flips,
 * interesting values, truncation) to show no input crashes the checker.
 *
 * The module role note (elf_module_role): a user program whose read-only
 * segment starts with notes, read correctly, then broken in every way a
 * note can be -- wrong owner or type, truncated, outside the file, huge
 * sizes, a bad role -- and mutated at random.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../support/assert_reason.h"

#include <elf.h>

#include "../support/elf_build.h"

#define PAGE 0x1000ULL
#define KBASE ELF_KERNEL_MIN_VADDR
#define EHDR_SIZE 64
#define PHDR_SIZE 56
#define IMAGE_MAX (128 * 1024)
#define GIB (1ULL << 30)

/* ELF constants the builder writes. */
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_REL 1
#define ET_EXEC 2
#define ET_DYN 3
#define PT_LOAD 1
#define PT_NOTE 4

/* Header field offsets (Elf64_Ehdr). */
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define E_TYPE 16
#define E_MACHINE 18
#define E_VERSION 20
#define E_ENTRY 24
#define E_PHOFF 32
#define E_EHSIZE 52
#define E_PHENTSIZE 54
#define E_PHNUM 56

/* Program header field offsets (Elf64_Phdr). */
#define P_TYPE 0
#define P_FLAGS 4
#define P_OFFSET 8
#define P_VADDR 16
#define P_PADDR 24
#define P_FILESZ 32
#define P_MEMSZ 40
#define P_ALIGN 48

#define RX (ELF_PF_R | ELF_PF_X)
#define RO ELF_PF_R
#define RW (ELF_PF_R | ELF_PF_W)

/* The builder's segment description (tests/support/elf_build.h). */
#define seg elf_build_segment

struct image {
	uint8_t bytes[IMAGE_MAX];
	uint64_t size;
};

static struct image img;
static struct elf_plan plan;

static void put_le(uint8_t *p, uint64_t v, unsigned bytes)
{
	elf_build_put_le(p, v, bytes);
}

static void set_phdr(unsigned i, unsigned field, uint64_t v, unsigned bytes)
{
	put_le(&img.bytes[EHDR_SIZE + i * PHDR_SIZE + field], v, bytes);
}

/* Writes an ELF header, the program headers right after it, and sizes the
 * file to cover every segment's file bytes (at least the headers). */
static void build(uint64_t entry, const struct seg *segs, unsigned n)
{
	img.size = elf_build(img.bytes, sizeof(img.bytes), ELF_MACHINE_X86_64, entry,
			     (const struct elf_build_segment *)segs, n);
	assert_true(img.size > 0);
}

/* The reference kernel: text, rodata, and data with a .bss tail. */
#define TEXT_VADDR KBASE
#define TEXT_SIZE 0x2000ULL
#define RODATA_VADDR (KBASE + 0x2000)
#define RODATA_SIZE 0x1000ULL
#define DATA_VADDR (KBASE + 0x3000)
#define DATA_FILESZ 0x800ULL
#define DATA_MEMSZ 0x3000ULL
#define ENTRY (TEXT_VADDR + 0x10)

static const struct seg valid_segs[] = {
	{ PT_LOAD, RX, 0x1000, TEXT_VADDR, TEXT_SIZE, TEXT_SIZE, PAGE },
	{ PT_LOAD, RO, 0x3000, RODATA_VADDR, RODATA_SIZE, RODATA_SIZE, PAGE },
	{ PT_LOAD, RW, 0x4000, DATA_VADDR, DATA_FILESZ, DATA_MEMSZ, PAGE },
};
#define VALID_COUNT 3

static void build_valid(void)
{
	build(ENTRY, valid_segs, VALID_COUNT);
}

static const char *check(void)
{
	return elf_check_kernel(img.bytes, img.size, ELF_MACHINE_X86_64, &plan);
}

static void assert_accepted(void)
{
	const char *err = check();

	if (err)
		print_message("refused: %s\n", err);
	assert_null(err);
}

/* Refused, with a reason containing `fragment`. */
static void assert_refused(const char *fragment)
{
	assert_reason(check(), fragment);
}

/* ------------------------------------------------------------ accepted */

static void valid_kernel_is_accepted_with_exact_plan(void **state)
{
	(void)state;
	build_valid();
	assert_accepted();
	assert_true(plan.entry == ENTRY);
	assert_true(plan.virt_base == KBASE);
	assert_true(plan.virt_end == DATA_VADDR + DATA_MEMSZ);
	assert_int_equal(plan.align, PAGE);
	/* Initialised data ends where data's zero-filled tail begins. */
	assert_int_equal(plan.init_size, DATA_VADDR + DATA_FILESZ - KBASE);
	assert_int_equal(plan.segment_count, VALID_COUNT);
	for (unsigned i = 0; i < VALID_COUNT; i++) {
		assert_true(plan.segments[i].vaddr == valid_segs[i].vaddr);
		assert_int_equal(plan.segments[i].memsz, valid_segs[i].memsz);
		assert_int_equal(plan.segments[i].offset, valid_segs[i].offset);
		assert_int_equal(plan.segments[i].filesz, valid_segs[i].filesz);
		assert_int_equal(plan.segments[i].flags, valid_segs[i].flags);
	}
}

static void aarch64_kernel_is_accepted_for_aarch64_only(void **state)
{
	(void)state;
	build_valid();
	put_le(&img.bytes[E_MACHINE], ELF_MACHINE_AARCH64, 2);
	assert_null(elf_check_kernel(img.bytes, img.size, ELF_MACHINE_AARCH64, &plan));
	assert_non_null(elf_check_kernel(img.bytes, img.size, ELF_MACHINE_X86_64, &plan));
}

static void unsorted_segments_give_the_same_extent(void **state)
{
	const struct seg segs[] = { valid_segs[2], valid_segs[0], valid_segs[1] };

	(void)state;
	build(ENTRY, segs, 3);
	assert_accepted();
	assert_true(plan.virt_base == KBASE);
	assert_true(plan.virt_end == DATA_VADDR + DATA_MEMSZ);
	assert_int_equal(plan.init_size, DATA_VADDR + DATA_FILESZ - KBASE);
}

static void unaligned_extent_is_rounded_to_pages(void **state)
{
	const struct seg segs[] = {
		{ PT_LOAD, RX, 0x1100, KBASE + 0x1100, 0x100, 0x100, 0x10 },
		{ PT_LOAD, RW, 0x2100, KBASE + 0x2100, 0x10, 0x20, 0x10 },
	};

	(void)state;
	build(KBASE + 0x1100, segs, 2);
	assert_accepted();
	assert_true(plan.virt_base == KBASE + 0x1000);
	assert_true(plan.virt_end == KBASE + 0x3000);
	assert_int_equal(plan.init_size, 0x2110 - 0x1000);
	assert_int_equal(plan.align, PAGE); /* at least 4 KiB */
}

static void largest_alignment_wins(void **state)
{
	struct seg segs[VALID_COUNT];

	(void)state;
	memcpy(segs, valid_segs, sizeof(segs));
	segs[1].align = 2 * 1024 * 1024;
	build(ENTRY, segs, VALID_COUNT);
	assert_accepted();
	assert_int_equal(plan.align, 2 * 1024 * 1024);
}

static void alignment_of_one_gib_is_accepted(void **state)
{
	struct seg segs[VALID_COUNT];

	(void)state;
	memcpy(segs, valid_segs, sizeof(segs));
	segs[0].align = GIB;
	build(ENTRY, segs, VALID_COUNT);
	assert_accepted();
	assert_true(plan.align == GIB);
}

static void zero_and_one_alignment_are_accepted(void **state)
{
	struct seg segs[VALID_COUNT];

	(void)state;
	memcpy(segs, valid_segs, sizeof(segs));
	segs[0].align = 0;
	segs[1].align = 1;
	build(ENTRY, segs, VALID_COUNT);
	assert_accepted();
	assert_int_equal(plan.align, PAGE);
}

static void same_flags_may_share_a_page(void **state)
{
	/* Two R+X pieces in one page, back to back. */
	const struct seg segs[] = {
		{ PT_LOAD, RX, 0x1000, KBASE, 0x800, 0x800, PAGE },
		{ PT_LOAD, RX, 0x1800, KBASE + 0x800, 0x800, 0x800, PAGE },
	};

	(void)state;
	build(KBASE + 0x900, segs, 2);
	assert_accepted();
	assert_int_equal(plan.segment_count, 2);
}

static void non_load_and_empty_headers_are_skipped(void **state)
{
	struct seg segs[VALID_COUNT + 2];

	(void)state;
	memcpy(segs, valid_segs, sizeof(valid_segs));
	/* A note in low memory and an empty PT_LOAD: neither is loaded. */
	segs[VALID_COUNT] = (struct seg){ PT_NOTE, RO, 0, 0, 0x10, 0x10, 4 };
	segs[VALID_COUNT + 1] = (struct seg){ PT_LOAD, RW, 0, 0x1000, 0, 0, PAGE };
	build(ENTRY, segs, VALID_COUNT + 2);
	assert_accepted();
	assert_int_equal(plan.segment_count, VALID_COUNT);
}

static void sixteen_segments_are_accepted(void **state)
{
	struct seg segs[ELF_MAX_SEGMENTS];

	(void)state;
	for (unsigned i = 0; i < ELF_MAX_SEGMENTS; i++)
		segs[i] = (struct seg){ PT_LOAD, RX, PAGE * (i + 1), KBASE + PAGE * i, PAGE, PAGE, PAGE };
	build(KBASE, segs, ELF_MAX_SEGMENTS);
	assert_accepted();
	assert_int_equal(plan.segment_count, ELF_MAX_SEGMENTS);
}

/* ------------------------------------------------------------ header rejections */

/* The ELF rule: a segment's file offset and address agree modulo the page
 * size (else its file pages could not be mapped in place). */
static void offset_and_address_must_agree_modulo_the_page(void **state)
{
	const struct seg segs[] = {
		{ PT_LOAD, RX, 0x1000, TEXT_VADDR + 0x10, 0x100, 0x100, PAGE },
	};

	(void)state;
	build(TEXT_VADDR + 0x10, segs, 1);
	assert_refused("modulo the page size");
}

/* A segment with no file bytes maps nothing from the file: its offset is
 * not held to the rule. */
static void bss_only_segment_offset_is_free(void **state)
{
	const struct seg segs[] = {
		{ PT_LOAD, RX, 0x1000, TEXT_VADDR, 0x100, 0x100, PAGE },
		{ PT_LOAD, RW, 0x1234, DATA_VADDR, 0, 0x1000, PAGE },
	};

	(void)state;
	build(TEXT_VADDR, segs, 2);
	assert_accepted();
}

static void too_small_file_is_refused(void **state)
{
	(void)state;
	build_valid();
	assert_non_null(elf_check_kernel(img.bytes, EHDR_SIZE - 1, ELF_MACHINE_X86_64, &plan));
	assert_non_null(elf_check_kernel(img.bytes, 0, ELF_MACHINE_X86_64, &plan));
	/* Exactly-sized heap copy: ASan would catch a read past the end. */
	uint8_t *copy = malloc(EHDR_SIZE - 1);
	assert_non_null(copy);
	memcpy(copy, img.bytes, EHDR_SIZE - 1);
	assert_non_null(elf_check_kernel(copy, EHDR_SIZE - 1, ELF_MACHINE_X86_64, &plan));
	free(copy);
}

static void bad_magic_is_refused(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 4; i++) {
		build_valid();
		img.bytes[i] ^= 0x20;
		assert_refused("magic");
	}
}

static void elf32_is_refused(void **state)
{
	(void)state;
	build_valid();
	img.bytes[EI_CLASS] = 1;
	assert_refused("64-bit");
}

static void big_endian_is_refused(void **state)
{
	(void)state;
	build_valid();
	img.bytes[EI_DATA] = 2;
	assert_refused("little-endian");
}

static void unknown_version_is_refused(void **state)
{
	(void)state;
	build_valid();
	img.bytes[EI_VERSION] = 0;
	assert_refused("version");
}

static void position_independent_kernel_is_refused(void **state)
{
	(void)state;
	build_valid();
	put_le(&img.bytes[E_TYPE], ET_DYN, 2);
	assert_refused("ET_DYN");
}

static void relocatable_object_is_refused(void **state)
{
	(void)state;
	build_valid();
	put_le(&img.bytes[E_TYPE], ET_REL, 2);
	assert_refused("e_type");
}

static void wrong_machine_is_refused(void **state)
{
	(void)state;
	build_valid();
	assert_null(check());
	assert_non_null(elf_check_kernel(img.bytes, img.size, ELF_MACHINE_AARCH64, &plan));
	put_le(&img.bytes[E_MACHINE], 3 /* EM_386 */, 2);
	assert_refused("machine");
}

static void wrong_phentsize_is_refused(void **state)
{
	(void)state;
	build_valid();
	put_le(&img.bytes[E_PHENTSIZE], PHDR_SIZE - 4, 2);
	assert_refused("program header size");
	put_le(&img.bytes[E_PHENTSIZE], 64, 2);
	assert_refused("program header size");
}

static void zero_program_headers_is_refused(void **state)
{
	(void)state;
	build_valid();
	put_le(&img.bytes[E_PHNUM], 0, 2);
	assert_refused("no program headers");
}

static void program_headers_beyond_eof_are_refused(void **state)
{
	(void)state;
	build_valid();
	/* The table needs one byte more than the file has. */
	put_le(&img.bytes[E_PHOFF], img.size - VALID_COUNT * PHDR_SIZE + 1, 8);
	assert_refused("program headers");
	build_valid();
	put_le(&img.bytes[E_PHNUM], 0xffff, 2);
	assert_refused("program headers");
}

static void program_header_offset_overflow_is_refused(void **state)
{
	(void)state;
	build_valid();
	put_le(&img.bytes[E_PHOFF], UINT64_MAX - 10, 8);
	assert_refused("program headers");
}

/* ------------------------------------------------------------ segment rejections */

static void filesz_above_memsz_is_refused(void **state)
{
	(void)state;
	build_valid();
	set_phdr(1, P_FILESZ, RODATA_SIZE + 1, 8);
	assert_refused("file size");
}

static void segment_data_beyond_eof_is_refused(void **state)
{
	(void)state;
	build_valid();
	set_phdr(2, P_OFFSET, img.size - DATA_FILESZ + 1, 8);
	assert_refused("outside the file");
}

static void segment_offset_overflow_is_refused(void **state)
{
	(void)state;
	build_valid();
	set_phdr(2, P_OFFSET, UINT64_MAX - 10, 8);
	assert_refused("outside the file");
}

static void segment_below_kernel_base_is_refused(void **state)
{
	(void)state;
	build_valid();
	set_phdr(1, P_VADDR, KBASE - PAGE, 8);
	assert_refused("below");
	set_phdr(1, P_VADDR, 0x100000, 8);
	assert_refused("below");
}

static void segment_wrapping_the_address_space_is_refused(void **state)
{
	(void)state;
	build_valid();
	set_phdr(2, P_VADDR, UINT64_MAX - PAGE + 1, 8);
	assert_refused("wraps");
	build_valid();
	set_phdr(2, P_MEMSZ, UINT64_MAX, 8);
	assert_refused("wraps");
}

static void overlapping_segments_are_refused(void **state)
{
	struct seg segs[VALID_COUNT];

	(void)state;
	memcpy(segs, valid_segs, sizeof(segs));
	segs[1].vaddr = TEXT_VADDR + TEXT_SIZE - PAGE; /* inside text */
	segs[1].flags = RX;
	build(ENTRY, segs, VALID_COUNT);
	assert_refused("overlap");
	/* One byte of overlap is enough. */
	memcpy(segs, valid_segs, sizeof(segs));
	segs[0].memsz = TEXT_SIZE + 1;
	segs[0].flags = RO;
	segs[1].flags = RO;
	build(RODATA_VADDR, segs, VALID_COUNT);
	assert_refused("overlap");
	/* A segment inside another. */
	memcpy(segs, valid_segs, sizeof(segs));
	segs[2].vaddr = TEXT_VADDR + 0x100;
	segs[2].offset += 0x100;
	segs[2].memsz = 0x10;
	segs[2].filesz = 0x10;
	segs[2].flags = RX;
	build(ENTRY, segs, VALID_COUNT);
	assert_refused("overlap");
}

static void different_flags_sharing_a_page_are_refused(void **state)
{
	const struct seg segs[] = {
		{ PT_LOAD, RX, 0x1000, KBASE, 0x1800, 0x1800, PAGE },
		{ PT_LOAD, RO, 0x3800, KBASE + 0x1800, 0x100, 0x100, PAGE },
	};

	(void)state;
	build(KBASE, segs, 2);
	assert_refused("share a page");
}

static void entry_outside_every_segment_is_refused(void **state)
{
	(void)state;
	build(DATA_VADDR + DATA_MEMSZ, valid_segs, VALID_COUNT);
	assert_refused("entry point");
	build(KBASE - 1, valid_segs, VALID_COUNT);
	assert_refused("entry point");
	build(0, valid_segs, VALID_COUNT);
	assert_refused("entry point");
}

static void entry_in_non_executable_segment_is_refused(void **state)
{
	(void)state;
	build(RODATA_VADDR, valid_segs, VALID_COUNT);
	assert_refused("entry point");
	build(DATA_VADDR + DATA_FILESZ, valid_segs, VALID_COUNT);
	assert_refused("entry point");
	/* The last byte of text is fine, the first byte after it is not. */
	build(TEXT_VADDR + TEXT_SIZE - 1, valid_segs, VALID_COUNT);
	assert_accepted();
}

static void seventeen_segments_are_refused(void **state)
{
	struct seg segs[ELF_MAX_SEGMENTS + 1];

	(void)state;
	for (unsigned i = 0; i < ELF_MAX_SEGMENTS + 1; i++)
		segs[i] = (struct seg){ PT_LOAD, RX, PAGE * (i + 1), KBASE + PAGE * i, PAGE, PAGE, PAGE };
	build(KBASE, segs, ELF_MAX_SEGMENTS + 1);
	assert_refused("too many");
}

static void non_power_of_two_alignment_is_refused(void **state)
{
	(void)state;
	build_valid();
	set_phdr(0, P_ALIGN, 3 * PAGE, 8);
	assert_refused("power of two");
}

static void alignment_above_one_gib_is_refused(void **state)
{
	(void)state;
	build_valid();
	set_phdr(0, P_ALIGN, 2 * GIB, 8);
	assert_refused("1 GiB");
	set_phdr(0, P_ALIGN, 1ULL << 63, 8);
	assert_refused("1 GiB");
}

static void no_loadable_segment_is_refused(void **state)
{
	const struct seg segs[] = {
		{ PT_NOTE, RO, 0x100, KBASE, 0x10, 0x10, 4 },
		{ PT_LOAD, RX, 0x1000, KBASE, 0, 0, PAGE },
	};

	(void)state;
	build(KBASE, segs, 2);
	assert_refused("no loadable");
}

/* ------------------------------------------------------------ randomized */

#define FUZZ_ROUNDS 5000
#define FUZZ_SEED 0x2545f4914f6cdd1dULL

static uint64_t rng_state;

static uint64_t rng(void)
{
	/* xorshift64*: deterministic and good enough for mutations. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static const uint64_t interesting[] = {
	0, 1, 0x7f, 0xff, 0x1000, 0xffff, UINT32_MAX, KBASE, KBASE - 1, UINT64_MAX,
	UINT64_MAX - PAGE, 1ULL << 63, GIB, 2 * GIB,
};

/* Bit flips, interesting values, or a truncation; mostly in the headers,
 * where the checker looks. */
static void mutate(uint8_t *bytes, uint64_t *size)
{
	uint64_t headers = EHDR_SIZE + VALID_COUNT * PHDR_SIZE;
	unsigned kind = (unsigned)(rng() % 4);

	switch (kind) {
	case 0: /* bit flips */
		for (unsigned n = 1 + (unsigned)(rng() % 8); n > 0; n--) {
			uint64_t at = rng() % headers;
			bytes[at] ^= (uint8_t)(1u << (rng() % 8));
		}
		break;
	case 1: { /* an interesting value over an 8-byte aligned field */
		uint64_t at = (rng() % (headers / 8)) * 8;
		put_le(&bytes[at], interesting[rng() % (sizeof(interesting) / sizeof(interesting[0]))],
		       1 + (unsigned)(rng() % 8));
		break;
	}
	case 2: /* truncation */
		*size = rng() % (*size + 1);
		break;
	default: /* random bytes anywhere */
		for (unsigned n = 1 + (unsigned)(rng() % 4); n > 0; n--)
			bytes[rng() % *size] = (uint8_t)rng();
		break;
	}
}

/* What an accepted plan must satisfy whatever the input was. */
static void assert_plan_sane(const struct elf_plan *p, uint64_t size)
{
	bool entry_ok = false;

	assert_true(p->segment_count >= 1 && p->segment_count <= ELF_MAX_SEGMENTS);
	assert_true(p->virt_base <= p->virt_end);
	assert_true(p->virt_base % PAGE == 0 && p->virt_end % PAGE == 0);
	assert_true(p->align >= PAGE && p->align <= GIB && (p->align & (p->align - 1)) == 0);
	for (unsigned i = 0; i < p->segment_count; i++) {
		const struct elf_segment *s = &p->segments[i];
		assert_true(s->vaddr >= KBASE);
		assert_true(s->filesz <= s->memsz);
		assert_true(s->offset <= size && s->filesz <= size - s->offset);
		assert_true(s->vaddr >= p->virt_base && s->vaddr + s->memsz <= p->virt_end);
		if ((s->flags & ELF_PF_X) && p->entry >= s->vaddr && p->entry - s->vaddr < s->memsz)
			entry_ok = true;
	}
	assert_true(entry_ok);
}

/* ------------------------------------------------------ user programs */

#define USER_TEXT 0x400000ULL

static const struct seg user_segs[] = {
	{ PT_LOAD, RX, 0x1000, USER_TEXT, 0x1000, 0x1000, PAGE },
	{ PT_LOAD, RO, 0x2000, USER_TEXT + 0x1000, 0x800, 0x800, PAGE },
	{ PT_LOAD, RW, 0x3000, USER_TEXT + 0x2000, 0x100, 0x4000, PAGE },
};

static const char *check_user(void)
{
	return elf_check_user(img.bytes, img.size, ELF_MACHINE_X86_64, &plan);
}

static void user_program_is_accepted_by_user_rules_only(void **state)
{
	(void)state;
	build(USER_TEXT, user_segs, 3);
	assert_null(check_user());
	assert_int_equal(plan.segment_count, 3);
	assert_true(plan.virt_base == USER_TEXT && plan.virt_end == USER_TEXT + 0x6000);
	assert_non_null(strstr(check(), "below")); /* not a kernel */
	build_valid();
	assert_non_null(strstr(check_user(), "above")); /* a kernel is not a program */
}

static void user_writable_code_is_refused(void **state)
{
	struct seg segs[3];

	(void)state;
	memcpy(segs, user_segs, sizeof(segs));
	segs[0].flags = RX | ELF_PF_W;
	build(USER_TEXT, segs, 3);
	assert_non_null(strstr(check_user(), "W^X"));
	/* The kernel's rules leave W+X to the loader's own page tables. */
	memcpy(segs, valid_segs, sizeof(segs));
	segs[0].flags = RX | ELF_PF_W;
	build(ENTRY, segs, 3);
	assert_null(check());
}

static void user_segments_stay_in_the_user_range(void **state)
{
	struct seg low[] = { { PT_LOAD, RX, 0x1000, 0x1000, 0x1000, 0x1000, PAGE } };
	struct seg high[] = { { PT_LOAD, RX, 0x1000, ELF_USER_END_VADDR - 0x1000, 0x1000, 0x2000,
				PAGE } };
	struct seg top[] = { { PT_LOAD, RX, 0x1000, ELF_USER_END_VADDR - 0x1000, 0x1000, 0x1000,
			       PAGE } };

	(void)state;
	build(0x1000, low, 1);
	assert_non_null(strstr(check_user(), "below"));
	build(ELF_USER_END_VADDR - 0x1000, high, 1);
	assert_non_null(strstr(check_user(), "above"));
	build(ELF_USER_END_VADDR - 0x1000, top, 1); /* ends exactly at the top */
	assert_null(check_user());
}

static void random_mutations_never_crash(void **state)
{
	unsigned accepted = 0;

	(void)state;
	rng_state = FUZZ_SEED;
	build_valid();
	for (unsigned round = 0; round < FUZZ_ROUNDS; round++) {
		static uint8_t scratch[IMAGE_MAX];
		uint64_t size = img.size;

		memcpy(scratch, img.bytes, size);
		for (unsigned m = 1 + (unsigned)(rng() % 3); m > 0 && size > 0; m--)
			mutate(scratch, &size);
		/* An exactly-sized heap copy, so any over-read trips ASan. */
		uint8_t *file = malloc(size ? size : 1);
		assert_non_null(file);
		memcpy(file, scratch, size);
		const char *err = elf_check_kernel(file, size, ELF_MACHINE_X86_64, &plan);
		if (err) {
			assert_true(strlen(err) > 0);
		} else {
			accepted++;
			assert_plan_sane(&plan, size);
		}
		free(file);
	}
	/* Some mutations (in padding, unused fields) must leave it valid. */
	assert_true(accepted > 0);
}


/* ------------------------------------------------------------ role notes */

/* A user program (user_segs) whose PT_NOTE covers `note_size` bytes at the
 * start of its read-only segment, as user/linker.ld lays it out. */
#define NOTE_OFFSET 0x2000ULL
#define NOTE_VADDR (USER_TEXT + 0x1000)
#define NT_GNU_BUILD_ID 3

static char role[MODULE_ROLE_MAX + 1];

/* Writes one note at `at` (aligned to `align`); returns where the next one
 * starts. As the ELF rules say, the descriptor and the next note start at
 * `align`-aligned offsets from the note's start. */
static uint64_t put_note(uint64_t at, uint32_t namesz, const char *name, uint32_t descsz,
			 const void *desc, uint32_t type, uint64_t align)
{
	uint64_t desc_at = at + (12 + namesz + align - 1) / align * align;

	put_le(&img.bytes[at], namesz, 4);
	put_le(&img.bytes[at + 4], descsz, 4);
	put_le(&img.bytes[at + 8], type, 4);
	memcpy(&img.bytes[at + 12], name, namesz);
	memcpy(&img.bytes[desc_at], desc, descsz);
	return at + (desc_at - at + descsz + align - 1) / align * align;
}

static uint64_t put_role_note(uint64_t at, const char *r)
{
	return put_note(at, 8, ELF_NOTE_CAMBIOS_OWNER, (uint32_t)strlen(r) + 1, r,
			ELF_NOTE_CAMBIOS_MODULE, 4);
}

/* The program with a PT_NOTE of `note_size` bytes (align `align`). */
static void build_noted(uint64_t note_size, uint64_t align)
{
	const struct seg segs[] = {
		user_segs[0], user_segs[1], user_segs[2],
		{ PT_NOTE, RO, NOTE_OFFSET, NOTE_VADDR, note_size, note_size, align },
	};

	build(USER_TEXT, segs, 4);
}

/* A program whose only note is the role note for `r`. */
static void build_with_role(const char *r)
{
	build_noted(0x800, 4); /* rewritten below to the note's exact size */
	uint64_t end = put_role_note(NOTE_OFFSET, r);
	set_phdr(3, P_FILESZ, end - NOTE_OFFSET, 8);
	set_phdr(3, P_MEMSZ, end - NOTE_OFFSET, 8);
}

/* elf_module_role over an exactly-sized heap copy, so any over-read trips
 * ASan; a refusal must leave `role` empty. */
static const char *read_role(void)
{
	uint8_t *copy = malloc(img.size ? img.size : 1);

	assert_non_null(copy);
	memcpy(copy, img.bytes, img.size);
	memset(role, 'x', sizeof(role));
	const char *err = elf_module_role(copy, img.size, role);
	free(copy);
	if (err)
		assert_string_equal(role, "");
	return err;
}

static void assert_role_refused(const char *fragment)
{
	assert_reason(read_role(), fragment);
}

static void role_note_is_read_and_the_program_still_loads(void **state)
{
	(void)state;
	build_with_role("hello");
	assert_null(read_role());
	assert_string_equal(role, "hello");
	/* The loader ignores the PT_NOTE: the program is unchanged for it. */
	assert_null(check_user());
	assert_int_equal(plan.segment_count, 3);
}

static void program_without_notes_has_no_role(void **state)
{
	(void)state;
	build(USER_TEXT, user_segs, 3);
	assert_ptr_equal(read_role(), MODULE_ROLE_NONE);
	/* An empty PT_NOTE is no role either. */
	build_noted(0, 4);
	assert_ptr_equal(read_role(), MODULE_ROLE_NONE);
}

static void notes_of_other_owners_and_types_are_skipped(void **state)
{
	static const uint8_t id[20] = { 1, 2, 3 };
	uint64_t end;

	(void)state;
	/* A GNU build-id before the role note: skipped, the role is found. */
	build_noted(0x800, 4);
	end = put_note(NOTE_OFFSET, 4, "GNU", sizeof(id), id, NT_GNU_BUILD_ID, 4);
	end = put_role_note(end, "hello");
	set_phdr(3, P_FILESZ, end - NOTE_OFFSET, 8);
	assert_null(read_role());
	assert_string_equal(role, "hello");
	/* Only other owners' notes, or CambiOS notes of another type: no role. */
	build_noted(0x800, 4);
	end = put_note(NOTE_OFFSET, 4, "GNU", sizeof(id), id, NT_GNU_BUILD_ID, 4);
	end = put_note(end, 8, "CambiOX", 6, "hello", ELF_NOTE_CAMBIOS_MODULE, 4);
	end = put_note(end, 7, "CambiO", 6, "hello", ELF_NOTE_CAMBIOS_MODULE, 4);
	end = put_note(end, 8, "cambios", 6, "hello", ELF_NOTE_CAMBIOS_MODULE, 4);
	end = put_note(end, 8, ELF_NOTE_CAMBIOS_OWNER, 6, "hello", 2, 4);
	set_phdr(3, P_FILESZ, end - NOTE_OFFSET, 8);
	assert_ptr_equal(read_role(), MODULE_ROLE_NONE);
}

static void role_note_in_an_eight_byte_aligned_segment_is_read(void **state)
{
	uint64_t end;

	(void)state;
	/* With p_align 8 the GNU note (12 + 4 + 4 bytes) pads to 24, so the
	 * role note starts at 24, not at 20 as with 4-byte padding. */
	build_noted(0x800, 8);
	end = put_note(NOTE_OFFSET, 4, "GNU", 4, "abcd", NT_GNU_BUILD_ID, 8);
	assert_int_equal(end - NOTE_OFFSET, 24);
	end = put_note(end, 8, ELF_NOTE_CAMBIOS_OWNER, 6, "hello", ELF_NOTE_CAMBIOS_MODULE, 8);
	set_phdr(3, P_FILESZ, end - NOTE_OFFSET, 8);
	assert_null(read_role());
	assert_string_equal(role, "hello");
}

static void two_role_notes_are_refused(void **state)
{
	uint64_t end;

	(void)state;
	build_noted(0x800, 4);
	end = put_role_note(NOTE_OFFSET, "hello");
	end = put_role_note(end, "kernel-symbols");
	set_phdr(3, P_FILESZ, end - NOTE_OFFSET, 8);
	assert_role_refused("more than one");
	/* Two PT_NOTE headers over the same note count twice as well. */
	const struct seg segs[] = {
		user_segs[0], user_segs[1], user_segs[2],
		{ PT_NOTE, RO, NOTE_OFFSET, NOTE_VADDR, 0x1c, 0x1c, 4 },
		{ PT_NOTE, RO, NOTE_OFFSET, NOTE_VADDR, 0x1c, 0x1c, 4 },
	};
	build(USER_TEXT, segs, 5);
	put_role_note(NOTE_OFFSET, "hello");
	assert_role_refused("more than one");
}

static void truncated_notes_are_refused(void **state)
{
	(void)state;
	/* The segment ends inside the descriptor, the owner, the header. */
	static const uint64_t sizes[] = { 0x1c - 4, 0x14, 0x10, 12, 11, 1 };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		build_with_role("hello");
		set_phdr(3, P_FILESZ, sizes[i], 8);
		assert_role_refused("past its segment");
	}
	/* Missing padding after the last descriptor is fine ("hello\0" is 6
	 * bytes, padded to 8). */
	build_with_role("hello");
	set_phdr(3, P_FILESZ, 0x1a, 8);
	assert_null(read_role());
}

static void bad_roles_in_the_note_are_refused(void **state)
{
	(void)state;
	build_with_role("Hello");
	assert_role_refused("outside [a-z0-9._-]");
	build_with_role("hello world");
	assert_role_refused("outside [a-z0-9._-]");
	build_with_role("");
	assert_role_refused("empty");
	build_with_role("hello");
	put_le(&img.bytes[NOTE_OFFSET + 4], 5, 4); /* descsz without the NUL */
	assert_role_refused("NUL");
}

static void overlong_role_is_refused(void **state)
{
	char r[MODULE_ROLE_MAX + 2];

	(void)state;
	memset(r, 'a', sizeof(r));
	r[MODULE_ROLE_MAX] = '\0';
	build_with_role(r);
	assert_null(read_role());
	assert_int_equal(strlen(role), MODULE_ROLE_MAX);
	r[MODULE_ROLE_MAX] = 'a';
	r[MODULE_ROLE_MAX + 1] = '\0';
	build_with_role(r);
	assert_role_refused("longer than 31");
}

static void note_past_the_end_of_the_file_is_refused(void **state)
{
	(void)state;
	/* The file ends before the note's segment does. */
	build_with_role("hello");
	img.size = NOTE_OFFSET + 0x10;
	assert_role_refused("outside the file");
	/* The PT_NOTE header points past the end. */
	build_with_role("hello");
	set_phdr(3, P_OFFSET, img.size - 0x1c + 1, 8);
	assert_role_refused("outside the file");
	/* The headers themselves lie outside a truncated file. */
	build_with_role("hello");
	img.size = EHDR_SIZE + 2 * PHDR_SIZE;
	assert_role_refused("program headers");
}

static void huge_sizes_are_refused(void **state)
{
	(void)state;
	build_with_role("hello");
	set_phdr(3, P_FILESZ, UINT64_MAX, 8);
	assert_role_refused("outside the file");
	build_with_role("hello");
	set_phdr(3, P_OFFSET, UINT64_MAX - 10, 8);
	assert_role_refused("outside the file");
	build_with_role("hello");
	put_le(&img.bytes[NOTE_OFFSET], UINT32_MAX, 4); /* namesz */
	assert_role_refused("past its segment");
	build_with_role("hello");
	put_le(&img.bytes[NOTE_OFFSET + 4], UINT32_MAX, 4); /* descsz */
	assert_role_refused("past its segment");
	build_with_role("hello");
	put_le(&img.bytes[NOTE_OFFSET + 4], UINT32_MAX - 2, 4); /* pads to 2^32 */
	assert_role_refused("past its segment");
}

static void too_many_note_headers_are_refused(void **state)
{
	struct seg segs[3 + ELF_MAX_NOTE_HEADERS + 1];

	(void)state;
	memcpy(segs, user_segs, sizeof(user_segs));
	for (unsigned i = 3; i < 3 + ELF_MAX_NOTE_HEADERS + 1; i++)
		segs[i] = (struct seg){ PT_NOTE, RO, NOTE_OFFSET, NOTE_VADDR, 0, 0, 4 };
	build(USER_TEXT, segs, 3 + ELF_MAX_NOTE_HEADERS);
	assert_ptr_equal(read_role(), MODULE_ROLE_NONE);
	build(USER_TEXT, segs, 3 + ELF_MAX_NOTE_HEADERS + 1);
	assert_role_refused("too many note headers");
}

static void non_elf_files_have_no_note_role(void **state)
{
	static const char sym[] = "cambios-module kernel-symbols\nffffffff80000000 _start\n";

	(void)state;
	memcpy(img.bytes, sym, sizeof(sym) - 1);
	img.size = sizeof(sym) - 1;
	assert_role_refused("not an ELF");
	build_with_role("hello");
	img.size = EHDR_SIZE - 1;
	assert_role_refused("not an ELF");
	build_with_role("hello");
	img.bytes[EI_CLASS] = 1;
	assert_role_refused("64-bit");
	build_with_role("hello");
	put_le(&img.bytes[E_PHENTSIZE], 32, 2);
	assert_role_refused("program header size");
}

static void random_mutations_of_notes_never_crash(void **state)
{
	unsigned found = 0;

	(void)state;
	rng_state = FUZZ_SEED ^ 0x6e6f7465ULL; /* "note" */
	for (unsigned round = 0; round < FUZZ_ROUNDS; round++) {
		build_with_role("hello");
		for (unsigned n = 1 + (unsigned)(rng() % 4); n > 0; n--) {
			switch (rng() % 4) {
			case 0: /* a byte of the note */
				img.bytes[NOTE_OFFSET + rng() % 0x20] = (uint8_t)rng();
				break;
			case 1: /* a note word */
				put_le(&img.bytes[NOTE_OFFSET + 4 * (rng() % 3)],
				       interesting[rng() % (sizeof(interesting) / sizeof(interesting[0]))], 4);
				break;
			case 2: /* the PT_NOTE header */
				set_phdr(3, P_OFFSET + 8 * (rng() % 6),
					 interesting[rng() % (sizeof(interesting) / sizeof(interesting[0]))], 8);
				break;
			default: /* truncation */
				img.size = rng() % (img.size + 1);
				break;
			}
		}
		const char *err = read_role();
		if (err) {
			assert_true(strlen(err) > 0);
		} else {
			found++;
			assert_true(strlen(role) >= 1 && strlen(role) <= MODULE_ROLE_MAX);
			assert_int_equal(strspn(role, "abcdefghijklmnopqrstuvwxyz0123456789._-"),
					 strlen(role));
		}
	}
	assert_true(found > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_kernel_is_accepted_with_exact_plan),
		cmocka_unit_test(user_program_is_accepted_by_user_rules_only),
		cmocka_unit_test(user_writable_code_is_refused),
		cmocka_unit_test(user_segments_stay_in_the_user_range),
		cmocka_unit_test(aarch64_kernel_is_accepted_for_aarch64_only),
		cmocka_unit_test(unsorted_segments_give_the_same_extent),
		cmocka_unit_test(unaligned_extent_is_rounded_to_pages),
		cmocka_unit_test(largest_alignment_wins),
		cmocka_unit_test(alignment_of_one_gib_is_accepted),
		cmocka_unit_test(zero_and_one_alignment_are_accepted),
		cmocka_unit_test(same_flags_may_share_a_page),
		cmocka_unit_test(non_load_and_empty_headers_are_skipped),
		cmocka_unit_test(sixteen_segments_are_accepted),
		cmocka_unit_test(offset_and_address_must_agree_modulo_the_page),
		cmocka_unit_test(bss_only_segment_offset_is_free),
		cmocka_unit_test(too_small_file_is_refused),
		cmocka_unit_test(bad_magic_is_refused),
		cmocka_unit_test(elf32_is_refused),
		cmocka_unit_test(big_endian_is_refused),
		cmocka_unit_test(unknown_version_is_refused),
		cmocka_unit_test(position_independent_kernel_is_refused),
		cmocka_unit_test(relocatable_object_is_refused),
		cmocka_unit_test(wrong_machine_is_refused),
		cmocka_unit_test(wrong_phentsize_is_refused),
		cmocka_unit_test(zero_program_headers_is_refused),
		cmocka_unit_test(program_headers_beyond_eof_are_refused),
		cmocka_unit_test(program_header_offset_overflow_is_refused),
		cmocka_unit_test(filesz_above_memsz_is_refused),
		cmocka_unit_test(segment_data_beyond_eof_is_refused),
		cmocka_unit_test(segment_offset_overflow_is_refused),
		cmocka_unit_test(segment_below_kernel_base_is_refused),
		cmocka_unit_test(segment_wrapping_the_address_space_is_refused),
		cmocka_unit_test(overlapping_segments_are_refused),
		cmocka_unit_test(different_flags_sharing_a_page_are_refused),
		cmocka_unit_test(entry_outside_every_segment_is_refused),
		cmocka_unit_test(entry_in_non_executable_segment_is_refused),
		cmocka_unit_test(seventeen_segments_are_refused),
		cmocka_unit_test(non_power_of_two_alignment_is_refused),
		cmocka_unit_test(alignment_above_one_gib_is_refused),
		cmocka_unit_test(no_loadable_segment_is_refused),
		cmocka_unit_test(random_mutations_never_crash),
		cmocka_unit_test(role_note_is_read_and_the_program_still_loads),
		cmocka_unit_test(program_without_notes_has_no_role),
		cmocka_unit_test(notes_of_other_owners_and_types_are_skipped),
		cmocka_unit_test(role_note_in_an_eight_byte_aligned_segment_is_read),
		cmocka_unit_test(two_role_notes_are_refused),
		cmocka_unit_test(truncated_notes_are_refused),
		cmocka_unit_test(bad_roles_in_the_note_are_refused),
		cmocka_unit_test(overlong_role_is_refused),
		cmocka_unit_test(note_past_the_end_of_the_file_is_refused),
		cmocka_unit_test(huge_sizes_are_refused),
		cmocka_unit_test(too_many_note_headers_are_refused),
		cmocka_unit_test(non_elf_files_have_no_note_role),
		cmocka_unit_test(random_mutations_of_notes_never_crash),
	};

	return cmocka_run_group_tests_name("elf", tests, NULL, NULL);
}
