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

/* Steers to any CPU but REFUSED_CPU; remembers the last call and whether
 * the line was masked then. */
#define REFUSED_CPU 3
static unsigned route_calls, routed_line, routed_cpu;
static bool routed_while_masked;

static bool fake_route(unsigned line, unsigned cpu)
{
	route_calls++;
	routed_line = line;
	routed_cpu = cpu;
	routed_while_masked = !unmasked[line];
	return cpu != REFUSED_CPU;
}

static const struct irq_chip fake = { fake_mask, fake_unmask, fake_route };
static const struct irq_chip fixed = { fake_mask, fake_unmask, NULL };

static int setup(void **state)
{
	(void)state;
	for (unsigned i = 0; i < IRQ_LINES; i++)
		unmasked[i] = false;
	unmask_calls = 0;
	route_calls = 0;
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
	assert_int_equal(irq_wait_begin(LINE, 7, 0, 0, NULL), K_OK);
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
	assert_int_equal(irq_wait_begin(LINE, 7, 0, 0, NULL), K_OK);
	assert_int_equal(irq_wait_begin(LINE, 8, 0, 0, NULL), K_EPERM);
	assert_int_equal(irq_wait_begin(KERNEL_LINE, 8, 0, 0, NULL), K_EPERM);
	assert_false(unmasked[KERNEL_LINE]);
	assert_int_equal(irq_wait_begin(12, 8, 0, 0, NULL), K_EINVAL);      /* unrouted */
	assert_int_equal(irq_wait_begin(IRQ_LINES, 8, 0, 0, NULL), K_EINVAL);
	assert_int_equal(irq_wait_begin(OTHER, PID_NONE, 0, 0, NULL), K_EINVAL);
	/* A second wait by the owner while the first is armed. */
	assert_int_equal(irq_wait_begin(LINE, 7, 0, 0, NULL), K_EEXIST);
	/* The kernel cannot take a line a process holds. */
	assert_int_equal(irq_line_reserve(LINE), K_EBUSY);
}

static void interrupt_masks_and_wakes_until_the_next_wait(void **state)
{
	(void)state;
	assert_int_equal(irq_wait_begin(LINE, 7, 0, 0, NULL), K_OK);
	assert_int_equal(irq_dispatch(LINE, 5000, 0), IRQ_WAKE);
	assert_false(unmasked[LINE]);      /* masked while the owner handles it */
	assert_true(irq_wait_done(LINE));
	assert_int_equal(irq_wait_result(LINE, 7), K_OK);
	/* Another interrupt before the owner waits again: spurious. */
	assert_int_equal(irq_dispatch(LINE, 5001, 0), IRQ_SPURIOUS);
	assert_int_equal(irq_spurious_total(), 1);
	/* Waiting again unmasks it and starts a fresh wait. */
	assert_int_equal(irq_wait_begin(LINE, 7, 6000, 0, NULL), K_OK);
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
	assert_int_equal(irq_dispatch(OTHER, 0, 0), IRQ_SPURIOUS);      /* free line */
	assert_int_equal(irq_dispatch(12, 0, 0), IRQ_SPURIOUS);         /* unrouted */
	assert_int_equal(irq_dispatch(IRQ_LINES + 5, 0, 0), IRQ_SPURIOUS);
	assert_int_equal(irq_spurious_total(), 3);
	assert_int_equal(state_of(OTHER), IRQ_FREE);
}

/* One wait and an interrupt `delay` after its unmask. */
static enum irq_outcome cycle(unsigned line, uint64_t *now, uint64_t delay)
{
	assert_int_equal(irq_wait_begin(line, 7, *now, 0, NULL), K_OK);
	*now += delay;
	enum irq_outcome out = irq_dispatch(line, *now, 0);
	*now += 1;
	return out;
}

/* A waiter woken by something else withdraws: masked again and not
 * fired, unless the interrupt beat it -- then that is what it gets. */
static void a_withdrawn_wait_masks_again_unless_the_interrupt_came(void **state)
{
	struct irq_line_info info;

	(void)state;
	assert_int_equal(irq_wait_begin(LINE, 7, 0, 0, NULL), K_OK);
	assert_int_equal(irq_wait_withdraw(LINE, 8), K_ENOENT); /* not its line */
	assert_true(unmasked[LINE]);
	assert_int_equal(irq_wait_withdraw(LINE, 7), K_EAGAIN);
	assert_false(unmasked[LINE]);
	assert_true(irq_line_info(LINE, &info));
	assert_false(info.armed);
	assert_int_equal(info.owner, 7); /* still its holder's */
	assert_int_equal(info.count, 0);
	/* Nobody waits now: an interrupt is spurious. */
	assert_int_equal(irq_dispatch(LINE, 10, 0), IRQ_SPURIOUS);
	/* The interrupt first: the withdrawal reports it. */
	assert_int_equal(irq_wait_begin(LINE, 7, 5000, 0, NULL), K_OK);
	assert_int_equal(irq_dispatch(LINE, 9000, 0), IRQ_WAKE);
	assert_int_equal(irq_wait_withdraw(LINE, 7), K_OK);
	assert_false(unmasked[LINE]);
	/* And a fresh wait arms it again. */
	assert_int_equal(irq_wait_begin(LINE, 7, 9500, 0, NULL), K_OK);
	assert_true(unmasked[LINE]);
	assert_int_equal(irq_wait_withdraw(IRQ_LINES, 7), K_EINVAL);
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
	assert_int_equal(irq_wait_withdraw(LINE, 7), K_EBUSY);
	/* Masked for good: no wait unmasks it, not even after the owner exits. */
	unsigned calls = unmask_calls;
	assert_int_equal(irq_wait_begin(LINE, 7, now, 0, NULL), K_EBUSY);
	assert_int_equal(irq_release_owner(7), 1);
	assert_int_equal(irq_wait_begin(LINE, 8, now, 0, NULL), K_EBUSY);
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
	assert_int_equal(irq_wait_begin(LINE, 7, 0, 0, NULL), K_OK);
	assert_int_equal(irq_wait_begin(OTHER, 7, 0, 0, NULL), K_OK);
	assert_int_equal(irq_release_owner(8), 0);
	assert_int_equal(irq_release_owner(7), 2);
	assert_false(unmasked[LINE]);
	assert_false(unmasked[OTHER]);
	assert_int_equal(state_of(LINE), IRQ_FREE);
	assert_true(irq_wait_done(LINE));               /* a release ends a wait */
	assert_int_equal(irq_wait_result(LINE, 7), K_ENOENT);
	/* The next process may claim it now. */
	assert_int_equal(irq_wait_begin(LINE, 8, 0, 0, NULL), K_OK);
	assert_int_equal(irq_release_owner(PID_NONE), 0);
}

