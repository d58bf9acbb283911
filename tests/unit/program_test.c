/*
 * program_test: loading user programs (kernel/proc/program.c) into real
 * address spaces on host memory.
 *
 * A program's pages carry exactly its segments' permissions and bytes
 * (zero-filled tails included), the stack sits below 0x800000, and every
 * refusal -- a broken ELF, a W+X segment, a segment in the stack's place,
 * running out of frames -- leaves nothing mapped and no page frame
 * allocated (page-table pages stay with the space until it is destroyed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../support/assert_reason.h"
#include <stdlib.h>
#include <string.h>

#include <arch.h>
#include <elf.h>
#include <frame.h>
#include <hhdm.h>
#include <process.h>
#include <program.h>

#include "../support/elf_build.h"
#include "../support/host_world.h"
#include <xorshift.h>

#define PAGE 0x1000ULL
#define TEXT 0x400000ULL
#define RODATA 0x401000ULL
#define DATA 0x402000ULL
#define IMAGE_MAX 0x6000

static uint8_t file[IMAGE_MAX];
static size_t file_size;
static struct address_space *space;
static kpid_t pid;

static const struct elf_build_segment program[] = {
	{ ELF_BUILD_PT_LOAD, ELF_PF_R | ELF_PF_X, 0x1000, TEXT, 0x1000, 0x1000, PAGE },
	{ ELF_BUILD_PT_LOAD, ELF_PF_R, 0x2000, RODATA, 0x800, 0x800, PAGE },
	{ ELF_BUILD_PT_LOAD, ELF_PF_R | ELF_PF_W, 0x3000, DATA, 0x100, 0x2100, PAGE },
};

/* Builds `segs` with recognisable bytes: file offset i holds (i * 7). */
static void build(const struct elf_build_segment *segs, unsigned n, uint64_t entry)
{
	file_size = elf_build(file, sizeof(file), arch_elf_machine, entry, segs, n);
	assert_true(file_size > 0);
	for (size_t i = ELF_BUILD_EHDR_SIZE + n * ELF_BUILD_PHDR_SIZE; i < file_size; i++)
		file[i] = (uint8_t)(i * 7);
}

static int boot(void **state)
{
	(void)state;
	if (host_world_boot_processes() != 0 || process_create("program", &pid) != K_OK)
		return -1;
	space = process_address_space(pid);
	return space ? 0 : -1;
}

/* The user bytes at `va` (a mapped page), through the direct map. */
static const uint8_t *user_bytes(uint64_t va, unsigned *flags)
{
	uint64_t pa;

	assert_int_equal(vm_translate(space, va, &pa, flags), K_OK);
	return phys_to_virt(pa);
}

static void assert_page(uint64_t va, unsigned want_flags)
{
	unsigned flags;

	(void)user_bytes(va, &flags);
	assert_int_equal(flags & (VM_USER | VM_WRITE | VM_EXEC), want_flags);
}

static void assert_unmapped(uint64_t va)
{
	uint64_t pa;
	unsigned flags;

	assert_int_not_equal(vm_translate(space, va, &pa, &flags), K_OK);
}

static void segments_get_their_bytes_and_permissions(void **state)
{
	struct program_image image;
	const char *reason = NULL;
	unsigned flags;

	(void)state;
	build(program, 3, TEXT + 0x10);
	assert_int_equal(program_load(space, file, file_size, &image, &reason), K_OK);
	assert_null(reason);
	assert_int_equal(image.entry, TEXT + 0x10);
	assert_int_equal(image.stack_top, PROGRAM_STACK_TOP);
	assert_int_equal(image.segments, 3);
	assert_int_equal(image.pages, 1 + 1 + 3);

	assert_page(TEXT, VM_USER | VM_EXEC);
	assert_memory_equal(user_bytes(TEXT, &flags), file + 0x1000, 0x1000);
	assert_page(RODATA, VM_USER);
	assert_memory_equal(user_bytes(RODATA, &flags), file + 0x2000, 0x800);
	for (uint64_t va = DATA; va < DATA + 0x3000; va += PAGE)
		assert_page(va, VM_USER | VM_WRITE);
	const uint8_t *data = user_bytes(DATA, &flags);
	assert_memory_equal(data, file + 0x3000, 0x100);
	for (size_t i = 0x100; i < PAGE; i++)
		assert_int_equal(data[i], 0); /* .bss is zero */
	assert_unmapped(DATA + 0x3000);

	for (uint64_t va = PROGRAM_STACK_TOP - PROGRAM_STACK_SIZE; va < PROGRAM_STACK_TOP; va += PAGE)
		assert_page(va, VM_USER | VM_WRITE);
	assert_unmapped(PROGRAM_STACK_TOP - PROGRAM_STACK_SIZE - PAGE); /* a guard gap */
	assert_unmapped(PROGRAM_STACK_TOP);
}

