/*
 * objstore_fuzz: libFuzzer target driving the object store with arbitrary
 * operation sequences.
 *
 * Each input byte picks an operation (put, get, delete, list), a content
 * number and a principal; a shadow model predicts every result and the
 * store's count. Any disagreement, crash or sanitizer report is a finding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <heap.h>
#include <hhdm.h>
#include <objstore.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FAKE_PHYS_BASE 0x40000000ull
#define ARENA_SIZE (16ull << 20)
#define CONTENTS 16

static void boot_heap_once(void)
{
	static struct limine_memmap_entry usable = { FAKE_PHYS_BASE, ARENA_SIZE, LIMINE_MEMMAP_USABLE };
	static struct limine_memmap_entry *entries[1] = { &usable };
	static struct limine_memmap_response map = { 0, 1, entries };
	static int booted;

	if (booted)
		return;
	void *arena = aligned_alloc(2ull << 20, ARENA_SIZE);
	hhdm_set_offset((uint64_t)(uintptr_t)arena - FAKE_PHYS_BASE);
	if (!arena || init_kernel_heap(&map) != K_OK)
		abort();
	booted = 1;
}

static size_t content_of(unsigned c, uint8_t *buf)
{
	size_t len = 1 + c * 37 % 200;

	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(c + i);
	return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct principal who[2] = { { .key = { 1 } }, { .key = { 2 } } };
	int present[CONTENTS] = { 0 }, owner[CONTENTS] = { 0 };
	size_t count = 0;

	boot_heap_once();
	objstore_init();
	for (size_t i = 0; i < size; i++) {
		unsigned op = data[i] & 3, c = (data[i] >> 2) % CONTENTS, p = data[i] >> 7;
		uint8_t buf[256], out[256], hash[OBJSTORE_HASH_LEN], listed[4 * OBJSTORE_HASH_LEN];
		size_t len = content_of(c, buf), got;

		blake3_hash(buf, len, hash);
		if (op == 0) {
			if (objstore_put(buf, len, &who[p], i, hash) != K_OK)
				abort();
			if (!present[c]) {
				present[c] = 1;
				owner[c] = (int)p;
				count++;
			}
		} else if (op == 1) {
			kerr_t err = objstore_get(hash, out, sizeof(out), &got);
			if (err != (present[c] ? K_OK : K_ENOENT) ||
			    (err == K_OK && (got != len || memcmp(out, buf, len) != 0)))
				abort();
		} else if (op == 2) {
			kerr_t want = !present[c] ? K_ENOENT : owner[c] == (int)p ? K_OK : K_EPERM;
			if (objstore_delete(hash, &who[p]) != want)
				abort();
			if (want == K_OK) {
				present[c] = 0;
				count--;
			}
		} else if (objstore_list(listed, 4) != count) {
			abort();
		}
		if (objstore_count() != count)
			abort();
	}
	return 0;
}
