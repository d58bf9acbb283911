/*
 * hello: the first boot module -- a signed user program that greets.
 *
 * It proves the chain from the build to user mode: compiled by the
 * project, signed with the bootstrap key, verified by the kernel's
 * SignedBinaryVerifier before it gets any memory.
 */
#include "../lib/module.h"
#include "../lib/sys.h"

CAMBIOS_MODULE_ROLE("hello");

static const char greeting[] = "Hello from a signed boot module!\n";

int main(void)
{
	return sys_print(greeting, sizeof(greeting) - 1) == (int64_t)(sizeof(greeting) - 1) ? 0 : 1;
}
