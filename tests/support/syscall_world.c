/*
 * syscall_world: see syscall_world.h.
 *
 * The world is booted once (host_world: frames and the process table over
 * an 8 MiB host arena; the kernel heap over another); each sw_reset then
 * destroys the processes the last world made and makes new ones. New
 * processes get new generations, so the handlers' per-slot records
 * (reply endpoints, Allocate regions, Spawn's parents) from an earlier
 * world can never apply to this one: every world behaves the same.
 */
#include <wallclock.h>
#include "syscall_world.h"

#include <abi/endpoints.h>
#include <cap.h>
#include <channel.h>
#include <crypto/ed25519.h>
#include <current.h>
#include <device_claim.h>
#include <frame.h>
#include <heap.h>
#include <hhdm.h>
#include <interceptor.h>
#include <ipc.h>
#include <objstore.h>
#include <pci_host.h>
#include <phys_guard.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>
#include <timer.h>
#include <user.h>
#include <verifier.h>

#include "host_world.h"
#include "pci_host_fake.h"

#define HEAP_ARENA (4u << 20)
#define MAX_SPAWNED 64

static kpid_t callers[SW_CALLERS], peer = PID_NONE;
static kpid_t current = PID_NONE;
static kpid_t spawned[MAX_SPAWNED];
static unsigned spawned_count;
static uint64_t ticks, baseline_frames;
static bool booted;
static const uint8_t seed[ED25519_SEED_LEN] = { 0x5e, 0xed, 1, 2, 3 };
static struct principal trusted_principal;

/* ------------------------------------------------------- PCI at boot */

/* What the kernel's enumeration would have found: a host bridge; a
 * virtio-net function with an I/O BAR, a 32-bit BAR and a 64-bit BAR
 * (whose upper half takes the slot after it), the last larger than a u32,
 * and its virtio structures; a second device whose BARs follow the
 * first's directly (so a range can straddle two functions); and a hostile
 * function whose BARs claim to sit on RAM, on the kernel image and on the
 * local APIC (syscall_world.h). */
static const struct pci_table pci_found = {
	.count = 4,
	.buses = 1,
	.functions = {
		{ .address = { 0, 0, 0, 0 }, .vendor = 0x8086, .device = 0x29c0, .class_code = 6,
		  .bar_count = PCI_MAX_BARS },
		{ .address = { 0, 0, 3, 0 }, .vendor = 0x1af4, .device = 0x1041, .class_code = 2,
		  .subclass = 0, .prog_if = 0, .bar_count = PCI_MAX_BARS,
		  .bars = { [0] = { .kind = PCI_BAR_IO, .base = SW_IO_BAR, .size = 0x20 },
			    [1] = { .kind = PCI_BAR_MEM32, .base = SW_MMIO_BAR, .size = 0x1000 },
			    [4] = { .kind = PCI_BAR_MEM64, .prefetchable = true,
				    .base = SW_MMIO_BAR64, .size = 0x200000000 } },
		  .interrupt_line = SW_NET_IRQ, .interrupt_pin = 1,
		  .caps = PCI_HAS_MSIX | PCI_HAS_VENDOR,
		  .msix = { .table_size = 64, .table_bar = 4, .table_offset = SW_MSIX_OFFSET,
			    .pba_bar = 4, .pba_offset = SW_MSIX_OFFSET + 0x1000 },
		  .virtio_count = 4,
		  .virtio = { { .cfg_type = PCI_VIRTIO_COMMON, .bar = 4, .offset = 0, .length = 0x38 },
			      { .cfg_type = PCI_VIRTIO_ISR, .bar = 4, .offset = 0x1000, .length = 4 },
			      { .cfg_type = PCI_VIRTIO_DEVICE, .bar = 4, .offset = 0x2000,
				.length = 0x40 },
			      { .cfg_type = PCI_VIRTIO_NOTIFY, .bar = 4, .offset = 0x3000,
				.length = 0x1000, .notify_off_multiplier = 4 } } },
		{ .address = { 0, 0, 4, 0 }, .vendor = 0x1af4, .device = 0x1042, .class_code = 1,
		  .bar_count = PCI_MAX_BARS,
		  .bars = { [0] = { .kind = PCI_BAR_IO, .base = SW_IO_BAR2, .size = 0x40 },
			    [1] = { .kind = PCI_BAR_MEM32, .base = SW_MMIO_BAR + 0x1000,
				    .size = 0x1000 } } },
		{ .address = { 0, 0, 5, 0 }, .vendor = 0x6666, .device = 0x6666, .class_code = 0xff,
		  .bar_count = PCI_MAX_BARS,
		  .bars = { [0] = { .kind = PCI_BAR_MEM32, .base = SW_RAM_BASE, .size = 0x10000 },
			    [1] = { .kind = PCI_BAR_MEM32, .base = SW_IMAGE_BASE, .size = 0x1000 },
			    [2] = { .kind = PCI_BAR_MEM32, .base = SW_LAPIC, .size = 0x1000 },
			    [3] = { .kind = PCI_BAR_MEM32, .base = 0, .size = 0x1000 },
			    [4] = { .kind = PCI_BAR_MEM64, .base = SW_BEYOND_PHYS, .size = 0x1000 } } },
	},
};

