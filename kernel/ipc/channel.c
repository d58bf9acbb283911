/*
 * channel: shared-memory channels (see channel.h).
 *
 * A fixed table of CHANNEL_MAX records under one lock. An id carries its
 * slot's generation, bumped whenever the slot is freed, so an id kept
 * after its channel is gone never reaches the slot's next channel:
 * id = generation << 8 | slot.
 *
 * A record lives through AWAITING (mapped in its creator) and ACTIVE
 * (mapped in both) to ENDED (mapped in neither, frames kept until every
 * side that had it mapped has been seen quiescent), then FREE.
 */
#include <channel.h>

#include <frame.h>
#include <hhdm.h>
#include <kstring.h>
#include <printk.h>
#include <spinlock.h>
#include <timer.h>
#include <vm.h>

#define ID_SLOT_BITS 8
_Static_assert(CHANNEL_MAX <= (1u << ID_SLOT_BITS), "a slot number fits its bits of an id");
_Static_assert(CHANNEL_AREA_BASE >= 0x51000000ULL && CHANNEL_AREA_END <= 0x70000000ULL,
	       "the channel area lies clear of the other user areas");

enum record_state { RECORD_FREE, RECORD_AWAITING, RECORD_ACTIVE, RECORD_ENDED };

/* ENDED: the sides not yet seen quiescent since it was unmapped. */
#define WAIT_CREATOR 1u
#define WAIT_PEER 2u

struct channel {
	enum record_state state;
	uint32_t generation;
	uint8_t role;
	uint8_t ended_as;       /* ENDED: CHANNEL_STATE_CLOSED or _REVOKED */
	uint8_t waiting;        /* ENDED: WAIT_* */
	uint32_t pages;
	paddr_t phys;
	kpid_t creator;
	kpid_t peer;            /* PID_NONE until one attaches */
	struct principal peer_principal;
	uint64_t created;       /* timer tick */
};

static struct spinlock channel_lock = SPINLOCK_INIT("channel", LOCK_CHANNEL);
static struct channel channels[CHANNEL_MAX]; /* guarded by channel_lock */

static uint64_t id_of(unsigned slot)
{
	return (uint64_t)channels[slot].generation << ID_SLOT_BITS | slot;
}

static uint64_t slot_address(unsigned slot)
{
	return CHANNEL_AREA_BASE + slot * CHANNEL_SLOT_SIZE;
}

static uint64_t size_of(const struct channel *c)
{
	return (uint64_t)c->pages * VM_PAGE_SIZE;
}

/* The record `id` names (in any state but FREE), or NULL. */
static struct channel *find(uint64_t id, unsigned *slot)
{
	uint64_t s = id & ((1u << ID_SLOT_BITS) - 1);

	if (s >= CHANNEL_MAX || channels[s].state == RECORD_FREE || id_of((unsigned)s) != id)
		return NULL;
	*slot = (unsigned)s;
	return &channels[s];
}

/* Never executable; shared, so no space's teardown frees the frames. */
static unsigned creator_flags(uint8_t role)
{
	return VM_USER | VM_SHARED | (role != CHANNEL_ROLE_CONSUMER ? VM_WRITE : 0);
}

static unsigned peer_flags(uint8_t role)
{
	return VM_USER | VM_SHARED | (role != CHANNEL_ROLE_PRODUCER ? VM_WRITE : 0);
}

static void release(struct channel *c)
{
	if (frame_free_contiguous(c->phys, c->pages) != K_OK)
		println("channel: warning: frames at 0x%llx were not allocated",
			(unsigned long long)c->phys);
	*c = (struct channel){ .generation = c->generation + 1 };
	if (c->generation == 0) /* ids are never 0..CHANNEL_MAX-1 */
		c->generation = 1;
}

/* Takes the channel out of `pid`'s address space, every CPU's TLB
 * included. The process is alive: a side that ends ends its channels
 * first (channel_process_ended). */
static void unmap_from(kpid_t pid, uint64_t va, uint64_t size)
{
	struct address_space *as = process_address_space(pid);

	if (!as || vm_unmap(as, va, size, false) != K_OK)
		println("channel: warning: pid %u had no mapping at 0x%llx", PID_SLOT(pid),
			(unsigned long long)va);
}

