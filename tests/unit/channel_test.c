/*
 * channel_test: shared-memory channels (system calls 28-32) through the
 * real dispatcher, over real address spaces and frames
 * (tests/support/syscall_world.h).
 *
 * SW_TRUSTED creates (it speaks for the bootstrap Principal); SW_STRANGER,
 * given a Principal of its own here, is the peer; the world's third
 * process stands for anyone else. Each refusal also checks that nothing
 * changed, and the frames a channel took come back when it is gone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <abi/channel.h>
#include <abi/syscall.h>
#include <channel.h>
#include <frame.h>
#include <process.h>
#include <vm.h>

#include "../support/syscall_world.h"

#define P(x) ((uint64_t)(uintptr_t)(x))
/* Where the world's callers keep arguments: their read-write pages. */
#define PRINCIPAL_AT SW_RW
#define OUT_AT (SW_RW + 64)
#define INFO_AT (SW_RW + 128)

static const struct principal stranger_principal = { .key = { 0x5e, 0x11, 0xe7 } };
static const struct principal nobody = { .key = { 0x0b, 0xad } };

static int fresh_world(void **state)
{
	(void)state;
	if (sw_reset() != 0)
		return -1;
	return process_bind_principal(sw_pid(SW_STRANGER), &stranger_principal) == K_OK ? 0 : -1;
}

static int64_t call(enum sw_caller who, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
		    uint64_t a3)
{
	sw_set_caller(who);
	struct sw_result r = sw_call(nr, a0, a1, a2, a3, 0, 0);
	assert_int_equal(r.end, SW_RETURNED);
	return r.value;
}

/* ChannelCreate by SW_TRUSTED for `peer`; the address it wrote, in *va. */
static int64_t create(uint64_t pages, const struct principal *peer, uint64_t role, uint64_t *va)
{
	sw_set_caller(SW_TRUSTED);
	memcpy(sw_user_page(PRINCIPAL_AT), peer, sizeof(*peer));
	int64_t id = call(SW_TRUSTED, SYS_CHANNEL_CREATE, pages, PRINCIPAL_AT, role, OUT_AT);
	if (id > 0 && va)
		memcpy(va, sw_user_page(OUT_AT), sizeof(*va));
	return id;
}

/* How `pid` has `va` mapped: its flags, or 0 if not at all. */
static unsigned mapping(kpid_t pid, uint64_t va, uint64_t *pa)
{
	unsigned flags;
	uint64_t unused;

	if (vm_translate(process_address_space(pid), va, pa ? pa : &unused, &flags) != K_OK)
		return 0;
	return flags;
}

static uint8_t info_byte(enum sw_caller who, unsigned offset)
{
	sw_set_caller(who);
	return sw_user_page(INFO_AT)[offset];
}

static uint64_t info_le(enum sw_caller who, unsigned offset, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bytes; i++)
		v |= (uint64_t)info_byte(who, offset + i) << (8 * i);
	return v;
}

/* ------------------------------------------------------------------ */

static void test_range_check_never_overflows(void **state)
{
	(void)state;
	assert_true(channel_range_ok(0, 4096, 4096));
	assert_true(channel_range_ok(4096, 0, 4096));
	assert_true(channel_range_ok(100, 3996, 4096));
	assert_false(channel_range_ok(100, 3997, 4096));
	assert_false(channel_range_ok(4097, 0, 4096));
	assert_false(channel_range_ok(1, UINT64_MAX, 4096));       /* offset + len wraps */
	assert_false(channel_range_ok(UINT64_MAX, 2, 4096));
}

