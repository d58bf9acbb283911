/*
 * requests: finding the kernel's Limine requests in its loaded image.
 *
 * Portable: works on any byte range (the loaded image in the loader, a
 * buffer in the unit tests). Follows Limine 8: only initialised data is
 * scanned, at 8-byte steps; the last start marker and the first end marker
 * delimit the request area when present; the base-revision tag is searched
 * in its own pass over the whole range.
 */
#ifndef CAMBIOS_BOOT_REQUESTS_H
#define CAMBIOS_BOOT_REQUESTS_H

#include <limine.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REQUESTS_MAX 128
#define BASE_REVISION_SUPPORTED 2

struct request_set {
	unsigned count;
	struct limine_request_header *requests[REQUESTS_MAX];
	uint64_t *base_revision_tag; /* NULL: no tag (revision 0) */
	uint64_t base_revision;      /* the revision the kernel asked for */
};

/* Scans `size` bytes at `image` (8-byte aligned). Returns NULL on success
 * or a reason (two base-revision tags, too many or duplicate requests). */
const char *requests_scan(void *image, uint64_t size, struct request_set *out);

/* The request with feature id (id2, id3), or NULL. */
struct limine_request_header *requests_find(const struct request_set *set, uint64_t id2,
					    uint64_t id3);

/* Applies the base-revision rules: a supported revision (<= 2 and >= 2)
 * gets its third word zeroed; a newer one is left untouched and booted with
 * revision 2 (the kernel checks). Returns false for revisions this loader
 * does not implement (0 and 1, or no tag at all). */
bool requests_accept_base_revision(struct request_set *set);

#endif
