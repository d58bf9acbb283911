/*
 * process: the process table (see process.h).
 *
 * A fixed array of PROCESS_MAX slots under one lock. A pid carries the
 * slot's generation, bumped every time the slot is freed, so an id kept
 * after its process died can never reach the slot's next occupant. The
 * kernel processes 0-2 are created at boot and never destroyed.
 *
 * Lock order: the process table (LOCK_PROCESS_TABLE) is taken after IPC
 * and capabilities, before the frame allocator -- creating or destroying an
 * address space takes frames while the table is locked.
 */
#include <process.h>

#include <device_claim.h>
#include <msix.h>
#include <irq.h>
#include <kstring.h>
#include <printk.h>
#include <spinlock.h>
#include <stdatomic.h>

struct process {
	uint32_t generation;
	enum process_state state;
	bool kernel;
	/* Set (release) once `principal` is written; then neither changes
	 * until the slot is freed. */
	atomic_bool has_principal;
	struct principal principal;
	struct address_space space;
	char name[16];
};

static struct spinlock table_lock = SPINLOCK_INIT("process", LOCK_PROCESS_TABLE);
static struct process table[PROCESS_MAX]; /* guarded by table_lock */

/* The live pid of each slot, plus one (0: free), published for
 * process_alive(): IPC and capability checks ask it on every message, and
 * an atomic load answers as truly as the lock would -- either way the
 * answer is a snapshot by the time the caller acts on it. Written under
 * table_lock. */
_Atomic uint64_t process_live_pid_plus_one[PROCESS_MAX];

static void publish_live(uint32_t slot, uint64_t pid_plus_one)
{
	atomic_store_explicit(&process_live_pid_plus_one[slot], pid_plus_one,
			      memory_order_release);
}

/* The live process `pid` names, or NULL. Caller holds table_lock. */
static struct process *live(kpid_t pid)
{
	uint32_t slot = PID_SLOT(pid);

	if (slot >= PROCESS_MAX || table[slot].state == PROCESS_FREE ||
	    table[slot].generation != PID_GENERATION(pid))
		return NULL;
	return &table[slot];
}

static void set_name(struct process *p, const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n >= sizeof(p->name))
		n = sizeof(p->name) - 1;
	memcpy(p->name, name ? name : "", n);
	p->name[n] = '\0';
}

/* Fills slot `slot` with a new process. Caller holds table_lock. */
static kerr_t occupy(uint32_t slot, const char *name, bool kernel)
{
	struct process *p = &table[slot];

	if (vm_space_create(&p->space) != K_OK)
		return K_ENOMEM;
	p->state = PROCESS_CREATED;
	p->kernel = kernel;
	atomic_store_explicit(&p->has_principal, false, memory_order_relaxed);
	memset(&p->principal, 0, sizeof(p->principal));
	set_name(p, name);
	return K_OK;
}

kerr_t process_table_init(void)
{
	static const char *const names[PROCESS_KERNEL_COUNT] = { "kernel", "kernel-1", "kernel-2" };
	arch_irqflags_t flags = spin_lock_irqsave(&table_lock);
	kerr_t err = K_OK;

	for (uint32_t slot = 0; slot < PROCESS_KERNEL_COUNT && err == K_OK; slot++)
		err = occupy(slot, names[slot], true);
	for (uint32_t slot = 0; slot < PROCESS_KERNEL_COUNT && err == K_OK; slot++)
		publish_live(slot, PID_MAKE(0, slot) + 1);
	spin_unlock_irqrestore(&table_lock, flags);
	if (err == K_OK)
		println("process: table of %d slots, kernel processes 0-%d created", PROCESS_MAX,
			PROCESS_KERNEL_COUNT - 1);
	return err;
}

kerr_t process_create(const char *name, kpid_t *pid)
{
	arch_irqflags_t flags = spin_lock_irqsave(&table_lock);
	kerr_t err = K_EFULL;

	for (uint32_t slot = PROCESS_KERNEL_COUNT; slot < PROCESS_MAX; slot++) {
		if (table[slot].state != PROCESS_FREE)
			continue;
		err = occupy(slot, name, false);
		if (err == K_OK) {
			*pid = PID_MAKE(table[slot].generation, slot);
			publish_live(slot, *pid + 1);
		}
		break;
	}
	spin_unlock_irqrestore(&table_lock, flags);
	return err;
}

kerr_t process_destroy(kpid_t pid)
{
	arch_irqflags_t flags = spin_lock_irqsave(&table_lock);
	struct process *p = live(pid);
	kerr_t err = K_OK;

	if (!p) {
		err = K_ENOENT;
	} else if (p->kernel) {
		err = K_EPERM;
	} else {
		publish_live((uint32_t)(p - table), 0);
		vm_space_destroy(&p->space);
		p->state = PROCESS_FREE;
		p->generation++;
	}
	spin_unlock_irqrestore(&table_lock, flags);
	if (err != K_OK)
		return err;
	(void)msix_release_owner(pid); /* its MSI-X vectors, before the lines */
	(void)irq_release_owner(pid); /* its interrupt lines, masked, for others */
	/* Its devices go last: its mappings of their registers and its DMA
	 * buffers are gone, so the next holder finds them quiesced and
	 * nobody else's memory behind them. */
	(void)device_release_all(pid);
	return K_OK;
}

