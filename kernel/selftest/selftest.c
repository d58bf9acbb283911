/*
 * selftest: counting checks and running the groups (see selftest.h).
 */
#include <selftest.h>

#include <arch.h>
#include <boot.h>
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

void selftest_fill_pattern(uint8_t *p, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(seed + i);
}

bool selftest_pattern_intact(const uint8_t *p, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i] != (uint8_t)(seed + i))
			return false;
	}
	return true;
}

unsigned selftest_last_cpu(void)
{
	unsigned last = 0;

	for (unsigned cpu = 0; cpu < MP_MAX_CPUS; cpu++) {
		if (mp_cpu_online(cpu))
			last = cpu;
	}
	return last;
}

bool selftest_wait_until(unsigned max_waits, bool (*done)(void))
{
	for (unsigned i = 0; i < max_waits && !done(); i++)
		arch_wait_for_interrupt();
	return done();
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
	selftest_boundary();
	selftest_timer();
	selftest_sched();
	selftest_smp();
	selftest_balance();
	selftest_tlb();
	selftest_irq();
#if defined(__aarch64__)
	selftest_its();
#endif
	selftest_bars();
	println("selftest: %u passed, %u failed", passed, failed);
}