/* Unmaps a live channel from both sides. `quiet` (the caller, or the
 * process ending) is quiescent now; each other side must be seen so
 * before the frames go. */
static void end_channel(unsigned slot, uint8_t how, kpid_t quiet)
{
	struct channel *c = &channels[slot];
	bool attached = c->state == RECORD_ACTIVE;

	unmap_from(c->creator, slot_address(slot), size_of(c));
	if (attached)
		unmap_from(c->peer, slot_address(slot), size_of(c));
	c->state = RECORD_ENDED;
	c->ended_as = how;
	c->waiting = (c->creator != quiet ? WAIT_CREATOR : 0) |
		     (attached && c->peer != quiet ? WAIT_PEER : 0);
	if (!c->waiting)
		release(c);
}

/* `pid` is in a channel call of its own or ending: it holds no address
 * of a channel's frames, so it no longer keeps any ended one's. Only a
 * call that succeeds says so, so that a refused one changes nothing. */
static void quiesced(kpid_t pid)
{
	for (unsigned i = 0; i < CHANNEL_MAX; i++) {
		struct channel *c = &channels[i];
		if (c->state != RECORD_ENDED)
			continue;
		if (c->creator == pid)
			c->waiting &= (uint8_t)~WAIT_CREATOR;
		if (c->peer == pid)
			c->waiting &= (uint8_t)~WAIT_PEER;
		if (!c->waiting)
			release(c);
	}
}

/* The end of every channel call, the lock still held: a caller whose call
 * succeeded is in the kernel on its own thread, touching no channel frame
 * through a copy, so it is seen quiescent (which may let ended channels'
 * frames go). A refused call proves nothing: it may have been refused
 * before the caller was looked at. */
static kerr_t call_done_locked(kpid_t caller, kerr_t err)
{
	if (err == K_OK)
		quiesced(caller);
	return err;
}

static unsigned created_by(kpid_t pid)
{
	unsigned n = 0;

	for (unsigned i = 0; i < CHANNEL_MAX; i++)
		n += channels[i].state != RECORD_FREE && channels[i].creator == pid;
	return n;
}

static kerr_t free_slot(kpid_t creator, unsigned *slot)
{
	if (created_by(creator) >= CHANNEL_PER_CREATOR)
		return K_EFULL;
	for (unsigned i = 0; i < CHANNEL_MAX; i++) {
		if (channels[i].state == RECORD_FREE) {
			*slot = i;
			return K_OK;
		}
	}
	return K_EFULL;
}

static kerr_t create_locked(kpid_t creator, uint32_t pages, const struct principal *peer,
			    uint8_t role, unsigned *slot)
{
	struct address_space *as = process_address_space(creator);
	paddr_t phys;

	if (!as)
		return K_ENOENT;
	kerr_t err = free_slot(creator, slot);
	if (err != K_OK)
		return err;
	if (frame_alloc_contiguous(pages, 1, &phys) != K_OK)
		return K_ENOMEM;
	memset(phys_to_virt(phys), 0, (size_t)pages * VM_PAGE_SIZE);
	err = vm_map(as, slot_address(*slot), phys, (uint64_t)pages * VM_PAGE_SIZE,
		     creator_flags(role));
	if (err != K_OK) {
		(void)frame_free_contiguous(phys, pages);
		return err == K_EEXIST ? K_EINVAL : err;
	}
	struct channel *c = &channels[*slot];
	*c = (struct channel){ .state = RECORD_AWAITING, .generation = c->generation,
			       .role = role, .pages = pages, .phys = phys, .creator = creator,
			       .peer = PID_NONE, .peer_principal = *peer,
			       .created = timer_ticks() };
	if (c->generation == 0)
		c->generation = 1;
	return K_OK;
}

static void say_created(uint64_t id, kpid_t creator, uint64_t pages, uint64_t va, uint64_t role,
			const struct principal *peer)
{
	static const char *const role_names[] = { "producer", "consumer", "bidirectional" };
	char fingerprint[17];

	identity_fingerprint(peer, fingerprint);
	println("channel: %llu created by pid %u: %llu pages at 0x%llx, %s, for principal %s",
		(unsigned long long)id, PID_SLOT(creator), (unsigned long long)pages,
		(unsigned long long)va, role_names[role], fingerprint);
}

