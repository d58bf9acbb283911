/*
 * objstore: the object store's system calls as a user program sees them
 * (user/lib): 14 ObjPut, 15 ObjGet, 16 ObjDelete, 17 ObjList,
 * 19 ObjPutSigned. Objects are 1..OBJ_MAX bytes named by the BLAKE3 hash
 * of their content (OBJ_HASH_LEN bytes); a full store is SYS_ENOMEM.
 */
#ifndef CAMBIOS_USER_OBJSTORE_H
#define CAMBIOS_USER_OBJSTORE_H

#include "sys.h"

#define OBJ_HASH_LEN 32
#define OBJ_MAX 4096
#define OBJ_STORE_CAPACITY 256 /* the kernel's store holds at most this many */

/* Stores content[0, len): 0 and its hash in hash_out. */
static inline int64_t sys_obj_put(const void *content, size_t len, uint8_t hash_out[OBJ_HASH_LEN])
{
	return sys_call(SYS_OBJ_PUT, (uint64_t)(uintptr_t)content, len, (uint64_t)(uintptr_t)hash_out);
}

/* Copies up to len bytes of the object: how many it copied. */
static inline int64_t sys_obj_get(const uint8_t hash[OBJ_HASH_LEN], void *out, size_t len)
{
	return sys_call(SYS_OBJ_GET, (uint64_t)(uintptr_t)hash, (uint64_t)(uintptr_t)out, len);
}

/* Deletes an object the caller's Principal owns. */
static inline int64_t sys_obj_delete(const uint8_t hash[OBJ_HASH_LEN])
{
	return sys_call(SYS_OBJ_DELETE, (uint64_t)(uintptr_t)hash, 0, 0);
}

/* Writes the hashes of the stored objects: how many there are. The
 * buffer should hold OBJ_STORE_CAPACITY hashes: the kernel copies out as
 * many as exist. */
static inline int64_t sys_obj_list(uint8_t *out, size_t len)
{
	return sys_call(SYS_OBJ_LIST, (uint64_t)(uintptr_t)out, len, 0);
}

#endif
