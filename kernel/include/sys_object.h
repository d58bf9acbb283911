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
 */
#ifndef CAMBIOS_SYS_OBJECT_H
#define CAMBIOS_SYS_OBJECT_H

#include <stdint.h>
#include <syscall.h>

int64_t sys_obj_put(const struct syscall_frame *f);
int64_t sys_obj_get(const struct syscall_frame *f);
int64_t sys_obj_delete(const struct syscall_frame *f);
int64_t sys_obj_list(const struct syscall_frame *f);
int64_t sys_obj_put_signed(const struct syscall_frame *f);

#endif
