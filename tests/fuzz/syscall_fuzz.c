/*
 * syscall_fuzz: libFuzzer target feeding system calls -- a number and six
 * 64-bit arguments -- to the real dispatcher and handlers, made by one of
 * two callers with real address spaces (tests/support/syscall_world.h).
 *
 * An input is a sequence of RECORD-byte calls:
 *   byte 0     which caller (bit 0)
 *   byte 1     the number: an index into `numbers` (every listed call and
 *              the unlisted ones next to them, far away or truncating)
 *   bytes 2-   six arguments of 3 bytes: a class and a 16-bit delta, so
 *              the arguments land on what argument checks get wrong: the
 *              edges of the mapped pages, the top of the user half, the
 *              kernel half, non-canonical addresses, addresses that wrap,
 *              lengths 0, 32, 36, 256, 257, 4096, 1 MiB, 2^64-1, values
 *              that truncate to 32 bits, the last Allocate's address.
 *
 * After every call (any failure aborts, with what was wrong on stderr):
 *   - the result is one the call documents: an error code from its list,
 *     or a success value in its range; SYS_ENOSYS exactly for an unlisted
 *     number; only Exit exits, only RecvMsg, WaitTask, ConsoleRead and
 *     WaitIrq on an MSI line block (this world routes no other line);
 *   - a failing call changed no kernel state (frames, heap, objects,
 *     queues, endpoint owners, processes) and no user memory;
 *   - user memory changed only inside the call's output buffer, and only
 *     the caller's; the read-only and kernel-only pages never change;
 *   - between inputs, every frame comes back (sw_reset checks);
 * and the sanitizers (ASan, UBSan) watch every access.
 * SYSCALL_FUZZ_TRACE=1 prints every call and its result (to replay one
 * input: build/host/fuzz/syscall_fuzz <file>).
 */
#include <abi/device.h>
#include <abi/syscall.h>
#include <abi/system.h>
#include <wallclock.h>
#include <channel.h>
#include <cpu.h>
#include <current.h>
#include <device_claim.h>
#include <irq.h>
#include <pci_host.h>
#include <phys_guard.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys_driver_memory.h>
#include <sys_memory.h>
#include <vm.h>

#include "../support/syscall_world.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ARGS 6
#define ARG_BYTES 3
#define RECORD (2 + ARGS * ARG_BYTES)
#define WRITABLE_PAGES (SW_RW_PAGES + 1) /* the read-write pages and SW_TOP */

static const uint64_t numbers[] = {
#define SYSCALL(nr, name, handler, summary) (nr),
#include <abi/syscalls.def>
#undef SYSCALL
	11, 18, 27, 36, 41, 63, 64, 255, 256, 900, 2047,
	(1ull << 32) | SYS_PRINT, (1ull << 63) | SYS_WRITE, UINT64_MAX,
};
#define NUMBERS (sizeof(numbers) / sizeof(numbers[0]))

static const uint64_t lengths[] = {
	0, 1, 8, 31, 32, 33, 35, 36, 37, 64, 255, 256, 257, 291, 292, 293, 4095, 4096, 4097,
	8192, USER_ALLOC_MAX, USER_ALLOC_MAX + 1, 1ull << 32, (1ull << 32) + 8, 1ull << 63,
	VM_USER_END, UINT64_MAX, UINT64_MAX - 4095,
};
#define LENGTHS (sizeof(lengths) / sizeof(lengths[0]))

static const uint64_t device_addresses[] = {
	SW_MMIO_BAR, SW_MMIO_BAR64, SW_MMIO_BAR64 + 0x200000000, SW_MMIO_BAR64 + SW_MSIX_OFFSET,
	SW_RAM_BASE, SW_IMAGE_BASE,
	SW_LAPIC, SW_IO_BAR, SW_IO_BAR2, SW_BEYOND_PHYS, 0,
};
#define DEVICE_ADDRESSES (sizeof(device_addresses) / sizeof(device_addresses[0]))

static uint64_t last_allocation = USER_ALLOC_BASE;

static bool listed(uint64_t nr)
{
	switch (nr) {
#define SYSCALL(number, name, handler, summary) case (number):
#include <abi/syscalls.def>
#undef SYSCALL
		return true;
	default:
		return false;
	}
}

