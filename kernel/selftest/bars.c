/*
 * bars: BAR assignment on a real (emulated) device (self-test group for
 * lib/pci_assign and kernel/dev/pci_assign_host.c), with QEMU's `edu` PCI
 * device (-device edu; the boot tests attach one).
 *
 *  - bars.unassigned_bar_assigned_and_reachable: edu's BAR 0 (1 MiB) is
 *    set to 0 with its decode off, as firmware may leave a device it does
 *    not drive; the kernel's assignment runs for edu alone and must assign
 *    exactly that BAR; the register must then hold an address aligned to
 *    the BAR's size, inside the device tree's 32-bit memory window and
 *    overlapping no other function's BAR, the table the same address; and
 *    edu's identification register (offset 0: 0x010000ed, version 1.0)
 *    must read right through the new address, mapped afresh.
 *
 * The windows come from the device tree, so the group runs only where the
 * kernel has one with a generic ECAM host bridge (AArch64 booted without
 * ACPI); elsewhere it says so and records nothing. It runs after the irq
 * group, which has finished with edu by then.
 */
#include <selftest.h>

#include <arch.h>
#include <hhdm.h>
#include <pci_assign_host.h>
#include <pci_host.h>
#include <printk.h>

#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8
#define EDU_IDENT 0x010000edu /* major 1, minor 0, 0xed */
#define EDU_BAR 0

/* edu's index in the table, or -1. */
static int find_edu(void)
{
	const struct pci_table *t = pci_host_table();

	for (unsigned i = 0; i < t->count; i++) {
		const struct pci_function *f = &t->functions[i];
		if (f->vendor == EDU_VENDOR && f->device == EDU_DEVICE && f->bar_count > EDU_BAR &&
		    (f->bars[EDU_BAR].kind == PCI_BAR_MEM32 || f->bars[EDU_BAR].kind == PCI_BAR_MEM64))
			return (int)i;
	}
	return -1;
}

static bool inside_mem32_window(const struct pci_window *w, unsigned count, uint64_t base,
				uint64_t size)
{
	for (unsigned i = 0; i < count; i++) {
		if (w[i].kind == PCI_WINDOW_MEM32 && base >= w[i].bus_base &&
		    base - w[i].bus_base <= w[i].size && size <= w[i].size - (base - w[i].bus_base))
			return true;
	}
	return false;
}

/* Whether [base, base + size) overlaps a memory BAR of a function other
 * than `self`. */
static bool overlaps_another(unsigned self, uint64_t base, uint64_t size)
{
	const struct pci_table *t = pci_host_table();

	for (unsigned i = 0; i < t->count; i++) {
		const struct pci_function *f = &t->functions[i];
		for (unsigned b = 0; i != self && b < f->bar_count && b < PCI_MAX_BARS; b++) {
			const struct pci_bar *bar = &f->bars[b];
			if (bar->kind != PCI_BAR_IO && bar->base && bar->size &&
			    bar->base < base + size && base < bar->base + bar->size)
				return true;
		}
	}
	return false;
}

/* Maps the BAR's first page and reads edu's identification register. */
static uint32_t read_ident(uint64_t base)
{
	if (!arch_map_device_memory(base, 0x1000))
		return 0;
	return *(volatile uint32_t *)phys_to_virt(base);
}

static bool reassign_edu(unsigned edu, const struct pci_window *windows, unsigned count)
{
	const struct pci_function *f = &pci_host_table()->functions[edu];
	uint64_t before = f->bars[EDU_BAR].base;
	int assigned = pci_assign_host_again(edu, EDU_BAR);
	uint64_t reg = pci_assign_host_bar_register(edu, EDU_BAR);
	uint64_t base = f->bars[EDU_BAR].base, size = f->bars[EDU_BAR].size;
	bool aligned = size && reg % size == 0;
	bool inside = inside_mem32_window(windows, count, reg, size);
	bool alone = !overlaps_another(edu, reg, size);
	uint32_t ident = assigned == 1 && reg && reg == base ? read_ident(base) : 0;

	println("bars: edu %02x:%02x.%u bar0 was 0x%llx, set to 0; assigned %d BAR(s): register 0x%llx, "
		"table 0x%llx, %s, %s the 32-bit window, %s; identification 0x%08x",
		f->address.bus, f->address.device, f->address.function, (unsigned long long)before,
		assigned, (unsigned long long)reg, (unsigned long long)base,
		aligned ? "aligned" : "NOT aligned", inside ? "inside" : "NOT inside",
		alone ? "overlapping no other BAR" : "OVERLAPPING another BAR", ident);
	return assigned == 1 && reg != 0 && reg == base && aligned && inside && alone &&
	       ident == EDU_IDENT;
}

void selftest_bars(void)
{
	struct pci_window windows[PCI_ASSIGN_HOST_WINDOWS];
	unsigned count = pci_assign_host_windows(windows, PCI_ASSIGN_HOST_WINDOWS);
	int edu = find_edu();

	if (count == 0) {
		println("bars: no host bridge windows in a device tree (ACPI or x86_64): "
			"BAR assignment not tested");
		return;
	}
	if (edu < 0)
		println("bars: no edu device (-device edu) with a memory BAR 0");
	selftest_check(edu >= 0 && reassign_edu((unsigned)edu, windows, count),
		       "bars.unassigned_bar_assigned_and_reachable");
}
