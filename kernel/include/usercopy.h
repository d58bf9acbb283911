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

#include <kerr.h>
#include <span.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* K_EFAULT if any byte is not readable user memory (nothing copied then). */
__must_check kerr_t copy_from_user(void *dst, uint64_t user_src, size_t len);

/* K_EFAULT if any byte is not writable user memory (nothing copied then). */
__must_check kerr_t copy_to_user(uint64_t user_dst, const void *src, size_t len);

/* K_EFAULT if any byte is not writable user memory; writes nothing. A
 * system call checks where its result will go before it changes anything,
 * so that a call refused later (no right, no Principal, a bad input
 * pointer) leaves the caller's memory exactly as it was. */
__must_check kerr_t user_check_writable(uint64_t user_dst, size_t len);

/* Resolves [user_va, user_va + len), len at most one page, into its HHDM
 * pieces, checked user-accessible (and writable if `write`), so a caller
 * can copy straight to or from it -- once, and with no bounce buffer. An
 * empty range is an empty span. K_EFAULT (and an empty span) otherwise.
 * The span is only as good as the mappings it was made from: use it
 * before anything can change the address space (its own thread's calls,
 * its end), and resolve again after blocking. */
__must_check kerr_t user_span(uint64_t user_va, size_t len, bool write, struct span *out);

#endif