kerr_t channel_create(kpid_t creator, uint64_t pages, const struct principal *peer, uint64_t role,
		      uint64_t *id, uint64_t *va)
{
	unsigned slot = 0;

	if (role > CHANNEL_ROLE_BIDIRECTIONAL || pages == 0 || pages > CHANNEL_PAGES_ABI_MAX)
		return K_EINVAL;
	if (pages > CHANNEL_PAGES_MAX)
		return K_ENOMEM;
	arch_irqflags_t flags = spin_lock_irqsave(&channel_lock);
	kerr_t err = create_locked(creator, (uint32_t)pages, peer, (uint8_t)role, &slot);
	if (err == K_OK) {
		*id = id_of(slot);
		*va = slot_address(slot);
		say_created(*id, creator, pages, *va, role, peer);
	}
	err = call_done_locked(creator, err);
	spin_unlock_irqrestore(&channel_lock, flags);
	return err;
}

static kerr_t attach_locked(kpid_t caller, uint64_t id, uint64_t *va)
{
	struct principal speaks_for;
	unsigned slot;
	struct channel *c = find(id, &slot);

	if (!c || c->state == RECORD_ENDED)
		return K_ENOENT;
	if (c->state != RECORD_AWAITING || caller == c->creator)
		return K_EPERM; /* exactly one peer, never the creator itself */
	if (process_principal(caller, &speaks_for) != K_OK ||
	    memcmp(&speaks_for, &c->peer_principal, sizeof(speaks_for)) != 0)
		return K_EPERM;
	struct address_space *as = process_address_space(caller);
	if (!as)
		return K_ENOENT;
	kerr_t err = vm_map(as, slot_address(slot), c->phys, size_of(c), peer_flags(c->role));
	if (err != K_OK)
		return err == K_EEXIST ? K_EINVAL : err;
	c->peer = caller;
	c->state = RECORD_ACTIVE;
	*va = slot_address(slot);
	println("channel: %llu attached by pid %u at 0x%llx (creator pid %u)",
		(unsigned long long)id, PID_SLOT(caller), (unsigned long long)*va,
		PID_SLOT(c->creator));
	return K_OK;
}

kerr_t channel_attach(kpid_t caller, uint64_t id, uint64_t *va)
{
	arch_irqflags_t flags = spin_lock_irqsave(&channel_lock);
	kerr_t err = call_done_locked(caller, attach_locked(caller, id, va));

	spin_unlock_irqrestore(&channel_lock, flags);
	return err;
}

static void say_ended(uint64_t id, const char *how, kpid_t by, const struct channel *c)
{
	if (c->peer == PID_NONE)
		println("channel: %llu %s by pid %u, unmapped from pid %u",
			(unsigned long long)id, how, PID_SLOT(by), PID_SLOT(c->creator));
	else
		println("channel: %llu %s by pid %u, unmapped from pids %u and %u",
			(unsigned long long)id, how, PID_SLOT(by), PID_SLOT(c->creator),
			PID_SLOT(c->peer));
}

/* Ends channel `id` as `how` says (closed or revoked) for `caller`, who
 * may close it only as one of its two sides. */
static kerr_t end_locked(kpid_t caller, uint64_t id, uint8_t how)
{
	unsigned slot;
	struct channel *c = find(id, &slot);
	bool closing = how == CHANNEL_STATE_CLOSED;

	if (!c || c->state == RECORD_ENDED)
		return K_ENOENT;
	if (closing && caller != c->creator && caller != c->peer)
		return K_EPERM;
	say_ended(id, closing ? "closed" : "revoked", caller, c);
	end_channel(slot, how, caller);
	return K_OK;
}

static kerr_t end_by(kpid_t caller, uint64_t id, uint8_t how)
{
	arch_irqflags_t flags = spin_lock_irqsave(&channel_lock);
	kerr_t err = call_done_locked(caller, end_locked(caller, id, how));

	spin_unlock_irqrestore(&channel_lock, flags);
	return err;
}

kerr_t channel_close(kpid_t caller, uint64_t id)
{
	return end_by(caller, id, CHANNEL_STATE_CLOSED);
}

