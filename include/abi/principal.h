/*
 * abi/principal: a Principal as user space sees it -- the 32 bytes of an
 * Ed25519 public key (GetPrincipal's result, the start of every RecvMsg
 * identity prefix, the author of an object).
 */
#ifndef CAMBIOS_ABI_PRINCIPAL_H
#define CAMBIOS_ABI_PRINCIPAL_H

#define PRINCIPAL_LEN 32

/* BindPrincipal (system call 11): a process proves it holds the secret
 * key of the Principal it binds by signing, with that key, the message
 *   BIND_PRINCIPAL_CONTEXT (23 bytes, no NUL) || public key (32 bytes)
 *   || its own process id as GetPid returns it (u64, little-endian)
 * -- BIND_PRINCIPAL_MESSAGE_LEN bytes, which name the key and the process,
 * so a signature never binds another key or serves another process. */
#define BIND_PRINCIPAL_CONTEXT "cambios:bind-principal:"
#define BIND_PRINCIPAL_CONTEXT_LEN 23
#define BIND_PRINCIPAL_MESSAGE_LEN (BIND_PRINCIPAL_CONTEXT_LEN + PRINCIPAL_LEN + 8)
#define BIND_PRINCIPAL_SIGNATURE_LEN 64

#endif
