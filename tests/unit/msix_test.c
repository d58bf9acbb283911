/*
 * msix_test: MSI-X vectors routed to router lines (kernel/dev/msix.c)
 * over real processes on host memory, a fake PCI table and configuration
 * space, and a fake arch whose messages are 0xfee00000 / 0x40 + slot.
 *
 * Behaviours: enabling an entry claims the function, writes the arch's
 * message into the entry (masked), turns MSI-X and bus mastering on and
 * gives the caller a line of its own; the same entry again is the same
 * line; the router unmasks the vector only while its owner waits and
 * masks it when it fires; everything wrong is refused with nothing
 * changed (no MSI-X, a broken capability, an entry past the table, an
 * unassigned BAR, a function someone else holds, a machine without MSI,
 * all slots taken); a process's end undoes its vectors -- entries
 * cleared and masked, routes released, lines unrouted, MSI-X off -- and
 * the next driver can have them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <device_claim.h>
#include <irq.h>
#include <msix.h>
#include <process.h>

#include "../support/host_world.h"
#include "../support/pci_host_fake.h"

#define FUNCTIONS 9
#define CAP 0x40 /* where each function's MSI-X capability sits */
#define TABLE_ENTRIES PCI_FAKE_MSIX_ENTRIES
#define ENABLE (1u << 31)
#define FUNCTION_MASK (1u << 30)

static struct pci_table table;
static kpid_t a, b;
static unsigned masks, unmasks;

static void fake_mask(unsigned line)
{
	(void)line;
	masks++;
}

static void fake_unmask(unsigned line)
{
	(void)line;
	unmasks++;
}

static const struct irq_chip arch_chip = { fake_mask, fake_unmask, NULL };

/* Functions 0..FUNCTIONS-2 have MSI-X in BAR1; the last has none. */
static void build_table(void)
{
	table = (struct pci_table){ .count = FUNCTIONS };
	for (unsigned i = 0; i < FUNCTIONS; i++) {
		struct pci_function *f = &table.functions[i];
		*f = (struct pci_function){ .address = { .device = (uint8_t)(i + 1) },
					    .vendor = 0x1af4, .device = 0x1041, .bar_count = 6 };
		f->bars[1] = (struct pci_bar){ .kind = PCI_BAR_MEM32, .base = 0xfeb80000u + i * 0x1000u,
					       .size = 0x1000 };
		if (i == FUNCTIONS - 1)
			continue;
		f->caps = PCI_HAS_MSIX;
		f->msix_offset = CAP;
		f->msix = (struct pci_msix){ .table_size = TABLE_ENTRIES, .table_bar = 1,
					     .pba_bar = 1, .pba_offset = 0x800 };
	}
}

static int boot(void **state)
{
	(void)state;
	if (host_world_boot_processes() != 0)
		return -1;
	build_table();
	pci_host_fake_set(&table);
	irq_router_init(&arch_chip, 1000);
	if (process_create("a", &a) != K_OK || process_create("b", &b) != K_OK)
		return -1;
	return 0;
}

static void enabling_routes_the_entry_to_a_line_of_its_own(void **state)
{
	unsigned line;
	struct irq_line_info info;

	(void)state;
	pci_host_fake_config_set(0, CAP, 0x00071100u | FUNCTION_MASK); /* as firmware left it */
	assert_int_equal(msix_enable(0, 3, a, &line), K_OK);
	assert_int_equal(line, IRQ_MSI_BASE);
	assert_int_equal(device_holder(0), a);
	volatile uint32_t *e = pci_host_fake_msix(0, 3);
	assert_int_equal(e[0], 0xfee00000u);
	assert_int_equal(e[1], 0);
	assert_int_equal(e[2], PCI_FAKE_MSI_DATA + 0);
	assert_int_equal(e[3] & 1, 1); /* masked until its owner waits */
	assert_int_equal(pci_host_fake_config(0, CAP), 0x00071100u | ENABLE);
	assert_true(pci_host_fake_bus_master(0));
	assert_true(irq_line_info(line, &info));
	assert_int_equal(info.state, IRQ_OWNED);
	assert_int_equal(info.owner, a);
	assert_false(info.level);
	assert_int_equal(msix_vectors_in_use(), 1);

	unsigned again, other;
	assert_int_equal(msix_enable(0, 3, a, &again), K_OK);
	assert_int_equal(again, line);
	assert_int_equal(msix_enable(0, 0, a, &other), K_OK);
	assert_int_equal(other, IRQ_MSI_BASE + 1);
	assert_int_equal(pci_host_fake_msix(0, 0)[2], PCI_FAKE_MSI_DATA + 1);
	assert_int_equal(msix_vectors_in_use(), 2);
}