static uint64_t argument(const uint8_t *b)
{
	int64_t d = (int16_t)(uint16_t)(b[1] | b[2] << 8);
	uint64_t u = (uint64_t)(b[1] | b[2] << 8);

	switch (b[0] % 18) {
	case 0: return u;                                /* endpoints, pids, small sizes */
	case 1: return SW_RO + (uint64_t)d;
	case 2: return SW_RW + (uint64_t)d;
	case 3: return SW_RO2 + (uint64_t)d;             /* the read-write pages' end */
	case 4: return SW_HOLE + (uint64_t)d;
	case 5: return SW_SUPER + (uint64_t)d;
	case 6: return SW_TOP + (uint64_t)d;             /* runs into the top of the half */
	case 7: return VM_USER_END + (uint64_t)d;        /* non-canonical on x86_64 */
	case 8: return 0xffff800000000000ull + (uint64_t)d; /* the kernel half */
	case 9: return 0xffffffff80000000ull + (uint64_t)d; /* the kernel's image */
	case 10: return UINT64_MAX - u;                  /* wraps when a length is added */
	case 11: return lengths[u % LENGTHS];
	case 12: return (1ull << 32) + (uint64_t)d;      /* truncates to a small u32 */
	case 13: return (1ull << 63) + (uint64_t)d;
	case 14: return last_allocation + (uint64_t)d;
	case 15: return (uint64_t)d;                     /* small, or nearly 2^64 */
	case 16: /* around the devices: BARs, ports, RAM and kernel ranges, page steps */
		return device_addresses[b[1] % DEVICE_ADDRESSES] + (uint64_t)(int8_t)b[2] * SW_PAGE;
	default: return 0;
	}
}

/* ------------------------------------------------------------ verdicts */

static bool one_of(int64_t v, const int64_t *set, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (set[i] == v)
			return true;
	}
	return false;
}

#define IS(v, ...) one_of((v), (const int64_t[]){ __VA_ARGS__ }, \
			  sizeof((const int64_t[]){ __VA_ARGS__ }) / sizeof(int64_t))