/* The bootloader's memory map as phys_guard sees it: the frames' arena
 * (host_world.c) and the kernel image. */
static struct limine_memmap_entry memmap_ram = { .base = SW_RAM_BASE, .length = 8ull << 20,
						 .type = LIMINE_MEMMAP_USABLE };
static struct limine_memmap_entry memmap_image = { .base = SW_IMAGE_BASE, .length = 0x200000,
						   .type = LIMINE_MEMMAP_KERNEL_AND_MODULES };
static struct limine_memmap_entry *memmap_entries[] = { &memmap_ram, &memmap_image };
static struct limine_memmap_response memmap = { .entry_count = 2, .entries = memmap_entries };

static void boot_devices(void)
{
	pci_host_fake_set(&pci_found);
	phys_guard_reset();
	phys_guard_set_memmap(&memmap);
	phys_guard_add(SW_LAPIC, 0x1000, "the local APIC");
}


/* ------------------------------------------------ the scheduler's side */

static jmp_buf call_env;
static bool in_call;
static int64_t exit_code;

kpid_t process_current(void)
{
	return current;
}

/* No threads here: a waiter's thread is never woken (see sched_wake_thread). */
struct thread *thread_current(void)
{
	return NULL;
}

struct address_space *vm_current_space(void)
{
	return process_address_space(current);
}

void sched_yield(void)
{
}

/* One CPU, no balancer: nothing to pin against. */
void sched_pin_current(void)
{
}

/* A waiter whose condition holds at once goes on; one that would sleep
 * leaves the call (its stack frames hold nothing to undo). */
bool sched_wait_given(enum block_reason why, uint64_t arg, bool (*try_once)(void *ctx),
		      void *ctx, const atomic_bool *given)
{
	(void)given; /* nothing is ever handed over: a blocked call is unwound */
	return sched_wait(why, arg, try_once, ctx);
}

bool sched_wait(enum block_reason why, uint64_t arg, bool (*try_once)(void *ctx), void *ctx)
{
	(void)arg;
	if (try_once(ctx))
		return true;
	if (!in_call)
		abort();
	/* The call is unwound, not resumed: a receive must not leave its
	 * buffer (on the stack being unwound) as an endpoint's waiter. */
	if (why == BLOCK_MESSAGE)
		ipc_cancel_waits_of(process_current());
	longjmp(call_env, SW_BLOCKED);
}

void sched_wake_all(enum block_reason why, uint64_t arg)
{
	(void)why;
	(void)arg;
}

void sched_wake_thread(struct thread *t, enum block_reason why, uint64_t arg)
{
	(void)t;
	(void)why;
	(void)arg;
}

static kpid_t last_killed = PID_NONE;

kpid_t sw_last_killed(void)
{
	return last_killed;
}

/* Every process here "has a thread": a kill of a live one is under way. */
kerr_t sched_kill_process(kpid_t pid)
{
	if (!process_alive(pid))
		return K_ENOENT;
	last_killed = pid;
	return K_OK;
}

