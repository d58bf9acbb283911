/*
 * cap: per-process capability tables (see cap.h).
 *
 * One table of CAP_SLOTS (endpoint, rights) entries per process slot, all
 * under LOCK_CAPABILITY. A table belongs to a pid, generation included:
 * when a slot is reused by a new process, the stale table is cleared on
 * first contact, so a new process never inherits its predecessor's rights.
 * Decode, then perform: every check happens before any entry changes.
 *
 * An entry for endpoint e goes to slot e % CAP_SLOTS when that slot is
 * free (its home), else to the first free one; a lookup tries the home
 * first. Every IPC send and receive looks a right up, and with as many
 * slots as endpoints nearly every entry is at home, so the common lookup
 * is one probe instead of a scan of 32; a table that is filled in an
 * unusual order still works, through the scan.
 *
 * Checks take no lock. Every IPC send and receive asks, and the lock was a
 * large part of their cost. Changes still happen under LOCK_CAPABILITY,
 * and each entry is one 64-bit word (endpoint and rights together), so a
 * reader sees an entry whole, before or after a change, never an endpoint
 * of one and the rights of another; the table's owner is stored last, with
 * release, when a table is cleared for a new process, and a reader that
 * does not find its pid there finds no rights -- a table is claimed by
 * the first grant to its process. A check is a snapshot, as it was under
 * the lock: a revoke that lands after it does not undo it.
 */
#include <cap.h>

#include <printk.h>
#include <spinlock.h>
#include <stdatomic.h>

/* An entry: the endpoint in the high half, the rights in the low half
 * (0: the entry is free). */
typedef _Atomic uint64_t cap_entry_t;

/*@ assigns \nothing; */
static uint64_t entry_pack(uint32_t endpoint, cap_rights_t rights)
{
	return (uint64_t)endpoint << 32 | rights;
}

/*@ assigns \nothing; */
static uint32_t entry_endpoint(uint64_t e)
{
	return (uint32_t)(e >> 32);
}

/*@ assigns \nothing; */
static cap_rights_t entry_rights(uint64_t e)
{
	return (cap_rights_t)e;
}

struct cap_table {
	_Atomic kpid_t owner; /* the pid these rights belong to */
	cap_entry_t entries[CAP_SLOTS];
};

static struct spinlock cap_lock = SPINLOCK_INIT("capability", LOCK_CAPABILITY);
static struct cap_table tables[PROCESS_MAX]; /* written under cap_lock, read without */
_Atomic uint64_t cap_revocation_count;       /* see cap_revocations() */

/* After rights are taken away (caller holds cap_lock). */
/*@ assigns cap_revocation_count; */
static void count_revocation(void)
{
	atomic_fetch_add_explicit(&cap_revocation_count, 1, memory_order_release);
}

/* The table in `pid`'s slot, or NULL if pid is not a live process. The
 * slot is checked against the array here, where it indexes, although
 * process_alive() implies it: the bound then holds by this function alone
 * (pids come from user space, and the proof of the index should not rest
 * on another file's inline function). */
/*@ assigns \nothing;
    ensures \result == \null ||
	    (\exists integer i; 0 <= i < PROCESS_MAX && \result == &tables[i]); */
static struct cap_table *slot_table(kpid_t pid)
{
	uint32_t slot = PID_SLOT(pid);

	if (slot >= PROCESS_MAX || !process_alive(pid))
		return NULL;
	return &tables[slot];
}

/* The table of a live pid, emptied if it still holds a dead predecessor's
 * rights. NULL for a dead pid. Caller holds cap_lock. */
/*@ assigns tables[0 .. PROCESS_MAX - 1], cap_revocation_count;
    ensures \result == \null || \valid(\result); */
static struct cap_table *table_of(kpid_t pid)
{
	struct cap_table *t = slot_table(pid);