static struct irq_line_info info_of(unsigned line)
{
	struct irq_line_info info;

	assert_true(irq_line_info(line, &info));
	return info;
}

static void a_wait_steers_the_masked_line_to_the_waiters_cpu(void **state)
{
	unsigned was_on = 99;

	(void)state;
	assert_int_equal(info_of(LINE).cpu, 0); /* every line starts on the boot CPU */
	assert_int_equal(irq_wait_begin(LINE, 7, 0, 2, &was_on), K_OK);
	assert_int_equal(was_on, 0);
	assert_int_equal(route_calls, 1);
	assert_int_equal(routed_line, LINE);
	assert_int_equal(routed_cpu, 2);
	assert_true(routed_while_masked);
	assert_true(unmasked[LINE]);
	assert_int_equal(info_of(LINE).cpu, 2);

	assert_int_equal(irq_dispatch(LINE, 10, 2), IRQ_WAKE);
	assert_int_equal(info_of(LINE).taken_on, 2);
	assert_int_equal(info_of(LINE).elsewhere, 0);
	/* Waiting again from the same CPU steers nothing. */
	assert_int_equal(irq_wait_begin(LINE, 7, 20, 2, &was_on), K_OK);
	assert_int_equal(was_on, 2);
	assert_int_equal(route_calls, 1);
	/* One taken on another CPU is counted. */
	assert_int_equal(irq_dispatch(LINE, 3000, 0), IRQ_WAKE);
	assert_int_equal(info_of(LINE).taken_on, 0);
	assert_int_equal(info_of(LINE).elsewhere, 1);
}

static void a_line_stays_where_it_is_when_it_cannot_be_steered(void **state)
{
	(void)state;
	assert_int_equal(irq_wait_begin(LINE, 7, 0, REFUSED_CPU, NULL), K_OK);
	assert_int_equal(route_calls, 1);
	assert_int_equal(info_of(LINE).cpu, 0);
	assert_true(unmasked[LINE]); /* the wait goes on, on the old CPU */

	irq_router_init(&fixed, WINDOW); /* a controller that cannot steer at all */
	assert_int_equal(irq_line_declare(LINE, true), K_OK);
	assert_int_equal(irq_wait_begin(LINE, 7, 0, 1, NULL), K_OK);
	assert_int_equal(info_of(LINE).cpu, 0);
}

static void a_released_line_keeps_its_cpu_and_held_lines_are_found(void **state)
{
	struct irq_line_info info;
	unsigned line = 0;

	(void)state;
	assert_false(irq_next_held(7, &line, &info)); /* nobody holds anything */
	assert_int_equal(irq_wait_begin(LINE, 7, 0, 1, NULL), K_OK);
	assert_int_equal(irq_wait_begin(OTHER, 8, 0, 0, NULL), K_OK);
	assert_true(irq_next_held(7, &line, &info));
	assert_int_equal(line, LINE);
	assert_int_equal(info.cpu, 1);
	line++;
	assert_false(irq_next_held(7, &line, &info));
	line = 0;
	assert_false(irq_next_held(PID_NONE, &line, &info));
	assert_int_equal(irq_release_owner(7), 1);
	line = 0;
	assert_false(irq_next_held(7, &line, &info));
	assert_int_equal(info_of(LINE).cpu, 1); /* the controller still sends it there */
	/* The next owner on CPU 1 needs no steering. */
	route_calls = 0;
	assert_int_equal(irq_wait_begin(LINE, 9, 0, 1, NULL), K_OK);
	assert_int_equal(route_calls, 0);
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
		cmocka_unit_test_setup(a_withdrawn_wait_masks_again_unless_the_interrupt_came, setup),
		cmocka_unit_test_setup(a_wait_steers_the_masked_line_to_the_waiters_cpu, setup),
		cmocka_unit_test_setup(a_line_stays_where_it_is_when_it_cannot_be_steered, setup),
		cmocka_unit_test_setup(a_released_line_keeps_its_cpu_and_held_lines_are_found, setup),
	};

	return cmocka_run_group_tests_name("irq", tests, NULL, NULL);
}