kerr_t process_lookup(kpid_t pid, struct process_info *out)
{
	arch_irqflags_t flags = spin_lock_irqsave(&table_lock);
	const struct process *p = live(pid);

	if (p) {
		*out = (struct process_info){
			.pid = pid, .state = p->state, .kernel = p->kernel,
			.has_principal = atomic_load(&p->has_principal), .principal = p->principal,
			.page_table_root = vm_space_root(&p->space),
		};
		memcpy(out->name, p->name, sizeof(out->name));
	}
	spin_unlock_irqrestore(&table_lock, flags);
	return p ? K_OK : K_ENOENT;
}

kerr_t process_set_state(kpid_t pid, enum process_state state)
{
	arch_irqflags_t flags = spin_lock_irqsave(&table_lock);
	struct process *p = live(pid);
	kerr_t err = !p ? K_ENOENT : state == PROCESS_FREE ? K_EINVAL : K_OK;

	if (err == K_OK)
		p->state = state;
	spin_unlock_irqrestore(&table_lock, flags);
	return err;
}

kerr_t process_bind_principal(kpid_t pid, const struct principal *principal)
{
	arch_irqflags_t flags = spin_lock_irqsave(&table_lock);
	struct process *p = live(pid);
	kerr_t err = !p ? K_ENOENT : atomic_load(&p->has_principal) ? K_EEXIST : K_OK;

	if (err == K_OK) {
		p->principal = *principal;
		atomic_store_explicit(&p->has_principal, true, memory_order_release);
	}
	spin_unlock_irqrestore(&table_lock, flags);
	return err;
}

/* Whether a live process other than `pid` speaks for `principal`.
 * Caller holds table_lock. */
static bool spoken_for_elsewhere(kpid_t pid, const struct principal *principal)
{
	for (uint32_t slot = 0; slot < PROCESS_MAX; slot++) {
		const struct process *p = &table[slot];
		if (p->state != PROCESS_FREE && PID_MAKE(p->generation, slot) != pid &&
		    atomic_load(&p->has_principal) &&
		    memcmp(&p->principal, principal, sizeof(*principal)) == 0)
			return true;
	}
	return false;
}

kerr_t process_rebind_principal(kpid_t pid, const struct principal *expected,
				const struct principal *principal)
{
	arch_irqflags_t flags = spin_lock_irqsave(&table_lock);
	struct process *p = live(pid);
	kerr_t err = K_OK;

	if (!p || !atomic_load(&p->has_principal))
		err = K_ENOENT;
	else if (memcmp(&p->principal, expected, sizeof(*expected)) != 0)
		err = K_EPERM;
	else if (spoken_for_elsewhere(pid, principal))
		err = K_EEXIST;
	else
		p->principal = *principal;
	spin_unlock_irqrestore(&table_lock, flags);
	return err;
}

kerr_t process_principal(kpid_t pid, struct principal *out)
{
	arch_irqflags_t flags = spin_lock_irqsave(&table_lock);
	const struct process *p = live(pid);
	kerr_t err = !p ? K_ENOENT : !atomic_load(&p->has_principal) ? K_ENOENT : K_OK;

	if (err == K_OK)
		*out = p->principal;
	spin_unlock_irqrestore(&table_lock, flags);
	return err;
}

const struct principal *process_principal_ref(kpid_t pid)
{
	uint32_t slot = PID_SLOT(pid);

	/* The slot is checked here, not only inside process_alive(): the
	 * index stays safe whatever that function's definition becomes. */
	if (slot >= PROCESS_MAX || !process_alive(pid))
		return NULL;
	const struct process *p = &table[slot];
	return atomic_load_explicit(&p->has_principal, memory_order_acquire) ? &p->principal : NULL;
}

struct address_space *process_address_space(kpid_t pid)
{
	arch_irqflags_t flags = spin_lock_irqsave(&table_lock);
	struct process *p = live(pid);

	spin_unlock_irqrestore(&table_lock, flags);
	return p ? &p->space : NULL;
}

void process_table_reset(void)
{
	kpid_t gone[PROCESS_MAX];
	arch_irqflags_t flags = spin_lock_irqsave(&table_lock);

	/* Both loops are unrolled for the analyser (make verify), which then
	 * sees every element of gone[] written before it is read. */
	/*@ loop unroll PROCESS_MAX; */
	for (uint32_t slot = 0; slot < PROCESS_MAX; slot++) {
		gone[slot] = PID_NONE;
		if (table[slot].state != PROCESS_FREE) {
			gone[slot] = PID_MAKE(table[slot].generation, slot);
			vm_space_destroy(&table[slot].space);
		}
		table[slot] = (struct process){ 0 }; /* kernel processes are generation 0 */
		publish_live(slot, 0);
	}
	spin_unlock_irqrestore(&table_lock, flags);
	/* Generations restart at 0, so a hold kept now would pass to the
	 * next process in the slot. */
	/*@ loop unroll PROCESS_MAX; */
	for (uint32_t slot = 0; slot < PROCESS_MAX; slot++) {
		(void)msix_release_owner(gone[slot]);
		(void)device_release_all(gone[slot]);
	}
}
