/*
 * cap_test: capabilities (kernel/cap/cap.c) over a real process table.
 *
 * Rules: kernel processes hold everything; others start with nothing;
 * delegation passes on only rights held, and only with CAP_DELEGATE;
 * revocation needs CAP_REVOKE (or a kernel process); a reused slot does
 * not inherit rights; a randomised sequence matches a shadow model (rights
 * never escalate, table capacity holds).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <cap.h>

#include "../support/host_world.h"
#include <xorshift.h>

#define USERS 4

static kpid_t users[USERS];
static const kpid_t kernel0 = PID_MAKE(0, 0);

static int boot(void **state)
{
	(void)state;
	if (host_world_boot_processes() != 0)
		return -1;
	for (int i = 0; i < USERS; i++) {
		if (process_create("user", &users[i]) != K_OK)
			return -1;
	}
	cap_init();
	return 0;
}

static void kernel_processes_hold_everything_users_nothing(void **state)
{
	(void)state;
	for (uint32_t ep = 0; ep < CAP_ENDPOINTS; ep++) {
		assert_int_equal(cap_rights(kernel0, ep), CAP_ALL);
		assert_int_equal(cap_rights(users[0], ep), 0);
		assert_int_equal(cap_check(users[0], ep, CAP_SEND), K_EPERM);
	}
}

static void grants_merge_and_are_checked(void **state)
{
	(void)state;
	assert_int_equal(cap_grant(users[0], 5, CAP_SEND), K_OK);
	assert_int_equal(cap_grant(users[0], 5, CAP_RECEIVE), K_OK);
	assert_int_equal(cap_rights(users[0], 5), CAP_SEND | CAP_RECEIVE);
	assert_int_equal(cap_check(users[0], 5, CAP_SEND | CAP_RECEIVE), K_OK);
	assert_int_equal(cap_check(users[0], 5, CAP_DELEGATE), K_EPERM);
	assert_int_equal(cap_grant(users[0], CAP_ENDPOINTS, CAP_SEND), K_EINVAL);
	assert_int_equal(cap_grant(users[0], 1, 0), K_EINVAL);
	assert_int_equal(cap_grant(users[0], 1, 1u << 7), K_EINVAL);
	assert_int_equal(cap_grant(PID_MAKE(9, 40), 1, CAP_SEND), K_ENOENT);
}

static void delegation_needs_the_right_and_the_delegate_bit(void **state)
{
	(void)state;
	assert_int_equal(cap_grant(users[0], 3, CAP_SEND), K_OK);
	assert_int_equal(cap_delegate(users[0], users[1], 3, CAP_SEND), K_EPERM);
	assert_int_equal(cap_grant(users[0], 3, CAP_DELEGATE), K_OK);
	assert_int_equal(cap_delegate(users[0], users[1], 3, CAP_RECEIVE), K_EPERM);
	assert_int_equal(cap_delegate(users[0], users[0], 3, CAP_SEND), K_EPERM);
	assert_int_equal(cap_delegate(users[0], users[1], 3, CAP_SEND), K_OK);
	assert_int_equal(cap_rights(users[1], 3), CAP_SEND);
}

static void revocation_needs_the_revoke_right(void **state)
{
	(void)state;
	assert_int_equal(cap_grant(users[1], 4, CAP_SEND | CAP_RECEIVE), K_OK);
	assert_int_equal(cap_revoke(users[0], users[1], 4, CAP_SEND), K_EPERM);
	assert_int_equal(cap_grant(users[0], 4, CAP_REVOKE), K_OK);
	assert_int_equal(cap_revoke(users[0], users[1], 4, CAP_SEND), K_OK);
	assert_int_equal(cap_rights(users[1], 4), CAP_RECEIVE);
	assert_int_equal(cap_revoke(kernel0, users[1], 4, CAP_RECEIVE), K_OK);
	assert_int_equal(cap_revoke(kernel0, users[1], 4, CAP_RECEIVE), K_ENOENT);
}

static void a_reused_slot_starts_with_nothing(void **state)
{
	kpid_t again;

	(void)state;
	assert_int_equal(cap_grant(users[3], 7, CAP_ALL), K_OK);
	assert_int_equal(process_destroy(users[3]), K_OK);
	assert_int_equal(cap_check(users[3], 7, CAP_SEND), K_ENOENT);
	assert_int_equal(process_create("new", &again), K_OK);
	assert_int_equal(PID_SLOT(again), PID_SLOT(users[3]));
	assert_int_equal(cap_rights(again, 7), 0);
}

static void the_table_holds_cap_slots_entries(void **state)
{
	(void)state;
	/* One entry per endpoint: CAP_SLOTS == CAP_ENDPOINTS, so all fit. */
	for (uint32_t ep = 0; ep < CAP_ENDPOINTS; ep++)
		assert_int_equal(cap_grant(users[2], ep, CAP_SEND), K_OK);
	assert_int_equal(cap_grant(users[2], 0, CAP_RECEIVE), K_OK); /* merges */
}

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint64_t rng(void)
{
	return xorshift64(&rng_state);
}

static void random_operations_never_escalate(void **state)
{
	static cap_rights_t model[USERS][CAP_ENDPOINTS];
	const uint32_t eps = 6;

	(void)state;
	memset(model, 0, sizeof(model));
	for (int op = 0; op < 20000; op++) {
		int a = (int)(rng() % USERS), b = (int)(rng() % USERS);
		uint32_t ep = (uint32_t)(rng() % eps);
		cap_rights_t r = (cap_rights_t)(1 + rng() % CAP_ALL);
		switch (rng() % 4) {
		case 0: /* the kernel grants */
			assert_int_equal(cap_grant(users[a], ep, r), K_OK);
			model[a][ep] |= r;
			break;
		case 1: {
			bool may = a != b && (model[a][ep] & CAP_DELEGATE) && (model[a][ep] & r) == r;
			assert_int_equal(cap_delegate(users[a], users[b], ep, r), may ? K_OK : K_EPERM);
			if (may)
				model[b][ep] |= r;
			break;
		}
		case 2: {
			kerr_t want = !(model[a][ep] & CAP_REVOKE) ? K_EPERM
				      : (model[b][ep] & r) ? K_OK : K_ENOENT;
			assert_int_equal(cap_revoke(users[a], users[b], ep, r), want);
			if (want == K_OK)
				model[b][ep] &= ~r;
			break;
		}
		default:
			for (int u = 0; u < USERS; u++)
				assert_int_equal(cap_rights(users[u], ep), model[u][ep]);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(kernel_processes_hold_everything_users_nothing, boot),
		cmocka_unit_test_setup(grants_merge_and_are_checked, boot),
		cmocka_unit_test_setup(delegation_needs_the_right_and_the_delegate_bit, boot),
		cmocka_unit_test_setup(revocation_needs_the_revoke_right, boot),
		cmocka_unit_test_setup(a_reused_slot_starts_with_nothing, boot),
		cmocka_unit_test_setup(the_table_holds_cap_slots_entries, boot),
		cmocka_unit_test_setup(random_operations_never_escalate, boot),
	};

	return cmocka_run_group_tests_name("cap", tests, NULL, NULL);
}
