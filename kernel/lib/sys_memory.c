/*
 * sys_memory: Allocate and Free (see sys_memory.h).
 *
 * Each process slot keeps its regions (start, pages), for the process
 * that made them: a new process in the slot starts with none. Only the
 * process's own thread reads or writes its table.
 */
#include <sys_memory.h>

#include <abi/syscall.h>
#include <current.h>
#include <process.h>
#include <stdbool.h>
#include <stddef.h>
#include <vm.h>

#define PAGE VM_PAGE_SIZE

struct region {
	uint64_t start, pages; /* pages == 0: a free entry */
};

struct regions {
	kpid_t pid;
	struct region r[USER_ALLOC_REGIONS];
};

static struct regions tables[PROCESS_MAX];

static struct regions *regions_of(kpid_t pid)
{
	struct regions *t = &tables[PID_SLOT(pid) % PROCESS_MAX];

	if (t->pid != pid)
		*t = (struct regions){ .pid = pid };
	return t;
}

/* Whether [start, start + pages + 1 guard page) is clear of every region
 * and its guard page. */
static bool range_free(const struct regions *t, uint64_t start, uint64_t pages)
{
	uint64_t end = start + (pages + 1) * PAGE;

	for (unsigned i = 0; i < USER_ALLOC_REGIONS; i++) {
		const struct region *r = &t->r[i];
		if (r->pages && start < r->start + (r->pages + 1) * PAGE && r->start < end)
			return false;
	}
	return end <= USER_ALLOC_END;
}

/* The lowest address with room for `pages` (first fit), or 0. Candidates
 * are the base and the end of every region's guard page. */
static uint64_t find_room(const struct regions *t, uint64_t pages)
{
	uint64_t best = 0;

	if (range_free(t, USER_ALLOC_BASE, pages))
		return USER_ALLOC_BASE;
	for (unsigned i = 0; i < USER_ALLOC_REGIONS; i++) {
		const struct region *r = &t->r[i];
		uint64_t after = r->start + (r->pages + 1) * PAGE;
		if (r->pages && (!best || after < best) && range_free(t, after, pages))
			best = after;
	}
	return best;
}

int64_t sys_allocate(const struct syscall_frame *f)
{
	uint64_t size = f->arg[0];
	kpid_t self = process_current();
	struct address_space *as = process_address_space(self);

	if (size == 0 || size > USER_ALLOC_MAX || f->arg[1] != 0 || !as)
		return SYS_EINVAL;
	struct regions *t = regions_of(self);
	struct region *slot = NULL;
	for (unsigned i = 0; i < USER_ALLOC_REGIONS && !slot; i++) {
		if (!t->r[i].pages)
			slot = &t->r[i];
	}
	uint64_t pages = (size + PAGE - 1) / PAGE;
	uint64_t start = slot ? find_room(t, pages) : 0;
	if (!start)
		return SYS_ENOMEM;
	kerr_t err = vm_map_zeroed(as, start, pages * PAGE, VM_USER | VM_WRITE);
	if (err != K_OK)
		return syscall_error(err); /* nothing stays mapped */
	*slot = (struct region){ .start = start, .pages = pages };
	return (int64_t)start;
}

int64_t sys_free(const struct syscall_frame *f)
{
	kpid_t self = process_current();
	struct address_space *as = process_address_space(self);
	struct regions *t = regions_of(self);

	for (unsigned i = 0; as && i < USER_ALLOC_REGIONS; i++) {
		struct region *r = &t->r[i];
		if (!r->pages || r->start != f->arg[0])
			continue;
		if (vm_unmap(as, r->start, r->pages * PAGE, true) != K_OK)
			return SYS_EINVAL;
		*r = (struct region){ 0 };
		return 0;
	}
	return SYS_EINVAL;
}
