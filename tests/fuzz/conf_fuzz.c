/*
 * conf_fuzz: libFuzzer target for the limine.conf parser (boot/conf.c),
 * which reads a file anyone with the disk can edit.
 *
 * Any input must parse or be refused with a one-line reason; an accepted
 * configuration must hold NUL-terminated strings within their buffers, a
 * limine-protocol entry (the name in any case) with a kernel, and at most CONF_MAX_MODULES
 * modules whose paths resolve or are refused cleanly.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <conf.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_string(const char *s, size_t cap)
{
	if (!memchr(s, '\0', cap))
		abort();
}

/* The parser takes the protocol name in any case, as it does keys. */
static bool is_limine(const char *s)
{
	static const char name[] = "limine";

	for (size_t i = 0; i < sizeof(name); i++) {
		char c = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
		if (c != name[i])
			return false;
	}
	return true;
}

static void check_accepted(const struct conf *c)
{
	char path[CONF_PATH_MAX], error[CONF_ERROR_MAX];

	check_string(c->entry.title, sizeof(c->entry.title));
	check_string(c->entry.protocol, sizeof(c->entry.protocol));
	check_string(c->entry.kernel_path, sizeof(c->entry.kernel_path));
	check_string(c->entry.cmdline, sizeof(c->entry.cmdline));
	if (!is_limine(c->entry.protocol) || c->entry.kernel_path[0] == '\0')
		abort();
	if (c->entry.module_count > CONF_MAX_MODULES)
		abort();
	for (unsigned i = 0; i < c->entry.module_count; i++) {
		check_string(c->entry.modules[i].path, CONF_PATH_MAX);
		check_string(c->entry.modules[i].cmdline, CONF_CMDLINE_MAX);
		if (!conf_resolve_path(c->entry.modules[i].path, path, sizeof(path), error))
			check_string(error, sizeof(error));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct conf c;
	char error[CONF_ERROR_MAX];
	/* An exact-size copy: reading one byte past it trips ASan. */
	char *text = malloc(size ? size : 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	memset(error, 0x55, sizeof(error));
	if (conf_parse(text, size, "x86-64", &c, error))
		check_accepted(&c);
	else if (!memchr(error, '\0', sizeof(error)) || error[0] == '\0')
		abort(); /* a refusal always says why */
	free(text);
	return 0;
}
