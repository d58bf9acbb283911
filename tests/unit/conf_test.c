/*
 * conf_test: the limine.conf subset parser (boot/conf.c).
 *
 * Covers the real boot/limine.conf, comments and whitespace, key case,
 * entry selection, modules and their command lines, macros, every error
 * path (with the line number in the message), line endings, the length
 * limits, timeouts, and conf_resolve_path().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <conf.h>

#define ARCH_X86 "x86-64"
#define ARCH_ARM "aarch64"
#define REAL_CONFIG "boot/limine.conf"
#define FILE_MAX 4096
#define BIG_TEXT_MAX 32768
/* conf.c's limit on one line (LINE_MAX_LEN there). */
#define CONF_LINE_MAX 512

/* struct conf is large (modules); one per test run is plenty. */
static struct conf parsed;
static char error[CONF_ERROR_MAX];

static bool parse_arch(const char *text, const char *arch)
{
	memset(error, 0, sizeof(error));
	return conf_parse(text, strlen(text), arch, &parsed, error);
}

static bool parse(const char *text)
{
	return parse_arch(text, ARCH_X86);
}

/* Fails the test unless `text` parses. */
static void parse_ok(const char *text)
{
	bool ok = parse(text);

	if (!ok)
		print_message("unexpected error: %s\n", error);
	assert_true(ok);
	assert_string_equal(error, "");
}

/* Fails the test unless `text` is refused with a message containing
 * each of the given fragments (NULL-terminated list). */
static void parse_fails_with(const char *text, const char *fragment, const char *fragment2)
{
	assert_false(parse(text));
	if (!strstr(error, fragment) || (fragment2 && !strstr(error, fragment2)))
		print_message("error was: %s\n", error);
	assert_non_null(strstr(error, fragment));
	if (fragment2)
		assert_non_null(strstr(error, fragment2));
	assert_true(strlen(error) < CONF_ERROR_MAX);
}

#define MINIMAL_ENTRY "/Entry\n protocol: limine\n kernel_path: boot():/k.elf\n"

/* ------------------------------------------------------------ basics */

static void real_config_parses(void **state)
{
	static char text[FILE_MAX];
	FILE *f = fopen(REAL_CONFIG, "rb");

	(void)state;
	assert_non_null(f);
	size_t len = fread(text, 1, sizeof(text), f);
	fclose(f);
	assert_true(len > 0 && len < sizeof(text));
	bool ok = conf_parse(text, len, ARCH_X86, &parsed, error);
	if (!ok)
		print_message("error: %s\n", error);
	assert_true(ok);
	assert_int_equal(parsed.timeout, 0);
	assert_int_equal(parsed.default_entry, 1);
	assert_string_equal(parsed.entry.title, "CambiOS");
	assert_string_equal(parsed.entry.protocol, "limine");
	assert_string_equal(parsed.entry.kernel_path, "boot():/boot/cambios.elf");
	assert_int_equal(parsed.entry.module_count, 1); /* the build appends the programs */
	assert_string_equal(parsed.entry.modules[0].path, "boot():/boot/modules/kernel.sym");
	assert_string_equal(parsed.entry.modules[0].cmdline, "kernel-symbols");
}

static void minimal_entry_has_defaults(void **state)
{
	(void)state;
	parse_ok(MINIMAL_ENTRY);
	assert_int_equal(parsed.timeout, 0);
	assert_int_equal(parsed.default_entry, 1);
	assert_string_equal(parsed.entry.title, "Entry");
	assert_string_equal(parsed.entry.cmdline, "");
	assert_int_equal(parsed.entry.module_count, 0);
}

static void comments_and_blank_lines_are_ignored(void **state)
{
	(void)state;
	parse_ok("# leading comment\n"
		 "\n"
		 "   # indented comment: with a colon\n"
		 "\t\n"
		 "/Entry\n"
		 "# timeout: 7\n"
		 "    # kernel_path: boot():/wrong.elf\n"
		 " protocol: limine\n"
		 "\n"
		 " kernel_path: boot():/k.elf\n"
		 "#/Another entry\n");
	assert_int_equal(parsed.timeout, 0);
	assert_string_equal(parsed.entry.kernel_path, "boot():/k.elf");
}