static void test_create_maps_the_creator_only(void **state)
{
	(void)state;
	uint64_t free_before = frame_free_count(), va = 0, pa;
	int64_t id = create(4, &stranger_principal, CHANNEL_ROLE_PRODUCER, &va);

	assert_true(id > 0);
	assert_int_equal(va, CHANNEL_AREA_BASE + (id & 0xff) * CHANNEL_SLOT_SIZE);
	assert_true(free_before - frame_free_count() >= 4);
	/* Read+write for the producer, never executable, zeroed. */
	assert_int_equal(mapping(sw_pid(SW_TRUSTED), va, &pa), VM_USER | VM_WRITE | VM_SHARED);
	assert_int_equal(mapping(sw_pid(SW_TRUSTED), va + 3 * SW_PAGE, NULL),
			 VM_USER | VM_WRITE | VM_SHARED);
	assert_int_equal(mapping(sw_pid(SW_TRUSTED), va + 4 * SW_PAGE, NULL), 0); /* guard */
	assert_int_equal(mapping(sw_pid(SW_STRANGER), va, NULL), 0);
	sw_set_caller(SW_TRUSTED);
	for (unsigned i = 0; i < SW_PAGE; i++)
		assert_int_equal(sw_user_page(va)[i], 0);
	assert_int_equal(call(SW_TRUSTED, SYS_CHANNEL_INFO, (uint64_t)id, INFO_AT, 46, 0), 46);
	assert_int_equal(info_byte(SW_TRUSTED, CHANNEL_INFO_STATE), CHANNEL_STATE_AWAITING_ATTACH);
	assert_int_equal(info_le(SW_TRUSTED, CHANNEL_INFO_PAGES, 4), 4);
	assert_int_equal(info_le(SW_TRUSTED, CHANNEL_INFO_CREATOR, 4), PID_SLOT(sw_pid(SW_TRUSTED)));
	assert_int_equal(info_le(SW_TRUSTED, CHANNEL_INFO_PEER, 4), CHANNEL_NO_PEER);
	assert_int_equal(info_le(SW_TRUSTED, CHANNEL_INFO_CREATOR_VA, 8), va);
	assert_int_equal(info_le(SW_TRUSTED, CHANNEL_INFO_PEER_VA, 8), 0);
	assert_int_equal(info_le(SW_TRUSTED, CHANNEL_INFO_PHYS, 8), 0); /* never disclosed */
}

/* The peer sees what the creator writes, in the same frames, read-only
 * for a producer's channel; the creator reads a consumer's. */
static void test_attach_shares_the_frames_with_the_role_s_rights(void **state)
{
	(void)state;
	uint64_t va, pa_creator, pa_peer;
	int64_t id = create(2, &stranger_principal, CHANNEL_ROLE_PRODUCER, &va);

	assert_true(id > 0);
	assert_int_equal(call(SW_STRANGER, SYS_CHANNEL_ATTACH, (uint64_t)id, 0, 0, 0), (int64_t)va);
	assert_int_equal(mapping(sw_pid(SW_STRANGER), va, &pa_peer), VM_USER | VM_SHARED);
	assert_int_equal(mapping(sw_pid(SW_TRUSTED), va, &pa_creator),
			 VM_USER | VM_WRITE | VM_SHARED);
	assert_int_equal(pa_peer, pa_creator);
	sw_set_caller(SW_TRUSTED);
	memcpy(sw_user_page(va + SW_PAGE), "through the channel", 20);
	sw_set_caller(SW_STRANGER);
	assert_memory_equal(sw_user_page(va + SW_PAGE), "through the channel", 20);
	assert_int_equal(call(SW_STRANGER, SYS_CHANNEL_INFO, (uint64_t)id, INFO_AT, 64, 0), 46);
	assert_int_equal(info_byte(SW_STRANGER, CHANNEL_INFO_STATE), CHANNEL_STATE_ACTIVE);
	assert_int_equal(info_le(SW_STRANGER, CHANNEL_INFO_PEER, 4), PID_SLOT(sw_pid(SW_STRANGER)));
	assert_int_equal(info_le(SW_STRANGER, CHANNEL_INFO_PEER_VA, 8), va);

	int64_t back = create(1, &stranger_principal, CHANNEL_ROLE_CONSUMER, &va);
	assert_int_equal(call(SW_STRANGER, SYS_CHANNEL_ATTACH, (uint64_t)back, 0, 0, 0), (int64_t)va);
	assert_int_equal(mapping(sw_pid(SW_TRUSTED), va, NULL), VM_USER | VM_SHARED);
	assert_int_equal(mapping(sw_pid(SW_STRANGER), va, NULL), VM_USER | VM_WRITE | VM_SHARED);
	int64_t both = create(1, &stranger_principal, CHANNEL_ROLE_BIDIRECTIONAL, &va);
	assert_int_equal(call(SW_STRANGER, SYS_CHANNEL_ATTACH, (uint64_t)both, 0, 0, 0), (int64_t)va);
	assert_int_equal(mapping(sw_pid(SW_TRUSTED), va, NULL), VM_USER | VM_WRITE | VM_SHARED);
	assert_int_equal(mapping(sw_pid(SW_STRANGER), va, NULL), VM_USER | VM_WRITE | VM_SHARED);
}

