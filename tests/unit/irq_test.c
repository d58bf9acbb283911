/*
 * irq_test: the interrupt router's state machine (kernel/dev/irq.c) over a
 * stand-in interrupt controller that records which lines are masked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <irq.h>

#define WINDOW 100 /* the storm window, in the test's time units */
#define LINE 10
#define OTHER 11
#define KERNEL_LINE 4

static bool unmasked[IRQ_LINES];
static unsigned unmask_calls;

static void fake_mask(unsigned line)
{
	unmasked[line] = false;
}

static void fake_unmask(unsigned line)
{
	unmasked[line] = true;
	unmask_calls++;
}

static const struct irq_chip fake = { fake_mask, fake_unmask };

static int setup(void **state)
{
	(void)state;
	for (unsigned i = 0; i < IRQ_LINES; i++)
		unmasked[i] = false;
	unmask_calls = 0;
	irq_router_init(&fake, WINDOW);
	assert_int_equal(irq_line_declare(LINE, true), K_OK);
	assert_int_equal(irq_line_declare(OTHER, false), K_OK);
	assert_int_equal(irq_line_declare(KERNEL_LINE, false), K_OK);
	assert_int_equal(irq_line_reserve(KERNEL_LINE), K_OK);
	return 0;
}

static enum irq_state state_of(unsigned line)
{
	struct irq_line_info info;

	assert_true(irq_line_info(line, &info));
	return info.state;
}

static void declaring_checks_range_and_duplicates(void **state)
{
	(void)state;
	assert_int_equal(irq_line_declare(IRQ_LINES, true), K_EINVAL);
	assert_int_equal(irq_line_declare(LINE, true), K_EEXIST);
	assert_int_equal(irq_line_reserve(IRQ_LINES), K_EINVAL);
	assert_int_equal(state_of(LINE), IRQ_FREE);
	assert_int_equal(state_of(KERNEL_LINE), IRQ_KERNEL);
	assert_int_equal(state_of(12), IRQ_UNROUTED);
	assert_false(irq_line_info(IRQ_LINES, &(struct irq_line_info){ 0 }));
}

static void first_waiter_claims_and_unmasks(void **state)
{
	(void)state;
	assert_false(unmasked[LINE]);
	assert_int_equal(irq_wait_begin(LINE, 7, 0), K_OK);
	assert_true(unmasked[LINE]);
	assert_false(irq_wait_done(LINE));
	struct irq_line_info info;
	assert_true(irq_line_info(LINE, &info));
	assert_int_equal(info.state, IRQ_OWNED);
	assert_int_equal(info.owner, 7);
	assert_true(info.armed);
}

static void others_and_kernel_lines_are_refused(void **state)
{
	(void)state;
	assert_int_equal(irq_wait_begin(LINE, 7, 0), K_OK);
	assert_int_equal(irq_wait_begin(LINE, 8, 0), K_EPERM);
	assert_int_equal(irq_wait_begin(KERNEL_LINE, 8, 0), K_EPERM);
	assert_false(unmasked[KERNEL_LINE]);
	assert_int_equal(irq_wait_begin(12, 8, 0), K_EINVAL);      /* unrouted */
	assert_int_equal(irq_wait_begin(IRQ_LINES, 8, 0), K_EINVAL);
	assert_int_equal(irq_wait_begin(OTHER, PID_NONE, 0), K_EINVAL);
	/* A second wait by the owner while the first is armed. */
	assert_int_equal(irq_wait_begin(LINE, 7, 0), K_EEXIST);
	/* The kernel cannot take a line a process holds. */
	assert_int_equal(irq_line_reserve(LINE), K_EBUSY);
}

static void interrupt_masks_and_wakes_until_the_next_wait(void **state)
{
	(void)state;
	assert_int_equal(irq_wait_begin(LINE, 7, 0), K_OK);
	assert_int_equal(irq_dispatch(LINE, 5000), IRQ_WAKE);
	assert_false(unmasked[LINE]);      /* masked while the owner handles it */
	assert_true(irq_wait_done(LINE));
	assert_int_equal(irq_wait_result(LINE, 7), K_OK);
	/* Another interrupt before the owner waits again: spurious. */
	assert_int_equal(irq_dispatch(LINE, 5001), IRQ_SPURIOUS);
	assert_int_equal(irq_spurious_total(), 1);
	/* Waiting again unmasks it and starts a fresh wait. */
	assert_int_equal(irq_wait_begin(LINE, 7, 6000), K_OK);
	assert_true(unmasked[LINE]);
	assert_false(irq_wait_done(LINE));
	struct irq_line_info info;
	assert_true(irq_line_info(LINE, &info));
	assert_int_equal(info.count, 1);
	assert_int_equal(info.spurious, 1);
}