static uint64_t min_u(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Whether `v` is a result call `nr` documents for these arguments. */
static bool documented(uint64_t nr, const uint64_t *a, int64_t v)
{
	uint64_t u = (uint64_t)v;

	switch (nr) {
	case SYS_WRITE:
		return v < 0 ? IS(v, SYS_EINVAL, SYS_EFAULT, SYS_EPERM, SYS_ENOENT, SYS_ENOMEM)
			     : u == a[2] && u <= IPC_PAYLOAD_MAX;
	case SYS_READ:
		return v < 0 ? IS(v, SYS_EINVAL, SYS_EFAULT, SYS_EPERM, SYS_ENOENT)
			     : u <= a[2] && u <= IPC_PAYLOAD_MAX;
	case SYS_ALLOCATE:
		return v < 0 ? IS(v, SYS_EINVAL, SYS_ENOMEM)
			     : u >= USER_ALLOC_BASE && u < USER_ALLOC_END && u % SW_PAGE == 0;
	case SYS_FREE:
		return v == 0 || v == SYS_EINVAL;
	case SYS_REGISTER_ENDPOINT:
		return v == 0 || IS(v, SYS_EINVAL, SYS_EPERM, SYS_ENOENT);
	case SYS_YIELD:
		return v == 0;
	case SYS_GETPID:
		return u == PID_SLOT(process_current());
	case SYS_GETTIME:
		return v > 0;
	case SYS_GET_CPU:
		return u == cpu_index();
	case SYS_CPU_FEATURES: /* the host's arch offers nothing */
		return v == 0;
	case SYS_PRINT:
		return v < 0 ? IS(v, SYS_EINVAL, SYS_EFAULT) : u == a[1] && u <= SYS_PRINT_MAX;
	case SYS_GET_PRINCIPAL:
		return v == PRINCIPAL_LEN || IS(v, SYS_EINVAL, SYS_EFAULT);
	case SYS_BIND_PRINCIPAL: /* a signature found by chance would be news */
		return IS(v, SYS_EINVAL, SYS_EFAULT, SYS_EPERM);
	case SYS_RECV_MSG:
	case SYS_TRY_RECV_MSG:
		if (v < 0)
			return IS(v, SYS_EINVAL, SYS_EFAULT, SYS_EPERM, SYS_ENOENT);
		return (v == 0 && nr == SYS_TRY_RECV_MSG) ||
		       (u >= IPC_IDENTITY_PREFIX &&
			u <= min_u(a[2], IPC_IDENTITY_PREFIX + IPC_PAYLOAD_MAX));
	case SYS_OBJ_PUT:
	case SYS_OBJ_PUT_SIGNED:
		return v == 0 || IS(v, SYS_EINVAL, SYS_EFAULT, SYS_EPERM, SYS_ENOMEM);
	case SYS_OBJ_GET:
		return v < 0 ? IS(v, SYS_EFAULT, SYS_ENOENT, SYS_ENOMEM, SYS_EPERM)
			     : u <= min_u(a[2], 4096);
	case SYS_OBJ_DELETE:
		return v == 0 || IS(v, SYS_EFAULT, SYS_EPERM, SYS_ENOENT);
	case SYS_OBJ_LIST:
		return v < 0 ? IS(v, SYS_EINVAL, SYS_EFAULT, SYS_ENOMEM) : u <= a[1] / 32;
	case SYS_SPAWN:
		return v < 0 ? IS(v, SYS_EINVAL, SYS_EFAULT, SYS_ENOENT, SYS_ENOMEM)
			     : u < PROCESS_MAX;
	case SYS_WAIT_TASK:
		return IS(v, SW_QUICK_EXIT, SYS_ENOENT, SYS_EINTR, SYS_EFAULT);
	case SYS_DEVICE_INFO:
	case SYS_VIRTIO_MODERN_CAPS:
		return v == 0 || IS(v, SYS_EINVAL, SYS_ENOENT, SYS_EFAULT);
	case SYS_MAP_MMIO: /* the mapping itself is checked by check_driver_memory */
		return v < 0 ? IS(v, SYS_EINVAL, SYS_EPERM, SYS_ENOMEM)
			     : u > USER_MMIO_BASE && u < USER_MMIO_END && u % SW_PAGE == 0;
	case SYS_ALLOC_DMA:
		return v < 0 ? IS(v, SYS_EINVAL, SYS_EFAULT, SYS_ENOMEM)
			     : u > USER_DMA_BASE && u < USER_DMA_END && u % SW_PAGE == 0;
	case SYS_WAIT_IRQ: /* this world routes no line but MSI ones, which block */
		return IS(v, SYS_EINVAL, SYS_EPERM, SYS_EAGAIN);
	case SYS_WAIT_IRQ_OR_MESSAGE: /* 1: a message was queued on the caller's endpoint */
		return v == 1 || IS(v, SYS_EINVAL, SYS_EPERM, SYS_EAGAIN);
	case SYS_ENABLE_MSIX:
		return v < 0 ? IS(v, SYS_EINVAL, SYS_EPERM, SYS_ENOMEM, SYS_EAGAIN, SYS_ENOSYS)
			     : u >= IRQ_MSI_BASE && u < IRQ_MSI_BASE + IRQ_MSI_LINES;
	case SYS_CHANNEL_CREATE:
		return v < 0 ? IS(v, SYS_EINVAL, SYS_EFAULT, SYS_ENOMEM) : u >= CHANNEL_MAX;
	case SYS_CHANNEL_ATTACH:
		return v < 0 ? IS(v, SYS_EINVAL, SYS_EPERM, SYS_ENOENT, SYS_ENOMEM)
			     : u >= CHANNEL_AREA_BASE && u < CHANNEL_AREA_END && u % SW_PAGE == 0;
	case SYS_CHANNEL_CLOSE:
	case SYS_CHANNEL_REVOKE:
		return v == 0 || IS(v, SYS_EPERM, SYS_ENOENT);
	case SYS_CHANNEL_INFO:
		return v == CHANNEL_INFO_LEN || IS(v, SYS_EINVAL, SYS_EFAULT, SYS_EPERM, SYS_ENOENT);
	case SYS_SET_WALLCLOCK:
		return v == 0 || IS(v, SYS_EPERM, SYS_EINVAL);
	case SYS_GET_WALLCLOCK:
		return v >= WALLCLOCK_MIN || v == SYS_ENOENT;
	case SYS_KILL:
		return v == 0 || IS(v, SYS_EPERM, SYS_ENOENT, SYS_EAGAIN);
	case SYS_PROCESS_INFO:
	case SYS_SYSTEM_INFO:
	case SYS_CPU_INFO:
		return v == 0 || IS(v, SYS_EINVAL, SYS_EFAULT, SYS_ENOENT);
	case SYS_CONSOLE_READ: /* nobody types here: a good call blocks */
		return IS(v, SYS_EINVAL, SYS_EFAULT);
	case SYS_PORT_IO: /* a read's value fits its width; a write answers 0 */
		return v < 0 ? IS(v, SYS_EINVAL, SYS_EPERM)
			     : (a[2] & PORT_IO_WRITE) ? v == 0
			     : ((a[2] >> PORT_IO_WIDTH_SHIFT) & 3) <= PORT_IO_WIDTH_32 &&
				       u >> (8u << ((a[2] >> PORT_IO_WIDTH_SHIFT) & 3)) == 0;
	default:
		return v == SYS_ENOSYS;
	}
}

/* [start, start + len) of user memory the call may write, if any. */
static bool output_range(uint64_t nr, const uint64_t *a, uint64_t *start, uint64_t *len)
{
	switch (nr) {
	case SYS_READ: *start = a[1]; *len = a[2]; return true;
	case SYS_RECV_MSG:
	case SYS_TRY_RECV_MSG: *start = a[1]; *len = a[2]; return true;
	case SYS_GET_PRINCIPAL: *start = a[0]; *len = PRINCIPAL_LEN; return true;
	case SYS_OBJ_PUT: *start = a[2]; *len = 32; return true;
	case SYS_OBJ_GET: *start = a[1]; *len = a[2]; return true;
	case SYS_OBJ_LIST: *start = a[0]; *len = a[1]; return true;
	case SYS_OBJ_PUT_SIGNED: *start = a[3]; *len = 32; return true;
	case SYS_WAIT_TASK: *start = a[1]; *len = a[1] ? sizeof(struct sys_task_status) : 0; return true;
	case SYS_DEVICE_INFO: *start = a[1]; *len = DEVICE_INFO_SIZE; return true;
	case SYS_VIRTIO_MODERN_CAPS: *start = a[1]; *len = VIRTIO_CAPS_SIZE; return true;
	case SYS_ALLOC_DMA: *start = a[2]; *len = sizeof(uint64_t); return true;
	case SYS_CHANNEL_CREATE: *start = a[3]; *len = a[3] ? sizeof(uint64_t) : 0; return true;
	case SYS_CHANNEL_INFO: *start = a[1]; *len = CHANNEL_INFO_LEN; return true;
	case SYS_PROCESS_INFO: *start = a[1]; *len = sizeof(struct sys_process_info); return true;
	case SYS_SYSTEM_INFO: *start = a[0]; *len = sizeof(struct sys_system_info); return true;
	case SYS_CPU_INFO: *start = a[1]; *len = sizeof(struct sys_cpu_info); return true;
	default: return false;
	}
}

/* -------------------------------------------------------------- memory */

struct memory {
	uint8_t page[SW_CALLERS][WRITABLE_PAGES][SW_PAGE];
	uint8_t super[SW_CALLERS][SW_PAGE];
};

static uint64_t writable_page(unsigned i)
{
	return i < SW_RW_PAGES ? SW_RW + i * SW_PAGE : SW_TOP;
}

static void snapshot(struct memory *m)
{
	for (unsigned c = 0; c < SW_CALLERS; c++) {
		sw_set_caller(c);
		for (unsigned i = 0; i < WRITABLE_PAGES; i++)
			memcpy(m->page[c][i], sw_user_page(writable_page(i)), SW_PAGE);
		memcpy(m->super[c], sw_user_page(SW_SUPER), SW_PAGE);
	}
}

static __attribute__((noreturn)) void fail(const char *what, uint64_t nr, const uint64_t *a,
					   int64_t v)
{
	fprintf(stderr, "syscall_fuzz: %s: call %llu (%#llx, %#llx, %#llx, %#llx, %#llx, %#llx) -> %lld\n",
		what, (unsigned long long)nr, (unsigned long long)a[0], (unsigned long long)a[1],
		(unsigned long long)a[2], (unsigned long long)a[3], (unsigned long long)a[4],
		(unsigned long long)a[5], (long long)v);
	abort();
}

/* Every byte that differs is the caller's, inside its output range, and
 * (if the call failed) nowhere at all. */
static void check_memory(const struct memory *before, unsigned caller, uint64_t nr,
			 const uint64_t *a, int64_t v)
{
	static struct memory after;
	uint64_t start = 0, len = 0;
	/* WaitTask's -6 is an answer (the child faulted), with its status. */
	bool answered = v >= 0 || (nr == SYS_WAIT_TASK && v == SYS_EINTR);
	bool may_write = answered && output_range(nr, a, &start, &len);

	snapshot(&after);
	sw_set_caller(caller);
	if (memcmp(before->super, after.super, sizeof(after.super)) != 0)
		fail("a kernel-only page changed", nr, a, v);
	for (unsigned c = 0; c < SW_CALLERS; c++) {
		for (unsigned i = 0; i < WRITABLE_PAGES; i++) {
			if (memcmp(before->page[c][i], after.page[c][i], SW_PAGE) == 0)
				continue;
			for (uint64_t o = 0; o < SW_PAGE; o++) {
				uint64_t va = writable_page(i) + o;
				if (before->page[c][i][o] == after.page[c][i][o])
					continue;
				if (c != caller || !may_write || va < start || va - start >= len)
					fail("user memory changed outside the call's output", nr, a, v);
			}
		}
	}
	if (!sw_read_only_intact())
		fail("a read-only page changed", nr, a, v);
}

/* ------------------------------------------------------ driver memory */

static bool mapped(uint64_t va, uint64_t *pa, unsigned *flags)
{
	return vm_translate(process_address_space(process_current()), va, pa, flags) == K_OK;
}

/* What a successful MapMmio or AllocDma made: exactly the pages asked
 * for, each with an unmapped neighbour outside the region, MapMmio's on
 * the range (which lies in a BAR of a function the caller now holds,
 * clear of every guarded range) as uncached device memory, AllocDma's on
 * contiguous zeroed frames starting at the address it wrote. Never
 * executable. Claims change only by a MapMmio or PortIo that succeeded,
 * and only to the caller. */
/* A line EnableMsix gave: the caller's alone, for a function it holds. */
static void check_msix_line(const uint64_t *a, int64_t v)
{
	struct irq_line_info info;

	if (device_holder((unsigned)a[0]) != process_current() ||
	    !irq_line_info((unsigned)v, &info) || info.state != IRQ_OWNED ||
	    info.owner != process_current())
		fail("EnableMsix gave a line that is not the caller's", SYS_ENABLE_MSIX, a, v);
}

static void check_driver_memory(uint64_t nr, const uint64_t *a, int64_t v,
				const struct sw_state *s0, const struct sw_state *s1)
{
	uint64_t pa, first = 0, pages = nr == SYS_MAP_MMIO ? a[1] : a[0];
	unsigned flags, fn;

	for (unsigned i = 0; i < PCI_MAX_FUNCTIONS; i++) {
		bool may_claim = v >= 0 &&
				 (nr == SYS_MAP_MMIO || nr == SYS_PORT_IO || nr == SYS_ENABLE_MSIX);
		if (s0->holder[i] != s1->holder[i] &&
		    (!may_claim || s0->holder[i] != PID_NONE || s1->holder[i] != process_current()))
			fail("a device claim changed", nr, a, v);
	}
	if (nr == SYS_ENABLE_MSIX && v >= 0)
		check_msix_line(a, v);
	if (v < 0 || (nr != SYS_MAP_MMIO && nr != SYS_ALLOC_DMA))
		return;
	if (nr == SYS_MAP_MMIO &&
	    (!pci_bar_containing(pci_host_table(), false, a[0], pages * SW_PAGE, &fn) ||
	     device_holder(fn) != process_current() || phys_guard_check(a[0], pages * SW_PAGE) ||
	     pci_msix_touches(&pci_host_table()->functions[fn], a[0], pages * SW_PAGE) ||
	     a[0] + pages * SW_PAGE > VM_PHYS_LIMIT))
		fail("MapMmio mapped a range it must refuse", nr, a, v);
	for (unsigned k = 0; nr == SYS_ALLOC_DMA && k < 8; k++) /* it may straddle two pages */
		first |= (uint64_t)*sw_user_page(a[2] + k) << (8 * k);
	if (mapped((uint64_t)v - SW_PAGE, &pa, &flags) ||
	    mapped((uint64_t)v + pages * SW_PAGE, &pa, &flags))
		fail("no guard page beside the region", nr, a, v);
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t want = (nr == SYS_MAP_MMIO ? a[0] : first) + i * SW_PAGE;
		unsigned want_flags = VM_USER | VM_WRITE | (nr == SYS_MAP_MMIO ? VM_DEVICE : 0);
		if (!mapped((uint64_t)v + i * SW_PAGE, &pa, &flags) || pa != want ||
		    flags != want_flags)
			fail("the region is not what was asked for", nr, a, v);
		const uint8_t *bytes = nr == SYS_ALLOC_DMA ? sw_user_page((uint64_t)v + i * SW_PAGE) : NULL;
		for (uint64_t b = 0; bytes && b < SW_PAGE; b++) {
			if (bytes[b])
				fail("DMA memory was not zeroed", nr, a, v);
		}
	}
}