	if (!t)
		return NULL;
	if (atomic_load_explicit(&t->owner, memory_order_relaxed) != pid) {
		/*@ loop invariant 0 <= i <= CAP_SLOTS;
		    loop assigns i, t->entries[0 .. CAP_SLOTS - 1];
		    loop variant CAP_SLOTS - i; */
		for (unsigned i = 0; i < CAP_SLOTS; i++)
			atomic_store_explicit(&t->entries[i], 0, memory_order_relaxed);
		atomic_store_explicit(&t->owner, pid, memory_order_release);
		count_revocation();
	}
	return t;
}

/*@ requires \valid_read(t);
    requires i < CAP_SLOTS;
    assigns \nothing; */
static uint64_t entry_at(const struct cap_table *t, unsigned i)
{
	return atomic_load_explicit(&t->entries[i], memory_order_relaxed);
}

/* The slot holding `endpoint`'s rights, or -1. */
/*@ requires \valid_read(t);
    assigns \nothing;
    ensures -1 <= \result < CAP_SLOTS; */
static int find(const struct cap_table *t, uint32_t endpoint)
{
	unsigned home = endpoint % CAP_SLOTS;
	uint64_t e = entry_at(t, home);

	if (entry_rights(e) && entry_endpoint(e) == endpoint)
		return (int)home;
	/*@ loop invariant 0 <= i <= CAP_SLOTS;
	    loop assigns i, e;
	    loop variant CAP_SLOTS - i; */
	for (unsigned i = 0; i < CAP_SLOTS; i++) {
		e = entry_at(t, i);
		if (entry_rights(e) && entry_endpoint(e) == endpoint)
			return (int)i;
	}
	return -1;
}

/*@ requires \valid_read(t);
    requires slot < CAP_SLOTS;
    assigns \nothing; */
static cap_rights_t rights_at(const struct cap_table *t, int slot)
{
	return slot < 0 ? 0 : entry_rights(entry_at(t, (unsigned)slot));
}

/*@ requires \valid(t);
    requires 0 <= slot < CAP_SLOTS;
    assigns t->entries[slot]; */
static void set_entry(struct cap_table *t, int slot, uint32_t endpoint, cap_rights_t rights)
{
	atomic_store_explicit(&t->entries[slot], entry_pack(endpoint, rights),
			      memory_order_relaxed);
}

/*@ assigns \nothing; */
static bool valid(uint32_t endpoint, cap_rights_t rights)
{
	return endpoint < CAP_ENDPOINTS && rights != 0 && (rights & ~CAP_ALL) == 0;
}

/* Adds rights to `t`. Caller holds cap_lock. */
/*@ requires \valid(t);
    assigns t->entries[0 .. CAP_SLOTS - 1];
    ensures \result == K_OK || \result == K_EFULL; */
static kerr_t add(struct cap_table *t, uint32_t endpoint, cap_rights_t rights)
{
	int slot = find(t, endpoint);

	if (slot < 0 && !entry_rights(entry_at(t, endpoint % CAP_SLOTS)))
		slot = (int)(endpoint % CAP_SLOTS);
	/*@ loop invariant 0 <= i <= CAP_SLOTS;
	    loop invariant -1 <= slot < CAP_SLOTS;
	    loop assigns i, slot;
	    loop variant CAP_SLOTS - i; */
	for (unsigned i = 0; slot < 0 && i < CAP_SLOTS; i++) {
		if (!entry_rights(entry_at(t, i)))
			slot = (int)i;
	}
	if (slot < 0)
		return K_EFULL;
	set_entry(t, slot, endpoint, rights_at(t, slot) | rights);
	return K_OK;
}