static void indentation_and_trailing_space_are_ignored(void **state)
{
	(void)state;
	parse_ok("\t  timeout:\t3  \n"
		 "   /Entry  \n"
		 "\t\tprotocol:   limine\t\n"
		 "kernel_path  :  boot():/k.elf   \n"
		 "  \t cmdline: a b  c \n");
	assert_int_equal(parsed.timeout, 3);
	assert_string_equal(parsed.entry.title, "Entry");
	assert_string_equal(parsed.entry.kernel_path, "boot():/k.elf");
	assert_string_equal(parsed.entry.cmdline, "a b  c");
}

static void keys_are_case_insensitive(void **state)
{
	(void)state;
	parse_ok("TIMEOUT: 4\n"
		 "Default_Entry: 1\n"
		 "/Entry\n"
		 " PROTOCOL: Limine\n"
		 " Kernel_Path: boot():/K.ELF\n"
		 " CmdLine: Mixed Case\n"
		 " MODULE_PATH: boot():/M\n"
		 " Module_CmdLine: Arg\n");
	assert_int_equal(parsed.timeout, 4);
	assert_string_equal(parsed.entry.kernel_path, "boot():/K.ELF");
	assert_string_equal(parsed.entry.cmdline, "Mixed Case");
	assert_int_equal(parsed.entry.module_count, 1);
	assert_string_equal(parsed.entry.modules[0].cmdline, "Arg");
}

static void path_and_kernel_cmdline_aliases_work(void **state)
{
	(void)state;
	parse_ok("/Entry\n protocol: limine\n path: boot():/alias.elf\n kernel_cmdline: x=1\n");
	assert_string_equal(parsed.entry.kernel_path, "boot():/alias.elf");
	assert_string_equal(parsed.entry.cmdline, "x=1");
}

static void unknown_keys_are_ignored(void **state)
{
	(void)state;
	parse_ok("serial: yes\nverbose: no\ngraphics: yes\n"
		 "/Entry\n protocol: limine\n kernel_path: boot():/k.elf\n kaslr: no\n"
		 " resolution: 800x600\n");
}

static void nested_and_plus_titles_are_flattened(void **state)
{
	(void)state;
	/* Every '/' line is an entry of its own, whatever its depth. */
	parse_ok("/+Solo\n protocol: limine\n kernel_path: boot():/k.elf\n");
	assert_string_equal(parsed.entry.title, "Solo");
	parse_ok("default_entry: 2\n/+Group\n//Child\n protocol: limine\n kernel_path: boot():/k.elf\n");
	assert_string_equal(parsed.entry.title, "Child");
	parse_fails_with("/+Group\n//Child\n protocol: limine\n kernel_path: boot():/k.elf\n",
			 "Group", "protocol");
}

static void long_title_is_truncated(void **state)
{
	char text[512];
	char title[CONF_TITLE_MAX * 2];

	(void)state;
	memset(title, 'T', sizeof(title) - 1);
	title[sizeof(title) - 1] = '\0';
	snprintf(text, sizeof(text), "/%s\n protocol: limine\n kernel_path: boot():/k\n", title);
	parse_ok(text);
	assert_int_equal(strlen(parsed.entry.title), CONF_TITLE_MAX - 1);
}

/* ------------------------------------------------------------ entries */

#define THREE_ENTRIES                                               \
	"/One\n protocol: limine\n kernel_path: boot():/one.elf\n"  \
	" module_path: boot():/one.mod\n"                           \
	"/Two\n protocol: limine\n kernel_path: boot():/two.elf\n"  \
	" cmdline: two\n module_path: boot():/two.mod\n"            \
	"/Three\n protocol: limine\n kernel_path: boot():/three.elf\n"

static void first_entry_boots_by_default(void **state)
{
	(void)state;
	parse_ok(THREE_ENTRIES);
	assert_string_equal(parsed.entry.title, "One");
	assert_string_equal(parsed.entry.kernel_path, "boot():/one.elf");
	assert_int_equal(parsed.entry.module_count, 1);
	assert_string_equal(parsed.entry.modules[0].path, "boot():/one.mod");
}

