/*
 * module: a user program's signed identity (user/lib).
 *
 * Every program declares its role once, at file scope:
 *
 *   CAMBIOS_MODULE_ROLE("hello");
 *
 * which puts an ELF note (owner "CambiOS", type ELF_NOTE_CAMBIOS_MODULE of
 * lib/elf.h, descriptor the NUL-terminated role) in .note.cambios;
 * user/linker.ld gives it a PT_NOTE header inside the signed file. The
 * kernel finds modules by this role only -- never by limine.conf's module
 * string, which no signature covers. A role is 1 to 31 characters of
 * [a-z0-9._-] (lib/module_role.h); the length is checked here, the
 * characters by the kernel, which gives a broken role no trust at all.
 */
#ifndef CAMBIOS_USER_MODULE_H
#define CAMBIOS_USER_MODULE_H

#include <stdint.h>

/* The note's layout is fixed by the ELF note rules: three 4-byte words,
 * then the owner and the descriptor, each padded to 4 bytes. `used`
 * keeps the compiler from dropping a variable nothing references. */
#define CAMBIOS_MODULE_ROLE(name)                                                        \
	_Static_assert(sizeof(name) >= 2 && sizeof(name) <= 32,                            \
		       "a module role is 1 to 31 characters");                              \
	__attribute__((section(".note.cambios"), aligned(4), used)) static const struct { \
		uint32_t namesz, descsz, type;                                              \
		char owner[8];                                                              \
		char role[(sizeof(name) + 3) / 4 * 4];                                      \
	} cambios_module_role_note = { 8, sizeof(name), 1, "CambiOS", name }

#endif