/* Every refusal of a create or an attach leaves everything as it was. */
static void test_refusals_change_nothing(void **state)
{
	(void)state;
	struct sw_state before, after;
	uint64_t va;
	int64_t id = create(1, &stranger_principal, CHANNEL_ROLE_PRODUCER, &va);
	int64_t unnamed = create(1, &nobody, CHANNEL_ROLE_PRODUCER, &va);
	struct {
		enum sw_caller who;
		uint64_t nr, a0, a1, a2, a3;
		int64_t want;
	} rows[] = {
		{ SW_TRUSTED, SYS_CHANNEL_CREATE, 0, PRINCIPAL_AT, 0, OUT_AT, SYS_EINVAL },
		{ SW_TRUSTED, SYS_CHANNEL_CREATE, 65537, PRINCIPAL_AT, 0, OUT_AT, SYS_EINVAL },
		{ SW_TRUSTED, SYS_CHANNEL_CREATE, CHANNEL_PAGES_MAX + 1, PRINCIPAL_AT, 0, OUT_AT,
		  SYS_ENOMEM },
		{ SW_TRUSTED, SYS_CHANNEL_CREATE, 1, PRINCIPAL_AT, 3, OUT_AT, SYS_EINVAL },
		{ SW_TRUSTED, SYS_CHANNEL_CREATE, 1, SW_HOLE, 0, OUT_AT, SYS_EFAULT },
		{ SW_TRUSTED, SYS_CHANNEL_CREATE, 1, PRINCIPAL_AT, 0, SW_RO, SYS_EFAULT },
		{ SW_TRUSTED, SYS_CHANNEL_CREATE, 1, PRINCIPAL_AT, 0, SW_TOP + SW_PAGE - 4,
		  SYS_EFAULT },
		/* The creator never attaches its own channel. */
		{ SW_TRUSTED, SYS_CHANNEL_ATTACH, (uint64_t)id, 0, 0, 0, SYS_EPERM },
		/* A process not speaking for the named Principal. */
		{ SW_STRANGER, SYS_CHANNEL_ATTACH, (uint64_t)unnamed, 0, 0, 0, SYS_EPERM },
		{ SW_STRANGER, SYS_CHANNEL_ATTACH, (uint64_t)id + 256, 0, 0, 0, SYS_ENOENT },
		{ SW_STRANGER, SYS_CHANNEL_ATTACH, 31, 0, 0, 0, SYS_ENOENT },
		{ SW_STRANGER, SYS_CHANNEL_ATTACH, UINT64_MAX, 0, 0, 0, SYS_ENOENT },
		/* Only its two sides close it, the bootstrap Principal revokes. */
		{ SW_STRANGER, SYS_CHANNEL_CLOSE, (uint64_t)id, 0, 0, 0, SYS_EPERM },
		{ SW_STRANGER, SYS_CHANNEL_REVOKE, (uint64_t)id, 0, 0, 0, SYS_EPERM },
		{ SW_TRUSTED, SYS_CHANNEL_REVOKE, 12345, 0, 0, 0, SYS_ENOENT },
		{ SW_STRANGER, SYS_CHANNEL_INFO, (uint64_t)id, INFO_AT, 46, 0, SYS_EPERM },
		{ SW_TRUSTED, SYS_CHANNEL_INFO, (uint64_t)id, INFO_AT, 45, 0, SYS_EINVAL },
		{ SW_TRUSTED, SYS_CHANNEL_INFO, (uint64_t)id, SW_RO, 46, 0, SYS_EFAULT },
		{ SW_TRUSTED, SYS_CHANNEL_INFO, (uint64_t)id, SW_RW + 2 * SW_PAGE - 45, 46, 0,
		  SYS_EFAULT },
	};

	assert_true(id > 0 && unnamed > 0);
	sw_set_caller(SW_TRUSTED);
	memcpy(sw_user_page(PRINCIPAL_AT), &stranger_principal,
	       sizeof(stranger_principal));
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		sw_state(&before);
		int64_t got = call(rows[i].who, rows[i].nr, rows[i].a0, rows[i].a1, rows[i].a2,
				   rows[i].a3);
		if (got != rows[i].want)
			fail_msg("row %zu: got %lld, want %lld", i, (long long)got,
				 (long long)rows[i].want);
		sw_state(&after);
		assert_true(sw_state_equal(&before, &after));
	}
}