kerr_t channel_revoke(kpid_t caller, uint64_t id)
{
	struct principal speaks_for;

	/* Asked before the channel lock: the process table's comes after it
	 * anyway, and a refusal need not hold anything. */
	if (process_principal(caller, &speaks_for) != K_OK ||
	    memcmp(&speaks_for, identity_bootstrap(), sizeof(speaks_for)) != 0)
		return K_EPERM;
	return end_by(caller, id, CHANNEL_STATE_REVOKED);
}

static void put_le(uint8_t *out, uint64_t value, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		out[i] = (uint8_t)(value >> (8 * i));
}

static void describe(const struct channel *c, unsigned slot, uint8_t out[CHANNEL_INFO_LEN])
{
	static const uint8_t live_state[] = {
		[RECORD_AWAITING] = CHANNEL_STATE_AWAITING_ATTACH,
		[RECORD_ACTIVE] = CHANNEL_STATE_ACTIVE,
	};
	bool mapped = c->state != RECORD_ENDED;

	memset(out, 0, CHANNEL_INFO_LEN);
	out[CHANNEL_INFO_STATE] = mapped ? live_state[c->state] : c->ended_as;
	out[CHANNEL_INFO_ROLE] = c->role;
	put_le(out + CHANNEL_INFO_PAGES, c->pages, 4);
	put_le(out + CHANNEL_INFO_CREATOR, PID_SLOT(c->creator), 4);
	put_le(out + CHANNEL_INFO_PEER, c->peer == PID_NONE ? CHANNEL_NO_PEER : PID_SLOT(c->peer),
	       4);
	put_le(out + CHANNEL_INFO_CREATOR_VA, mapped ? slot_address(slot) : 0, 8);
	put_le(out + CHANNEL_INFO_PEER_VA,
	       mapped && c->peer != PID_NONE ? slot_address(slot) : 0, 8);
	/* CHANNEL_INFO_PHYS stays 0: where memory lies is the kernel's. */
	put_le(out + CHANNEL_INFO_CREATED, c->created, 8);
}

static kerr_t info_locked(kpid_t caller, uint64_t id, uint8_t out[CHANNEL_INFO_LEN])
{
	unsigned slot;
	const struct channel *c = find(id, &slot);

	if (!c)
		return K_ENOENT;
	if (caller != c->creator && caller != c->peer)
		return K_EPERM;
	describe(c, slot, out);
	return K_OK;
}

kerr_t channel_info(kpid_t caller, uint64_t id, uint8_t out[CHANNEL_INFO_LEN])
{
	arch_irqflags_t flags = spin_lock_irqsave(&channel_lock);
	/* Quiesced after the read: the record may go once it was read. */
	kerr_t err = call_done_locked(caller, info_locked(caller, id, out));

	spin_unlock_irqrestore(&channel_lock, flags);
	return err;
}

void channel_process_ended(kpid_t pid)
{
	arch_irqflags_t flags = spin_lock_irqsave(&channel_lock);

	for (unsigned i = 0; i < CHANNEL_MAX; i++) {
		struct channel *c = &channels[i];
		bool live = c->state == RECORD_AWAITING || c->state == RECORD_ACTIVE;
		if (!live || (c->creator != pid && c->peer != pid))
			continue;
		println("channel: %llu revoked: pid %u ended", (unsigned long long)id_of(i),
			PID_SLOT(pid));
		end_channel(i, CHANNEL_STATE_REVOKED, pid);
	}
	quiesced(pid);
	spin_unlock_irqrestore(&channel_lock, flags);
}

unsigned channel_records_in_use(void)
{
	arch_irqflags_t flags = spin_lock_irqsave(&channel_lock);
	unsigned n = 0;

	for (unsigned i = 0; i < CHANNEL_MAX; i++)
		n += channels[i].state != RECORD_FREE;
	spin_unlock_irqrestore(&channel_lock, flags);
	return n;
}

void channel_reset(void)
{
	arch_irqflags_t flags = spin_lock_irqsave(&channel_lock);

	for (unsigned i = 0; i < CHANNEL_MAX; i++)
		channels[i] = (struct channel){ .generation = channels[i].generation };
	spin_unlock_irqrestore(&channel_lock, flags);
}
