/*
 * sys_object: the object store's system calls -- 14 ObjPut, 15 ObjGet,
 * 16 ObjDelete, 17 ObjList (objstore.h).
 *
 * ObjPut(content, len 1..4096, out_hash) -> 0 stores the bytes under
 * their BLAKE3 hash, authored by the caller's Principal (a process with
 * none may not store: SYS_EPERM), and writes the 32-byte hash. ObjGet(hash,
 * out, len) -> the bytes copied (the content truncated to len).
 * ObjDelete(hash) -> 0, for the object's owner only (SYS_EPERM otherwise).
 * ObjList(out, len >= 32) -> how many 32-byte hashes it wrote (as many as
 * fit). An unknown hash is SYS_ENOENT; a full store SYS_ENOMEM.
 * 19 ObjPutSigned(content, len, signature, out_hash) stores only if the
 * 64-byte Ed25519 signature over the content verifies against the
 * caller's Principal (SYS_EPERM otherwise, nothing stored).
 *
 * Content moves through a kernel buffer from the heap (an object is at
 * most a page), never straight between the store and user memory.
 */
#include <syscall.h>

#include <abi/syscall.h>
#include <crypto/ed25519.h>
#include <current.h>
#include <heap.h>
#include <objstore.h>
#include <process.h>
#include <timer.h>
#include <usercopy.h>

#define HASH OBJSTORE_HASH_LEN

static int64_t caller_principal(struct principal *p)
{
	return process_principal(process_current(), p) == K_OK ? 0 : SYS_EPERM;
}

static int64_t read_hash(uint64_t user, uint8_t hash[HASH])
{
	return copy_from_user(hash, user, HASH) == K_OK ? 0 : SYS_EFAULT;
}

int64_t sys_obj_put(const struct syscall_frame *f)
{
	uint64_t len = f->arg[1];
	uint8_t hash[HASH] = { 0 };
	struct principal author;

	if (len == 0 || len > OBJSTORE_MAX_OBJECT)
		return SYS_EINVAL;
	if (user_check_writable(f->arg[2], HASH) != K_OK)
		return SYS_EFAULT; /* the hash must have somewhere to go */
	if (caller_principal(&author) != 0)
		return SYS_EPERM;
	uint8_t *content = kmalloc(len);
	if (!content)
		return SYS_ENOMEM;
	int64_t result = copy_from_user(content, f->arg[0], len) == K_OK ? 0 : SYS_EFAULT;
	if (result == 0) {
		kerr_t err = objstore_put(content, len, &author, timer_ticks(), hash);
		result = err == K_OK ? 0 : syscall_error(err);
	}
	kfree(content);
	if (result == 0 && copy_to_user(f->arg[2], hash, HASH) != K_OK)
		result = SYS_EFAULT;
	return result;
}

/* ObjPutSigned(content, len, signature[64], out_hash): as ObjPut, once
 * the Ed25519 signature over the content verifies against the caller's
 * Principal; SYS_EPERM (nothing stored) if it does not. */
int64_t sys_obj_put_signed(const struct syscall_frame *f)
{
	uint8_t signature[ED25519_SIGNATURE_LEN];
	uint64_t len = f->arg[1];
	struct principal signer;

	if (len == 0 || len > OBJSTORE_MAX_OBJECT)
		return SYS_EINVAL;
	if (copy_from_user(signature, f->arg[2], sizeof(signature)) != K_OK)
		return SYS_EFAULT;
	if (caller_principal(&signer) != 0)
		return SYS_EPERM;
	uint8_t *content = kmalloc(len);
	if (!content)
		return SYS_ENOMEM;
	int64_t result = copy_from_user(content, f->arg[0], len) == K_OK ? 0 : SYS_EFAULT;
	if (result == 0 && ed25519_verify(signer.key, content, len, signature) != ED25519_OK)
		result = SYS_EPERM;
	kfree(content);
	if (result != 0)
		return result;
	const struct syscall_frame put = { .nr = SYS_OBJ_PUT,
					   .arg = { f->arg[0], f->arg[1], f->arg[3] } };
	return sys_obj_put(&put);
}

int64_t sys_obj_get(const struct syscall_frame *f)
{
	uint8_t hash[HASH];
	uint64_t len = f->arg[2];
	size_t size = 0;

	if (read_hash(f->arg[0], hash) != 0)
		return SYS_EFAULT;
	if (len > OBJSTORE_MAX_OBJECT)
		len = OBJSTORE_MAX_OBJECT;
	uint8_t *content = kmalloc(OBJSTORE_MAX_OBJECT);
	if (!content)
		return SYS_ENOMEM;
	kerr_t err = objstore_get(hash, content, OBJSTORE_MAX_OBJECT, &size);
	int64_t result = err == K_OK ? 0 : syscall_error(err);
	size_t n = size < len ? size : len;
	if (result == 0)
		result = copy_to_user(f->arg[1], content, n) == K_OK ? (int64_t)n : SYS_EFAULT;
	kfree(content);
	return result;
}

int64_t sys_obj_delete(const struct syscall_frame *f)
{
	uint8_t hash[HASH];
	struct principal requester;

	if (read_hash(f->arg[0], hash) != 0)
		return SYS_EFAULT;
	if (caller_principal(&requester) != 0)
		return SYS_EPERM;
	kerr_t err = objstore_delete(hash, &requester);
	return err == K_OK ? 0 : syscall_error(err);
}

int64_t sys_obj_list(const struct syscall_frame *f)
{
	uint64_t len = f->arg[1];

	if (len < HASH)
		return SYS_EINVAL;
	size_t max = len / HASH < OBJSTORE_CAPACITY ? len / HASH : OBJSTORE_CAPACITY;
	uint8_t *hashes = kmalloc(max * HASH);
	if (!hashes)
		return SYS_ENOMEM;
	/* objstore_list counts every object; only `max` were written, and
	 * only they may be copied: more would read past `hashes` and write
	 * past the caller's `len`. */
	size_t total = objstore_list(hashes, max);
	size_t written = total < max ? total : max;
	int64_t result = copy_to_user(f->arg[0], hashes, written * HASH) == K_OK ? (int64_t)written
										    : SYS_EFAULT;
	kfree(hashes);
	return result;
}
