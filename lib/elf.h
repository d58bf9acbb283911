/*
 * elf: validating an ELF executable and planning where its segments go --
 * the kernel for the loader, user programs for the kernel.
 *
 * Portable and side-effect free: the checks read untrusted file bytes and
 * either fill a load plan or name the first problem found. Every size and
 * offset is checked for overflow before use, because the file may be
 * corrupt or hostile. Callers copy segments only after the whole plan has
 * been accepted.
 *
 * Accepted: ELF64, little-endian, ET_EXEC for the expected machine, PT_LOAD
 * segments inside the allowed address range that do not overlap, whose
 * file bytes lie inside the file, and that share a 4 KiB page only with
 * segments of equal permissions; the entry point must lie inside an
 * executable segment. Position-independent (ET_DYN) files are refused:
 * nothing here relocates.
 *
 * The ranges: a kernel lives at or above 0xffffffff80000000 (the Limine
 * rule). A user program lives in [ELF_USER_MIN_VADDR, ELF_USER_END_VADDR)
 * -- never in the first 4 MiB, never in the kernel's half -- and is held
 * to W^X: no segment may be both writable and executable.
 *
 * A program also says what it is -- its role, see module_role.h -- in an
 * ELF note inside its signed bytes: owner "CambiOS", type
 * ELF_NOTE_CAMBIOS_MODULE, descriptor the NUL-terminated role, in a
 * PT_NOTE program header (user/lib/module.h writes it, user/linker.ld
 * keeps it). The loaders ignore non-PT_LOAD headers, so the note costs a
 * program nothing.
 */
#ifndef CAMBIOS_ELF_H
#define CAMBIOS_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "module_role.h"

#define ELF_MACHINE_X86_64 62
#define ELF_MACHINE_AARCH64 183
#define ELF_MAX_SEGMENTS 16
#define ELF_KERNEL_MIN_VADDR 0xffffffff80000000ULL
#define ELF_USER_MIN_VADDR 0x400000ULL          /* the seed's user code address */
#define ELF_USER_END_VADDR 0x0000800000000000ULL /* the top of the lower half */
#define ELF_NOTE_CAMBIOS_OWNER "CambiOS"        /* namesz 8, the NUL included */
#define ELF_NOTE_CAMBIOS_MODULE 1               /* descriptor: the module's role */
#define ELF_MAX_NOTE_HEADERS 16                 /* bounds the work on a hostile file */

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

/* What elf_check promises of every segment of an accepted plan: its file
 * bytes lie inside the file (what the loaders copy from) and its memory
 * inside the rules' range. */
/*@ predicate elf_segment_fits(struct elf_segment s, integer size, integer lo, integer hi) =
	s.filesz <= s.memsz && s.offset + s.filesz <= size &&
	lo <= s.vaddr && s.vaddr + s.memsz <= hi; */

/* What a file must satisfy beyond the common rules above. */
struct elf_rules {
	uint16_t machine;
	uint64_t min_vaddr; /* segments start at or above this */
	uint64_t end_vaddr; /* ... and end at or below this */
	bool write_xor_execute;
};

/* Checks `size` bytes at `file` against `rules`. Returns NULL and fills
 * `plan` if acceptable, else a static string naming the problem. */
/*@ requires \valid_read((const uint8_t *)file + (0 .. size - 1));
    requires \valid_read(rules) && \valid(plan);
    requires \separated(plan, rules, (const uint8_t *)file + (0 .. size - 1));
    assigns *plan;
    ensures \result == \null ==> 1 <= plan->segment_count <= ELF_MAX_SEGMENTS;
    ensures \result == \null ==> \forall integer k; 0 <= k < plan->segment_count ==>
	elf_segment_fits(plan->segments[k], size, rules->min_vaddr, rules->end_vaddr); */
const char *elf_check(const void *file, uint64_t size, const struct elf_rules *rules,
		      struct elf_plan *plan);

/* The kernel's rules (for the loader) and a user program's (for the
 * kernel), for `machine`. */
/*@ requires \valid_read((const uint8_t *)file + (0 .. size - 1)) && \valid(plan);
    requires \separated(plan, (const uint8_t *)file + (0 .. size - 1));
    assigns *plan;
    ensures \result == \null ==> 1 <= plan->segment_count <= ELF_MAX_SEGMENTS;
    ensures \result == \null ==> \forall integer k; 0 <= k < plan->segment_count ==>
	elf_segment_fits(plan->segments[k], size, ELF_KERNEL_MIN_VADDR, UINT64_MAX); */
const char *elf_check_kernel(const void *file, uint64_t size, uint16_t machine,
			     struct elf_plan *plan);
/*@ requires \valid_read((const uint8_t *)file + (0 .. size - 1)) && \valid(plan);
    requires \separated(plan, (const uint8_t *)file + (0 .. size - 1));
    assigns *plan;
    ensures \result == \null ==> 1 <= plan->segment_count <= ELF_MAX_SEGMENTS;
    ensures \result == \null ==> \forall integer k; 0 <= k < plan->segment_count ==>
	elf_segment_fits(plan->segments[k], size, ELF_USER_MIN_VADDR, ELF_USER_END_VADDR); */
const char *elf_check_user(const void *file, uint64_t size, uint16_t machine,
			   struct elf_plan *plan);

/* Reads the module role from the CambiOS note of the `size`-byte ELF at
 * `file`. Every note of every PT_NOTE header (at most
 * ELF_MAX_NOTE_HEADERS) is walked within the file's bounds; notes of other
 * owners and types are skipped. Returns NULL with the role in `role`;
 * MODULE_ROLE_NONE if the file has no CambiOS module note; else a static
 * string naming the problem (malformed notes, more than one role note, an
 * invalid role). `role` is empty unless NULL is returned. Only the header
 * fields notes need are checked: elf_check_user decides about loading. */
/*@ requires \valid_read((const uint8_t *)file + (0 .. size - 1));
    requires \valid(role + (0 .. MODULE_ROLE_MAX));
    requires \separated(role + (0 .. MODULE_ROLE_MAX), (const uint8_t *)file + (0 .. size - 1));
    assigns role[0 .. MODULE_ROLE_MAX];
    ensures \result != \null ==> role[0] == '\0'; */
const char *elf_module_role(const void *file, uint64_t size, char role[MODULE_ROLE_MAX + 1]);

/* Whether the `size` bytes at `file` start with the ELF magic (what tells
 * a program module from a data module; the checks above say the rest). */
/*@ requires \valid_read((const uint8_t *)file + (0 .. size - 1));
    assigns \nothing;
    ensures \result ==> size >= 4; */
bool elf_has_magic(const void *file, uint64_t size);

#endif
