/*
 * hello: the first boot module -- a signed user program that greets.
 *
 * It proves the chain from the build to user mode: compiled by the
 * project, signed with the bootstrap key, verified by the kernel's
 * SignedBinaryVerifier before it gets any memory -- and that it runs as a
 * process among others: it says which CPU it runs on, then greets three
 * times, yielding in between.
 */
#include "../lib/line.h"
#include "../lib/module.h"

CAMBIOS_MODULE_ROLE("hello");

static const char greeting[] = "Hello from a signed boot module!\n";

#define GREETINGS 3

/* Greets three times, letting others run in between; exits 1 if the
 * kernel refused to print. */
int main(void)
{
	struct line where;

	where.len = 0;
	put(&where, "hello: process ");
	put_dec(&where, sys_getpid());
	put(&where, " on CPU ");
	put_dec(&where, sys_get_cpu());
	say(&where);
	for (int i = 0; i < GREETINGS; i++) {
		if (sys_print(greeting, sizeof(greeting) - 1) != (int64_t)(sizeof(greeting) - 1))
			return 1;
		(void)sys_yield();
	}
	return 0;
}
