/*
 * its: an MSI through the GICv3 ITS end to end, without a device
 * (self-test group, AArch64 kernels only).
 *
 * The CPU plays the device: it composes a slot's message and writes the
 * datum to the address, GITS_TRANSLATER, itself. QEMU's ITS translates a
 * write for the requester ID the access carries (MemTxAttrs.requester_id
 * in hw/intc/arm_gicv3_its.c), which is 0 for a CPU store, so the slot is
 * composed for function 00:00.0. The LPI must then reach gic.c's dispatch
 * for that slot (msi_slot_count) within a bounded number of interrupt
 * waits; once the slot is released, the same write must deliver nothing.
 * A slot composed for another function must not take the CPU's write
 * either: the ITS translates by requester ID, not by datum alone. A slot
 * moved to the last CPU's collection (arch_msi_retarget) must be taken
 * there: the router records the CPU that took the slot's line.
 */
#include <selftest.h>

#include <arch.h>
#include <hhdm.h>
#include <irq.h>
#include <msi.h>
#include <msi_count.h>
#include <printk.h>
#include <timer.h>

#define TEST_SLOT 5
#define OTHER_SLOT 6
#define CPU_REQUESTER ((struct pci_address){ .segment = 0, .bus = 0, .device = 0, .function = 0 })
/* No function is there; the ITS maps it all the same. */
#define OTHER_REQUESTER ((struct pci_address){ .segment = 0, .bus = 0, .device = 31, .function = 7 })
/* Interrupt waits: the tick ends each within 10 ms, so this is 0.5 s at
 * most; QEMU delivers the LPI at once. */
#define MAX_WAITS 50

static void write_message(const struct msi_message *m)
{
	*(volatile uint32_t *)phys_to_virt(m->address) = m->data;
}

/* Waits until the slot's count passes `before`, or MAX_WAITS waits. */
static uint64_t count_after_waits(unsigned slot, uint64_t before)
{
	for (unsigned i = 0; i < MAX_WAITS && msi_slot_count(slot) == before; i++)
		arch_wait_for_interrupt();
	return msi_slot_count(slot);
}

static bool message_delivers(const struct msi_message *m)
{
	uint64_t before = msi_slot_count(TEST_SLOT);

	write_message(m);
	uint64_t after = count_after_waits(TEST_SLOT, before);
	println("its: a CPU write of %u to 0x%llx: slot %u's LPIs %llu -> %llu",
		m->data, (unsigned long long)m->address, TEST_SLOT,
		(unsigned long long)before, (unsigned long long)after);
	return after == before + 1;
}

/* The CPU writes another function's message: its requester ID is not
 * that function's, so the ITS finds no event and nothing arrives. */
static bool other_requesters_slot_ignores_cpu(void)
{
	struct msi_message m = { 0 };

	if (!arch_msi_compose(OTHER_SLOT, OTHER_REQUESTER, &m))
		return false;
	uint64_t before = msi_slot_count(OTHER_SLOT);
	write_message(&m);
	(void)timer_wait_ticks(2, MAX_WAITS);
	uint64_t after = msi_slot_count(OTHER_SLOT);
	arch_msi_release(OTHER_SLOT, OTHER_REQUESTER);
	println("its: a CPU write of 00:1f.7's message: slot %u's LPIs %llu -> %llu", OTHER_SLOT,
		(unsigned long long)before, (unsigned long long)after);
	return after == before;
}

static bool released_message_is_dropped(const struct msi_message *m)
{
	uint64_t before = msi_slot_count(TEST_SLOT);

	arch_msi_release(TEST_SLOT, CPU_REQUESTER);
	write_message(m);
	(void)timer_wait_ticks(2, MAX_WAITS);
	uint64_t after = msi_slot_count(TEST_SLOT);
	println("its: after release, the same write: slot %u's LPIs %llu -> %llu", TEST_SLOT,
		(unsigned long long)before, (unsigned long long)after);
	return after == before;
}

/* The LPI taken on `cpu` after the slot moved there (the slot's line is
 * nobody's, so the router counts it spurious, but notes the CPU). */
static bool retargeted_message_reaches(unsigned cpu)
{
	struct msi_message m = { 0 };
	struct irq_line_info info;

	if (!arch_msi_compose(TEST_SLOT, CPU_REQUESTER, &m) || !arch_msi_retarget(TEST_SLOT, cpu, &m))
		return false;
	bool delivered = message_delivers(&m);
	bool there = irq_line_info(IRQ_MSI_BASE + TEST_SLOT, &info) && info.taken_on == cpu;
	println("its: slot %u moved to CPU %u's collection: taken on CPU %u", TEST_SLOT, cpu,
		info.taken_on);
	arch_msi_release(TEST_SLOT, CPU_REQUESTER);
	return delivered && there;
}

void selftest_its(void)
{
	struct msi_message m = { 0 };
	bool composed = arch_msi_compose(TEST_SLOT, CPU_REQUESTER, &m);

	selftest_check(composed && m.data == TEST_SLOT, "its.compose");
	selftest_check(!arch_msi_compose(IRQ_MSI_LINES, CPU_REQUESTER, &m), "its.compose_rejects_bad_slot");
	if (!composed)
		return;
	selftest_check(message_delivers(&m), "its.cpu_write_delivers_lpi");
	selftest_check(message_delivers(&m), "its.second_write_delivers_again");
	selftest_check(released_message_is_dropped(&m), "its.released_slot_delivers_nothing");
	selftest_check(other_requesters_slot_ignores_cpu(), "its.translation_is_by_requester_id");
	selftest_check(arch_msi_compose(TEST_SLOT, CPU_REQUESTER, &m) && message_delivers(&m),
		       "its.slot_composed_again_delivers");
	selftest_check(arch_msi_compose(TEST_SLOT, CPU_REQUESTER, &m) && message_delivers(&m),
		       "its.unreleased_slot_composed_again_delivers_once");
	arch_msi_release(TEST_SLOT, CPU_REQUESTER);
	selftest_check(!arch_msi_retarget(TEST_SLOT, 0, &m), "its.released_slot_cannot_move");
	selftest_check(retargeted_message_reaches(selftest_last_cpu()),
		       "its.moved_slot_delivers_on_that_cpu");
}