/* Exactly one peer: once attached, nobody else -- not even another
 * process speaking for the same Principal -- attaches. */
static void test_a_second_peer_is_refused(void **state)
{
	(void)state;
	uint64_t va, other_va;
	int64_t id = create(1, &stranger_principal, CHANNEL_ROLE_BIDIRECTIONAL, &va);

	assert_int_equal(call(SW_STRANGER, SYS_CHANNEL_ATTACH, (uint64_t)id, 0, 0, 0), (int64_t)va);
	kerr_t bound = process_bind_principal(sw_peer(), &stranger_principal);
	assert_true(bound == K_OK || bound == K_EEXIST);
	assert_int_equal(channel_attach(sw_peer(), (uint64_t)id, &other_va), K_EPERM);
	assert_int_equal(call(SW_STRANGER, SYS_CHANNEL_ATTACH, (uint64_t)id, 0, 0, 0), SYS_EPERM);
	assert_int_equal(mapping(sw_peer(), va, NULL), 0);
}

/* Close unmaps both sides at once; the frames come back once the other
 * side has been seen quiescent (here: its ChannelInfo, which reads
 * CLOSED), and the id is dead for good. */
static void test_close_unmaps_both_and_frees_after_the_other_side(void **state)
{
	(void)state;
	uint64_t free_before = frame_free_count(), va;
	int64_t id = create(3, &stranger_principal, CHANNEL_ROLE_PRODUCER, &va);

	assert_int_equal(call(SW_STRANGER, SYS_CHANNEL_ATTACH, (uint64_t)id, 0, 0, 0), (int64_t)va);
	uint64_t free_open = frame_free_count();
	assert_int_equal(call(SW_TRUSTED, SYS_CHANNEL_CLOSE, (uint64_t)id, 0, 0, 0), 0);
	assert_int_equal(mapping(sw_pid(SW_TRUSTED), va, NULL), 0);
	assert_int_equal(mapping(sw_pid(SW_STRANGER), va + 2 * SW_PAGE, NULL), 0);
	assert_int_equal(frame_free_count(), free_open); /* the peer may still be copying */
	assert_int_equal(channel_records_in_use(), 1);
	assert_int_equal(call(SW_TRUSTED, SYS_CHANNEL_CLOSE, (uint64_t)id, 0, 0, 0), SYS_ENOENT);
	assert_int_equal(call(SW_STRANGER, SYS_CHANNEL_INFO, (uint64_t)id, INFO_AT, 46, 0), 46);
	assert_int_equal(info_byte(SW_STRANGER, CHANNEL_INFO_STATE), CHANNEL_STATE_CLOSED);
	assert_int_equal(info_le(SW_STRANGER, CHANNEL_INFO_CREATOR_VA, 8), 0);
	assert_int_equal(channel_records_in_use(), 0);
	assert_int_equal(frame_free_count() - free_open, 3);
	assert_true(frame_free_count() <= free_before); /* page tables stay with the spaces */
	assert_int_equal(call(SW_STRANGER, SYS_CHANNEL_INFO, (uint64_t)id, INFO_AT, 46, 0),
			 SYS_ENOENT);
	assert_int_equal(call(SW_STRANGER, SYS_CHANNEL_ATTACH, (uint64_t)id, 0, 0, 0), SYS_ENOENT);
	/* The slot's next channel has a new id. */
	int64_t next = create(1, &stranger_principal, CHANNEL_ROLE_PRODUCER, &va);
	assert_true(next > 0 && next != id);
}

