/*
 * verifier: the SignedBinaryVerifier (see verifier.h).
 *
 * Verification reads the module in place, in bootloader memory, and
 * allocates nothing: a rejected module costs no memory at all, and an
 * accepted one is only recorded (pointer and length) until a later step
 * gives it an address space.
 *
 * The role is read only after the signature verified, and only from the
 * signed bytes: an ELF file's note, any other file's first line.
 */
#include <verifier.h>

#include <arcsig.h>
#include <boot.h>
#include <elf.h>
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

/* Reads m's signed role and where its content starts; returns NULL or why
 * it has no role (MODULE_ROLE_NONE: it declares none). */
static const char *read_role(struct verified_module *m)
{
	uint64_t line_len = 0;
	const char *err;

	m->content = m->body;
	m->content_len = m->body_len;
	if (elf_has_magic(m->body, m->body_len))
		return elf_module_role(m->body, m->body_len, m->role);
	err = module_role_line(m->body, m->body_len, m->role, &line_len);
	if (!err) {
		m->content = m->body + line_len;
		m->content_len = m->body_len - line_len;
	}
	return err;
}

/* Roles are unique: the first accepted module keeps its role and a later
 * claim gets none, so a lookup has one answer. Which copy comes first is
 * limine.conf's (unsigned) order, so two signed modules of one role --
 * say an old and a new hello -- still need versioned roles to be told
 * apart; that is a later chapter's. */
static const struct verified_module *role_owner(const char *role)
{
	return role[0] ? verifier_find(role) : NULL;
}

/* limine.conf's string is unsigned: say so when it disagrees with the
 * signature, so nobody reads the conf file and trusts it. */
static void report_conf_string(const struct verified_module *m)
{
	if (m->argument[0] == '\0' || strcmp(m->argument, m->role) == 0)
		return;
	if (m->role[0])
		println("module %s: limine.conf says \"%s\", signed role is \"%s\"; "
			"the conf string is ignored", m->name, m->argument, m->role);
	else
		println("module %s: limine.conf says \"%s\", no signed role; "
			"the conf string is ignored", m->name, m->argument);
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
	struct verified_module *m = &accepted[accepted_count];
	*m = (struct verified_module){
		.file = f, .name = name, .body = f->address, .body_len = body_len,
		.argument = f->cmdline ? f->cmdline : "",
	};
	const char *why = read_role(m);
	const struct verified_module *owner = role_owner(m->role);
	accepted_count++;
	if (why == MODULE_ROLE_NONE)
		println("module %s: accepted (no signed role)", name);
	else if (why)
		println("module %s: accepted (no signed role: %s)", name, why);
	else
		println("module %s: accepted, role %s", name, m->role);
	if (owner) {
		println("module %s: role %s is already taken by %s; it gets no role", name, m->role,
			owner->name);
		m->role[0] = '\0';
	}
	report_conf_string(m);
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
	if (!role || role[0] == '\0')
		return NULL;
	for (unsigned i = 0; i < accepted_count; i++) {
		if (strcmp(accepted[i].role, role) == 0)
			return &accepted[i];
	}
	return NULL;
}

const struct verified_module *verifier_module(unsigned i)
{
	return i < accepted_count ? &accepted[i] : NULL;
}
