/* objects: the object store through system calls -- put, put again (the
 * same hash), get whole and truncated, list, the refusals (empty,
 * oversized, unknown hash, nowhere to write the hash), a signed put whose
 * signature the caller's key never made (refused, nothing stored) and
 * delete (once).
 * Exits 0 when every answer was right, else the number of the first wrong
 * one. Needs a Principal (boot modules and what they spawn have one). */
#include "hostile.h"

#include <stdbool.h>

CAMBIOS_MODULE_ROLE("objects");

#define HASH 32
#define LISTED 8

static const char content[] = "an object, addressed by its content";
static const uint8_t read_only_hash[HASH] = { 1 };

static bool same(const uint8_t *a, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i])
			return false;
	}
	return true;
}

/* An address as a system-call argument. */
#define P(x) ((uint64_t)(uintptr_t)(x))

int main(void)
{
	static uint8_t hash[HASH], again[HASH], unknown[HASH], out[64], list[LISTED * HASH];
	const size_t len = sizeof(content) - 1;

	if (sys_call(SYS_OBJ_PUT, P(content), len, P(hash)) != 0)
		return 1;
	if (sys_call(SYS_OBJ_PUT, P(content), len, P(again)) != 0 || !same(hash, again, HASH))
		return 2;
	if (sys_call(SYS_OBJ_GET, P(hash), P(out), sizeof(out)) != (int64_t)len ||
	    !same(out, (const uint8_t *)content, len))
		return 3;
	if (sys_call(SYS_OBJ_GET, P(hash), P(out), 5) != 5)
		return 4;
	int64_t n = sys_call(SYS_OBJ_LIST, P(list), sizeof(list), 0);
	bool listed = false;
	for (int64_t i = 0; i < n && i < LISTED; i++)
		listed |= same(list + i * HASH, hash, HASH);
	if (n < 1 || !listed)
		return 5;
	if (sys_call(SYS_OBJ_GET, P(unknown), P(out), sizeof(out)) != SYS_ENOENT ||
	    sys_call(SYS_OBJ_PUT, P(content), 0, P(again)) != SYS_EINVAL ||
	    sys_call(SYS_OBJ_PUT, P(content), 4097, P(again)) != SYS_EINVAL ||
	    sys_call(SYS_OBJ_PUT, P(content), len, P(read_only_hash)) != SYS_EFAULT ||
	    sys_call(SYS_OBJ_LIST, P(list), HASH - 1, 0) != SYS_EINVAL)
		return 6;
	/* A signature the caller's key never made: refused, nothing stored
	 * (the content is new, so a get finds nothing). */
	static const char unsigned_content[] = "not signed by anyone here";
	static uint8_t signature[64] = { 0x5a };
	if (sys_call4(SYS_OBJ_PUT_SIGNED, P(unsigned_content), sizeof(unsigned_content) - 1,
		      P(signature), P(again)) != SYS_EPERM ||
	    sys_call4(SYS_OBJ_PUT_SIGNED, P(unsigned_content), 0, P(signature), P(again)) !=
		    SYS_EINVAL ||
	    sys_call4(SYS_OBJ_PUT_SIGNED, P(unsigned_content), 8, 0x10000000, P(again)) !=
		    SYS_EFAULT)
		return 8;
	if (sys_call(SYS_OBJ_LIST, P(list), sizeof(list), 0) != n)
		return 9;
	if (sys_call(SYS_OBJ_DELETE, P(hash), 0, 0) != 0 || sys_call(SYS_OBJ_DELETE, P(hash), 0, 0) != SYS_ENOENT ||
	    sys_call(SYS_OBJ_GET, P(hash), P(out), sizeof(out)) != SYS_ENOENT)
		return 7;
	return 0;
}
