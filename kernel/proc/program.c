/*
 * program: loading a user program into an address space (see program.h).
 *
 * Check, then map, then fill: lib/elf.c accepts or refuses the whole file
 * before anything is allocated; each segment's pages are mapped zeroed
 * with their final permissions (pages shared by two segments of equal
 * permissions are mapped once); the file bytes are copied in through the
 * direct map; the stack comes last. A failure part-way unmaps everything
 * mapped so far, frames included.
 */
#include <program.h>

#include <arch.h>
#include <elf.h>
#include <frame.h>
#include <hhdm.h>
#include <kstring.h>

#define PAGE VM_PAGE_SIZE
#define STACK_BOTTOM (PROGRAM_STACK_TOP - PROGRAM_STACK_SIZE)
#define STACK_GUARD (STACK_BOTTOM - PAGE) /* never mapped: an overflow faults */

static uint64_t page_down(uint64_t a)
{
	return a & ~(PAGE - 1);
}

static uint64_t page_up(uint64_t a)
{
	return (a + PAGE - 1) & ~(PAGE - 1);
}

static unsigned vm_flags_of(uint32_t elf_flags)
{
	unsigned flags = VM_USER;

	if (elf_flags & ELF_PF_W)
		flags |= VM_WRITE;
	if (elf_flags & ELF_PF_X)
		flags |= VM_EXEC;
	return flags;
}

static bool mapped(const struct address_space *as, uint64_t va, uint64_t *pa)
{
	unsigned flags;

	return vm_translate(as, va, pa, &flags) == K_OK;
}

/* Maps the pages of `s` that no earlier segment has mapped. On failure
 * *stop is the first page it could not map. */
static kerr_t map_segment(struct address_space *as, const struct elf_segment *s, uint64_t *pages,
			  uint64_t *stop)
{
	uint64_t pa;

	for (uint64_t va = page_down(s->vaddr); va < page_up(s->vaddr + s->memsz); va += PAGE) {
		if (mapped(as, va, &pa))
			continue; /* shared with a segment of the same permissions */
		kerr_t err = vm_map_zeroed(as, va, PAGE, vm_flags_of(s->flags));
		if (err != K_OK) {
			*stop = va;
			return err;
		}
		(*pages)++;
	}
	return K_OK;
}

/* Pages the segments span (pages they share counted twice). */
static uint64_t pages_spanned(const struct elf_plan *plan)
{
	uint64_t pages = 0;

	for (unsigned i = 0; i < plan->segment_count; i++) {
		const struct elf_segment *s = &plan->segments[i];
		pages += (page_up(s->vaddr + s->memsz) - page_down(s->vaddr)) / PAGE;
	}
	return pages;
}

/* Copies the file bytes of `s` into its (mapped, zeroed) pages. */
static void fill_segment(const struct address_space *as, const uint8_t *file,
			 const struct elf_segment *s)
{
	for (uint64_t done = 0; done < s->filesz;) {
		uint64_t va = s->vaddr + done, pa = 0;
		uint64_t in_page = va & (PAGE - 1);
		uint64_t n = PAGE - in_page < s->filesz - done ? PAGE - in_page : s->filesz - done;

		(void)mapped(as, page_down(va), &pa); /* map_segment mapped it */
		void *dst = phys_to_virt(page_down(pa) + in_page);
		memcpy(dst, file + s->offset + done, n);
		if (s->flags & ELF_PF_X)
			arch_sync_code(dst, n);
		done += n;
	}
}

/* Unmaps whatever is mapped in [start, end), frames included. */
static void unmap_present(struct address_space *as, uint64_t start, uint64_t end)
{
	uint64_t pa;

	for (uint64_t va = start; va < end; va += PAGE) {
		if (mapped(as, va, &pa))
			(void)vm_unmap(as, va, PAGE, true);
	}
}

/* Undoes the mapping of segments [0, failed) and of `failed` up to `stop`.
 * Bounded by what was mapped, however large the segments claim to be. */
static void unmap_segments(struct address_space *as, const struct elf_plan *plan,
			   unsigned failed, uint64_t stop)
{
	for (unsigned i = 0; i <= failed && i < plan->segment_count; i++) {
		const struct elf_segment *s = &plan->segments[i];
		uint64_t end = i == failed ? stop : page_up(s->vaddr + s->memsz);
		unmap_present(as, page_down(s->vaddr), end);
	}
}

/* A segment may not take the stack's pages nor its guard page below them,
 * so a stack that overflows faults instead of writing into data. */
static bool overlaps_stack(const struct elf_plan *plan)
{
	for (unsigned i = 0; i < plan->segment_count; i++) {
		const struct elf_segment *s = &plan->segments[i];
		if (page_down(s->vaddr) < PROGRAM_STACK_TOP &&
		    page_up(s->vaddr + s->memsz) > STACK_GUARD)
			return true;
	}
	return false;
}

kerr_t program_load(struct address_space *as, const void *elf, size_t size,
		    struct program_image *out, const char **reason)
{
	struct elf_plan plan;
	kerr_t err = K_OK;
	unsigned i;
	uint64_t stop = 0;

	*reason = elf_check_user(elf, size, arch_elf_machine, &plan);
	if (*reason)
		return K_EINVAL;
	if (overlaps_stack(&plan)) {
		*reason = "a segment lies where the user stack or its guard page goes";
		return K_EINVAL;
	}
	*reason = "out of memory";
	if (pages_spanned(&plan) + PROGRAM_STACK_SIZE / PAGE > frame_free_count())
		return K_ENOMEM; /* refused before anything is touched */
	*out = (struct program_image){ .entry = plan.entry, .stack_top = PROGRAM_STACK_TOP,
				       .segments = plan.segment_count };
	for (i = 0; i < plan.segment_count && err == K_OK; i++)
		err = map_segment(as, &plan.segments[i], &out->pages, &stop);
	if (err == K_OK)
		err = vm_map_zeroed(as, STACK_BOTTOM, PROGRAM_STACK_SIZE, VM_USER | VM_WRITE);
	else
		i--; /* the segment that failed */
	if (err != K_OK) {
		unmap_segments(as, &plan, i, stop);
		return err;
	}
	for (i = 0; i < plan.segment_count; i++)
		fill_segment(as, elf, &plan.segments[i]);
	*reason = NULL;
	return K_OK;
}
