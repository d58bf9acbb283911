/*
 * device_claim: the claim table (see device_claim.h).
 *
 * One pid per slot of the PCI table, PID_NONE when free. The table is
 * tiny (PCI_MAX_FUNCTIONS entries) and every operation is a scan of it or
 * one entry, so one lock over all of it costs nothing worth splitting.
 * Printing happens after the lock is dropped: the console's lock is the
 * innermost and could be taken under it, but a line is slow and nobody
 * claiming a device need wait for it.
 */
#include <device_claim.h>

#include <format.h>
#include <pci_host.h>
#include <printk.h>
#include <spinlock.h>

/* LOCK_DEVICE_CLAIM: after the process table, before the frame allocator
 * and the interrupt router (lock_order.h). Irqsave like the others, so an
 * interrupt-time caller could never deadlock against the CPU it interrupted. */
static struct spinlock claim_lock = SPINLOCK_INIT("device claim", LOCK_DEVICE_CLAIM);

/* holder[i] + 1 (0: free), so the zeroed .bss starts with every function
 * free without an init call. Guarded by claim_lock. */
static kpid_t holder_plus_one[PCI_MAX_FUNCTIONS];

/* One line about a function and a process: "device 00:02.0 1af4:1041:
 * <what> process 4<after>". */
static void report(unsigned function, const char *what, kpid_t pid, const char *after)
{
	const struct pci_table *t = pci_host_table();
	char name[32];

	if (function < t->count) {
		const struct pci_function *f = &t->functions[function];
		format_snprintf(name, sizeof(name), "%02x:%02x.%u %04x:%04x", f->address.bus,
				f->address.device, f->address.function, f->vendor, f->device);
	} else {
		format_snprintf(name, sizeof(name), "#%u", function);
	}
	println("device %s: %s process %u%s", name, what, PID_SLOT(pid), after);
}

kerr_t device_claim(unsigned function, kpid_t pid, bool *fresh)
{
	kerr_t err = K_OK;
	bool made = false;

	if (fresh)
		*fresh = false;
	if (function >= PCI_MAX_FUNCTIONS || pid == PID_NONE)
		return K_EINVAL;
	arch_irqflags_t flags = spin_lock_irqsave(&claim_lock);
	if (holder_plus_one[function] == 0) {
		holder_plus_one[function] = pid + 1;
		made = true;
	} else if (holder_plus_one[function] != pid + 1) {
		err = K_EPERM;
	}
	spin_unlock_irqrestore(&claim_lock, flags);
	if (made)
		report(function, "claimed by", pid, "");
	if (fresh)
		*fresh = made;
	return err;
}

void device_unclaim_fresh(unsigned function, kpid_t pid)
{
	bool undone = false;

	if (function >= PCI_MAX_FUNCTIONS || pid == PID_NONE)
		return;
	arch_irqflags_t flags = spin_lock_irqsave(&claim_lock);
	if (holder_plus_one[function] == pid + 1) {
		holder_plus_one[function] = 0;
		undone = true;
	}
	spin_unlock_irqrestore(&claim_lock, flags);
	if (undone)
		report(function, "claim undone for", pid, ": its first use failed");
}

kpid_t device_holder(unsigned function)
{
	kpid_t who = PID_NONE;

	if (function >= PCI_MAX_FUNCTIONS)
		return PID_NONE;
	arch_irqflags_t flags = spin_lock_irqsave(&claim_lock);
	if (holder_plus_one[function])
		who = holder_plus_one[function] - 1;
	spin_unlock_irqrestore(&claim_lock, flags);
	return who;
}

unsigned device_release_all(kpid_t pid)
{
	bool released[PCI_MAX_FUNCTIONS] = { false };
	uint16_t command[PCI_MAX_FUNCTIONS];
	unsigned n = 0;

	if (pid == PID_NONE)
		return 0;
	arch_irqflags_t flags = spin_lock_irqsave(&claim_lock);
	for (unsigned i = 0; i < PCI_MAX_FUNCTIONS; i++) {
		if (holder_plus_one[i] != pid + 1)
			continue;
		/* Quiesced before the slot is free: nobody can claim the
		 * device while it may still be writing to the dead
		 * process's buffers. */
		command[i] = pci_host_quiesce(i);
		holder_plus_one[i] = 0;
		released[i] = true;
		n++;
	}
	spin_unlock_irqrestore(&claim_lock, flags);
	for (unsigned i = 0; i < PCI_MAX_FUNCTIONS; i++) {
		if (!released[i])
			continue;
		char after[48];
		format_snprintf(after, sizeof(after), " (it ended); bus mastering off, command 0x%04x",
				command[i]);
		report(i, "released by", pid, after);
	}
	return n;
}