/* Nobody attached: the creator's close frees everything at once. */
static void test_close_before_attach_frees_at_once(void **state)
{
	(void)state;
	uint64_t free_before = frame_free_count(), va;
	int64_t id = create(5, &stranger_principal, CHANNEL_ROLE_PRODUCER, &va);

	assert_int_equal(call(SW_TRUSTED, SYS_CHANNEL_CLOSE, (uint64_t)id, 0, 0, 0), 0);
	assert_int_equal(channel_records_in_use(), 0);
	/* Only the page tables the mapping needed stay with the space. */
	assert_true(free_before - frame_free_count() < 5);
	assert_int_equal(call(SW_STRANGER, SYS_CHANNEL_ATTACH, (uint64_t)id, 0, 0, 0), SYS_ENOENT);
}

/* Revoke (the bootstrap Principal's) ends it for both; both sides must
 * then be seen quiescent. */
static void test_revoke_unmaps_both_sides(void **state)
{
	(void)state;
	uint64_t va;
	int64_t id = create(1, &stranger_principal, CHANNEL_ROLE_BIDIRECTIONAL, &va);

	assert_int_equal(call(SW_STRANGER, SYS_CHANNEL_ATTACH, (uint64_t)id, 0, 0, 0), (int64_t)va);
	assert_int_equal(call(SW_STRANGER, SYS_CHANNEL_REVOKE, (uint64_t)id, 0, 0, 0), SYS_EPERM);
	assert_int_equal(call(SW_TRUSTED, SYS_CHANNEL_REVOKE, (uint64_t)id, 0, 0, 0), 0);
	assert_int_equal(mapping(sw_pid(SW_TRUSTED), va, NULL), 0);
	assert_int_equal(mapping(sw_pid(SW_STRANGER), va, NULL), 0);
	assert_int_equal(call(SW_STRANGER, SYS_CHANNEL_INFO, (uint64_t)id, INFO_AT, 46, 0), 46);
	assert_int_equal(info_byte(SW_STRANGER, CHANNEL_INFO_STATE), CHANNEL_STATE_REVOKED);
	assert_int_equal(channel_records_in_use(), 0); /* the revoker was the other side */
	assert_int_equal(call(SW_TRUSTED, SYS_CHANNEL_REVOKE, (uint64_t)id, 0, 0, 0), SYS_ENOENT);
}

/* A side that ends takes its channels down from both sides. */
static void test_a_side_ending_ends_its_channels(void **state)
{
	(void)state;
	uint64_t va, kept_va;
	int64_t id = create(2, &stranger_principal, CHANNEL_ROLE_PRODUCER, &va);
	int64_t kept = create(1, &nobody, CHANNEL_ROLE_PRODUCER, &kept_va);

	assert_int_equal(call(SW_STRANGER, SYS_CHANNEL_ATTACH, (uint64_t)id, 0, 0, 0), (int64_t)va);
	channel_process_ended(sw_pid(SW_STRANGER));
	assert_int_equal(mapping(sw_pid(SW_TRUSTED), va, NULL), 0);
	assert_int_equal(mapping(sw_pid(SW_STRANGER), va, NULL), 0);
	assert_int_not_equal(mapping(sw_pid(SW_TRUSTED), kept_va, NULL), 0); /* not its */
	assert_int_equal(channel_records_in_use(), 2);
	/* The creator's next channel call is its quiescent point. */
	assert_int_equal(call(SW_TRUSTED, SYS_CHANNEL_INFO, (uint64_t)kept, INFO_AT, 46, 0), 46);
	assert_int_equal(channel_records_in_use(), 1);
}