static void the_vector_is_unmasked_only_while_its_owner_waits(void **state)
{
	unsigned line;

	(void)state;
	assert_int_equal(msix_enable(1, 0, a, &line), K_OK);
	volatile uint32_t *e = pci_host_fake_msix(1, 0);
	e[3] |= 0xf0; /* reserved bits: kept as they are */
	assert_int_equal(irq_wait_begin(line, b, 0, 0, NULL), K_EPERM);
	assert_int_equal(e[3], 0xf1);
	assert_int_equal(irq_wait_begin(line, a, 0, 0, NULL), K_OK);
	assert_int_equal(e[3], 0xf0);
	assert_int_equal(irq_dispatch(line, 5000, 0), IRQ_WAKE);
	assert_int_equal(e[3], 0xf1);
	assert_true(irq_wait_done(line));
	assert_int_equal(irq_wait_result(line, a), K_OK);
	/* Edge-triggered: refires at once are never a storm. */
	for (unsigned i = 0; i < 2 * IRQ_STORM_REFIRES; i++) {
		assert_int_equal(irq_wait_begin(line, a, i, 0, NULL), K_OK);
		assert_int_equal(irq_dispatch(line, i, 0), IRQ_WAKE);
	}
	assert_int_equal(masks + unmasks, 0); /* the arch's controller was never asked */
	/* Unused MSI lines are nobody's. */
	assert_int_equal(irq_wait_begin(IRQ_MSI_BASE + 5, a, 0, 0, NULL), K_EINVAL);
}

static void a_wait_on_another_cpu_gives_the_vector_that_cpus_message(void **state)
{
	unsigned line;
	struct irq_line_info info;

	(void)state;
	assert_int_equal(msix_enable(1, 0, a, &line), K_OK);
	volatile uint32_t *e = pci_host_fake_msix(1, 0);
	assert_int_equal(e[0], 0xfee00000u); /* the BSP's, as composed */
	assert_int_equal(irq_wait_begin(line, a, 0, 2, NULL), K_OK);
	assert_int_equal(e[0], 0xfee00000u | 2u << 12);
	assert_int_equal(e[2], PCI_FAKE_MSI_DATA + (line - IRQ_MSI_BASE));
	assert_int_equal(e[3] & 1, 0); /* rewritten masked, then unmasked for the wait */
	assert_true(irq_line_info(line, &info));
	assert_int_equal(info.cpu, 2);
	/* A slot whose message cannot be made stays where it was. */
	assert_int_equal(irq_dispatch(line, 10, 2), IRQ_WAKE);
	pci_host_fake_msi_possible(false);
	assert_int_equal(irq_wait_begin(line, a, 20, 3, NULL), K_OK);
	assert_int_equal(e[0], 0xfee00000u | 2u << 12);
	assert_true(irq_line_info(line, &info));
	assert_int_equal(info.cpu, 2);
	pci_host_fake_msi_possible(true);
}

static void wrong_requests_are_refused_and_change_nothing(void **state)
{
	unsigned line = 12345;

	(void)state;
	assert_int_equal(msix_enable(FUNCTIONS, 0, a, &line), K_EINVAL);    /* past the table */
	assert_int_equal(msix_enable(FUNCTIONS - 1, 0, a, &line), K_EINVAL); /* no MSI-X */
	assert_int_equal(msix_enable(0, TABLE_ENTRIES, a, &line), K_EINVAL); /* past its table */
	assert_int_equal(msix_enable(0, 0, PID_NONE, &line), K_EINVAL);
	table.functions[2].msix.problem = "the table runs past its BAR";
	assert_int_equal(msix_enable(2, 0, a, &line), K_EINVAL);
	table.functions[3].bars[1].base = 0; /* unassigned */
	assert_int_equal(msix_enable(3, 0, a, &line), K_EINVAL);
	assert_int_equal(device_claim(4, b, NULL), K_OK);
	assert_int_equal(msix_enable(4, 0, a, &line), K_EPERM); /* b holds it */
	pci_host_fake_msi_possible(false);
	assert_int_equal(msix_enable(5, 0, a, &line), K_ENOENT);
	assert_int_equal(line, 12345);
	for (unsigned f = 0; f < FUNCTIONS; f++) {
		assert_int_equal(pci_host_fake_config(f, CAP), 0);
		assert_false(pci_host_fake_bus_master(f));
		assert_int_equal(pci_host_fake_msix(f, 0)[2], 0);
		if (f != 4)
			assert_int_equal(device_holder(f), PID_NONE); /* fresh claims undone */
	}
	assert_int_equal(msix_vectors_in_use(), 0);
}

