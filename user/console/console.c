/*
 * console: reads what is typed at the serial console (ConsoleRead, system
 * call 24) and prints it back in one line per read, bytes outside
 * printable ASCII shown as \r, \n or \xNN, so what arrived is visible
 * exactly. It blocks in ConsoleRead between keystrokes, costing no CPU.
 * `make run` has it: type, and the line comes back.
 */
#include "../lib/module.h"
#include "../lib/sys.h"

CAMBIOS_MODULE_ROLE("console");

#define READ_MAX 48 /* printed at most 4 characters a byte: under SYS_PRINT_MAX */
#define PREFIX "console: read \""

static const char started[] = "console: type here; each read comes back (ConsoleRead)\n";

static size_t put(char *out, size_t at, const char *s)
{
	while (*s)
		out[at++] = *s++;
	return at;
}

/* One byte as it is shown: itself, or an escape (at most 4 characters). */
static size_t put_byte(char *out, size_t at, uint8_t b)
{
	static const char hex[] = "0123456789abcdef";

	if (b == '\r')
		return put(out, at, "\\r");
	if (b == '\n')
		return put(out, at, "\\n");
	if (b == '\\' || b == '"') {
		out[at++] = '\\';
		out[at++] = (char)b;
		return at;
	}
	if (b >= 0x20 && b < 0x7f) {
		out[at++] = (char)b;
		return at;
	}
	at = put(out, at, "\\x");
	out[at++] = hex[b >> 4];
	out[at++] = hex[b & 0xf];
	return at;
}

int main(void)
{
	static uint8_t in[READ_MAX];
	static char line[sizeof(PREFIX) + 4 * READ_MAX + 3];

	(void)sys_print(started, sizeof(started) - 1);
	for (;;) {
		int64_t n = sys_console_read(in, sizeof(in));
		if (n <= 0)
			return 1;
		size_t at = put(line, 0, PREFIX);
		for (int64_t i = 0; i < n; i++)
			at = put_byte(line, at, in[i]);
		at = put(line, at, "\"\n");
		(void)sys_print(line, at);
	}
}