/* No threads here: ProcessInfo reports processes by the table alone. */
bool thread_view_of(kpid_t pid, struct thread_view *out)
{
	(void)pid;
	(void)out;
	return false;
}

unsigned thread_count(void)
{
	return 0;
}

/* No CPU schedules here: CpuInfo finds none. */
struct cpu *sched_cpu(unsigned index)
{
	(void)index;
	return NULL;
}

void user_killed(void)
{
	if (!in_call)
		abort();
	longjmp(call_env, SW_KILLED);
}

void user_exit(int64_t code)
{
	if (!in_call)
		abort();
	exit_code = code;
	longjmp(call_env, SW_EXITED);
}

uint64_t timer_ticks(void)
{
	return ++ticks;
}

/* ---------------------------------------------- boot modules and spawn */

static const struct verified_module modules[] = {
	{ .name = "stay.elf", .role = "stay", .argument = "" },
	{ .name = "quick.elf", .role = "quick", .argument = "" },
	{ .name = "crash.elf", .role = "crash", .argument = "" },
};
#define MODULES (sizeof(modules) / sizeof(modules[0]))

/* How each spawned child that has ended ended (process_exit_outcome). */
static struct {
	kpid_t pid;
	struct user_outcome outcome;
} ended[MAX_SPAWNED];
static unsigned ended_count;

const struct verified_module *verifier_find(const char *role)
{
	for (unsigned i = 0; i < MODULES; i++) {
		if (strcmp(modules[i].role, role) == 0)
			return &modules[i];
	}
	return NULL;
}

const struct verified_module *verifier_module(unsigned i)
{
	return i < MODULES ? &modules[i] : NULL;
}

kerr_t spawn_module(const struct verified_module *m, kpid_t *pid)
{
	if (spawned_count == MAX_SPAWNED)
		return K_EFULL;
	kerr_t err = process_create(m->role, pid);
	if (err != K_OK)
		return err;
	spawned[spawned_count++] = *pid;
	if (m == &modules[0])
		return K_OK;
	/* "quick" and "crash" end before their parent can look. */
	ended[ended_count].pid = *pid;
	ended[ended_count++].outcome = m == &modules[1]
		? (struct user_outcome){ .end = USER_END_EXITED, .exit_code = SW_QUICK_EXIT }
		: (struct user_outcome){ .end = USER_END_FAULTED };
	return process_destroy(*pid);
}

/* One CPU: anywhere is here. */
kerr_t spawn_module_anywhere(const struct verified_module *m, kpid_t *pid)
{
	return spawn_module(m, pid);
}

kerr_t process_exit_outcome(uint64_t pid, struct user_outcome *out)
{
	for (unsigned i = 0; i < ended_count; i++) {
		if (ended[i].pid == pid) {
			*out = ended[i].outcome;
			return K_OK;
		}
	}
	return K_ENOENT;
}

/* ----------------------------------------------------------- the world */

uint8_t sw_pattern(uint64_t va)
{
	/* Module names where a fuzzer's pointer can find them. */
	static const char names[] = SW_MODULE_NAMES;

	if (va >= SW_RO2 && va - SW_RO2 < sizeof(names))
		return (uint8_t)names[va - SW_RO2];
	return (uint8_t)(va * 7 + 0x5a);
}

static uint8_t *page_of(kpid_t pid, uint64_t va)
{
	struct address_space *as = process_address_space(pid);
	uint64_t pa, page_size;
	unsigned flags;

	if (!as || !pt_translate(&as->pt, va & ~(SW_PAGE - 1), &pa, &flags, &page_size))
		return NULL;
	return (uint8_t *)phys_to_virt(pa) + (va & (SW_PAGE - 1));
}

uint8_t *sw_user_page(uint64_t va)
{
	return page_of(current, va);
}

