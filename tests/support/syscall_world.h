/*
 * syscall_world: the real system-call layer on the host, for the syscall
 * unit test and fuzz target.
 *
 * The dispatcher (kernel/lib/syscall.c), every sys_*.c handler, the user
 * copies, IPC, capabilities, the object store, the process table and the
 * page tables are the kernel's own code; only the scheduler and the boot
 * modules are faked (the fakes are in syscall_world.c):
 *   - the "current process" is one of two callers, each with a real user
 *     address space laid out as below;
 *   - a call that would block (sched_wait whose condition does not hold at
 *     once) ends as SW_BLOCKED instead of sleeping, and Exit as SW_EXITED:
 *     both leave the handler by longjmp, so nothing ever hangs;
 *   - Spawn knows three modules: "stay" (the child lives on), "quick"
 *     (exits with code SW_QUICK_EXIT at once) and "crash" (faults at once).
 *
 * Each caller's address space:
 *   SW_RO        read-only page, filled with sw_pattern()
 *   SW_RW        SW_RW_PAGES read-write pages, every byte SW_FILL
 *   SW_RO2       read-only page right after them (a write that runs off
 *                the read-write pages lands here); sw_pattern() too, but
 *                it starts with SW_MODULE_NAMES
 *   SW_HOLE      nothing mapped
 *   SW_SUPER     mapped, but not user-accessible
 *   SW_TOP       read-write, the last page of the user half (SW_FILL)
 * A third process, the peer, owns endpoint ENDPOINT_ECHO (it never reads).
 */
#ifndef CAMBIOS_SYSCALL_WORLD_H
#define CAMBIOS_SYSCALL_WORLD_H

#include <abi/ipc.h>
#include <pci.h>
#include <process.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vm.h>

#define SW_PAGE 4096ull
#define SW_RO 0x400000ull
#define SW_RW (SW_RO + SW_PAGE)
#define SW_RW_PAGES 2
#define SW_RO2 (SW_RW + SW_RW_PAGES * SW_PAGE)
#define SW_HOLE (SW_RO2 + SW_PAGE)
#define SW_SUPER (SW_HOLE + SW_PAGE)
#define SW_TOP (VM_USER_END - SW_PAGE)

/* The devices (PCI functions, by index): 1 a virtio-net function with an
 * I/O BAR at SW_IO_BAR (32 ports), a 4 KiB memory BAR at SW_MMIO_BAR and
 * an 8 GiB one at SW_MMIO_BAR64, virtio structures in the latter and its
 * MSI-X table (64 entries) and pending bits on the two pages from
 * SW_MSIX_OFFSET in it; 2 a
 * second device, I/O BAR at SW_IO_BAR2 (64 ports), 4 KiB memory BAR right
 * after SW_MMIO_BAR; 3 a hostile function whose memory BARs claim RAM
 * (SW_RAM_BASE, the frames' arena, in the memory map), the kernel image
 * (SW_IMAGE_BASE, in the memory map) and the local APIC (SW_LAPIC, a
 * kernel device), one left unassigned (base 0), and one beyond any
 * physical address (SW_BEYOND_PHYS: an x86_64 entry would keep only its
 * low bits, which are SW_RAM_BASE). */
#define SW_IO_BAR 0xc040ull
#define SW_IO_BAR2 0xc080ull
#define SW_MMIO_BAR 0xfeb80000ull
#define SW_MMIO_BAR64 0x800000000ull
#define SW_MSIX_OFFSET 0x80000000u
#define SW_RAM_BASE 0x40000000ull
#define SW_IMAGE_BASE 0x200000ull
#define SW_LAPIC 0xfee00000ull
#define SW_BEYOND_PHYS ((1ull << 52) | SW_RAM_BASE)
#define SW_DEVICE_NET 1u
#define SW_DEVICE_BLK 2u
#define SW_DEVICE_HOSTILE 3u
/* The line the network device's INTA arrives on. */
#define SW_NET_IRQ 11u

#define SW_FILL 0xa5
/* At SW_RO2: "stay" at +0, "quick.elf" at +5, "crash" at +15. */
#define SW_MODULE_NAMES "stay\0quick.elf\0crash"
#define SW_QUICK_EXIT 7

enum sw_caller {
	SW_TRUSTED,  /* a Principal (sw_principal), send + receive on every endpoint */
	SW_STRANGER, /* no Principal, send only */
	SW_CALLERS,
};

enum sw_end {
	SW_RETURNED, /* value is the call's result */
	SW_EXITED,   /* Exit(value) */
	SW_BLOCKED,  /* would sleep (RecvMsg with nothing queued, WaitTask) */
	SW_KILLED,   /* the caller's program was killed (Kill of itself) */
};

struct sw_result {
	enum sw_end end;
	int64_t value;
};

/* Kernel state a failing call must leave as it was. */
struct sw_state {
	uint64_t free_frames;
	size_t heap_live, heap_in_use;
	size_t objects;
	unsigned queued[IPC_ENDPOINTS];
	kpid_t owner[IPC_ENDPOINTS]; /* PID_NONE: unowned */
	unsigned spawned;
	unsigned channels; /* channel records in use */
	kpid_t holder[PCI_MAX_FUNCTIONS]; /* device claims (PID_NONE: free) */
};

/* A fresh world: the process table over host memory, IPC, capabilities,
 * the object store, both callers and the peer; SW_TRUSTED is current.
 * Any previous world's processes are destroyed first. 0 on success. */
int sw_reset(void);

void sw_set_caller(enum sw_caller c);
kpid_t sw_pid(enum sw_caller c);
kpid_t sw_peer(void);
/* The Ed25519 seed whose public key is SW_TRUSTED's Principal. */
const uint8_t *sw_seed(void);
const struct principal *sw_principal(void);

/* One system call by the current caller, through syscall_dispatch. */
struct sw_result sw_call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
			 uint64_t a4, uint64_t a5);

/* The bytes behind the current caller's user address va (any mapped page,
 * user-accessible or not), or NULL if unmapped. Reaches the page through
 * the fake HHDM, as the kernel does. */
uint8_t *sw_user_page(uint64_t va);

/* The pattern the SW_RO and SW_RO2 pages hold (byte i of the page). */
uint8_t sw_pattern(uint64_t va);

/* Whether both read-only pages of both callers still hold the pattern. */
bool sw_read_only_intact(void);

/* The last process Kill asked the scheduler to end (PID_NONE: none since
 * sw_reset). The fake scheduler only records it: the test sees what the
 * handler decided, not a thread ending. */
kpid_t sw_last_killed(void);

void sw_state(struct sw_state *out);
bool sw_state_equal(const struct sw_state *a, const struct sw_state *b);

/* Free frames right after sw_reset, before any call: what every world
 * must come back to. */
uint64_t sw_baseline_free_frames(void);

#endif
