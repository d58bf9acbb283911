/*
 * verifier: the SignedBinaryVerifier -- no boot module runs unsigned, and
 * none is taken for another.
 *
 * Every module the loader handed over must end in a valid ARCSIG trailer
 * (lib/arcsig.h) signed by the bootstrap key. The verifier checks each one
 * and prints one verdict line per module:
 *   module <name>: accepted, role <role>
 *   module <name>: accepted (no signed role)
 *   module <name>: accepted (no signed role: <problem>)
 *   module <name>: rejected (<reason>)
 * with <reason> one of: unsigned, truncated, unknown version, unknown
 * algorithm, bad signature. A rejected module is never given memory or
 * mappings and is not visible to the rest of the kernel: only accepted
 * modules can be looked up here. Boot continues either way.
 *
 * A module's role -- what the kernel uses it for -- comes only from its
 * signed bytes (lib/module_role.h): a program's ELF note, or the first line
 * of a text module such as kernel.sym. A module without a valid one is
 * accepted but has no role, so nothing can find it by role; a second
 * module claiming a role already taken gets none either:
 *   module <name>: role <role> is already taken by <other>; it gets no role
 *
 * limine.conf's module string (module_cmdline) is not signed and decides
 * nothing about identity. It is kept as the module's argument string for a
 * later chapter (today it is only printed); when it differs from the
 * signed role the verifier says so:
 *   module <name>: limine.conf says "<string>", signed role is "<role>"; the conf string is ignored
 *   module <name>: limine.conf says "<string>", no signed role; the conf string is ignored
 */
#ifndef CAMBIOS_VERIFIER_H
#define CAMBIOS_VERIFIER_H

#include <limine.h>
#include <module_role.h>
#include <stddef.h>

#define VERIFIER_MAX_MODULES 64

struct verified_module {
	const struct limine_file *file;
	const char *name;    /* file name without directory */
	const uint8_t *body; /* the module's signed bytes (without the trailer) */
	size_t body_len;
	/* The body after a text module's role line; all of it for a program. */
	const uint8_t *content;
	size_t content_len;
	char role[MODULE_ROLE_MAX + 1]; /* the signed role; "" for none */
	/* limine.conf's module string, unsigned: an argument, never an identity
	 * ("" when the loader gave none). */
	const char *argument;
};

/* Verifies every boot module; returns how many were accepted. */
unsigned verifier_check_boot_modules(void);

/* The accepted module whose signed role is `role`, or NULL. */
const struct verified_module *verifier_find(const char *role);

/* The accepted modules, in boot order: the i-th, or NULL past the last. */
const struct verified_module *verifier_module(unsigned i);

#endif
