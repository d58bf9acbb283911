/*
 * program: loading a verified user program (an ELF executable) into an
 * address space.
 *
 * The layout is the seed's: code from 0x400000 (ELF_USER_MIN_VADDR) and a
 * PROGRAM_STACK_SIZE stack just below PROGRAM_STACK_TOP, with one
 * unmapped guard page below the stack that no segment may take. The file is held
 * to the user rules of lib/elf.h (W^X, user range, no overlap); each
 * segment's pages get exactly its permissions -- read-only, read+execute
 * or read+write, never write+execute -- and the stack is read+write, never
 * executable. The bytes are copied in through the direct map, so no page
 * is ever writable from user mode just to be filled.
 *
 * All or nothing: on any error nothing stays mapped and no page frame stays
 * allocated. (Page-table pages made on the way stay with the address
 * space, like all its tables, until it is destroyed.)
 */
#ifndef CAMBIOS_PROGRAM_H
#define CAMBIOS_PROGRAM_H

#include <kerr.h>
#include <stddef.h>
#include <stdint.h>
#include <vm.h>

#define PROGRAM_STACK_TOP 0x800000ULL
#define PROGRAM_STACK_SIZE (64ULL * 1024)

struct program_image {
	uint64_t entry;
	uint64_t stack_top;     /* the initial stack pointer */
	unsigned segments;      /* loadable segments mapped */
	uint64_t pages;         /* pages mapped for the segments (stack excluded) */
};

/* Loads the `size`-byte ELF at `elf` into `as` (an address space with no
 * user mappings yet). Errors: K_EINVAL with *reason naming the problem
 * (the ELF rules, or a segment in the stack's place), K_ENOMEM. */
__must_check kerr_t program_load(struct address_space *as, const void *elf, size_t size,
				 struct program_image *out, const char **reason);

#endif
