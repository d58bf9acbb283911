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
 */
#include <cap.h>

#include <kstring.h>
#include <printk.h>
#include <spinlock.h>

struct cap_entry {
	uint32_t endpoint;
	cap_rights_t rights; /* 0: the entry is free */
};

struct cap_table {
	kpid_t owner; /* the pid these rights belong to */
	struct cap_entry entries[CAP_SLOTS];
};

static struct spinlock cap_lock = SPINLOCK_INIT("capability", LOCK_CAPABILITY);
static struct cap_table tables[PROCESS_MAX]; /* guarded by cap_lock */

/* The table of a live pid, emptied if it still holds a dead predecessor's
 * rights. NULL for a dead pid. Caller holds cap_lock. */
static struct cap_table *table_of(kpid_t pid)
{
	struct cap_table *t;

	if (!process_alive(pid))
		return NULL;
	t = &tables[PID_SLOT(pid)];
	if (t->owner != pid) {
		memset(t->entries, 0, sizeof(t->entries));
		t->owner = pid;
	}
	return t;
}

static struct cap_entry *find(struct cap_table *t, uint32_t endpoint)
{
	struct cap_entry *home = &t->entries[endpoint % CAP_SLOTS];

	if (home->rights && home->endpoint == endpoint)
		return home;
	for (unsigned i = 0; i < CAP_SLOTS; i++) {
		if (t->entries[i].rights && t->entries[i].endpoint == endpoint)
			return &t->entries[i];
	}
	return NULL;
}

static bool valid(uint32_t endpoint, cap_rights_t rights)
{
	return endpoint < CAP_ENDPOINTS && rights != 0 && (rights & ~CAP_ALL) == 0;
}

/* Adds rights to `t`. Caller holds cap_lock. */
static kerr_t add(struct cap_table *t, uint32_t endpoint, cap_rights_t rights)
{
	struct cap_entry *e = find(t, endpoint);

	if (!e && !t->entries[endpoint % CAP_SLOTS].rights)
		e = &t->entries[endpoint % CAP_SLOTS];
	for (unsigned i = 0; !e && i < CAP_SLOTS; i++) {
		if (!t->entries[i].rights)
			e = &t->entries[i];
	}
	if (!e)
		return K_EFULL;
	e->endpoint = endpoint;
	e->rights |= rights;
	return K_OK;
}

void cap_init(void)
{
	arch_irqflags_t flags = spin_lock_irqsave(&cap_lock);

	memset(tables, 0, sizeof(tables));
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
	struct cap_entry *held = src ? find(src, endpoint) : NULL;
	if (!src || !dst)
		err = K_ENOENT;
	else if (held && (held->rights & CAP_DELEGATE) && (held->rights & rights) == rights)
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
	struct cap_entry *mine = actor ? find(actor, endpoint) : NULL;
	struct cap_entry *theirs = t ? find(t, endpoint) : NULL;
	bool may = PID_SLOT(by) < PROCESS_KERNEL_COUNT || (mine && (mine->rights & CAP_REVOKE));
	if (!actor || !t)
		err = K_ENOENT;
	else if (!may)
		err = K_EPERM;
	else if (!theirs || !(theirs->rights & rights))
		err = K_ENOENT;
	else {
		theirs->rights &= ~rights;
		err = K_OK;
	}
	spin_unlock_irqrestore(&cap_lock, flags);
	return err;
}

/* The rights `pid` holds on `endpoint`; *alive says whether pid lives. */
static cap_rights_t rights_held(kpid_t pid, uint32_t endpoint, bool *alive)
{
	arch_irqflags_t flags = spin_lock_irqsave(&cap_lock);
	struct cap_table *t = table_of(pid);
	const struct cap_entry *e = t ? find(t, endpoint) : NULL;
	cap_rights_t rights = e ? e->rights : 0;

	*alive = t != NULL;
	spin_unlock_irqrestore(&cap_lock, flags);
	return rights;
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