void cap_init(void)
{
	arch_irqflags_t flags = spin_lock_irqsave(&cap_lock);

	for (uint32_t slot = 0; slot < PROCESS_MAX; slot++)
		atomic_store_explicit(&tables[slot].owner, PID_NONE, memory_order_relaxed);
	for (uint32_t slot = 0; slot < PROCESS_KERNEL_COUNT; slot++) {
		struct cap_table *t = table_of(PID_MAKE(0, slot));
		for (uint32_t ep = 0; t && ep < CAP_ENDPOINTS; ep++)
			(void)add(t, ep, CAP_ALL);
	}
	spin_unlock_irqrestore(&cap_lock, flags);
	println("capabilities: %d slots per process; kernel processes 0-%d hold all rights on %d endpoints",
		CAP_SLOTS, PROCESS_KERNEL_COUNT - 1, CAP_ENDPOINTS);
}

kerr_t cap_grant(kpid_t pid, uint32_t endpoint, cap_rights_t rights)
{
	kerr_t err;

	if (!valid(endpoint, rights))
		return K_EINVAL;
	arch_irqflags_t flags = spin_lock_irqsave(&cap_lock);
	struct cap_table *t = table_of(pid);
	err = t ? add(t, endpoint, rights) : K_ENOENT;
	spin_unlock_irqrestore(&cap_lock, flags);
	return err;
}

kerr_t cap_delegate(kpid_t from, kpid_t to, uint32_t endpoint, cap_rights_t rights)
{
	kerr_t err = K_EPERM;

	if (!valid(endpoint, rights))
		return K_EINVAL;
	if (from == to)
		return K_EPERM;
	arch_irqflags_t flags = spin_lock_irqsave(&cap_lock);
	struct cap_table *src = table_of(from), *dst = table_of(to);
	cap_rights_t held = src ? rights_at(src, find(src, endpoint)) : 0;
	if (!src || !dst)
		err = K_ENOENT;
	else if ((held & CAP_DELEGATE) && (held & rights) == rights)
		err = add(dst, endpoint, rights);
	spin_unlock_irqrestore(&cap_lock, flags);
	return err;
}

kerr_t cap_revoke(kpid_t by, kpid_t target, uint32_t endpoint, cap_rights_t rights)
{
	kerr_t err;

	if (!valid(endpoint, rights))
		return K_EINVAL;
	arch_irqflags_t flags = spin_lock_irqsave(&cap_lock);
	struct cap_table *actor = table_of(by), *t = table_of(target);
	cap_rights_t mine = actor ? rights_at(actor, find(actor, endpoint)) : 0;
	int theirs = t ? find(t, endpoint) : -1;
	bool may = PID_SLOT(by) < PROCESS_KERNEL_COUNT || (mine & CAP_REVOKE);
	if (!actor || !t)
		err = K_ENOENT;
	else if (!may)
		err = K_EPERM;
	else if (theirs < 0 || !(rights_at(t, theirs) & rights))
		err = K_ENOENT; /* no entry, or none of these rights in it */
	else {
		set_entry(t, theirs, endpoint, rights_at(t, theirs) & ~rights);
		count_revocation();
		err = K_OK;
	}
	spin_unlock_irqrestore(&cap_lock, flags);
	return err;
}

/* The rights `pid` holds on `endpoint`, read without the lock (see the
 * top of this file); *alive says whether pid lives. */
/*@ requires \valid(alive);
    assigns *alive; */
static cap_rights_t rights_held(kpid_t pid, uint32_t endpoint, bool *alive)
{
	const struct cap_table *t = slot_table(pid);

	*alive = t != NULL;
	if (!t)
		return 0;
	if (atomic_load_explicit(&t->owner, memory_order_acquire) != pid)
		return 0; /* not claimed by this process yet: nothing granted */
	return rights_at(t, find(t, endpoint));
}

cap_rights_t cap_rights(kpid_t pid, uint32_t endpoint)
{
	bool alive;

	return rights_held(pid, endpoint, &alive);
}

kerr_t cap_check(kpid_t pid, uint32_t endpoint, cap_rights_t rights)
{
	bool alive;
	cap_rights_t held = rights_held(pid, endpoint, &alive);

	if (!alive)
		return K_ENOENT;
	return rights && (held & rights) == rights ? K_OK : K_EPERM;
}