static void default_entry_selects_the_entry(void **state)
{
	(void)state;
	parse_ok("default_entry: 2\n" THREE_ENTRIES);
	assert_int_equal(parsed.default_entry, 2);
	assert_string_equal(parsed.entry.title, "Two");
	assert_string_equal(parsed.entry.kernel_path, "boot():/two.elf");
	assert_string_equal(parsed.entry.cmdline, "two");
	assert_int_equal(parsed.entry.module_count, 1);
	assert_string_equal(parsed.entry.modules[0].path, "boot():/two.mod");

	parse_ok("default_entry: 3\n" THREE_ENTRIES);
	assert_string_equal(parsed.entry.title, "Three");
	assert_string_equal(parsed.entry.kernel_path, "boot():/three.elf");
	assert_int_equal(parsed.entry.module_count, 0);
}

static void default_entry_beyond_the_last_fails(void **state)
{
	(void)state;
	parse_fails_with("default_entry: 4\n" THREE_ENTRIES, "no entry number 4", "found 3");
}

static void default_entry_zero_or_junk_fails(void **state)
{
	(void)state;
	parse_fails_with("default_entry: 0\n" MINIMAL_ENTRY, "line 1", "default_entry");
	parse_fails_with("\ndefault_entry: two\n" MINIMAL_ENTRY, "line 2", "default_entry");
}

static void default_entry_inside_an_entry_is_not_global(void **state)
{
	(void)state;
	/* Globals end at the first entry: later it is an (ignored) entry key. */
	parse_ok(MINIMAL_ENTRY " default_entry: 2\n/Second\n protocol: limine\n"
		 " kernel_path: boot():/second.elf\n");
	assert_int_equal(parsed.default_entry, 1);
	assert_string_equal(parsed.entry.title, "Entry");
}

static void errors_in_other_entries_are_ignored(void **state)
{
	(void)state;
	/* Entry keys of entries that will not boot are not applied. */
	parse_ok(MINIMAL_ENTRY "/Other\n module_cmdline: orphan\n protocol: linux\n");
	assert_string_equal(parsed.entry.protocol, "limine");
}

static void missing_kernel_path_fails(void **state)
{
	(void)state;
	parse_fails_with("/Entry\n protocol: limine\n cmdline: x\n", "Entry", "no kernel_path");
}

static void non_limine_protocol_fails(void **state)
{
	(void)state;
	parse_fails_with("/Entry\n protocol: linux\n kernel_path: boot():/k\n", "linux",
			 "only limine");
	parse_fails_with("/Entry\n kernel_path: boot():/k\n", "protocol", NULL);
	parse_fails_with("/Entry\n protocol: multiboot2\n kernel_path: boot():/k\n", "multiboot2",
			 NULL);
}

static void key_without_colon_fails_with_line_number(void **state)
{
	(void)state;
	parse_fails_with("timeout: 1\n\n/Entry\n protocol limine\n", "line 4", "expected key: value");
	parse_fails_with(": value\n", "line 1", "expected key: value");
}

static void empty_file_fails(void **state)
{
	(void)state;
	assert_false(conf_parse("", 0, ARCH_X86, &parsed, error));
	assert_non_null(strstr(error, "no entry number 1"));
	assert_non_null(strstr(error, "found 0"));
	parse_fails_with("# only comments\n\n", "no entry number 1", NULL);
	parse_fails_with("timeout: 3\n", "no entry number 1", NULL);
}

/* ------------------------------------------------------------ modules */

static void modules_pair_with_their_cmdlines(void **state)
{
	(void)state;
	parse_ok("/Entry\n protocol: limine\n kernel_path: boot():/k.elf\n"
		 " module_path: boot():/a\n module_cmdline: first\n"
		 " module_path: boot():/b\n"
		 " module_path: boot():/c\n module_string: third\n");
	assert_int_equal(parsed.entry.module_count, 3);
	assert_string_equal(parsed.entry.modules[0].path, "boot():/a");
	assert_string_equal(parsed.entry.modules[0].cmdline, "first");
	assert_string_equal(parsed.entry.modules[1].path, "boot():/b");
	assert_string_equal(parsed.entry.modules[1].cmdline, "");
	assert_string_equal(parsed.entry.modules[2].path, "boot():/c");
	assert_string_equal(parsed.entry.modules[2].cmdline, "third");
}

static void module_cmdline_before_any_module_fails(void **state)
{
	(void)state;
	parse_fails_with("/Entry\n protocol: limine\n module_cmdline: orphan\n"
			 " kernel_path: boot():/k\n",
			 "line 3", "module_cmdline");
}

