/*
 * objects: the object store in the booted kernel (self-test group).
 *
 * An object makes a round trip: stored under the bootstrap Principal,
 * stored again by someone else (deduplicated: same hash, one object, the
 * first author kept), read back, refused deletion by a non-owner, deleted
 * by its owner.
 */
#include <selftest.h>

#include <identity.h>
#include <kstring.h>
#include <objstore.h>
#include <printk.h>

static bool object_round_trip(void)
{
	static const char content[] = "an object in the store";
	uint8_t hash[OBJSTORE_HASH_LEN], again[OBJSTORE_HASH_LEN];
	char out[sizeof(content)];
	size_t size = 0, before = objstore_count();
	struct principal stranger = { .key = { 1, 2, 3 } };
	struct objstore_info info;

	bool ok = objstore_put(content, sizeof(content), identity_bootstrap(), 0, hash) == K_OK;
	ok &= objstore_put(content, sizeof(content), &stranger, 1, again) == K_OK;
	ok &= memcmp(hash, again, sizeof(hash)) == 0 && objstore_count() == before + 1;
	ok &= objstore_stat(hash, &info) == K_OK &&
	      memcmp(&info.author, identity_bootstrap(), sizeof(info.author)) == 0;
	ok &= objstore_get(hash, out, sizeof(out), &size) == K_OK && size == sizeof(content) &&
	      memcmp(out, content, size) == 0;
	ok &= objstore_delete(hash, &stranger) == K_EPERM;
	ok &= objstore_delete(hash, identity_bootstrap()) == K_OK;
	return ok && objstore_count() == before;
}

void selftest_objects(void)
{
	selftest_check(object_round_trip(), "objstore.round_trip");
}
