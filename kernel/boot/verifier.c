/*
 * verifier: the SignedBinaryVerifier (see verifier.h).
 *
 * Verification reads the module in place, in bootloader memory, and
 * allocates nothing: a rejected module costs no memory at all, and an
 * accepted one is only recorded (pointer and length) until a later step
 * gives it an address space.
 */
#include <verifier.h>

#include <arcsig.h>
#include <boot.h>
#include <identity.h>
#include <kstring.h>
#include <printk.h>

static struct verified_module accepted[VERIFIER_MAX_MODULES];
static unsigned accepted_count;

static const char *base_name(const char *path)
{
	const char *name = path;

	for (const char *p = path; *p; p++) {
		if (*p == '/')
			name = p + 1;
	}
	return name;
}

static void verify_one(const struct limine_file *f)
{
	const char *name = base_name(f->path);
	size_t body_len = 0;
	enum arcsig_status s = arcsig_verify(f->address, f->size, identity_bootstrap()->key,
					     &body_len);

	if (s != ARCSIG_OK) {
		println("module %s: rejected (%s)", name, arcsig_status_reason(s));
		return;
	}
	if (accepted_count == VERIFIER_MAX_MODULES) {
		println("module %s: rejected (more than %d modules)", name, VERIFIER_MAX_MODULES);
		return;
	}
	accepted[accepted_count++] = (struct verified_module){ f, name, f->address, body_len };
	println("module %s: accepted", name);
}

unsigned verifier_check_boot_modules(void)
{
	const struct limine_module_response *mods = boot_modules();
	uint64_t count = mods ? mods->module_count : 0;

	for (uint64_t i = 0; i < count; i++)
		verify_one(mods->modules[i]);
	println("verifier: %u of %llu boot modules accepted", accepted_count,
		(unsigned long long)count);
	return accepted_count;
}

const struct verified_module *verifier_find(const char *role)
{
	for (unsigned i = 0; i < accepted_count; i++) {
		const char *cmdline = accepted[i].file->cmdline;
		if (cmdline && strcmp(cmdline, role) == 0)
			return &accepted[i];
	}
	return NULL;
}
