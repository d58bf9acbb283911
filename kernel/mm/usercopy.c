/*
 * usercopy: checked copies between kernel and user memory (usercopy.h).
 *
 * Check everything, then copy: a partly valid range copies nothing. Each
 * page is translated through the current address space and copied via the
 * HHDM, never through the user's own virtual address.
 *
 * A range of up to a page -- most system calls' buffers -- is resolved
 * once into a span (user_span): each page's one translation is the check
 * and gives the address copied through, so check and copy cannot
 * disagree. A longer range is checked whole first and translated again
 * page by page as it is copied.
 *
 * Programs pass the same few buffers call after call (an IPC loop's
 * message buffer), so the space keeps hints: the last pages resolved, with
 * the space's generation at the time (vm.h). A hint of the current
 * generation stands for the walk it saved -- nothing has been unmapped or
 * narrowed since -- and any such change makes every older hint stale.
 */
#include <usercopy.h>

#include <current.h>
#include <hhdm.h>
#include <kstring.h>
#include <stdatomic.h>
#include <vm.h>

/*@ assigns \nothing;
    ensures \result == K_OK || \result == K_EFAULT;
    ensures va >= VM_USER_END || va + len > VM_USER_END ==> \result == K_EFAULT; */
static kerr_t check_user_access(uint64_t va, size_t len, unsigned need)
{
	const struct address_space *as = vm_current_space();
	uint64_t first, last, pa;
	unsigned flags;

	if (!as || len > VM_USER_END || va >= VM_USER_END || len > VM_USER_END - va)
		return K_EFAULT;
	if (len == 0)
		return K_OK;
	first = va & ~(VM_PAGE_SIZE - 1);
	last = (va + len - 1) & ~(VM_PAGE_SIZE - 1);
	/*@ loop assigns page, pa, flags; */
	for (uint64_t page = first; page <= last; page += VM_PAGE_SIZE) {
		if (vm_translate(as, page, &pa, &flags) != K_OK || (flags & need) != need)
			return K_EFAULT;
	}
	return K_OK;
}

/* Copies page by page; the range has been checked, so a page that no
 * longer translates is an error all the same, never a copy from a stale
 * address. */
static kerr_t copy_pages(uint64_t user_va, void *kernel, size_t len, bool to_user)
{
	const struct address_space *as = vm_current_space();
	uint8_t *k = kernel;

	while (len > 0) {
		uint64_t pa;
		unsigned flags;
		size_t in_page = VM_PAGE_SIZE - (user_va & (VM_PAGE_SIZE - 1));
		size_t n = len < in_page ? len : in_page;

		if (vm_translate(as, user_va & ~(VM_PAGE_SIZE - 1), &pa, &flags) != K_OK)
			return K_EFAULT;
		uint8_t *u = (uint8_t *)phys_to_virt(pa) + (user_va & (VM_PAGE_SIZE - 1));
		if (to_user)
			memcpy(u, k, n);
		else
			memcpy(k, u, n);
		user_va += n;
		k += n;
		len -= n;
	}
	return K_OK;
}

/* Remembers a page just found, in place of the older hint. The generation
 * is the one read before the walk, so a change that raced the walk makes
 * the hint stale at once. */
static void remember(struct address_space *as, uint64_t page_va, uint8_t *kva, bool writable,
		     uint64_t generation)
{
	struct vm_page_hint *h = &as->hints[as->next_hint];

	*h = (struct vm_page_hint){ .page = page_va, .kva = kva, .writable = writable,
				    .generation = generation };
	as->next_hint = (as->next_hint + 1) % VM_PAGE_HINTS;
}

/* The HHDM address of the user page at page_va if it is mapped for user
 * access (and writable, if `write`), else NULL. */
/*@ requires \valid(as);
    assigns as->hints[0 .. VM_PAGE_HINTS - 1], as->next_hint;
    ensures \result == \null || \valid(\result + (0 .. VM_PAGE_SIZE - 1)); */
static uint8_t *page_at(struct address_space *as, uint64_t page_va, bool write)
{
	uint8_t *kva = user_page_hinted(as, page_va, write);
	uint64_t generation = atomic_load_explicit(&as->generation, memory_order_acquire);
	uint64_t pa;
	unsigned flags, need = VM_USER | (write ? VM_WRITE : 0);

	if (kva)
		return kva;
	/* The quick walk knows user pages of 4 KiB; anything else, ask the
	 * full one (which also tells a large user page, never made today). */
	if (!pt_user_page(&as->pt, page_va, write, &pa) &&
	    (vm_translate(as, page_va, &pa, &flags) != K_OK || (flags & need) != need))
		return NULL;
	kva = (uint8_t *)phys_to_virt(pa);
	remember(as, page_va, kva, write, generation);
	return kva;
}

kerr_t copy_from_user(void *dst, uint64_t user_src, size_t len)
{
	struct span s;

	if (len > 0 && len <= VM_PAGE_SIZE) {
		kerr_t err = user_span(user_src, len, false, &s);
		if (err == K_OK && !span_read(&s, 0, dst, len))
			err = K_EFAULT; /* a span of len bytes: never met */
		return err;
	}
	kerr_t err = check_user_access(user_src, len, VM_USER);

	if (err == K_OK)
		err = copy_pages(user_src, dst, len, false);
	return err;
}

kerr_t copy_to_user(uint64_t user_dst, const void *src, size_t len)
{
	struct span s;

	if (len > 0 && len <= VM_PAGE_SIZE) {
		kerr_t err = user_span(user_dst, len, true, &s);
		if (err == K_OK && !span_write(&s, 0, src, len))
			err = K_EFAULT; /* a span of len bytes: never met */
		return err;
	}
	kerr_t err = check_user_access(user_dst, len, VM_USER | VM_WRITE);

	if (err == K_OK)
		err = copy_pages(user_dst, (void *)src, len, true);
	return err;
}

kerr_t user_check_writable(uint64_t user_dst, size_t len)
{
	return check_user_access(user_dst, len, VM_USER | VM_WRITE);
}

/* Ends user_span_full with an empty span and `err`. The span is written
 * after the page look-ups (which refresh the space's hints), never before:
 * what the caller gets is the answer, whatever the look-ups touched. */
/*@ requires \valid(out);
    assigns *out;
    ensures out->len[0] == 0 && out->len[1] == 0;
    ensures \result == err; */
static kerr_t no_span(struct span *out, kerr_t err)
{
	out->part[0] = NULL;
	out->part[1] = NULL;
	out->len[0] = 0;
	out->len[1] = 0;
	return err;
}

kerr_t user_span_full(uint64_t user_va, size_t len, bool write, struct span *out)
{
	struct address_space *as = vm_current_space();
	uint64_t page_va = user_va & ~(VM_PAGE_SIZE - 1);
	uint64_t offset = user_va % VM_PAGE_SIZE;
	size_t first = VM_PAGE_SIZE - offset; /* room in the first page */
	uint8_t *page, *next = NULL;

	if (len == 0)
		return no_span(out, K_OK);
	if (!as || len > VM_PAGE_SIZE || user_va >= VM_USER_END || len > VM_USER_END - user_va)
		return no_span(out, K_EFAULT);
	page = page_at(as, page_va, write);
	if (!page)
		return no_span(out, K_EFAULT);
	if (len > first) {
		next = page_at(as, page_va + VM_PAGE_SIZE, write);
		if (!next)
			return no_span(out, K_EFAULT);
	}
	out->part[0] = page + offset;
	out->len[0] = len < first ? len : first;
	out->part[1] = next;
	out->len[1] = len - out->len[0];
	return K_OK;
}