static void segments_sharing_a_page_map_it_once(void **state)
{
	const struct elf_build_segment segs[] = {
		{ ELF_BUILD_PT_LOAD, ELF_PF_R | ELF_PF_X, 0x1000, TEXT, 0x800, 0x800, PAGE },
		{ ELF_BUILD_PT_LOAD, ELF_PF_R | ELF_PF_X, 0x1800, TEXT + 0x800, 0x800, 0x800, PAGE },
	};
	struct program_image image;
	const char *reason;
	unsigned flags;

	(void)state;
	build(segs, 2, TEXT);
	assert_int_equal(program_load(space, file, file_size, &image, &reason), K_OK);
	assert_int_equal(image.pages, 1);
	assert_memory_equal(user_bytes(TEXT, &flags), file + 0x1000, 0x1000);
}

/* Loads and expects refusal with `fragment` in the reason and not one
 * frame more in use. */
static void assert_refused(const char *fragment)
{
	uint64_t free_before = frame_free_count();
	struct program_image image;
	const char *reason = NULL;

	assert_int_not_equal(program_load(space, file, file_size, &image, &reason), K_OK);
	assert_reason(reason, fragment);
	assert_int_equal(frame_free_count(), free_before);
	assert_unmapped(TEXT);
	assert_unmapped(PROGRAM_STACK_TOP - PAGE);
}

static void writable_code_is_refused(void **state)
{
	struct elf_build_segment segs[3];

	(void)state;
	memcpy(segs, program, sizeof(segs));
	segs[0].flags |= ELF_PF_W;
	build(segs, 3, TEXT);
	assert_refused("W^X");
}

static void a_segment_in_the_stack_is_refused(void **state)
{
	const struct elf_build_segment segs[] = {
		{ ELF_BUILD_PT_LOAD, ELF_PF_R | ELF_PF_X, 0x1000, 0x7f8000, 0x1000, 0x1000, PAGE },
	};

	(void)state;
	build(segs, 1, 0x7f8000);
	assert_refused("stack");
}

/* A data segment ending exactly where the stack's guard page begins is
 * fine; one ending at the stack itself would take the guard page. */
static void the_stack_guard_page_is_kept_free(void **state)
{
	const uint64_t guard = PROGRAM_STACK_TOP - PROGRAM_STACK_SIZE - PAGE;
	const struct elf_build_segment below[] = {
		{ ELF_BUILD_PT_LOAD, ELF_PF_R | ELF_PF_X, 0x1000, 0x400000, 0x1000, 0x1000, PAGE },
		{ ELF_BUILD_PT_LOAD, ELF_PF_R | ELF_PF_W, 0x2000, guard - PAGE, 0x10, PAGE, PAGE },
	};
	const struct elf_build_segment touching[] = {
		{ ELF_BUILD_PT_LOAD, ELF_PF_R | ELF_PF_X, 0x1000, 0x400000, 0x1000, 0x1000, PAGE },
		{ ELF_BUILD_PT_LOAD, ELF_PF_R | ELF_PF_W, 0x2000, guard - PAGE, 0x10, 2 * PAGE, PAGE },
	};
	struct program_image image;
	const char *reason = NULL;

	(void)state;
	build(below, 2, 0x400000);
	assert_int_equal(program_load(space, file, file_size, &image, &reason), K_OK);
	assert_unmapped(guard);
	assert_int_equal(process_destroy(pid), K_OK);
	assert_int_equal(process_create("program", &pid), K_OK);
	space = process_address_space(pid);
	build(touching, 2, 0x400000);
	assert_refused("guard page");
}

static void kernel_addresses_are_refused(void **state)
{
	const struct elf_build_segment segs[] = {
		{ ELF_BUILD_PT_LOAD, ELF_PF_R | ELF_PF_X, 0x1000, ELF_KERNEL_MIN_VADDR, 0x1000, 0x1000,
		  PAGE },
	};

	(void)state;
	build(segs, 1, ELF_KERNEL_MIN_VADDR);
	assert_refused("above");
	file_size = 10;
	assert_refused("too small");
}

