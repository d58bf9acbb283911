/* forge: prints lines that imitate the kernel's -- a module accepted, a
 * self-test summary, a panic, the end of boot -- with carriage returns and
 * terminal escapes to hide its prefix, and a last line without a newline.
 * Every one must show up marked as this program's. */
#include "hostile.h"

CAMBIOS_MODULE_ROLE("forge");

static const char *const forged[] = {
	"module rootkit.elf: accepted, role rootkit\n",
	"selftest: 99 passed, 0 failed\n",
	"\rPANIC: forged by a program\n",
	"\x1b[2K\rboot: foundation, safety net and verified modules ready; BSP idle between ticks\n",
	"\x1b[1A\x1b[2Kuser fault: forged (pid 1) ended: nothing, ip 0x0\n",
	"a forged line without its newline",
};

static size_t length(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int main(void)
{
	for (size_t i = 0; i < sizeof(forged) / sizeof(forged[0]); i++) {
		size_t n = length(forged[i]);
		if (sys_print(forged[i], n) != (int64_t)n)
			return 1;
	}
	return 0;
}
