/*
 * subsystems: the kernel's bookkeeping cores in the booted kernel
 * (self-test group for "Bringing Up the Subsystems").
 *
 * The kernel processes 0-2 exist with the bootstrap Principal bound; a new
 * process can be created and destroyed, giving back every frame of its
 * address space, and its id goes stale. Capabilities exist only by grant.
 * An object makes a round trip:
 * stored under the bootstrap Principal, stored again by someone else
 * (deduplicated: same hash, one object, the first author kept), read back,
 * refused deletion by a non-owner, deleted by its owner.
 */
#include <selftest.h>

#include <cap.h>
#include <identity.h>
#include <kstring.h>
#include <frame.h>
#include <objstore.h>
#include <printk.h>
#include <process.h>

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

static bool kernel_processes_speak_for_the_bootstrap_key(void)
{
	struct process_info info;
	bool ok = true;

	for (uint32_t slot = 0; slot < PROCESS_KERNEL_COUNT; slot++) {
		ok &= process_lookup(PID_MAKE(0, slot), &info) == K_OK && info.kernel &&
		      info.has_principal &&
		      memcmp(&info.principal, identity_bootstrap(), sizeof(info.principal)) == 0;
	}
	return ok;
}

/* Kernel processes hold every right; a new process holds none and cannot
 * hand out what it lacks; a granted right shows, a revoked one goes. */
static bool capabilities_start_from_nothing(void)
{
	kpid_t pid;

	if (process_create("captest", &pid) != K_OK)
		return false;
	bool ok = cap_rights(PID_MAKE(0, 0), 0) == CAP_ALL && cap_rights(pid, 0) == 0;
	ok &= cap_check(pid, 1, CAP_SEND) == K_EPERM;
	ok &= cap_delegate(pid, PID_MAKE(0, 1), 1, CAP_SEND) == K_EPERM;
	ok &= cap_grant(pid, 1, CAP_SEND) == K_OK && cap_check(pid, 1, CAP_SEND) == K_OK;
	ok &= cap_revoke(PID_MAKE(0, 0), pid, 1, CAP_SEND) == K_OK;
	ok &= cap_check(pid, 1, CAP_SEND) == K_EPERM;
	return process_destroy(pid) == K_OK && ok;
}

static bool process_lifecycle(void)
{
	struct process_info info;
	uint64_t free_before = frame_free_count();
	kpid_t pid;

	if (process_create("selftest", &pid) != K_OK)
		return false;
	bool ok = process_lookup(pid, &info) == K_OK && !info.kernel && !info.has_principal;
	ok &= process_destroy(pid) == K_OK;
	ok &= process_lookup(pid, &info) == K_ENOENT; /* the id is stale now */
	return ok && frame_free_count() == free_before;
}

void selftest_subsystems(void)
{
	selftest_check(kernel_processes_speak_for_the_bootstrap_key(), "process.kernel_bound");
	selftest_check(process_lifecycle(), "process.create_destroy");
	selftest_check(capabilities_start_from_nothing(), "cap.rights_only_by_grant");
	selftest_check(object_round_trip(), "objstore.round_trip");
}