static void running_out_of_frames_leaves_nothing_behind(void **state)
{
	uint64_t free_before = frame_free_count();
	struct program_image image;
	const char *reason = NULL;
	paddr_t held[4096];
	size_t n = 0;
	kpid_t p;

	(void)state;
	assert_int_equal(process_create("starved", &p), K_OK);
	space = process_address_space(p);
	build(program, 3, TEXT);
	/* Leave as many frames as the program's pages and stack: the loader's
	 * estimate passes, but the page tables it needs on the way make the
	 * stack fail after every segment is mapped -- then all must go. */
	const uint64_t leave = 5 + PROGRAM_STACK_SIZE / PAGE;
	while (frame_free_count() > leave && n < sizeof(held) / sizeof(held[0]))
		assert_int_equal(frame_alloc(&held[n++]), K_OK);
	assert_int_equal(frame_free_count(), leave);
	assert_int_equal(program_load(space, file, file_size, &image, &reason), K_ENOMEM);
	assert_non_null(strstr(reason, "memory"));
	assert_unmapped(TEXT);
	assert_unmapped(DATA);
	assert_unmapped(PROGRAM_STACK_TOP - PAGE);
	while (n > 0)
		assert_int_equal(frame_free(held[--n]), K_OK);
	/* Page-table pages stay with the space until it goes. */
	assert_int_equal(process_destroy(p), K_OK);
	assert_int_equal(frame_free_count(), free_before);
}

static void a_program_larger_than_memory_is_refused_untouched(void **state)
{
	const struct elf_build_segment huge[] = {
		program[0],
		{ ELF_BUILD_PT_LOAD, ELF_PF_R | ELF_PF_W, 0x2000, 0x1000000, 0x10, 1ULL << 40, PAGE },
	};

	(void)state;
	build(huge, 2, TEXT); /* a terabyte of .bss */
	assert_refused("memory");
}

static void destroying_the_process_returns_every_frame(void **state)
{
	struct program_image image;
	const char *reason;
	kpid_t other;

	(void)state;
	uint64_t free_before = frame_free_count();
	assert_int_equal(process_create("other", &other), K_OK);
	build(program, 3, TEXT);
	assert_int_equal(program_load(process_address_space(other), file, file_size, &image, &reason),
			 K_OK);
	assert_true(frame_free_count() < free_before);
	assert_int_equal(process_destroy(other), K_OK);
	assert_int_equal(frame_free_count(), free_before);
}

/* Mutated programs: loaded or refused, never a crash, and a refusal
 * leaves nothing behind. */
static void mutated_programs_load_or_are_refused_cleanly(void **state)
{
	uint64_t rng_state = 0x6a09e667f3bcc908ull;
	unsigned loaded = 0;

	(void)state;
	for (unsigned round = 0; round < 3000; round++) {
		build(program, 3, TEXT);
		for (unsigned m = 0; m < 1 + xorshift64(&rng_state) % 3; m++) {
			size_t at = xorshift64(&rng_state) % (ELF_BUILD_EHDR_SIZE + 3 * ELF_BUILD_PHDR_SIZE);
			file[at] ^= (uint8_t)(1u << (xorshift64(&rng_state) % 8));
		}
		uint64_t free_before = frame_free_count();
		struct program_image image;
		const char *reason;
		kpid_t p;
		assert_int_equal(process_create("mutant", &p), K_OK);
		if (program_load(process_address_space(p), file, file_size, &image, &reason) == K_OK)
			loaded++;
		assert_int_equal(process_destroy(p), K_OK);
		assert_int_equal(frame_free_count(), free_before);
	}
	assert_true(loaded > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(segments_get_their_bytes_and_permissions, boot),
		cmocka_unit_test_setup(segments_sharing_a_page_map_it_once, boot),
		cmocka_unit_test_setup(writable_code_is_refused, boot),
		cmocka_unit_test_setup(a_segment_in_the_stack_is_refused, boot),
		cmocka_unit_test_setup(the_stack_guard_page_is_kept_free, boot),
		cmocka_unit_test_setup(kernel_addresses_are_refused, boot),
		cmocka_unit_test_setup(running_out_of_frames_leaves_nothing_behind, boot),
		cmocka_unit_test_setup(a_program_larger_than_memory_is_refused_untouched, boot),
		cmocka_unit_test_setup(destroying_the_process_returns_every_frame, boot),
		cmocka_unit_test_setup(mutated_programs_load_or_are_refused_cleanly, boot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
