/*
 * usercopy: moving bytes between the kernel and user memory safely.
 *
 * Every user pointer is checked against the current address space's page
 * tables before a byte moves: the range must lie in user space and every
 * page must be mapped user-accessible (and writable, for copies to user
 * memory). The bytes travel through the HHDM, so a check cannot be raced
 * by a concurrent unmap on another CPU into touching a kernel address.
 */
#ifndef CAMBIOS_USERCOPY_H
#define CAMBIOS_USERCOPY_H

#include <current.h>
#include <kerr.h>
#include <span.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vm.h>

/* K_EFAULT if any byte is not readable user memory (nothing copied then). */
/*@ requires \valid((char *)dst + (0 .. len - 1));
    ensures \result == K_OK || \result == K_EFAULT; */
__must_check kerr_t copy_from_user(void *dst, uint64_t user_src, size_t len);

/* K_EFAULT if any byte is not writable user memory (nothing copied then). */
/*@ requires \valid_read((char *)src + (0 .. len - 1));
    ensures \result == K_OK || \result == K_EFAULT; */
__must_check kerr_t copy_to_user(uint64_t user_dst, const void *src, size_t len);

/* K_EFAULT if any byte is not writable user memory; writes nothing. A
 * system call checks where its result will go before it changes anything,
 * so that a call refused later (no right, no Principal, a bad input
 * pointer) leaves the caller's memory exactly as it was. */
/*@ assigns \nothing;
    ensures \result == K_OK || \result == K_EFAULT;
    ensures user_dst >= VM_USER_END || user_dst + len > VM_USER_END ==> \result == K_EFAULT; */
__must_check kerr_t user_check_writable(uint64_t user_dst, size_t len);

/* Resolves [user_va, user_va + len), len at most one page, into its HHDM
 * pieces, checked user-accessible (and writable if `write`), so a caller
 * can copy straight to or from it -- once, and with no bounce buffer. An
 * empty range is an empty span. K_EFAULT (and an empty span) otherwise.
 * The span is only as good as the mappings it was made from: use it
 * before anything can change the address space (its own thread's calls,
 * its end), and resolve again after blocking. */
static inline __must_check kerr_t user_span(uint64_t user_va, size_t len, bool write,
					    struct span *out);

/* user_span() in full: what the inline part below leaves to it. (No
 * assigns clause: besides *out it refreshes the current space's hints.) */
/*@ requires \valid(out);
    ensures \result == K_OK || \result == K_EFAULT;
    ensures len == 0 ==> \result == K_OK;
    ensures len > 0 && (len > VM_PAGE_SIZE || user_va >= VM_USER_END ||
                        user_va + len > VM_USER_END) ==> \result == K_EFAULT;
    ensures \result == K_OK ==> out->len[0] + out->len[1] == len && span_valid(*out);
    ensures \result != K_OK ==> out->len[0] == 0 && out->len[1] == 0; */
__must_check kerr_t user_span_full(uint64_t user_va, size_t len, bool write, struct span *out);

/* The HHDM address of the user page at page_va if one of the space's
 * hints (vm.h) of its current generation knows it -- and knows it
 * writable, if `write` -- else NULL. */
static inline uint8_t *user_page_hinted(const struct address_space *as, uint64_t page_va,
					bool write)
{
	uint64_t generation = atomic_load_explicit(&as->generation, memory_order_acquire);

	for (unsigned i = 0; i < VM_PAGE_HINTS; i++) {
		const struct vm_page_hint *h = &as->hints[i];
		if (h->kva && h->page == page_va && h->generation == generation &&
		    (h->writable || !write))
			return h->kva;
	}
	return NULL;
}

/* Inline, the usual case: a buffer within one page that a hint knows --
 * a loop passing the same buffer again. Everything else goes the full
 * way. */
static inline kerr_t user_span(uint64_t user_va, size_t len, bool write, struct span *out)
{
	const struct address_space *as = vm_current_space();
	uint64_t offset = user_va & (VM_PAGE_SIZE - 1);

	/* len - 1 < room: 1 to the bytes left in the page (0 wraps around). */
	if (as && user_va < VM_USER_END && len - 1 < VM_PAGE_SIZE - offset) {
		uint8_t *page = user_page_hinted(as, user_va - offset, write);
		if (page) {
			*out = span_of(page + offset, len);
			return K_OK;
		}
	}
	return user_span_full(user_va, len, write, out);
}

#endif