/* A libFuzzer find (once crash-25194ab3...): a mutated limine.conf with a
 * capitalised protocol name, a 0xff byte in a path and keys run together
 * on one line. It never crashed the parser -- the fuzzer's oracle wrongly
 * wanted the protocol in lower case -- and it parses: the protocol is
 * matched in any case, the byte is kept, and a key's value is the rest of
 * its line. */
static void mangled_fuzzer_config_parses(void **state)
{
	(void)state;
	parse_ok("# CambiOS boot configuration, in Limine 8.x syntax.\n"
		 "# Read b\n"
		 "/CambiOS\n"
		 "    protocol: Limine\n"
		 "    kernel_path: boot(\xff:/boot/cambios.elfno\n"
		 "    module_path: boot():/boot/modules/kernel.sym\n"
		 "  module_cmdline: kernel-symbols\n"
		 "    module_path: boo    module_cmdline: kernel-sym[ols\n"
		 "    module_path: boot()module_cmdline: hello\n");
	assert_string_equal(parsed.entry.protocol, "Limine");
	assert_string_equal(parsed.entry.kernel_path, "boot(\xff:/boot/cambios.elfno");
	assert_int_equal(parsed.entry.module_count, 3);
	assert_string_equal(parsed.entry.modules[0].cmdline, "kernel-symbols");
	assert_string_equal(parsed.entry.modules[1].path, "boo    module_cmdline: kernel-sym[ols");
	assert_string_equal(parsed.entry.modules[2].path, "boot()module_cmdline: hello");
	assert_string_equal(parsed.entry.modules[2].cmdline, "");
}

static void append_modules(char *text, size_t size, unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		size_t used = strlen(text);
		snprintf(text + used, size - used, " module_path: boot():/m%u\n", i);
	}
}

static void sixty_four_modules_fit(void **state)
{
	static char text[BIG_TEXT_MAX];

	(void)state;
	snprintf(text, sizeof(text), "%s", MINIMAL_ENTRY);
	append_modules(text, sizeof(text), CONF_MAX_MODULES);
	parse_ok(text);
	assert_int_equal(parsed.entry.module_count, CONF_MAX_MODULES);
	assert_string_equal(parsed.entry.modules[CONF_MAX_MODULES - 1].path, "boot():/m63");
}

static void too_many_modules_fails(void **state)
{
	static char text[BIG_TEXT_MAX];
	char line[32];

	(void)state;
	snprintf(text, sizeof(text), "%s", MINIMAL_ENTRY);
	append_modules(text, sizeof(text), CONF_MAX_MODULES + 1);
	/* MINIMAL_ENTRY is 3 lines; the 33rd module is on line 3 + 33. */
	snprintf(line, sizeof(line), "line %u", 3 + CONF_MAX_MODULES + 1);
	parse_fails_with(text, line, "too many modules");
}

/* ------------------------------------------------------------ macros */

static void macros_expand_in_values(void **state)
{
	(void)state;
	parse_ok("${DIR}=boot():/boot\n"
		 "${ARGS}=quiet\n"
		 "/Entry\n protocol: limine\n kernel_path: ${DIR}/k.elf\n"
		 " cmdline: ${ARGS} ${ARGS}x\n module_path: ${DIR}/${ARGS}\n");
	assert_string_equal(parsed.entry.kernel_path, "boot():/boot/k.elf");
	assert_string_equal(parsed.entry.cmdline, "quiet quietx");
	assert_string_equal(parsed.entry.modules[0].path, "boot():/boot/quiet");
}

static void macro_definitions_expand_earlier_macros(void **state)
{
	(void)state;
	parse_ok("${ROOT}=boot():\n${DIR}=${ROOT}/sys\n"
		 "/Entry\n protocol: limine\n kernel_path: ${DIR}/k\n");
	assert_string_equal(parsed.entry.kernel_path, "boot():/sys/k");
}

static void arch_macro_is_built_in(void **state)
{
	static const char text[] = "/Entry\n protocol: limine\n kernel_path: boot():/k-${ARCH}.elf\n";

	(void)state;
	assert_true(parse_arch(text, ARCH_X86));
	assert_string_equal(parsed.entry.kernel_path, "boot():/k-x86-64.elf");
	assert_true(parse_arch(text, ARCH_ARM));
	assert_string_equal(parsed.entry.kernel_path, "boot():/k-aarch64.elf");
}