/* One process cannot take the whole table. */
static void test_a_creator_has_a_share_of_the_table(void **state)
{
	(void)state;
	uint64_t va;

	for (unsigned i = 0; i < CHANNEL_PER_CREATOR; i++)
		assert_true(create(1, &nobody, CHANNEL_ROLE_PRODUCER, &va) > 0);
	struct sw_state before, after;
	sw_state(&before);
	assert_int_equal(create(1, &nobody, CHANNEL_ROLE_PRODUCER, &va), SYS_ENOMEM);
	sw_state(&after);
	assert_true(sw_state_equal(&before, &after));
}

/* A space torn down with a channel still mapped leaves the shared frames
 * alone (they are the channel's to free), and the channel frees them
 * once it ends. */
static void test_teardown_never_frees_shared_frames(void **state)
{
	(void)state;
	uint64_t va, pa;
	int64_t id = create(1, &stranger_principal, CHANNEL_ROLE_PRODUCER, &va);

	assert_int_equal(call(SW_STRANGER, SYS_CHANNEL_ATTACH, (uint64_t)id, 0, 0, 0), (int64_t)va);
	assert_int_not_equal(mapping(sw_pid(SW_STRANGER), va, &pa), 0);
	uint64_t free_now = frame_free_count();
	vm_space_destroy(process_address_space(sw_pid(SW_STRANGER)));
	assert_int_equal(vm_space_create(process_address_space(sw_pid(SW_STRANGER))), K_OK);
	/* Its tables and pages came back, the channel's frame did not:
	 * every free frame taken, and it is not among them. */
	assert_true(frame_free_count() > free_now);
	static paddr_t taken[4096];
	size_t n = 0;
	while (n < 4096 && frame_alloc(&taken[n]) == K_OK)
		assert_int_not_equal(taken[n++], pa);
	while (n > 0)
		assert_int_equal(frame_free(taken[--n]), K_OK);
	/* The channel still frees it, once, when it ends. */
	assert_int_equal(call(SW_TRUSTED, SYS_CHANNEL_CLOSE, (uint64_t)id, 0, 0, 0), 0);
	assert_int_equal(call(SW_STRANGER, SYS_CHANNEL_CLOSE, (uint64_t)id, 0, 0, 0), SYS_ENOENT);
	assert_int_equal(channel_records_in_use(), 1); /* a refused call changes nothing */
	uint8_t info[CHANNEL_INFO_LEN]; /* its new space has nothing mapped to write to */
	assert_int_equal(channel_info(sw_pid(SW_STRANGER), (uint64_t)id, info), K_OK);
	assert_int_equal(info[CHANNEL_INFO_STATE], CHANNEL_STATE_CLOSED);
	assert_int_equal(channel_records_in_use(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range_check_never_overflows),
		cmocka_unit_test_setup(test_create_maps_the_creator_only, fresh_world),
		cmocka_unit_test_setup(test_attach_shares_the_frames_with_the_role_s_rights,
				       fresh_world),
		cmocka_unit_test_setup(test_refusals_change_nothing, fresh_world),
		cmocka_unit_test_setup(test_a_second_peer_is_refused, fresh_world),
		cmocka_unit_test_setup(test_close_unmaps_both_and_frees_after_the_other_side,
				       fresh_world),
		cmocka_unit_test_setup(test_close_before_attach_frees_at_once, fresh_world),
		cmocka_unit_test_setup(test_revoke_unmaps_both_sides, fresh_world),
		cmocka_unit_test_setup(test_a_side_ending_ends_its_channels, fresh_world),
		cmocka_unit_test_setup(test_a_creator_has_a_share_of_the_table, fresh_world),
		cmocka_unit_test_setup(test_teardown_never_frees_shared_frames, fresh_world),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
