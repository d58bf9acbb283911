/*
 * device_claim_test: the claim table (kernel/dev/device_claim.c) over real
 * processes on host memory, and the guard list MapMmio checks second
 * (kernel/dev/phys_guard.c).
 *
 * Behaviours: the first claimant holds a function and the next is
 * refused; claiming again is no second claim; a fresh claim can be undone
 * by its own claimant only, without quiescing; destroying a process
 * releases exactly its holds, quiescing each device first; stale and
 * invalid pids and functions are refused; the guard list covers every
 * memory-map entry and every added range, edges included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <device_claim.h>
#include <phys_guard.h>
#include <process.h>

#include "../support/host_world.h"
#include "../support/pci_host_fake.h"

static struct pci_table table = { .count = 3 };
static kpid_t a, b;

static int boot(void **state)
{
	(void)state;
	if (host_world_boot_processes() != 0)
		return -1;
	pci_host_fake_set(&table);
	if (process_create("a", &a) != K_OK || process_create("b", &b) != K_OK)
		return -1;
	return 0;
}

static void first_claimant_holds_and_the_next_is_refused(void **state)
{
	bool fresh = false;

	(void)state;
	assert_int_equal(device_holder(1), PID_NONE);
	assert_int_equal(device_claim(1, a, &fresh), K_OK);
	assert_true(fresh);
	assert_int_equal(device_holder(1), a);
	assert_int_equal(device_claim(1, b, &fresh), K_EPERM);
	assert_false(fresh);
	assert_int_equal(device_holder(1), a);
	assert_int_equal(device_claim(1, a, &fresh), K_OK); /* again: no second claim */
	assert_false(fresh);
	assert_int_equal(device_claim(2, b, NULL), K_OK);
	assert_int_equal(device_holder(2), b);
	assert_int_equal(device_holder(0), PID_NONE);
}

static void bad_functions_and_pids_are_refused(void **state)
{
	(void)state;
	assert_int_equal(device_claim(PCI_MAX_FUNCTIONS, a, NULL), K_EINVAL);
	assert_int_equal(device_claim(UINT32_MAX, a, NULL), K_EINVAL);
	assert_int_equal(device_claim(0, PID_NONE, NULL), K_EINVAL);
	assert_int_equal(device_holder(PCI_MAX_FUNCTIONS), PID_NONE);
	assert_int_equal(device_release_all(PID_NONE), 0);
	for (unsigned i = 0; i < PCI_MAX_FUNCTIONS; i++)
		assert_int_equal(device_holder(i), PID_NONE);
}

static void a_fresh_claim_is_undone_by_its_claimant_only(void **state)
{
	(void)state;
	assert_int_equal(device_claim(0, a, NULL), K_OK);
	device_unclaim_fresh(0, b); /* not b's */
	assert_int_equal(device_holder(0), a);
	device_unclaim_fresh(0, a);
	assert_int_equal(device_holder(0), PID_NONE);
	assert_int_equal(pci_host_fake_quiesced(0), 0); /* it never reached the device */
	assert_int_equal(device_claim(0, b, NULL), K_OK);
}

static void destroying_a_process_releases_its_holds_quiesced(void **state)
{
	(void)state;
	assert_int_equal(device_claim(0, a, NULL), K_OK);
	assert_int_equal(device_claim(2, a, NULL), K_OK);
	assert_int_equal(device_claim(1, b, NULL), K_OK);
	assert_int_equal(process_destroy(a), K_OK);
	assert_int_equal(device_holder(0), PID_NONE);
	assert_int_equal(device_holder(2), PID_NONE);
	assert_int_equal(device_holder(1), b); /* only a's */
	assert_int_equal(pci_host_fake_quiesced(0), 1);
	assert_int_equal(pci_host_fake_quiesced(2), 1);
	assert_int_equal(pci_host_fake_quiesced(1), 0);
	/* The stale pid holds nothing and can claim nothing. */
	assert_int_equal(device_release_all(a), 0);
	kpid_t c;
	assert_int_equal(process_create("c", &c), K_OK);
	assert_int_equal(PID_SLOT(c), PID_SLOT(a)); /* a's slot, a new generation */
	assert_int_equal(device_claim(0, c, NULL), K_OK);
	assert_int_equal(device_claim(1, c, NULL), K_EPERM);
	assert_int_equal(device_release_all(b), 1);
	assert_int_equal(device_holder(1), PID_NONE);
}

