/*
 * conf (verify harness): the limine.conf parser over a file of unknown
 * bytes and any length up to 4 KiB, and the boot():/ path resolver over
 * the paths it yields and over any string, into any output size.
 *
 * The loader hands conf_parse whatever the volume's limine.conf holds:
 * any bytes (NUL and '\n' included), any length. The cap only sizes the
 * analysis's buffer: the parser keeps no state that grows with the file
 * but counters (line, entry, macro and module numbers, each checked
 * against its own limit or wrapping harmlessly), and a line longer than
 * its 512-byte buffer is refused, so 4 KiB already holds every kind of
 * line at every position. ${ARCH} is each of the names the loaders and
 * the fuzzer pass. conf_resolve_path gets the parsed kernel and module
 * paths (as boot/main.c and boot/responses.c do) and any C string up to
 * 256 bytes (a path from the file is shorter), with any output size up
 * to past the longest path.
 */
#include <__fc_builtin.h>
#include <conf.h>

#define MAX_FILE 4096
#define MAX_URI 256
#define OUT_CAP (CONF_PATH_MAX + 8)

static char file[MAX_FILE];
static struct conf parsed;
static char error[CONF_ERROR_MAX];
static char uri[MAX_URI + 1];
static char out[OUT_CAP];

static const char *arch_name(void)
{
	switch (Frama_C_int_interval(0, 2)) {
	case 0: return "x86_64";
	case 1: return "x86-64";
	default: return "aarch64";
	}
}

int main(void)
{
	size_t len = Frama_C_size_t_interval(0, MAX_FILE);

	Frama_C_make_unknown(file, MAX_FILE);
	(void)conf_parse(file, len, arch_name(), &parsed, error);

	size_t out_size = Frama_C_size_t_interval(0, OUT_CAP);
	(void)conf_resolve_path(parsed.entry.kernel_path, out, out_size, error);
	/* Every module slot, one call each, as boot/responses.c walks them
	 * (main's slevel keeps the calls apart: an imprecise slot index
	 * would blur the 64 paths into one range of the struct). */
	for (unsigned i = 0; i < CONF_MAX_MODULES; i++)
		(void)conf_resolve_path(parsed.entry.modules[i].path, out, out_size, error);

	Frama_C_make_unknown(uri, MAX_URI);
	uri[MAX_URI] = '\0';
	(void)conf_resolve_path(uri, out, Frama_C_size_t_interval(0, OUT_CAP), error);
	return 0;
}
