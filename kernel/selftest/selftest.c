/*
 * selftest: counting checks and running the groups (see selftest.h).
 */
#include <selftest.h>

#include <printk.h>

static unsigned passed, failed;

bool selftest_check(bool ok, const char *name)
{
	if (ok)
		passed++;
	else
		failed++;
	println("TEST %s %s", name, ok ? "PASS" : "FAIL");
	return ok;
}

void selftest_run_all(void)
{
	println("selftest: starting");
	selftest_memory();
	selftest_traps();
	selftest_user();
	selftest_subsystems();
	selftest_ipc();
	selftest_program();
	selftest_timer();
	selftest_smp();
	println("selftest: %u passed, %u failed", passed, failed);
}