static void undefined_macro_fails(void **state)
{
	(void)state;
	parse_fails_with("/Entry\n protocol: limine\n kernel_path: ${NOPE}/k\n", "line 3",
			 "undefined macro");
	/* Macro names are case-sensitive. */
	parse_fails_with("${dir}=x\n/Entry\n kernel_path: ${DIR}\n", "line 3", "undefined macro");
}

static void unterminated_macro_fails(void **state)
{
	(void)state;
	parse_fails_with("/Entry\n protocol: limine\n kernel_path: ${DIR/k\n", "line 3",
			 "unterminated");
	parse_fails_with("${A}=${B\n", "line 1", "unterminated");
}

static void lone_dollar_is_literal(void **state)
{
	(void)state;
	parse_ok(MINIMAL_ENTRY " cmdline: $HOME costs $5 $\n");
	assert_string_equal(parsed.entry.cmdline, "$HOME costs $5 $");
}

static void malformed_macro_definition_fails(void **state)
{
	(void)state;
	parse_fails_with("${NAME}\n", "line 1", "malformed macro");
	parse_fails_with("# c\n${NAME}value\n", "line 2", "malformed macro");
	parse_fails_with("${NAME\n", "line 1", "malformed macro");
	parse_fails_with("${}=x\n", "line 1", "macro name");
}

static void macro_expansion_overflow_fails(void **state)
{
	static char text[BIG_TEXT_MAX];
	char value[200];

	(void)state;
	memset(value, 'v', sizeof(value) - 1);
	value[sizeof(value) - 1] = '\0';
	/* 3 x 199 characters exceed the 511 a line's value may expand to. */
	snprintf(text, sizeof(text), "${V}=%s\n" MINIMAL_ENTRY " cmdline: ${V}${V}${V}\n", value);
	parse_fails_with(text, "line 5", "too long");
}

/* ------------------------------------------------------------ limits */

/* A config whose kernel_path is `len` characters long. */
static void kernel_path_of_length(char *text, size_t size, size_t len)
{
	char path[CONF_PATH_MAX * 2];

	assert_true(len < sizeof(path));
	memset(path, 'p', len);
	path[len] = '\0';
	snprintf(text, size, "/Entry\n protocol: limine\n kernel_path: %s\n", path);
}

static void value_at_the_limit_fits(void **state)
{
	static char text[BIG_TEXT_MAX];

	(void)state;
	kernel_path_of_length(text, sizeof(text), CONF_PATH_MAX - 1);
	parse_ok(text);
	assert_int_equal(strlen(parsed.entry.kernel_path), CONF_PATH_MAX - 1);
}

static void overlong_value_fails(void **state)
{
	static char text[BIG_TEXT_MAX];

	(void)state;
	kernel_path_of_length(text, sizeof(text), CONF_PATH_MAX);
	parse_fails_with(text, "line 3", "too long");
	parse_fails_with("/E\n protocol: limine-with-a-long-name\n", "line 2", "too long");
}

/* A comment line of exactly `len` characters, then a valid entry. */
static void comment_line_of_length(char *text, size_t size, size_t len)
{
	memset(text, '#', len);
	text[len] = '\n';
	snprintf(text + len + 1, size - len - 1, "%s", MINIMAL_ENTRY);
}

static void line_at_the_limit_fits(void **state)
{
	static char text[BIG_TEXT_MAX];

	(void)state;
	comment_line_of_length(text, sizeof(text), CONF_LINE_MAX - 1);
	parse_ok(text);
}

static void overlong_line_fails(void **state)
{
	static char text[BIG_TEXT_MAX];

	(void)state;
	comment_line_of_length(text, sizeof(text), CONF_LINE_MAX);
	parse_fails_with(text, "line 1", "line too long");
}

/* ------------------------------------------------------------ line endings */

