/*
 * msix: MSI-X vectors given to drivers as router lines (see msix.h).
 */
#include <msix.h>

#include <device_claim.h>
#include <irq.h>
#include <lock_order.h>
#include <panic.h>
#include <pci_host.h>
#include <printk.h>
#include <spinlock.h>

/* An MSI-X table entry: four 32-bit words (PCI Local Bus 3.0, 6.8.2.6). */
#define ENTRY_ADDRESS_LOW 0
#define ENTRY_ADDRESS_HIGH 1
#define ENTRY_DATA 2
#define ENTRY_VECTOR_CONTROL 3
#define VECTOR_MASKED 1u

/* The capability's first word: ID, next pointer, then message control,
 * whose bit 15 enables MSI-X and bit 14 masks every vector at once. */
#define CONTROL_ENABLE (1u << 31)
#define CONTROL_FUNCTION_MASK (1u << 30)

enum slot_state {
	SLOT_FREE = 0,
	SLOT_BUSY, /* being set up or torn down, outside the lock */
	SLOT_READY,
};

struct slot {
	uint8_t state;     /* enum slot_state */
	kpid_t pid;
	unsigned function; /* index into pci_host_table() */
	unsigned entry;
	volatile uint32_t *regs; /* the table entry, mapped; set while READY */
};

/* LOCK_MSIX (lock_order.h): the slot table. */
static struct spinlock lock = SPINLOCK_INIT("msix", LOCK_MSIX);
static struct slot slots[IRQ_MSI_LINES];

/* ------------------------------------------------- the vectors' masking */

static volatile uint32_t *regs_of(unsigned line)
{
	return line >= IRQ_MSI_BASE && line - IRQ_MSI_BASE < IRQ_MSI_LINES
		       ? slots[line - IRQ_MSI_BASE].regs
		       : NULL;
}

/* Only the mask bit changes: the others are reserved, kept as read. */
static void vector_mask(unsigned line)
{
	volatile uint32_t *regs = regs_of(line);

	if (regs)
		regs[ENTRY_VECTOR_CONTROL] |= VECTOR_MASKED;
}

static void vector_unmask(unsigned line)
{
	volatile uint32_t *regs = regs_of(line);

	if (regs)
		regs[ENTRY_VECTOR_CONTROL] &= ~VECTOR_MASKED;
}

/* Writes `msg` into the entry, masked: the address and data never change
 * under an unmasked vector. */
static void write_entry(volatile uint32_t *regs, const struct msi_message *msg)
{
	regs[ENTRY_VECTOR_CONTROL] |= VECTOR_MASKED;
	regs[ENTRY_ADDRESS_LOW] = (uint32_t)msg->address;
	regs[ENTRY_ADDRESS_HIGH] = (uint32_t)(msg->address >> 32);
	regs[ENTRY_DATA] = msg->data;
}

/* A new target means a new message, written while the vector is masked
 * (the router steers only masked lines). */
static bool vector_route(unsigned line, unsigned cpu)
{
	volatile uint32_t *regs = regs_of(line);
	struct msi_message msg;

	if (!regs || !arch_msi_retarget(line - IRQ_MSI_BASE, cpu, &msg))
		return false;
	write_entry(regs, &msg);
	return true;
}

static const struct irq_chip vector_chip = { vector_mask, vector_unmask, vector_route };

/* ------------------------------------------------------------ the slots */

/* Whether `pid` may route `entry` of `function` at all. */
static kerr_t check_function(unsigned function, unsigned entry)
{
	const struct pci_table *table = pci_host_table();

	if (function >= table->count)
		return K_EINVAL;
	const struct pci_function *f = &table->functions[function];
	if (!(f->caps & PCI_HAS_MSIX) || f->msix.problem || entry >= f->msix.table_size ||
	    f->msix.table_bar >= f->bar_count || f->bars[f->msix.table_bar].base == 0)
		return K_EINVAL;
	return K_OK;
}

/* Takes a slot for (function, entry, pid): *slot is a fresh one (BUSY,
 * K_OK) or the one already READY for it (K_EEXIST). */
static kerr_t take_slot(unsigned function, unsigned entry, kpid_t pid, unsigned *slot)
{
	kerr_t err = K_ENOMEM;

	arch_irqflags_t flags = spin_lock_irqsave(&lock);
	for (unsigned s = 0; s < IRQ_MSI_LINES; s++) {
		const struct slot *t = &slots[s];
		if (t->state != SLOT_FREE && t->function == function && t->entry == entry) {
			*slot = s;
			err = t->state == SLOT_READY && t->pid == pid ? K_EEXIST : K_EBUSY;
			goto out;
		}
	}
	for (unsigned s = 0; s < IRQ_MSI_LINES; s++) {
		if (slots[s].state == SLOT_FREE) {
			slots[s] = (struct slot){ .state = SLOT_BUSY, .pid = pid,
						  .function = function, .entry = entry };
			*slot = s;
			err = K_OK;
			break;
		}
	}
out:
	spin_unlock_irqrestore(&lock, flags);
	return err;
}

static void set_slot(unsigned s, enum slot_state state, volatile uint32_t *regs)
{
	arch_irqflags_t flags = spin_lock_irqsave(&lock);
	slots[s].state = (uint8_t)state;
	slots[s].regs = regs;
	spin_unlock_irqrestore(&lock, flags);
}

/* MSI-X on (vectors individually masked) or off, in message control. */
static void set_msix_enabled(unsigned function, bool on)
{
	const struct pci_function *f = &pci_host_table()->functions[function];
	uint32_t word = pci_host_config_read(function, f->msix_offset);

	if (word == 0xffffffffu)
		return;
	word &= ~CONTROL_FUNCTION_MASK;
	word = on ? word | CONTROL_ENABLE : word & ~CONTROL_ENABLE;
	pci_host_config_write(function, f->msix_offset, word);
}

