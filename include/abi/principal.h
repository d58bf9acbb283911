/*
 * abi/principal: a Principal as user space sees it -- the 32 bytes of an
 * Ed25519 public key (GetPrincipal's result, the start of every RecvMsg
 * identity prefix, the author of an object).
 */
#ifndef CAMBIOS_ABI_PRINCIPAL_H
#define CAMBIOS_ABI_PRINCIPAL_H

#define PRINCIPAL_LEN 32

#endif