static void every_slot_taken_is_refused(void **state)
{
	unsigned line;

	(void)state;
	for (unsigned s = 0; s < IRQ_MSI_LINES; s++) {
		unsigned f = s / TABLE_ENTRIES, entry = s % TABLE_ENTRIES;
		assert_int_equal(msix_enable(f, entry, a, &line), K_OK);
		assert_int_equal(line, IRQ_MSI_BASE + s);
	}
	assert_int_equal(msix_vectors_in_use(), IRQ_MSI_LINES);
	assert_int_equal(device_claim(FUNCTIONS - 1, a, NULL), K_OK);
	table.functions[FUNCTIONS - 1] = table.functions[0]; /* now with MSI-X */
	assert_int_equal(msix_enable(FUNCTIONS - 1, 0, a, &line), K_ENOMEM);
	assert_int_equal(msix_release_owner(a), IRQ_MSI_LINES);
	assert_int_equal(msix_vectors_in_use(), 0);
}

static void the_end_of_its_process_undoes_every_vector(void **state)
{
	unsigned l0, l1, l2;
	struct irq_line_info info;

	(void)state;
	pci_host_fake_config_set(0, CAP, 0x00071100u);
	assert_int_equal(msix_enable(0, 0, a, &l0), K_OK);
	assert_int_equal(msix_enable(0, 1, a, &l1), K_OK);
	assert_int_equal(msix_enable(1, 0, b, &l2), K_OK);
	assert_int_equal(irq_wait_begin(l0, a, 0, 0, NULL), K_OK);
	assert_int_equal(process_destroy(a), K_OK);
	for (unsigned entry = 0; entry < 2; entry++) {
		volatile uint32_t *e = pci_host_fake_msix(0, entry);
		assert_int_equal(e[0] | e[1] | e[2], 0);
		assert_int_equal(e[3] & 1, 1);
	}
	assert_int_equal(pci_host_fake_config(0, CAP), 0x00071100u); /* MSI-X off */
	assert_int_equal(pci_host_fake_msi_released(0), 1);
	assert_int_equal(pci_host_fake_msi_released(1), 1);
	assert_int_equal(pci_host_fake_msi_released(2), 0);
	assert_true(irq_line_info(l0, &info));
	assert_int_equal(info.state, IRQ_UNROUTED);
	assert_true(irq_wait_done(l0));
	assert_int_equal(irq_wait_result(l0, a), K_ENOENT);
	assert_true(irq_line_info(l2, &info));
	assert_int_equal(info.owner, b); /* b's is untouched */
	assert_int_equal(msix_vectors_in_use(), 1);
	assert_int_equal(device_holder(0), PID_NONE);
	/* The next driver gets the function and the slots again. */
	unsigned again;
	assert_int_equal(msix_enable(0, 1, b, &again), K_OK);
	assert_int_equal(again, IRQ_MSI_BASE);
	assert_int_equal(pci_host_fake_msix(0, 1)[2], PCI_FAKE_MSI_DATA + 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(enabling_routes_the_entry_to_a_line_of_its_own, boot),
		cmocka_unit_test_setup(the_vector_is_unmasked_only_while_its_owner_waits, boot),
		cmocka_unit_test_setup(a_wait_on_another_cpu_gives_the_vector_that_cpus_message, boot),
		cmocka_unit_test_setup(wrong_requests_are_refused_and_change_nothing, boot),
		cmocka_unit_test_setup(every_slot_taken_is_refused, boot),
		cmocka_unit_test_setup(the_end_of_its_process_undoes_every_vector, boot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