/* Everything after the slot was taken: the entry, the route, the line,
 * the capability. The slot is freed on failure. */
static kerr_t route(unsigned s, unsigned function, unsigned entry, kpid_t pid)
{
	const struct pci_function *f = &pci_host_table()->functions[function];
	volatile uint32_t *regs = pci_host_msix_entry(function, entry);
	struct msi_message msg;

	if (!regs) {
		set_slot(s, SLOT_FREE, NULL);
		return K_EINVAL;
	}
	if (!arch_msi_compose(s, f->address, &msg)) {
		set_slot(s, SLOT_FREE, NULL);
		return K_ENOENT;
	}
	write_entry(regs, &msg);
	set_slot(s, SLOT_BUSY, regs); /* the chip reaches the entry from here on */
	if (irq_line_grant(IRQ_MSI_BASE + s, pid, &vector_chip) != K_OK) {
		/* A slot's line is unrouted whenever the slot is free. */
		panic("msix: line %u of a free slot was routed", IRQ_MSI_BASE + s);
	}
	set_msix_enabled(function, true);
	(void)pci_host_enable_bus_master(function);
	set_slot(s, SLOT_READY, regs);
	return K_OK;
}

kerr_t msix_enable(unsigned function, unsigned entry, kpid_t pid, unsigned *line)
{
	bool fresh;
	unsigned s;

	if (pid == PID_NONE)
		return K_EINVAL;
	kerr_t err = check_function(function, entry);
	if (err != K_OK)
		return err;
	err = device_claim(function, pid, &fresh);
	if (err != K_OK)
		return err;
	err = take_slot(function, entry, pid, &s);
	if (err == K_OK)
		err = route(s, function, entry, pid);
	else if (err == K_EEXIST)
		err = K_OK;
	if (err != K_OK) {
		if (fresh)
			device_unclaim_fresh(function, pid);
		return err;
	}
	*line = IRQ_MSI_BASE + s;
	return K_OK;
}

/* ------------------------------------------------------------ releasing */

/* Marks `pid`'s ready slots BUSY and returns them as a bit mask. */
static uint64_t take_owned(kpid_t pid)
{
	uint64_t owned = 0;

	arch_irqflags_t flags = spin_lock_irqsave(&lock);
	for (unsigned s = 0; s < IRQ_MSI_LINES; s++) {
		if (slots[s].state == SLOT_READY && slots[s].pid == pid) {
			slots[s].state = SLOT_BUSY;
			owned |= 1ull << s;
		}
	}
	spin_unlock_irqrestore(&lock, flags);
	return owned;
}

/* Whether any slot other than those in `leaving` uses `function`. */
static bool function_still_used(unsigned function, uint64_t leaving)
{
	bool used = false;

	arch_irqflags_t flags = spin_lock_irqsave(&lock);
	for (unsigned s = 0; s < IRQ_MSI_LINES; s++) {
		if (!(leaving >> s & 1) && slots[s].state != SLOT_FREE &&
		    slots[s].function == function)
			used = true;
	}
	spin_unlock_irqrestore(&lock, flags);
	return used;
}

/* Slot `s` undone: line revoked, entry cleared, route released. Nobody
 * waits on the line: a process has one thread, and it is the one ending
 * (or gone). */
static void unroute(unsigned s)
{
	const struct slot *t = &slots[s]; /* BUSY: ours alone */
	const struct pci_function *f = &pci_host_table()->functions[t->function];
	unsigned line = IRQ_MSI_BASE + s;

	irq_line_revoke(line);
	write_entry(t->regs, &(struct msi_message){ 0, 0 });
	arch_msi_release(s, f->address);
}

/* Whether slot `s` is the first of `owned` with its function. */
static bool first_of_its_function(uint64_t owned, unsigned s)
{
	for (unsigned o = 0; o < s; o++) {
		if (owned >> o & 1 && slots[o].function == slots[s].function)
			return false;
	}
	return true;
}

/* The function's MSI-X off, once none of its vectors is left. */
static void turn_off(unsigned function, kpid_t pid)
{
	const struct pci_address a = pci_host_table()->functions[function].address;

	set_msix_enabled(function, false);
	println("msix: %02x:%02x.%u: MSI-X off (process %u ended)", a.bus, a.device, a.function,
		PID_SLOT(pid));
}

unsigned msix_release_owner(kpid_t pid)
{
	uint64_t owned = pid == PID_NONE ? 0 : take_owned(pid);
	unsigned n = 0;

	for (unsigned s = 0; s < IRQ_MSI_LINES; s++) {
		if (owned >> s & 1) {
			unroute(s);
			n++;
		}
	}
	for (unsigned s = 0; s < IRQ_MSI_LINES; s++) {
		if (owned >> s & 1 && first_of_its_function(owned, s) &&
		    !function_still_used(slots[s].function, owned))
			turn_off(slots[s].function, pid);
	}
	for (unsigned s = 0; s < IRQ_MSI_LINES; s++) {
		if (owned >> s & 1)
			set_slot(s, SLOT_FREE, NULL);
	}
	return n;
}

unsigned msix_vectors_in_use(void)
{
	unsigned n = 0;

	arch_irqflags_t flags = spin_lock_irqsave(&lock);
	for (unsigned s = 0; s < IRQ_MSI_LINES; s++)
		n += slots[s].state != SLOT_FREE;
	spin_unlock_irqrestore(&lock, flags);
	return n;
}