/* ------------------------------------------------------------- driving */

static struct memory before;
static bool trace; /* SYSCALL_FUZZ_TRACE=1: each call and its result on stderr */

/* Runs one call and checks it; false once the caller can make no more
 * calls (it exited or sleeps for good). */
static bool run_one(const uint8_t *rec)
{
	unsigned caller = rec[0] & 1;
	uint64_t nr = numbers[rec[1] % NUMBERS], a[ARGS];
	struct sw_state state_before, state_after;

	for (unsigned i = 0; i < ARGS; i++)
		a[i] = argument(rec + 2 + i * ARG_BYTES);
	snapshot(&before);
	sw_set_caller(caller);
	sw_state(&state_before);
	struct sw_result r = sw_call(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	sw_state(&state_after);
	if (trace)
		fprintf(stderr, "%s: %llu (%#llx, %#llx, %#llx, %#llx, %#llx, %#llx) -> %s %lld\n",
			caller ? "stranger" : "trusted", (unsigned long long)nr,
			(unsigned long long)a[0], (unsigned long long)a[1], (unsigned long long)a[2],
			(unsigned long long)a[3], (unsigned long long)a[4], (unsigned long long)a[5],
			r.end == SW_EXITED ? "exited" : r.end == SW_BLOCKED ? "blocked" : "=",
			(long long)r.value);
	if (r.end == SW_EXITED) {
		if (nr != SYS_EXIT || r.value != (int64_t)a[0])
			fail("exited", nr, a, r.value);
		return false;
	}
	if (r.end == SW_KILLED) { /* only by Kill of itself */
		if (nr != SYS_KILL || a[0] != PID_SLOT(process_current()))
			fail("killed", nr, a, 0);
		return false;
	}
	if (r.end == SW_BLOCKED) {
		if (nr != SYS_RECV_MSG && nr != SYS_WAIT_TASK && nr != SYS_CONSOLE_READ &&
		    !((nr == SYS_WAIT_IRQ || nr == SYS_WAIT_IRQ_OR_MESSAGE) && a[0] >= IRQ_MSI_BASE &&
		      a[0] < IRQ_LINES))
			fail("blocked", nr, a, 0);
		return false;
	}
	if (listed(nr) ? r.value == SYS_ENOSYS || !documented(nr, a, r.value)
		       : r.value != SYS_ENOSYS)
		fail("an undocumented result", nr, a, r.value);
	if (r.value < 0 && !sw_state_equal(&state_before, &state_after))
		fail("a failing call changed kernel state", nr, a, r.value);
	check_driver_memory(nr, a, r.value, &state_before, &state_after);
	if (nr == SYS_ALLOCATE && r.value > 0)
		last_allocation = (uint64_t)r.value;
	check_memory(&before, caller, nr, a, r.value);
	return true;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* The kernel's lines (printk, Print's output) would drown libFuzzer's,
	 * which go to stderr. */
	if (!freopen("/dev/null", "w", stdout))
		abort();
	trace = getenv("SYSCALL_FUZZ_TRACE") != NULL;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool alive[SW_CALLERS] = { true, true };

	if (sw_reset() != 0) {
		fprintf(stderr, "syscall_fuzz: the world could not be rebuilt (frames leaked?)\n");
		abort();
	}
	last_allocation = USER_ALLOC_BASE;
	for (size_t off = 0; off + RECORD <= size; off += RECORD) {
		unsigned caller = data[off] & 1;
		if (alive[caller])
			alive[caller] = run_one(data + off);
	}
	return 0;
}