static void resetting_the_table_releases_everything(void **state)
{
	(void)state;
	assert_int_equal(device_claim(0, a, NULL), K_OK);
	assert_int_equal(device_claim(1, b, NULL), K_OK);
	assert_int_equal(host_world_boot_processes(), 0); /* generations start again */
	assert_int_equal(device_holder(0), PID_NONE);
	assert_int_equal(device_holder(1), PID_NONE);
}

/* ---------------------------------------------------------- phys_guard */

static struct limine_memmap_entry ram = { .base = 0x100000, .length = 0x7f00000,
					  .type = LIMINE_MEMMAP_USABLE };
static struct limine_memmap_entry acpi = { .base = 0xfff00000, .length = 0x100000,
					   .type = LIMINE_MEMMAP_RESERVED };
static struct limine_memmap_entry huge = { .base = 0xffffffffffff0000ull, .length = 0x20000,
					   .type = LIMINE_MEMMAP_RESERVED }; /* wraps */
static struct limine_memmap_entry *entries[] = { &ram, NULL, &acpi, &huge };
static struct limine_memmap_response map = { .entry_count = 4, .entries = entries };

static void the_guard_covers_the_memory_map_and_added_ranges(void **state)
{
	(void)state;
	phys_guard_reset();
	assert_null(phys_guard_check(0x100000, 0x1000)); /* nothing guarded yet */
	phys_guard_set_memmap(&map);
	phys_guard_add(0xfee00000, 0x1000, "the local APIC");
	assert_string_equal(phys_guard_check(0x100000, 0x1000), "the memory map");
	assert_string_equal(phys_guard_check(0x8000000 - 0x1000, 0x1000), "the memory map");
	assert_null(phys_guard_check(0x8000000, 0x1000));           /* just past RAM */
	assert_null(phys_guard_check(0xff000, 0x1000));             /* just before it */
	assert_string_equal(phys_guard_check(0xff000, 0x2000), "the memory map"); /* into it */
	assert_string_equal(phys_guard_check(0xfee00000, 0x1000), "the local APIC");
	assert_string_equal(phys_guard_check(0xfed00000, 0x101000), "the local APIC");
	assert_null(phys_guard_check(0xfee01000, 0x1000));
	assert_string_equal(phys_guard_check(0xfff00000, 1), "the memory map");
	assert_string_equal(phys_guard_check(0xffffffffffffe000ull, 0x1000), "the memory map");
	assert_string_equal(phys_guard_check(UINT64_MAX - 0xfff, 0x2000),
			    "the top of the address space");
	assert_null(phys_guard_check(0x800000000ull, 0x1000));
}

static void a_full_guard_list_refuses_everything(void **state)
{
	(void)state;
	phys_guard_reset();
	for (unsigned i = 0; i < PHYS_GUARD_MAX; i++)
		phys_guard_add(0x1000ull * i, 0x1000, "a device");
	assert_null(phys_guard_check(0x800000000ull, 0x1000));
	phys_guard_add(0x900000000ull, 0x1000, "one too many");
	assert_non_null(phys_guard_check(0x800000000ull, 0x1000));
	phys_guard_reset();
	assert_null(phys_guard_check(0x800000000ull, 0x1000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(first_claimant_holds_and_the_next_is_refused, boot),
		cmocka_unit_test_setup(bad_functions_and_pids_are_refused, boot),
		cmocka_unit_test_setup(a_fresh_claim_is_undone_by_its_claimant_only, boot),
		cmocka_unit_test_setup(destroying_a_process_releases_its_holds_quiesced, boot),
		cmocka_unit_test_setup(resetting_the_table_releases_everything, boot),
		cmocka_unit_test(the_guard_covers_the_memory_map_and_added_ranges),
		cmocka_unit_test(a_full_guard_list_refuses_everything),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