static void interrupts_nobody_waits_for_are_spurious(void **state)
{
	(void)state;
	assert_int_equal(irq_dispatch(OTHER, 0), IRQ_SPURIOUS);      /* free line */
	assert_int_equal(irq_dispatch(12, 0), IRQ_SPURIOUS);         /* unrouted */
	assert_int_equal(irq_dispatch(IRQ_LINES + 5, 0), IRQ_SPURIOUS);
	assert_int_equal(irq_spurious_total(), 3);
	assert_int_equal(state_of(OTHER), IRQ_FREE);
}

/* One wait and an interrupt `delay` after its unmask. */
static enum irq_outcome cycle(unsigned line, uint64_t *now, uint64_t delay)
{
	assert_int_equal(irq_wait_begin(line, 7, *now), K_OK);
	*now += delay;
	enum irq_outcome out = irq_dispatch(line, *now);
	*now += 1;
	return out;
}

static void a_level_line_refiring_at_once_is_a_storm(void **state)
{
	uint64_t now = 0;

	(void)state;
	for (unsigned i = 1; i < IRQ_STORM_REFIRES; i++)
		assert_int_equal(cycle(LINE, &now, 1), IRQ_WAKE);
	assert_int_equal(cycle(LINE, &now, 1), IRQ_STORM);
	assert_false(unmasked[LINE]);
	assert_true(irq_wait_done(LINE));
	assert_int_equal(irq_wait_result(LINE, 7), K_EBUSY);
	assert_int_equal(state_of(LINE), IRQ_STORMED);
	/* Masked for good: no wait unmasks it, not even after the owner exits. */
	unsigned calls = unmask_calls;
	assert_int_equal(irq_wait_begin(LINE, 7, now), K_EBUSY);
	assert_int_equal(irq_release_owner(7), 1);
	assert_int_equal(irq_wait_begin(LINE, 8, now), K_EBUSY);
	assert_int_equal(unmask_calls, calls);
	assert_int_equal(state_of(LINE), IRQ_STORMED);
}

static void progress_keeps_a_busy_line_alive(void **state)
{
	uint64_t now = 0;

	(void)state;
	/* Fast refires interleaved with quiet spells never add up. */
	for (unsigned i = 0; i < 4 * IRQ_STORM_REFIRES; i++)
		assert_int_equal(cycle(LINE, &now, i % 4 == 3 ? WINDOW + 1 : 1), IRQ_WAKE);
	struct irq_line_info info;
	assert_true(irq_line_info(LINE, &info));
	assert_true(info.refires < IRQ_STORM_REFIRES);
	assert_int_equal(info.state, IRQ_OWNED);
}

static void edge_lines_never_storm(void **state)
{
	uint64_t now = 0;

	(void)state;
	for (unsigned i = 0; i < 2 * IRQ_STORM_REFIRES; i++)
		assert_int_equal(cycle(OTHER, &now, 0), IRQ_WAKE);
	assert_int_equal(state_of(OTHER), IRQ_OWNED);
}

static void exit_releases_every_line_masked(void **state)
{
	(void)state;
	assert_int_equal(irq_wait_begin(LINE, 7, 0), K_OK);
	assert_int_equal(irq_wait_begin(OTHER, 7, 0), K_OK);
	assert_int_equal(irq_release_owner(8), 0);
	assert_int_equal(irq_release_owner(7), 2);
	assert_false(unmasked[LINE]);
	assert_false(unmasked[OTHER]);
	assert_int_equal(state_of(LINE), IRQ_FREE);
	assert_true(irq_wait_done(LINE));               /* a release ends a wait */
	assert_int_equal(irq_wait_result(LINE, 7), K_ENOENT);
	/* The next process may claim it now. */
	assert_int_equal(irq_wait_begin(LINE, 8, 0), K_OK);
	assert_int_equal(irq_release_owner(PID_NONE), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(declaring_checks_range_and_duplicates, setup),
		cmocka_unit_test_setup(first_waiter_claims_and_unmasks, setup),
		cmocka_unit_test_setup(others_and_kernel_lines_are_refused, setup),
		cmocka_unit_test_setup(interrupt_masks_and_wakes_until_the_next_wait, setup),
		cmocka_unit_test_setup(interrupts_nobody_waits_for_are_spurious, setup),
		cmocka_unit_test_setup(a_level_line_refiring_at_once_is_a_storm, setup),
		cmocka_unit_test_setup(progress_keeps_a_busy_line_alive, setup),
		cmocka_unit_test_setup(edge_lines_never_storm, setup),
		cmocka_unit_test_setup(exit_releases_every_line_masked, setup),
	};

	return cmocka_run_group_tests_name("irq", tests, NULL, NULL);
}
