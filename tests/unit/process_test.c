/*
 * process_test: the process table (kernel/proc/process.c) on host memory.
 *
 * Frames come from a host arena (frame allocator + fake HHDM), so every
 * process gets a real address space. Behaviours: the kernel processes,
 * create/lookup/destroy, capacity, stale ids after slot reuse, binding a
 * Principal once, and that destroying gives every frame back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <frame.h>
#include <hhdm.h>
#include <process.h>

#include "../support/host_world.h"

static int boot(void **state)
{
	(void)state;
	return host_world_boot_processes();
}

static void kernel_processes_exist_with_their_own_tables(void **state)
{
	struct process_info a, b;

	(void)state;
	for (uint32_t slot = 0; slot < PROCESS_KERNEL_COUNT; slot++) {
		assert_int_equal(process_lookup(PID_MAKE(0, slot), &a), K_OK);
		assert_true(a.kernel);
	}
	assert_int_equal(process_lookup(PID_MAKE(0, 0), &a), K_OK);
	assert_int_equal(process_lookup(PID_MAKE(0, 1), &b), K_OK);
	assert_int_not_equal(a.page_table_root, b.page_table_root);
	assert_int_equal(process_destroy(PID_MAKE(0, 1)), K_EPERM);
}

static void create_lookup_destroy(void **state)
{
	struct process_info info;
	kpid_t pid;
	uint64_t free_before = frame_free_count();

	(void)state;
	assert_int_equal(process_create("svc", &pid), K_OK);
	assert_true(PID_SLOT(pid) >= PROCESS_KERNEL_COUNT);
	assert_int_equal(process_lookup(pid, &info), K_OK);
	assert_string_equal(info.name, "svc");
	assert_false(info.kernel || info.has_principal);
	assert_int_equal(process_set_state(pid, PROCESS_READY), K_OK);
	assert_int_equal(process_destroy(pid), K_OK);
	assert_int_equal(process_lookup(pid, &info), K_ENOENT);
	assert_int_equal(process_destroy(pid), K_ENOENT);
	assert_int_equal(frame_free_count(), free_before);
}

static void stale_ids_do_not_reach_the_next_occupant(void **state)
{
	struct process_info info;
	kpid_t first, second;

	(void)state;
	assert_int_equal(process_create("a", &first), K_OK);
	assert_int_equal(process_destroy(first), K_OK);
	assert_int_equal(process_create("b", &second), K_OK);
	assert_int_equal(PID_SLOT(first), PID_SLOT(second));
	assert_int_not_equal(PID_GENERATION(first), PID_GENERATION(second));
	assert_int_equal(process_lookup(first, &info), K_ENOENT);
	assert_int_equal(process_set_state(first, PROCESS_READY), K_ENOENT);
	assert_int_equal(process_lookup(second, &info), K_OK);
}

static void bad_ids_are_errors(void **state)
{
	struct process_info info;

	(void)state;
	assert_int_equal(process_lookup(PID_MAKE(0, PROCESS_MAX), &info), K_ENOENT);
	assert_int_equal(process_lookup(PID_MAKE(0, 40), &info), K_ENOENT);
	assert_int_equal(process_lookup(UINT64_MAX, &info), K_ENOENT);
	assert_null(process_address_space(UINT64_MAX));
}

static void the_table_has_a_fixed_capacity(void **state)
{
	kpid_t pid;

	(void)state;
	for (int i = PROCESS_KERNEL_COUNT; i < PROCESS_MAX; i++)
		assert_int_equal(process_create("filler", &pid), K_OK);
	assert_int_equal(process_create("one too many", &pid), K_EFULL);
}

static void a_principal_binds_once(void **state)
{
	struct principal p1 = { .key = { 1 } }, p2 = { .key = { 2 } }, got;
	kpid_t pid;

	(void)state;
	assert_int_equal(process_create("p", &pid), K_OK);
	assert_int_equal(process_principal(pid, &got), K_ENOENT);
	assert_int_equal(process_bind_principal(pid, &p1), K_OK);
	assert_int_equal(process_bind_principal(pid, &p2), K_EEXIST);
	assert_int_equal(process_principal(pid, &got), K_OK);
	assert_memory_equal(&got, &p1, sizeof(p1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(kernel_processes_exist_with_their_own_tables, boot),
		cmocka_unit_test_setup(create_lookup_destroy, boot),
		cmocka_unit_test_setup(stale_ids_do_not_reach_the_next_occupant, boot),
		cmocka_unit_test_setup(bad_ids_are_errors, boot),
		cmocka_unit_test_setup(the_table_has_a_fixed_capacity, boot),
		cmocka_unit_test_setup(a_principal_binds_once, boot),
	};

	return cmocka_run_group_tests_name("process", tests, NULL, NULL);
}