static int map_pages(kpid_t pid)
{
	struct address_space *as = process_address_space(pid);
	static const struct {
		uint64_t va, pages;
		unsigned flags;
	} layout[] = {
		{ SW_RO, 1, VM_USER },
		{ SW_RW, SW_RW_PAGES, VM_USER | VM_WRITE },
		{ SW_RO2, 1, VM_USER },
		{ SW_TOP, 1, VM_USER | VM_WRITE },
	};
	paddr_t super;

	for (unsigned i = 0; i < sizeof(layout) / sizeof(layout[0]); i++) {
		if (!as || vm_map_zeroed(as, layout[i].va, layout[i].pages * SW_PAGE,
					 layout[i].flags) != K_OK)
			return -1;
	}
	/* vm.c maps user pages only; a kernel-only page in the user half can
	 * only be made below it, in the page tables themselves. */
	if (frame_alloc(&super) != K_OK)
		return -1;
	memset(phys_to_virt(super), 0, SW_PAGE);
	if (pt_map(&as->pt, SW_SUPER, super, SW_PAGE, PT_WRITE, PT_PAGE_4K) != PT_OK)
		return -1;
	uint8_t *ro = page_of(pid, SW_RO), *ro2 = page_of(pid, SW_RO2);
	for (uint64_t i = 0; i < SW_PAGE; i++) {
		ro[i] = sw_pattern(SW_RO + i);
		ro2[i] = sw_pattern(SW_RO2 + i);
	}
	/* Not zero, so that a stray write of zeros shows as well. */
	for (unsigned p = 0; p < SW_RW_PAGES; p++)
		memset(page_of(pid, SW_RW + p * SW_PAGE), SW_FILL, SW_PAGE);
	memset(page_of(pid, SW_TOP), SW_FILL, SW_PAGE);
	return 0;
}

static int boot_once(void)
{
	static void *heap_arena;

	if (booted)
		return 0;
	heap_arena = aligned_alloc(4096, HEAP_ARENA);
	if (!heap_arena || heap_init(heap_kernel(), "kernel heap", heap_arena, HEAP_ARENA) != K_OK)
		return -1;
	if (host_world_boot_processes() != 0)
		return -1;
	ed25519_public_key(seed, trusted_principal.key);
	baseline_frames = frame_free_count();
	booted = true;
	return 0;
}

/* Destroys what the last world made; its frames must all come back. */
static void destroy_caller(kpid_t pid)
{
	struct address_space *as = process_address_space(pid);
	uint64_t pa, page_size;
	unsigned flags;

	if (as && pt_translate(&as->pt, SW_SUPER, &pa, &flags, &page_size) &&
	    pt_unmap(&as->pt, SW_SUPER, SW_PAGE) == PT_OK)
		(void)frame_free(pa);
	(void)process_destroy(pid);
}

static int tear_down(void)
{
	/* As each program's end does: its channels go first, from both sides. */
	for (unsigned i = 0; i < SW_CALLERS; i++)
		channel_process_ended(callers[i]);
	channel_process_ended(peer);
	for (unsigned i = 0; i < spawned_count; i++)
		channel_process_ended(spawned[i]);
	for (unsigned i = 0; i < SW_CALLERS; i++)
		destroy_caller(callers[i]);
	(void)process_destroy(peer);
	for (unsigned i = 0; i < spawned_count; i++)
		(void)process_destroy(spawned[i]);
	spawned_count = ended_count = 0;
	return frame_free_count() == baseline_frames ? 0 : -1;
}

static int make_caller(enum sw_caller c)
{
	cap_rights_t rights = c == SW_TRUSTED ? CAP_SEND | CAP_RECEIVE : CAP_SEND;

	if (process_create(c == SW_TRUSTED ? "trusted" : "stranger", &callers[c]) != K_OK ||
	    map_pages(callers[c]) != 0)
		return -1;
	for (uint32_t ep = 0; ep < IPC_ENDPOINTS; ep++) {
		if (cap_grant(callers[c], ep, rights) != K_OK)
			return -1;
	}
	if (c == SW_TRUSTED && process_bind_principal(callers[c], &trusted_principal) != K_OK)
		return -1;
	return 0;
}