static void crlf_line_endings_are_accepted(void **state)
{
	(void)state;
	parse_ok("timeout: 2\r\n\r\n${D}=boot():/d\r\n/Entry\r\n protocol: limine\r\n"
		 " kernel_path: ${D}/k.elf\r\n module_path: boot():/m\r\n module_cmdline: c\r\n");
	assert_int_equal(parsed.timeout, 2);
	assert_string_equal(parsed.entry.title, "Entry");
	assert_string_equal(parsed.entry.kernel_path, "boot():/d/k.elf");
	assert_string_equal(parsed.entry.modules[0].path, "boot():/m");
	assert_string_equal(parsed.entry.modules[0].cmdline, "c");
}

static void last_line_without_newline_is_read(void **state)
{
	(void)state;
	parse_ok("/Entry\n protocol: limine\n kernel_path: boot():/k.elf");
	assert_string_equal(parsed.entry.kernel_path, "boot():/k.elf");
}

static void text_after_len_is_not_read(void **state)
{
	/* Only the bytes up to `len` belong to the file. */
	static const char text[] = MINIMAL_ENTRY " cmdline: keep" "GARBAGE";
	size_t len = strlen(text) - strlen("GARBAGE");
	char *copy = malloc(len); /* exactly len bytes: ASan catches over-reads */

	(void)state;
	assert_non_null(copy);
	memcpy(copy, text, len);
	assert_true(conf_parse(copy, len, ARCH_X86, &parsed, error));
	assert_string_equal(parsed.entry.cmdline, "keep");
	free(copy);
}

/* ------------------------------------------------------------ timeout */

static void timeout_values_parse(void **state)
{
	(void)state;
	parse_ok("timeout: 0\n" MINIMAL_ENTRY);
	assert_int_equal(parsed.timeout, 0);
	parse_ok("timeout: 30\n" MINIMAL_ENTRY);
	assert_int_equal(parsed.timeout, 30);
	parse_ok("timeout: no\n" MINIMAL_ENTRY);
	assert_true(parsed.timeout == UINT64_MAX);
	parse_ok("timeout: 18446744073709551615\n" MINIMAL_ENTRY);
	assert_true(parsed.timeout == UINT64_MAX);
}

static void bad_timeout_fails_with_line_number(void **state)
{
	(void)state;
	parse_fails_with("# c\ntimeout: soon\n" MINIMAL_ENTRY, "line 2", "timeout");
	parse_fails_with("timeout: -1\n" MINIMAL_ENTRY, "line 1", "timeout");
	parse_fails_with("timeout: 5s\n" MINIMAL_ENTRY, "line 1", "timeout");
	parse_fails_with("timeout:\n" MINIMAL_ENTRY, "line 1", "timeout");
}

static void timeout_overflow_fails(void **state)
{
	(void)state;
	/* UINT64_MAX + 1 must not wrap around to 0. */
	parse_fails_with("timeout: 18446744073709551616\n" MINIMAL_ENTRY, "line 1", "timeout");
	parse_fails_with("timeout: 99999999999999999999\n" MINIMAL_ENTRY, "line 1", "timeout");
}

/* ------------------------------------------------------------ conf_resolve_path */

static char resolved[CONF_PATH_MAX];

static bool resolve(const char *uri)
{
	memset(error, 0, sizeof(error));
	return conf_resolve_path(uri, resolved, sizeof(resolved), error);
}

static void boot_uri_resolves_to_volume_path(void **state)
{
	(void)state;
	assert_true(resolve("boot():/x"));
	assert_string_equal(resolved, "/x");
	assert_true(resolve("boot():/boot/cambios.elf"));
	assert_string_equal(resolved, "/boot/cambios.elf");
	assert_true(resolve("boot():/"));
	assert_string_equal(resolved, "/");
}

static void boot_uri_with_partition_resolves(void **state)
{
	(void)state;
	assert_true(resolve("boot(1):/x"));
	assert_string_equal(resolved, "/x");
	assert_true(resolve("boot(12):/a/b"));
	assert_string_equal(resolved, "/a/b");
}

static void other_resources_are_refused(void **state)
{
	(void)state;
	assert_false(resolve("hdd(0:1):/x"));
	assert_non_null(strstr(error, "hdd(0:1):/x"));
	assert_non_null(strstr(error, "boot()"));
	assert_false(resolve("guid(abc):/x"));
	assert_false(resolve("/x"));
	assert_false(resolve(""));
}

