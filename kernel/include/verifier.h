/*
 * verifier: the SignedBinaryVerifier -- no boot module runs unsigned.
 *
 * Every module the loader handed over must end in a valid ARCSIG trailer
 * (lib/arcsig.h) signed by the bootstrap key. The verifier checks each one
 * and prints one verdict line per module:
 *   module <name>: accepted
 *   module <name>: rejected (<reason>)
 * with <reason> one of: unsigned, truncated, unknown version, unknown
 * algorithm, bad signature. A rejected module is never given memory or
 * mappings and is not visible to the rest of the kernel: only accepted
 * modules can be looked up here. Boot continues either way.
 */
#ifndef CAMBIOS_VERIFIER_H
#define CAMBIOS_VERIFIER_H

#include <limine.h>
#include <stddef.h>

#define VERIFIER_MAX_MODULES 32

struct verified_module {
	const struct limine_file *file;
	const char *name;    /* file name without directory */
	const uint8_t *body; /* the module's bytes without the trailer */
	size_t body_len;
};

/* Verifies every boot module; returns how many were accepted. */
unsigned verifier_check_boot_modules(void);

/* The accepted module whose string (module_cmdline) is `role`, or NULL. */
const struct verified_module *verifier_find(const char *role);

#endif