int sw_reset(void)
{
	if (boot_once() != 0 || tear_down() != 0)
		return -1;
	ipc_init();
	cap_init();
	objstore_init();
	boot_devices();
	wallclock_reset();
	last_killed = PID_NONE;
	interceptor_install(&interceptor_default);
	if (make_caller(SW_TRUSTED) != 0 || make_caller(SW_STRANGER) != 0)
		return -1;
	if (process_create("peer", &peer) != K_OK ||
	    cap_grant(peer, ENDPOINT_ECHO, CAP_SEND | CAP_RECEIVE) != K_OK ||
	    ipc_register(peer, ENDPOINT_ECHO) != K_OK)
		return -1;
	current = callers[SW_TRUSTED];
	ticks = 0;
	return 0;
}

void sw_set_caller(enum sw_caller c)
{
	current = callers[c];
}

kpid_t sw_pid(enum sw_caller c)
{
	return callers[c];
}

kpid_t sw_peer(void)
{
	return peer;
}

const uint8_t *sw_seed(void)
{
	return seed;
}

const struct principal *sw_principal(void)
{
	return &trusted_principal;
}

/* The trusted caller speaks for the bootstrap Principal, as boot modules
 * do (kernel/identity/bootstrap.c is the kernel's, with its compiled-in key). */
const struct principal *identity_bootstrap(void)
{
	return &trusted_principal;
}

void identity_fingerprint(const struct principal *p, char out[17])
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < 8; i++) {
		out[2 * i] = hex[p->key[i] >> 4];
		out[2 * i + 1] = hex[p->key[i] & 0xf];
	}
	out[16] = '\0';
}

uint64_t sw_baseline_free_frames(void)
{
	return baseline_frames;
}

struct sw_result sw_call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
			 uint64_t a4, uint64_t a5)
{
	const struct syscall_frame frame = { .nr = nr, .arg = { a0, a1, a2, a3, a4, a5 } };
	/* volatile: set before the longjmp may come back here */
	volatile struct sw_result r = { .end = SW_RETURNED };
	int how;

	in_call = true;
	how = setjmp(call_env);
	if (how == 0)
		r.value = syscall_dispatch(&frame);
	else if (how == SW_EXITED)
		r = (struct sw_result){ .end = SW_EXITED, .value = exit_code };
	else if (how == SW_KILLED)
		r = (struct sw_result){ .end = SW_KILLED };
	else
		r = (struct sw_result){ .end = SW_BLOCKED };
	in_call = false;
	return (struct sw_result){ .end = r.end, .value = r.value };
}

bool sw_read_only_intact(void)
{
	static uint8_t want[2][SW_PAGE];
	static const uint64_t pages[2] = { SW_RO, SW_RO2 };

	for (unsigned p = 0; p < 2; p++) {
		for (uint64_t i = 0; i < SW_PAGE; i++)
			want[p][i] = sw_pattern(pages[p] + i);
	}
	for (unsigned c = 0; c < SW_CALLERS; c++) {
		for (unsigned p = 0; p < 2; p++) {
			const uint8_t *got = page_of(callers[c], pages[p]);
			if (!got || memcmp(got, want[p], SW_PAGE) != 0)
				return false;
		}
	}
	return true;
}

void sw_state(struct sw_state *out)
{
	struct heap_stats h;

	memset(out, 0, sizeof(*out));
	heap_get_stats(heap_kernel(), &h);
	out->free_frames = frame_free_count();
	out->heap_live = h.live_allocations;
	out->heap_in_use = h.in_use_bytes;
	out->objects = objstore_count();
	for (uint32_t ep = 0; ep < IPC_ENDPOINTS; ep++) {
		out->queued[ep] = ipc_queued(ep);
		if (ipc_owner(ep, &out->owner[ep]) != K_OK)
			out->owner[ep] = PID_NONE;
	}
	out->spawned = spawned_count;
	out->channels = channel_records_in_use();
	for (unsigned i = 0; i < PCI_MAX_FUNCTIONS; i++)
		out->holder[i] = device_holder(i);
}

bool sw_state_equal(const struct sw_state *a, const struct sw_state *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}