static void malformed_boot_uri_is_refused(void **state)
{
	(void)state;
	assert_false(resolve("boot():x"));
	assert_non_null(strstr(error, "malformed"));
	assert_false(resolve("boot()/x"));
	assert_false(resolve("boot(:/x"));
	assert_false(resolve("boot(a):/x"));
	assert_false(resolve("boot("));
	assert_false(resolve("boot()"));
	assert_false(resolve("boot():"));
}

static void hash_checked_path_is_refused(void **state)
{
	(void)state;
	assert_false(resolve("boot():/k.elf#0123abcd"));
	assert_non_null(strstr(error, "hash"));
}

static void path_must_fit_out_buffer(void **state)
{
	/* Exactly-sized heap buffers so ASan sees any overrun. */
	char *small = malloc(4);
	char *exact = malloc(5);

	(void)state;
	assert_non_null(small);
	assert_non_null(exact);
	assert_false(conf_resolve_path("boot():/abc", small, 4, error));
	assert_non_null(strstr(error, "too long"));
	assert_true(conf_resolve_path("boot():/abc", exact, 5, error));
	assert_string_equal(exact, "/abc");
	assert_false(conf_resolve_path("boot():/", small, 0, error));
	free(small);
	free(exact);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(real_config_parses),
		cmocka_unit_test(minimal_entry_has_defaults),
		cmocka_unit_test(comments_and_blank_lines_are_ignored),
		cmocka_unit_test(indentation_and_trailing_space_are_ignored),
		cmocka_unit_test(keys_are_case_insensitive),
		cmocka_unit_test(path_and_kernel_cmdline_aliases_work),
		cmocka_unit_test(unknown_keys_are_ignored),
		cmocka_unit_test(nested_and_plus_titles_are_flattened),
		cmocka_unit_test(long_title_is_truncated),
		cmocka_unit_test(first_entry_boots_by_default),
		cmocka_unit_test(default_entry_selects_the_entry),
		cmocka_unit_test(default_entry_beyond_the_last_fails),
		cmocka_unit_test(default_entry_zero_or_junk_fails),
		cmocka_unit_test(default_entry_inside_an_entry_is_not_global),
		cmocka_unit_test(errors_in_other_entries_are_ignored),
		cmocka_unit_test(missing_kernel_path_fails),
		cmocka_unit_test(non_limine_protocol_fails),
		cmocka_unit_test(key_without_colon_fails_with_line_number),
		cmocka_unit_test(empty_file_fails),
		cmocka_unit_test(modules_pair_with_their_cmdlines),
		cmocka_unit_test(module_cmdline_before_any_module_fails),
		cmocka_unit_test(mangled_fuzzer_config_parses),
		cmocka_unit_test(sixty_four_modules_fit),
		cmocka_unit_test(too_many_modules_fails),
		cmocka_unit_test(macros_expand_in_values),
		cmocka_unit_test(macro_definitions_expand_earlier_macros),
		cmocka_unit_test(arch_macro_is_built_in),
		cmocka_unit_test(undefined_macro_fails),
		cmocka_unit_test(unterminated_macro_fails),
		cmocka_unit_test(lone_dollar_is_literal),
		cmocka_unit_test(malformed_macro_definition_fails),
		cmocka_unit_test(macro_expansion_overflow_fails),
		cmocka_unit_test(value_at_the_limit_fits),
		cmocka_unit_test(overlong_value_fails),
		cmocka_unit_test(line_at_the_limit_fits),
		cmocka_unit_test(overlong_line_fails),
		cmocka_unit_test(crlf_line_endings_are_accepted),
		cmocka_unit_test(last_line_without_newline_is_read),
		cmocka_unit_test(text_after_len_is_not_read),
		cmocka_unit_test(timeout_values_parse),
		cmocka_unit_test(bad_timeout_fails_with_line_number),
		cmocka_unit_test(timeout_overflow_fails),
		cmocka_unit_test(boot_uri_resolves_to_volume_path),
		cmocka_unit_test(boot_uri_with_partition_resolves),
		cmocka_unit_test(other_resources_are_refused),
		cmocka_unit_test(malformed_boot_uri_is_refused),
		cmocka_unit_test(hash_checked_path_is_refused),
		cmocka_unit_test(path_must_fit_out_buffer),
	};

	return cmocka_run_group_tests_name("conf", tests, NULL, NULL);
}
