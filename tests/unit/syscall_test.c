/*
 * syscall_test: every system call's argument checks, through the real
 * dispatcher and handlers over a real process table and real address
 * spaces (tests/support/syscall_world.h).
 *
 * The refusals are a table: each row is a caller, a call and the exact
 * error it must get; every row also checks that nothing changed -- kernel
 * state (frames, heap, objects, queues, endpoint owners, processes) and
 * both callers' memory, byte for byte. The successes after it check what
 * a call that is allowed does, and that it writes only where it was told.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <abi/device.h>
#include <abi/endpoints.h>
#include <abi/syscall.h>
#include <abi/system.h>
#include <crypto/blake3.h>
#include <crypto/ed25519.h>
#include <console_input.h>
#include <cpu.h>
#include <current.h>
#include <interceptor.h>
#include <irq.h>
#include <ipc.h>
#include <pci_host.h>
#include <nospec.h>
#include <device_claim.h>
#include <boot.h>
#include <frame.h>
#include <objstore.h>
#include <process.h>
#include <timer.h>
#include <sys_driver_memory.h>
#include <sys_memory.h>
#include <vm.h>
#include <wallclock.h>

#include "../support/pci_host_fake.h"
#include "../support/syscall_world.h"

#define KERNEL_IMAGE 0xffffffff80000000ull /* the kernel's code */
#define KERNEL_HALF 0xffff800000000000ull
#define NON_CANONICAL VM_USER_END           /* the first byte past the user half */
#define HUGE UINT64_MAX
#define WRAPS (UINT64_MAX - 7)              /* + 8 wraps to 0 */
#define RW_END (SW_RW + SW_RW_PAGES * SW_PAGE)
#define FREE_EP 30                          /* nobody owns it at first */

static int fresh_world(void **state)
{
	(void)state;
	return sw_reset();
}

/* ------------------------------------------------------------- helpers */

struct memory {
	uint8_t page[SW_CALLERS][SW_RW_PAGES + 1][SW_PAGE];
};

static void snapshot(struct memory *m)
{
	kpid_t now = process_current();

	for (unsigned c = 0; c < SW_CALLERS; c++) {
		sw_set_caller(c);
		for (unsigned i = 0; i <= SW_RW_PAGES; i++)
			memcpy(m->page[c][i], sw_user_page(i < SW_RW_PAGES ? SW_RW + i * SW_PAGE : SW_TOP),
			       SW_PAGE);
	}
	sw_set_caller(now == sw_pid(SW_STRANGER) ? SW_STRANGER : SW_TRUSTED);
}

static int64_t call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct sw_result r = sw_call(nr, a0, a1, a2, a3, 0, 0);

	assert_int_equal(r.end, SW_RETURNED);
	return r.value;
}

/* The call must fail with exactly `want` and change nothing at all. */
static void refused(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		    int64_t want)
{
	static struct memory before, after;
	struct sw_state s0, s1;

	snapshot(&before);
	sw_state(&s0);
	int64_t got = call(nr, a0, a1, a2, a3);
	sw_state(&s1);
	snapshot(&after);
	bool state_kept = sw_state_equal(&s0, &s1);
	bool memory_kept = memcmp(&before, &after, sizeof(before)) == 0 && sw_read_only_intact();
	if (got != want || !state_kept || !memory_kept)
		print_message("call %llu (%#llx, %#llx, %#llx, %#llx): %lld, want %lld;%s%s\n",
			      (unsigned long long)nr, (unsigned long long)a0,
			      (unsigned long long)a1, (unsigned long long)a2,
			      (unsigned long long)a3, (long long)got, (long long)want,
			      state_kept ? "" : " kernel state changed;",
			      memory_kept ? "" : " user memory changed");
	assert_int_equal(got, want);
	assert_true(state_kept);
	assert_true(memory_kept);
}

static void put_bytes(uint64_t va, const void *bytes, size_t len)
{
	memcpy(sw_user_page(va), bytes, len);
}

/* ----------------------------------------------------- the refusal table */

struct refusal {
	enum sw_caller caller;
	uint64_t nr, a0, a1, a2, a3;
	int64_t want;
};

static const struct refusal refusals[] = {
	/* numbers nobody listed, next to listed ones, far off, truncating */
	{ SW_TRUSTED, 33, 0, 0, 0, 0, SYS_ENOSYS },
	{ SW_TRUSTED, 18, 0, 0, 0, 0, SYS_ENOSYS },
	{ SW_TRUSTED, 27, 0, 0, 0, 0, SYS_ENOSYS },
	{ SW_TRUSTED, 36, 0, 0, 0, 0, SYS_ENOSYS },
	{ SW_TRUSTED, 41, 0, 0, 0, 0, SYS_ENOSYS },
	{ SW_TRUSTED, SYS_SET_WALLCLOCK, 0, 0, 0, 0, SYS_EINVAL },
	{ SW_STRANGER, SYS_SET_WALLCLOCK, 1764547200, 0, 0, 0, SYS_EPERM },
	{ SW_TRUSTED, SYS_GET_WALLCLOCK, 0, 0, 0, 0, SYS_ENOENT },
	{ SW_TRUSTED, 900, 0, 0, 0, 0, SYS_ENOSYS }, /* SYS_TEST_ECHO: self-test kernels only */
	{ SW_TRUSTED, 2047, 0, 0, 0, 0, SYS_ENOSYS },
	{ SW_TRUSTED, (1ull << 32) | SYS_PRINT, SW_RO, 8, 0, 0, SYS_ENOSYS },
	{ SW_TRUSTED, (1ull << 63) | SYS_EXIT, 0, 0, 0, 0, SYS_ENOSYS },
	{ SW_TRUSTED, HUGE, 0, 0, 0, 0, SYS_ENOSYS },

	/* Print(buf, len <= 256) */
	{ SW_TRUSTED, SYS_PRINT, KERNEL_IMAGE, 8, 0, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_PRINT, KERNEL_HALF, 8, 0, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_PRINT, NON_CANONICAL, 8, 0, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_PRINT, 0, 8, 0, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_PRINT, SW_HOLE, 8, 0, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_PRINT, SW_SUPER, 8, 0, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_PRINT, SW_HOLE - 4, 8, 0, 0, SYS_EFAULT },  /* into the hole */
	{ SW_TRUSTED, SYS_PRINT, SW_TOP + SW_PAGE - 4, 8, 0, 0, SYS_EFAULT }, /* off the top */
	{ SW_TRUSTED, SYS_PRINT, WRAPS, 8, 0, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_PRINT, HUGE, 8, 0, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_PRINT, SW_RO, 257, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_PRINT, SW_RO, HUGE, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_PRINT, SW_RO, 1ull << 32, 0, 0, SYS_EINVAL },

	/* Write(endpoint, buf, len <= 256) */
	{ SW_TRUSTED, SYS_WRITE, IPC_ENDPOINTS, SW_RO, 8, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_WRITE, (1ull << 32) + ENDPOINT_ECHO, SW_RO, 8, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_WRITE, HUGE, SW_RO, 8, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_WRITE, ENDPOINT_ECHO, SW_RO, 257, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_WRITE, ENDPOINT_ECHO, SW_RO, HUGE, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_WRITE, ENDPOINT_ECHO, KERNEL_IMAGE, 8, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_WRITE, ENDPOINT_ECHO, NON_CANONICAL - 4, 8, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_WRITE, ENDPOINT_ECHO, SW_HOLE - 4, 8, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_WRITE, ENDPOINT_ECHO, SW_SUPER, 8, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_WRITE, ENDPOINT_ECHO, WRAPS, 256, 0, SYS_EFAULT },

	/* Read(endpoint, buf, max <= 256): into memory it may write */
	{ SW_TRUSTED, SYS_READ, IPC_ENDPOINTS, SW_RW, 8, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_READ, ENDPOINT_ECHO, SW_RW, 257, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_READ, ENDPOINT_ECHO, SW_RW, HUGE, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_READ, ENDPOINT_ECHO, SW_RO, 8, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_READ, ENDPOINT_ECHO, SW_SUPER, 8, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_READ, ENDPOINT_ECHO, RW_END - 4, 8, 0, SYS_EFAULT }, /* into read-only */
	{ SW_TRUSTED, SYS_READ, ENDPOINT_ECHO, KERNEL_HALF, 8, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_READ, ENDPOINT_ECHO, SW_RW, 8, 0, SYS_EPERM },   /* the peer's */
	{ SW_STRANGER, SYS_READ, FREE_EP, SW_RW, 8, 0, SYS_EPERM },        /* no CAP_RECEIVE */

	/* RecvMsg / TryRecvMsg(endpoint, buf, len >= 36) */
	{ SW_TRUSTED, SYS_RECV_MSG, IPC_ENDPOINTS, SW_RW, 64, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_RECV_MSG, (1ull << 32) + FREE_EP, SW_RW, 64, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_RECV_MSG, FREE_EP, SW_RW, IPC_IDENTITY_PREFIX - 1, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_RECV_MSG, FREE_EP, SW_RW, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_RECV_MSG, FREE_EP, SW_RO, 64, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_RECV_MSG, FREE_EP, RW_END - 8, 64, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_RECV_MSG, FREE_EP, KERNEL_IMAGE, 64, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_RECV_MSG, FREE_EP, SW_TOP + SW_PAGE - 32, 64, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_RECV_MSG, FREE_EP, WRAPS, 64, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_RECV_MSG, ENDPOINT_ECHO, SW_RW, 64, 0, SYS_EPERM },
	{ SW_STRANGER, SYS_RECV_MSG, FREE_EP, SW_RW, 64, 0, SYS_EPERM },
	{ SW_TRUSTED, SYS_TRY_RECV_MSG, FREE_EP, SW_RW, 35, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_TRY_RECV_MSG, IPC_ENDPOINTS, SW_RW, 64, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_TRY_RECV_MSG, FREE_EP, SW_RO, 64, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_TRY_RECV_MSG, FREE_EP, SW_SUPER, 64, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_TRY_RECV_MSG, FREE_EP, SW_HOLE, 64, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_TRY_RECV_MSG, ENDPOINT_ECHO, SW_RW, 64, 0, SYS_EPERM },
	{ SW_STRANGER, SYS_TRY_RECV_MSG, FREE_EP, SW_RW, 64, 0, SYS_EPERM },

	/* RegisterEndpoint(endpoint) */
	{ SW_TRUSTED, SYS_REGISTER_ENDPOINT, IPC_ENDPOINTS, 0, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_REGISTER_ENDPOINT, 1ull << 63, 0, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_REGISTER_ENDPOINT, (1ull << 32) + FREE_EP, 0, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_REGISTER_ENDPOINT, ENDPOINT_ECHO, 0, 0, 0, SYS_EINVAL }, /* taken */
	{ SW_STRANGER, SYS_REGISTER_ENDPOINT, FREE_EP, 0, 0, 0, SYS_EPERM },

	/* GetPrincipal(out, len >= 32) */
	{ SW_TRUSTED, SYS_GET_PRINCIPAL, SW_RW, 31, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_GET_PRINCIPAL, SW_RW, 0, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_GET_PRINCIPAL, KERNEL_IMAGE, 32, 0, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_GET_PRINCIPAL, SW_RO, 32, 0, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_GET_PRINCIPAL, RW_END - 16, 32, 0, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_GET_PRINCIPAL, SW_TOP + SW_PAGE - 16, HUGE, 0, 0, SYS_EFAULT },
	{ SW_STRANGER, SYS_GET_PRINCIPAL, SW_RW, 32, 0, 0, SYS_EINVAL },  /* has none */

	/* Allocate(size 1 B..1 MiB, flags 0) and Free(address) */
	{ SW_TRUSTED, SYS_ALLOCATE, 0, 0, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_ALLOCATE, USER_ALLOC_MAX + 1, 0, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_ALLOCATE, HUGE, 0, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_ALLOCATE, HUGE - SW_PAGE + 2, 0, 0, 0, SYS_EINVAL }, /* rounds up to 0 */
	{ SW_TRUSTED, SYS_ALLOCATE, SW_PAGE, 1, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_ALLOCATE, SW_PAGE, HUGE, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_FREE, 0, 0, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_FREE, USER_ALLOC_BASE, 0, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_FREE, SW_RW, 0, 0, 0, SYS_EINVAL },     /* mapped, not Allocate's */
	{ SW_TRUSTED, SYS_FREE, KERNEL_IMAGE, 0, 0, 0, SYS_EINVAL },

	/* ObjPut(content, len 1..4096, out_hash) */
	{ SW_TRUSTED, SYS_OBJ_PUT, SW_RO, 0, SW_RW, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_OBJ_PUT, SW_RO, 4097, SW_RW, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_OBJ_PUT, SW_RO, HUGE, SW_RW, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_OBJ_PUT, SW_RO, 16, SW_RO, 0, SYS_EFAULT },       /* hash: read-only */
	{ SW_TRUSTED, SYS_OBJ_PUT, SW_RO, 16, KERNEL_IMAGE, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_OBJ_PUT, SW_RO, 16, RW_END - 16, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_OBJ_PUT, KERNEL_IMAGE, 16, SW_RW, 0, SYS_EFAULT }, /* hash untouched */
	{ SW_TRUSTED, SYS_OBJ_PUT, SW_HOLE - 8, 16, SW_RW, 0, SYS_EFAULT },
	{ SW_STRANGER, SYS_OBJ_PUT, SW_RO, 16, SW_RW, 0, SYS_EPERM },       /* no Principal */

	/* ObjPutSigned(content, len, signature[64], out_hash) */
	{ SW_TRUSTED, SYS_OBJ_PUT_SIGNED, SW_RO, 0, SW_RO, SW_RW, SYS_EINVAL },
	{ SW_TRUSTED, SYS_OBJ_PUT_SIGNED, SW_RO, 4097, SW_RO, SW_RW, SYS_EINVAL },
	{ SW_TRUSTED, SYS_OBJ_PUT_SIGNED, SW_RO, 16, KERNEL_IMAGE, SW_RW, SYS_EFAULT },
	{ SW_TRUSTED, SYS_OBJ_PUT_SIGNED, SW_RO, 16, SW_HOLE - 32, SW_RW, SYS_EFAULT },
	{ SW_TRUSTED, SYS_OBJ_PUT_SIGNED, KERNEL_HALF, 16, SW_RO, SW_RW, SYS_EFAULT },
	{ SW_TRUSTED, SYS_OBJ_PUT_SIGNED, SW_RO, 16, SW_RO, SW_RW, SYS_EPERM }, /* not a signature */
	{ SW_STRANGER, SYS_OBJ_PUT_SIGNED, SW_RO, 16, SW_RO, SW_RW, SYS_EPERM },

	/* ObjGet(hash, out, len), ObjDelete(hash), ObjList(out, len >= 32) */
	{ SW_TRUSTED, SYS_OBJ_GET, KERNEL_IMAGE, SW_RW, 16, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_OBJ_GET, SW_HOLE - 16, SW_RW, 16, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_OBJ_GET, SW_RO, SW_RW, 16, 0, SYS_ENOENT },
	{ SW_TRUSTED, SYS_OBJ_DELETE, KERNEL_IMAGE, 0, 0, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_OBJ_DELETE, NON_CANONICAL - 16, 0, 0, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_OBJ_DELETE, SW_RO, 0, 0, 0, SYS_ENOENT },
	{ SW_STRANGER, SYS_OBJ_DELETE, SW_RO, 0, 0, 0, SYS_EPERM },
	{ SW_TRUSTED, SYS_OBJ_LIST, SW_RW, 31, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_OBJ_LIST, SW_RW, 0, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_OBJ_LIST, KERNEL_IMAGE, 32, 0, 0, SYS_EFAULT },

	/* MapMmio(phys, pages 1..256): page-aligned, wholly inside one memory
	 * BAR, never RAM, the kernel image or a kernel device */
	{ SW_TRUSTED, SYS_MAP_MMIO, SW_MMIO_BAR, 0, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_MAP_MMIO, SW_MMIO_BAR, MAP_MMIO_MAX_PAGES + 1, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_MAP_MMIO, SW_MMIO_BAR, HUGE, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_MAP_MMIO, SW_MMIO_BAR, (1ull << 32) + 1, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_MAP_MMIO, SW_MMIO_BAR + 8, 1, 0, 0, SYS_EINVAL },   /* misaligned */
	{ SW_TRUSTED, SYS_MAP_MMIO, HUGE & ~0xfffull, 2, 0, 0, SYS_EINVAL },  /* wraps */
	{ SW_TRUSTED, SYS_MAP_MMIO, SW_MMIO_BAR, 2, 0, 0, SYS_EPERM },  /* into the next device's BAR */
	{ SW_TRUSTED, SYS_MAP_MMIO, SW_MMIO_BAR - SW_PAGE, 1, 0, 0, SYS_EPERM }, /* just before */
	{ SW_TRUSTED, SYS_MAP_MMIO, SW_MMIO_BAR64 + 0x200000000 - SW_PAGE, 2, 0, 0, SYS_EPERM },
	{ SW_TRUSTED, SYS_MAP_MMIO, SW_MMIO_BAR64 + 0x200000000, 1, 0, 0, SYS_EPERM }, /* past it */
	{ SW_TRUSTED, SYS_MAP_MMIO, SW_MMIO_BAR64 + SW_MSIX_OFFSET, 1, 0, 0, SYS_EPERM }, /* MSI-X */
	{ SW_TRUSTED, SYS_MAP_MMIO, SW_MMIO_BAR64 + SW_MSIX_OFFSET - SW_PAGE, 2, 0, 0, SYS_EPERM },
	{ SW_TRUSTED, SYS_MAP_MMIO, SW_MMIO_BAR64 + SW_MSIX_OFFSET + SW_PAGE, 1, 0, 0, SYS_EPERM },
	{ SW_TRUSTED, SYS_MAP_MMIO, SW_RAM_BASE, 1, 0, 0, SYS_EPERM },   /* a BAR on RAM */
	{ SW_TRUSTED, SYS_MAP_MMIO, SW_RAM_BASE + 0x10000, 1, 0, 0, SYS_EPERM }, /* RAM, no BAR */
	{ SW_TRUSTED, SYS_MAP_MMIO, SW_IMAGE_BASE, 1, 0, 0, SYS_EPERM }, /* ... on the kernel */
	{ SW_TRUSTED, SYS_MAP_MMIO, SW_LAPIC, 1, 0, 0, SYS_EPERM },      /* ... on the local APIC */
	{ SW_TRUSTED, SYS_MAP_MMIO, 0, 1, 0, 0, SYS_EPERM },             /* an unassigned BAR */
	{ SW_TRUSTED, SYS_MAP_MMIO, SW_BEYOND_PHYS, 1, 0, 0, SYS_EPERM }, /* beyond physical */
	{ SW_TRUSTED, SYS_MAP_MMIO, SW_IO_BAR & ~0xfffull, 1, 0, 0, SYS_EPERM }, /* ports, not memory */
	{ SW_TRUSTED, SYS_MAP_MMIO, SW_RW, 1, 0, 0, SYS_EPERM },
	{ SW_STRANGER, SYS_MAP_MMIO, SW_LAPIC, 1, 0, 0, SYS_EPERM },

	/* AllocDma(pages 1..64, flags 0, &paddr): nothing allocated on a refusal */
	{ SW_TRUSTED, SYS_ALLOC_DMA, 0, 0, SW_RW, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_ALLOC_DMA, ALLOC_DMA_MAX_PAGES + 1, 0, SW_RW, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_ALLOC_DMA, HUGE, 0, SW_RW, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_ALLOC_DMA, (1ull << 32) + 1, 0, SW_RW, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_ALLOC_DMA, 1, 1, SW_RW, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_ALLOC_DMA, 1, HUGE, SW_RW, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_ALLOC_DMA, 1, 0, 0, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_ALLOC_DMA, 1, 0, SW_RO, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_ALLOC_DMA, 1, 0, SW_SUPER, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_ALLOC_DMA, 1, 0, SW_HOLE, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_ALLOC_DMA, 1, 0, RW_END - 4, 0, SYS_EFAULT }, /* runs into read-only */
	{ SW_TRUSTED, SYS_ALLOC_DMA, 1, 0, KERNEL_IMAGE, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_ALLOC_DMA, 1, 0, NON_CANONICAL - 4, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_ALLOC_DMA, 64, 0, WRAPS, 0, SYS_EFAULT },

	/* VirtioModernCaps(index, out, len >= 64) */
	{ SW_TRUSTED, SYS_VIRTIO_MODERN_CAPS, SW_DEVICE_NET, SW_RW, VIRTIO_CAPS_SIZE - 1, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_VIRTIO_MODERN_CAPS, SW_DEVICE_NET, SW_RW, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_VIRTIO_MODERN_CAPS, 4, SW_RW, VIRTIO_CAPS_SIZE, 0, SYS_ENOENT },
	{ SW_TRUSTED, SYS_VIRTIO_MODERN_CAPS, HUGE, SW_RW, VIRTIO_CAPS_SIZE, 0, SYS_ENOENT },
	{ SW_TRUSTED, SYS_VIRTIO_MODERN_CAPS, SW_DEVICE_NET, SW_RO, VIRTIO_CAPS_SIZE, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_VIRTIO_MODERN_CAPS, SW_DEVICE_NET, RW_END - 32, VIRTIO_CAPS_SIZE, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_VIRTIO_MODERN_CAPS, SW_DEVICE_NET, KERNEL_IMAGE, VIRTIO_CAPS_SIZE, 0, SYS_EFAULT },

	/* Spawn(name, len 1..31) and WaitTask(pid) */
	{ SW_TRUSTED, SYS_SPAWN, SW_RO, 0, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_SPAWN, SW_RO, 32, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_SPAWN, SW_RO, HUGE, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_SPAWN, KERNEL_IMAGE, 5, 0, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_SPAWN, SW_HOLE - 2, 4, 0, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_SPAWN, SW_RO, 4, 0, 0, SYS_ENOENT },
	{ SW_TRUSTED, SYS_WAIT_TASK, PROCESS_MAX, 0, 0, 0, SYS_ENOENT },
	{ SW_TRUSTED, SYS_WAIT_TASK, HUGE, 0, 0, 0, SYS_ENOENT },
	{ SW_TRUSTED, SYS_WAIT_TASK, 0, 0, 0, 0, SYS_ENOENT },      /* not its child */
	{ SW_TRUSTED, SYS_WAIT_TASK, (1ull << 32), 0, 0, 0, SYS_ENOENT },

	/* WaitIrq(line): no line is routed in this world; ConsoleRead(buf,
	 * len 1..256) */
	{ SW_TRUSTED, SYS_WAIT_IRQ, 0, 0, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_WAIT_IRQ, 10, 0, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_WAIT_IRQ, IRQ_LINES, 0, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_WAIT_IRQ, HUGE, 0, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_WAIT_IRQ, (1ull << 32) | 10, 0, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_CONSOLE_READ, SW_RW, 0, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_CONSOLE_READ, SW_RW, CONSOLE_INPUT_SIZE + 1, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_CONSOLE_READ, SW_RW, HUGE, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_CONSOLE_READ, SW_RO, 8, 0, 0, SYS_EFAULT },
	{ SW_TRUSTED, SYS_CONSOLE_READ, KERNEL_IMAGE, 8, 0, 0, SYS_EFAULT },

	/* EnableMsix(index, entry): functions without MSI-X, entries past
	 * the network device's 64, values that truncate to a good one */
	{ SW_TRUSTED, SYS_ENABLE_MSIX, 0, 0, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_ENABLE_MSIX, 2, 0, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_ENABLE_MSIX, 4, 0, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_ENABLE_MSIX, HUGE, 0, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_ENABLE_MSIX, (1ull << 32) | SW_DEVICE_NET, 0, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_ENABLE_MSIX, SW_DEVICE_NET, 64, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_ENABLE_MSIX, SW_DEVICE_NET, HUGE, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_ENABLE_MSIX, SW_DEVICE_NET, 1ull << 32, 0, 0, SYS_EINVAL },
	/* WaitIrq on MSI lines nobody was given */
	{ SW_TRUSTED, SYS_WAIT_IRQ, IRQ_MSI_BASE, 0, 0, 0, SYS_EINVAL },
	{ SW_TRUSTED, SYS_WAIT_IRQ, IRQ_MSI_BASE + IRQ_MSI_LINES - 1, 0, 0, 0, SYS_EINVAL },
};

static void test_every_refusal_changes_nothing(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		const struct refusal *r = &refusals[i];
		sw_set_caller(r->caller);
		refused(r->nr, r->a0, r->a1, r->a2, r->a3, r->want);
	}
}

/* The same refusals again, once the world is busy: an endpoint owned, a
 * message queued for it, an object stored, a region allocated, devices
 * claimed and mapped, DMA memory held. */
static void test_refusals_in_a_busy_world(void **state)
{
	(void)state;
	assert_int_equal(call(SYS_REGISTER_ENDPOINT, FREE_EP, 0, 0, 0), 0);
	sw_set_caller(SW_STRANGER);
	assert_int_equal(call(SYS_WRITE, FREE_EP, SW_RO, 8, 0), 8);
	sw_set_caller(SW_TRUSTED);
	assert_int_equal(call(SYS_OBJ_PUT, SW_RO + 100, 16, SW_TOP, 0), 0);
	int64_t first = call(SYS_ALLOCATE, 1, 0, 0, 0);
	assert_int_equal(first, USER_ALLOC_BASE);
	assert_true(call(SYS_ALLOCATE, 3 * SW_PAGE, 0, 0, 0) > first);
	assert_int_equal(call(SYS_FREE, (uint64_t)first, 0, 0, 0), 0);
	/* Devices claimed by both callers, DMA memory held. */
	assert_true(call(SYS_MAP_MMIO, SW_MMIO_BAR, 1, 0, 0) > 0);
	assert_true(call(SYS_ALLOC_DMA, 2, 0, SW_RW, 0) > 0);
	sw_set_caller(SW_STRANGER);
	assert_true(call(SYS_MAP_MMIO, SW_MMIO_BAR + SW_PAGE, 1, 0, 0) > 0);
	sw_set_caller(SW_TRUSTED);
	test_every_refusal_changes_nothing(state);
}

/* -------------------------------------------------------- what succeeds */

static void test_exit_yield_getpid_gettime(void **state)
{
	(void)state;
	struct sw_result r = sw_call(SYS_EXIT, (uint64_t)-5, 0, 0, 0, 0, 0);
	assert_int_equal(r.end, SW_EXITED);
	assert_int_equal(r.value, -5);
	r = sw_call(SYS_EXIT, HUGE, 0, 0, 0, 0, 0);
	assert_int_equal(r.end, SW_EXITED);
	assert_int_equal(r.value, -1); /* any 64-bit code is just a code */
	assert_int_equal(call(SYS_YIELD, 1, 2, 3, 4), 0);
	assert_int_equal(call(SYS_GETPID, 0, 0, 0, 0), PID_SLOT(sw_pid(SW_TRUSTED)));
	sw_set_caller(SW_STRANGER);
	assert_int_equal(call(SYS_GETPID, 0, 0, 0, 0), PID_SLOT(sw_pid(SW_STRANGER)));
	int64_t t0 = call(SYS_GETTIME, 0, 0, 0, 0);
	assert_true(t0 > 0);
	assert_true(call(SYS_GETTIME, 0, 0, 0, 0) > t0);
	assert_int_equal(call(SYS_GET_CPU, HUGE, HUGE, HUGE, HUGE), cpu_index());
}

static void test_print_reads_up_to_the_last_byte(void **state)
{
	(void)state;
	assert_int_equal(call(SYS_PRINT, SW_RO, 0, 0, 0), 0);
	assert_int_equal(call(SYS_PRINT, NON_CANONICAL, 0, 0, 0), SYS_EFAULT); /* range first */
	assert_int_equal(call(SYS_PRINT, SW_RO, SYS_PRINT_MAX, 0, 0), SYS_PRINT_MAX);
	assert_int_equal(call(SYS_PRINT, SW_HOLE - 8, 8, 0, 0), 8);
	assert_int_equal(call(SYS_PRINT, SW_TOP + SW_PAGE - 8, 8, 0, 0), 8);
	assert_int_equal(call(SYS_PRINT, SW_RW + SW_PAGE - 100, 200, 0, 0), 200); /* two pages */
}

static void test_write_queues_and_fills_up(void **state)
{
	struct sw_state s0, s1;

	(void)state;
	assert_int_equal(call(SYS_WRITE, ENDPOINT_ECHO, SW_RO, 0, 0), 0);
	sw_state(&s0);
	assert_int_equal(s0.queued[ENDPOINT_ECHO], 0); /* length 0 sends nothing */
	for (unsigned i = 0; i < IPC_QUEUE_DEPTH; i++)
		assert_int_equal(call(SYS_WRITE, ENDPOINT_ECHO, SW_RO, IPC_PAYLOAD_MAX, 0),
				 IPC_PAYLOAD_MAX);
	sw_state(&s1);
	assert_int_equal(s1.queued[ENDPOINT_ECHO], IPC_QUEUE_DEPTH);
	/* A full queue is "out of memory", and the message is not taken. */
	refused(SYS_WRITE, ENDPOINT_ECHO, SW_RO, 1, 0, SYS_ENOMEM);
	/* A send to one's own endpoint is a loop: refused. */
	assert_int_equal(call(SYS_REGISTER_ENDPOINT, FREE_EP, 0, 0, 0), 0);
	refused(SYS_WRITE, FREE_EP, SW_RO, 1, 0, SYS_EPERM);
}

static void test_receive_prefix_payload_then_zeros(void **state)
{
	const uint8_t *buf;

	(void)state;
	assert_int_equal(call(SYS_REGISTER_ENDPOINT, FREE_EP, 0, 0, 0), 0);
	assert_int_equal(call(SYS_REGISTER_ENDPOINT, FREE_EP, 0, 0, 0), 0); /* again: fine */
	/* Nothing waits: TryRecvMsg says 0 (and zeros its buffer), Read says
	 * 0, RecvMsg would sleep -- and writes nothing before it does. */
	assert_int_equal(call(SYS_TRY_RECV_MSG, FREE_EP, SW_RW, 40, 0), 0);
	buf = sw_user_page(SW_RW);
	for (unsigned i = 0; i < 40; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(buf[40], SW_FILL);
	assert_int_equal(call(SYS_READ, FREE_EP, SW_RW + 100, 8, 0), 0);
	uint8_t before[64];
	memcpy(before, sw_user_page(SW_RW + 200), sizeof(before));
	struct sw_result r = sw_call(SYS_RECV_MSG, FREE_EP, SW_RW + 200, 64, 0, 0, 0);
	assert_int_equal(r.end, SW_BLOCKED);
	assert_memory_equal(before, sw_user_page(SW_RW + 200), sizeof(before));

	/* The stranger (no Principal, no reply endpoint) sends 10 bytes. */
	sw_set_caller(SW_STRANGER);
	assert_int_equal(call(SYS_WRITE, FREE_EP, SW_RO, 10, 0), 10);
	assert_int_equal(call(SYS_WRITE, FREE_EP, SW_RO + 1, 3, 0), 3);
	sw_set_caller(SW_TRUSTED);
	/* The receive buffer runs to the very top of the user half. */
	uint64_t at = SW_TOP + SW_PAGE - 64;
	assert_int_equal(call(SYS_RECV_MSG, FREE_EP, at, 64, 0), IPC_IDENTITY_PREFIX + 10);
	buf = sw_user_page(at);
	for (unsigned i = 0; i < PRINCIPAL_LEN; i++)
		assert_int_equal(buf[i], 0);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(buf[IPC_PREFIX_REPLY_ENDPOINT + i], 0xff); /* IPC_NO_ENDPOINT */
	for (unsigned i = 0; i < 10; i++)
		assert_int_equal(buf[IPC_IDENTITY_PREFIX + i], sw_pattern(SW_RO + i));
	for (unsigned i = IPC_IDENTITY_PREFIX + 10; i < 64; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(sw_user_page(at - 1)[0], SW_FILL);
	/* Truncated to the buffer: the prefix and 1 of the 3 bytes. */
	assert_int_equal(call(SYS_READ, FREE_EP, SW_RW, 0, 0), 0);
	assert_int_equal(call(SYS_TRY_RECV_MSG, FREE_EP, SW_RW, 37, 0), 37);
	assert_int_equal(sw_user_page(SW_RW)[36], sw_pattern(SW_RO + 1));
	assert_int_equal(sw_user_page(SW_RW)[37], 0); /* zeroed before: untouched */
	assert_int_equal(call(SYS_TRY_RECV_MSG, FREE_EP, SW_RW, 37, 0), 0);
}

/* Buffers that cross a page boundary travel in two pieces (usercopy.h's
 * spans); every byte must land where one flat copy would put it. */
static void test_messages_cross_page_boundaries(void **state)
{
	uint8_t out[IPC_PAYLOAD_MAX];
	uint64_t from = SW_RW + SW_PAGE - 100, to = SW_RW + SW_PAGE - 50;
	size_t len = IPC_IDENTITY_PREFIX + IPC_PAYLOAD_MAX;

	(void)state;
	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (uint8_t)(i * 7 + 3);
	assert_int_equal(call(SYS_REGISTER_ENDPOINT, FREE_EP, 0, 0, 0), 0);
	sw_set_caller(SW_STRANGER);
	/* put_bytes reaches one page at a time. */
	put_bytes(from, out, 100);
	put_bytes(SW_RW + SW_PAGE, out + 100, sizeof(out) - 100);
	assert_int_equal(call(SYS_WRITE, FREE_EP, from, sizeof(out), 0), IPC_PAYLOAD_MAX);
	assert_int_equal(call(SYS_WRITE, FREE_EP, from, 8, 0), 8);
	sw_set_caller(SW_TRUSTED);
	assert_int_equal(call(SYS_TRY_RECV_MSG, FREE_EP, to, len, 0), (int64_t)len);
	uint8_t in[IPC_IDENTITY_PREFIX + IPC_PAYLOAD_MAX];
	memcpy(in, sw_user_page(to), 50);
	memcpy(in + 50, sw_user_page(SW_RW + SW_PAGE), len - 50);
	for (unsigned i = 0; i < PRINCIPAL_LEN; i++)
		assert_int_equal(in[i], 0); /* the stranger has no Principal */
	assert_memory_equal(in + IPC_IDENTITY_PREFIX, out, sizeof(out));
	/* A receive buffer that runs into the read-only page after the
	 * read-write ones is refused before the message is taken. */
	uint8_t before[64];
	memcpy(before, sw_user_page(SW_RO2 - 64), sizeof(before));
	refused(SYS_TRY_RECV_MSG, FREE_EP, SW_RO2 - 64, 128, 0, SYS_EFAULT);
	assert_memory_equal(before, sw_user_page(SW_RO2 - 64), sizeof(before));
	assert_int_equal(call(SYS_TRY_RECV_MSG, FREE_EP, to, 64, 0), IPC_IDENTITY_PREFIX + 8);
}

static void test_read_gives_the_payload_only(void **state)
{
	(void)state;
	assert_int_equal(call(SYS_REGISTER_ENDPOINT, FREE_EP, 0, 0, 0), 0);
	sw_set_caller(SW_STRANGER);
	assert_int_equal(call(SYS_WRITE, FREE_EP, SW_RO, 5, 0), 5);
	sw_set_caller(SW_TRUSTED);
	assert_int_equal(call(SYS_READ, FREE_EP, SW_RW, IPC_PAYLOAD_MAX, 0), 5);
	const uint8_t *buf = sw_user_page(SW_RW);
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(buf[i], sw_pattern(SW_RO + i));
	for (unsigned i = 5; i < IPC_PAYLOAD_MAX; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(buf[IPC_PAYLOAD_MAX], SW_FILL);
}

static void test_get_principal(void **state)
{
	(void)state;
	assert_int_equal(call(SYS_GET_PRINCIPAL, SW_TOP + SW_PAGE - 32, HUGE, 0, 0), PRINCIPAL_LEN);
	assert_memory_equal(sw_user_page(SW_TOP + SW_PAGE - 32), sw_principal()->key,
			    PRINCIPAL_LEN);
	assert_int_equal(sw_user_page(SW_TOP + SW_PAGE - 33)[0], SW_FILL);
}

static void test_allocate_and_free(void **state)
{
	struct sw_state s0, s1;

	(void)state;
	sw_state(&s0);
	int64_t a = call(SYS_ALLOCATE, 1, 0, 0, 0);
	assert_int_equal(a, USER_ALLOC_BASE);
	assert_int_equal(sw_user_page((uint64_t)a)[0], 0); /* zeroed, read+write */
	assert_int_equal(call(SYS_GET_PRINCIPAL, (uint64_t)a + SW_PAGE - 32, 32, 0, 0), 32);
	/* The guard page after it is no memory of the program's. */
	assert_int_equal(call(SYS_PRINT, (uint64_t)a + SW_PAGE - 4, 8, 0, 0), SYS_EFAULT);
	int64_t b = call(SYS_ALLOCATE, 2 * SW_PAGE, 0, 0, 0);
	assert_int_equal(b, USER_ALLOC_BASE + 2 * SW_PAGE);
	refused(SYS_FREE, (uint64_t)b + SW_PAGE, 0, 0, 0, SYS_EINVAL); /* inside, not its start */
	assert_int_equal(call(SYS_FREE, (uint64_t)a, 0, 0, 0), 0);
	refused(SYS_FREE, (uint64_t)a, 0, 0, 0, SYS_EINVAL);           /* twice */
	assert_int_equal(call(SYS_FREE, (uint64_t)b, 0, 0, 0), 0);
	assert_int_equal(call(SYS_PRINT, (uint64_t)b, 8, 0, 0), SYS_EFAULT); /* gone */
	sw_state(&s1);
	/* Every data frame came back (page tables made on the way may stay). */
	assert_true(s1.free_frames <= s0.free_frames && s1.free_frames + 4 >= s0.free_frames);
}

/* A page a call went through is remembered (usercopy.c's hints), but a
 * hint never outlives the mapping nor lends a read-only page for writing. */
static void test_page_hints_go_stale(void **state)
{
	(void)state;
	int64_t a = call(SYS_ALLOCATE, SW_PAGE, 0, 0, 0);
	assert_true(a > 0);
	for (int i = 0; i < 3; i++) /* filled, then used */
		assert_int_equal(call(SYS_PRINT, (uint64_t)a, 8, 0, 0), 8);
	assert_int_equal(call(SYS_GET_PRINCIPAL, (uint64_t)a, 32, 0, 0), 32);
	assert_int_equal(call(SYS_FREE, (uint64_t)a, 0, 0, 0), 0);
	refused(SYS_PRINT, (uint64_t)a, 8, 0, 0, SYS_EFAULT);
	refused(SYS_GET_PRINCIPAL, (uint64_t)a, 32, 0, 0, SYS_EFAULT);
	/* Read through a read-only page, then ask to write it. */
	assert_int_equal(call(SYS_PRINT, SW_RO, 8, 0, 0), 8);
	refused(SYS_GET_PRINCIPAL, SW_RO, 32, 0, 0, SYS_EFAULT);
	/* Memory given again at the same address is reached afresh. */
	int64_t b = call(SYS_ALLOCATE, SW_PAGE, 0, 0, 0);
	assert_int_equal(b, a);
	assert_int_equal(call(SYS_GET_PRINCIPAL, (uint64_t)b, 32, 0, 0), 32);
	assert_memory_equal(sw_user_page((uint64_t)b), sw_principal()->key, PRINCIPAL_LEN);
}

/* The dispatcher's speculation-safe index: in bounds it is the index,
 * out of bounds 0, for every edge. */
static void test_index_nospec(void **state)
{
	static const size_t sizes[] = { 1, 2, 38, 64, SIZE_MAX >> 1 };
	static const size_t indices[] = { 0, 1, 37, 38, 63, 64, SIZE_MAX >> 1, SIZE_MAX - 1,
					  SIZE_MAX };

	(void)state;
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		for (size_t i = 0; i < sizeof(indices) / sizeof(indices[0]); i++) {
			size_t want = indices[i] < sizes[s] ? indices[i] : 0;
			assert_int_equal(index_nospec(indices[i], sizes[s]), want);
		}
	}
}

static uint64_t le(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = bytes; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

/* DeviceInfo: the original's 108-byte record of each function found at
 * boot, exactly 108 bytes written; past the last, a short buffer and
 * memory that is not writable are refused with nothing written. */
static void test_device_info(void **state)
{
	const uint64_t out = SW_TOP + SW_PAGE - DEVICE_INFO_SIZE;
	const uint8_t *rec = sw_user_page(out);

	(void)state;
	assert_int_equal(call(SYS_DEVICE_INFO, 1, out, DEVICE_INFO_SIZE, 0), 0);
	assert_int_equal(le(rec + DEVICE_INFO_VENDOR, 2), 0x1af4);
	assert_int_equal(le(rec + DEVICE_INFO_DEVICE, 2), 0x1041);
	assert_int_equal(rec[DEVICE_INFO_CLASS], 2);
	assert_int_equal(rec[DEVICE_INFO_SLOT], 3);
	assert_int_equal(rec[DEVICE_INFO_BAR_COUNT], 3);
	const uint8_t *bar = rec + DEVICE_INFO_BAR0;
	assert_int_equal(le(bar + DEVICE_INFO_BAR_BASE, 8), 0xc040);
	assert_int_equal(le(bar + DEVICE_INFO_BAR_SIZE, 4), 0x20);
	assert_int_equal(bar[DEVICE_INFO_BAR_IS_IO], 1);
	bar += DEVICE_INFO_BAR_STRIDE;
	assert_int_equal(le(bar + DEVICE_INFO_BAR_BASE, 8), 0xfeb80000);
	assert_int_equal(bar[DEVICE_INFO_BAR_IS_IO], 0);
	bar += 3 * DEVICE_INFO_BAR_STRIDE; /* BAR 4: 64-bit, 8 GiB */
	assert_int_equal(le(bar + DEVICE_INFO_BAR_BASE, 8), 0x800000000);
	assert_int_equal(le(bar + DEVICE_INFO_BAR_SIZE, 4), 0xffffffff);
	for (unsigned i = 0; i < DEVICE_INFO_BAR_STRIDE; i++) /* its upper half */
		assert_int_equal(bar[DEVICE_INFO_BAR_STRIDE + i], 0);
	assert_int_equal(call(SYS_DEVICE_INFO, 0, out, HUGE, 0), 0);
	assert_int_equal(le(rec + DEVICE_INFO_VENDOR, 2), 0x8086);
	assert_int_equal(rec[DEVICE_INFO_BAR_COUNT], 0);
	refused(SYS_DEVICE_INFO, pci_host_table()->count, out, DEVICE_INFO_SIZE, 0, SYS_ENOENT);
	refused(SYS_DEVICE_INFO, HUGE, out, DEVICE_INFO_SIZE, 0, SYS_ENOENT);
	refused(SYS_DEVICE_INFO, 0, out, DEVICE_INFO_SIZE - 1, 0, SYS_EINVAL);
	refused(SYS_DEVICE_INFO, 0, SW_RO, DEVICE_INFO_SIZE, 0, SYS_EFAULT);
	refused(SYS_DEVICE_INFO, 0, SW_TOP + SW_PAGE - 8, DEVICE_INFO_SIZE, 0, SYS_EFAULT);
	refused(SYS_DEVICE_INFO, 0, KERNEL_HALF, DEVICE_INFO_SIZE, 0, SYS_EFAULT);
}

/* The host's stand-in port space (kernel/arch/host/cpu.c). */
extern uint8_t host_port_space[0x10000];

#define IO_BAR 0xc040u /* the faked virtio-net function's I/O BAR, 32 ports */
#define PORT_16 (PORT_IO_WIDTH_16 << PORT_IO_WIDTH_SHIFT)
#define PORT_32 (PORT_IO_WIDTH_32 << PORT_IO_WIDTH_SHIFT)

/* PortIo: reads and writes of 1, 2 and 4 bytes inside a PCI I/O BAR;
 * nothing outside one (the console's own port included), nothing
 * misaligned, no unknown width or flag, no value wider than the access. */
static void test_port_io(void **state)
{
	(void)state;
	memset(host_port_space, 0, sizeof(host_port_space));
	host_port_space[IO_BAR + 1] = 0x5a;
	assert_int_equal(call(SYS_PORT_IO, IO_BAR + 1, 0, 0, 0), 0x5a);
	assert_int_equal(call(SYS_PORT_IO, IO_BAR + 2, 0xbeef, PORT_IO_WRITE | PORT_16, 0), 0);
	assert_int_equal(call(SYS_PORT_IO, IO_BAR + 2, 0, PORT_16, 0), 0xbeef);
	assert_int_equal(call(SYS_PORT_IO, IO_BAR + 0x1c, 0xfeedf00d, PORT_IO_WRITE | PORT_32, 0), 0);
	assert_int_equal(call(SYS_PORT_IO, IO_BAR + 0x1c, 0, PORT_32, 0), 0xfeedf00d);
	uint8_t before[0x40];
	memcpy(before, host_port_space + IO_BAR - 0x10, sizeof(before));
	refused(SYS_PORT_IO, IO_BAR + 0x20, 1, PORT_IO_WRITE, 0, SYS_EPERM); /* just past it */
	refused(SYS_PORT_IO, IO_BAR - 1, 1, PORT_IO_WRITE, 0, SYS_EPERM);    /* just before */
	refused(SYS_PORT_IO, IO_BAR + 0x1e, 1, PORT_IO_WRITE | PORT_32, 0, SYS_EINVAL); /* misaligned */
	refused(SYS_PORT_IO, 0x3f8, 'x', PORT_IO_WRITE, 0, SYS_EPERM);      /* COM1: the kernel's */
	refused(SYS_PORT_IO, IO_BAR, 0, 3u << PORT_IO_WIDTH_SHIFT, 0, SYS_EINVAL);
	refused(SYS_PORT_IO, IO_BAR, 0, 8, 0, SYS_EINVAL);
	refused(SYS_PORT_IO, 0x10000 + IO_BAR, 0, 0, 0, SYS_EINVAL);
	refused(SYS_PORT_IO, IO_BAR, 0x100, PORT_IO_WRITE, 0, SYS_EINVAL);
	refused(SYS_PORT_IO, IO_BAR, 1ull << 32, PORT_IO_WRITE | PORT_32, 0, SYS_EINVAL);
	assert_memory_equal(before, host_port_space + IO_BAR - 0x10, sizeof(before));
}

/* What the current caller's user address va maps: its frame and flags;
 * false if nothing. */
static bool mapped(uint64_t va, uint64_t *pa, unsigned *flags)
{
	return vm_translate(process_address_space(process_current()), va, pa, flags) == K_OK;
}

/* PortIo claims too: the first use of a function's I/O BAR makes the
 * caller its holder, and the other caller is refused it -- its ports and
 * its memory BARs alike -- while the first may go on using both. */
static void test_port_io_claims(void **state)
{
	(void)state;
	assert_int_equal(device_holder(SW_DEVICE_NET), PID_NONE);
	assert_int_equal(call(SYS_PORT_IO, SW_IO_BAR, 0, 0, 0), 0);
	assert_int_equal(device_holder(SW_DEVICE_NET), sw_pid(SW_TRUSTED));
	sw_set_caller(SW_STRANGER);
	refused(SYS_PORT_IO, SW_IO_BAR, 0, 0, 0, SYS_EPERM);
	refused(SYS_PORT_IO, SW_IO_BAR + 0x1f, 1, PORT_IO_WRITE, 0, SYS_EPERM);
	refused(SYS_MAP_MMIO, SW_MMIO_BAR, 1, 0, 0, SYS_EPERM);
	assert_int_equal(call(SYS_PORT_IO, SW_IO_BAR2, 0, 0, 0), 0); /* another device: its own */
	assert_int_equal(device_holder(SW_DEVICE_BLK), sw_pid(SW_STRANGER));
	sw_set_caller(SW_TRUSTED);
	refused(SYS_PORT_IO, SW_IO_BAR2 + 4, 0, PORT_32, 0, SYS_EPERM);
	refused(SYS_MAP_MMIO, SW_MMIO_BAR + SW_PAGE, 1, 0, 0, SYS_EPERM);
	assert_true(call(SYS_MAP_MMIO, SW_MMIO_BAR, 1, 0, 0) > 0);
	assert_int_equal(call(SYS_PORT_IO, SW_IO_BAR + 4, 0, PORT_32, 0), 0);
}

/* MapMmio: the range, uncached, read+write, never executable, with an
 * unmapped page on each side; the function claimed by the caller and
 * refused to the other; any page of an 8 GiB BAR up to its last. */
static void test_map_mmio(void **state)
{
	uint64_t pa;
	unsigned flags;

	(void)state;
	int64_t va = call(SYS_MAP_MMIO, SW_MMIO_BAR, 1, 0, 0);
	assert_int_equal(va, USER_MMIO_BASE + SW_PAGE);
	assert_true(mapped((uint64_t)va, &pa, &flags));
	assert_int_equal(pa, SW_MMIO_BAR);
	assert_int_equal(flags, VM_USER | VM_WRITE | VM_DEVICE);
	assert_false(mapped((uint64_t)va - SW_PAGE, &pa, &flags));
	assert_false(mapped((uint64_t)va + SW_PAGE, &pa, &flags));
	assert_int_equal(device_holder(SW_DEVICE_NET), sw_pid(SW_TRUSTED));

	int64_t big = call(SYS_MAP_MMIO, SW_MMIO_BAR64 + 0x10000, MAP_MMIO_MAX_PAGES, 0, 0);
	assert_int_equal(big, va + 2 * SW_PAGE);
	for (uint64_t i = 0; i < MAP_MMIO_MAX_PAGES; i++) {
		assert_true(mapped((uint64_t)big + i * SW_PAGE, &pa, &flags));
		assert_int_equal(pa, SW_MMIO_BAR64 + 0x10000 + i * SW_PAGE);
		assert_int_equal(flags, VM_USER | VM_WRITE | VM_DEVICE);
	}
	assert_false(mapped((uint64_t)big + MAP_MMIO_MAX_PAGES * SW_PAGE, &pa, &flags));
	int64_t last = call(SYS_MAP_MMIO, SW_MMIO_BAR64 + 0x200000000 - SW_PAGE, 1, 0, 0);
	assert_int_equal(last, big + (MAP_MMIO_MAX_PAGES + 1) * SW_PAGE);
	/* Right beside the MSI-X pages, on either side. */
	assert_true(call(SYS_MAP_MMIO, SW_MMIO_BAR64 + SW_MSIX_OFFSET - SW_PAGE, 1, 0, 0) > last);
	assert_true(call(SYS_MAP_MMIO, SW_MMIO_BAR64 + SW_MSIX_OFFSET + 2 * SW_PAGE, 1, 0, 0) > last);
	/* The same registers again: a second mapping, not a second claim. */
	assert_true(call(SYS_MAP_MMIO, SW_MMIO_BAR, 1, 0, 0) > last);

	sw_set_caller(SW_STRANGER);
	refused(SYS_MAP_MMIO, SW_MMIO_BAR, 1, 0, 0, SYS_EPERM); /* held by the other caller */
	refused(SYS_MAP_MMIO, SW_MMIO_BAR64, 1, 0, 0, SYS_EPERM);
	refused(SYS_PORT_IO, SW_IO_BAR, 0, 0, 0, SYS_EPERM);
	va = call(SYS_MAP_MMIO, SW_MMIO_BAR + SW_PAGE, 1, 0, 0); /* the next device is free */
	assert_int_equal(va, USER_MMIO_BASE + SW_PAGE);           /* its own area */
	assert_int_equal(device_holder(SW_DEVICE_BLK), sw_pid(SW_STRANGER));
}

/* The area runs out before the page tables do: refused, nothing changed. */
static void test_map_mmio_area_full(void **state)
{
	int64_t got;
	unsigned n = 0;

	(void)state;
	while ((got = call(SYS_MAP_MMIO, SW_MMIO_BAR64, MAP_MMIO_MAX_PAGES, 0, 0)) > 0)
		n++;
	assert_int_equal(got, SYS_ENOMEM);
	assert_int_equal(n, (USER_MMIO_END - USER_MMIO_BASE) / ((MAP_MMIO_MAX_PAGES + 1) * SW_PAGE));
	refused(SYS_MAP_MMIO, SW_MMIO_BAR64, MAP_MMIO_MAX_PAGES, 0, 0, SYS_ENOMEM);
	refused(SYS_MAP_MMIO, SW_MMIO_BAR + SW_PAGE, MAP_MMIO_MAX_PAGES, 0, 0, SYS_EPERM);
}

/* AllocDma: contiguous zeroed frames, read+write, not executable, not
 * device memory, the physical address written where asked, a guard page
 * on each side. */
static void test_alloc_dma(void **state)
{
	uint64_t pa, paddr;
	unsigned flags;

	(void)state;
	memset(sw_user_page(SW_RW), 0xee, 64);
	uint64_t free_before = frame_free_count();
	int64_t va = call(SYS_ALLOC_DMA, 3, 0, SW_RW + 8, 0);
	assert_int_equal(va, USER_DMA_BASE + SW_PAGE);
	memcpy(&paddr, sw_user_page(SW_RW) + 8, sizeof(paddr));
	assert_int_equal(sw_user_page(SW_RW)[7], 0xee);  /* exactly 8 bytes written */
	assert_int_equal(sw_user_page(SW_RW)[16], 0xee);
	assert_int_equal(paddr % SW_PAGE, 0);
	for (uint64_t i = 0; i < 3; i++) {
		assert_true(mapped((uint64_t)va + i * SW_PAGE, &pa, &flags));
		assert_int_equal(pa, paddr + i * SW_PAGE);
		assert_int_equal(flags, VM_USER | VM_WRITE);
		const uint8_t *bytes = sw_user_page((uint64_t)va + i * SW_PAGE);
		for (unsigned b = 0; b < SW_PAGE; b++)
			assert_int_equal(bytes[b], 0);
	}
	assert_false(mapped((uint64_t)va - SW_PAGE, &pa, &flags));
	assert_false(mapped((uint64_t)va + 3 * SW_PAGE, &pa, &flags));
	assert_true(free_before - frame_free_count() >= 3);
	int64_t next = call(SYS_ALLOC_DMA, ALLOC_DMA_MAX_PAGES, 0, SW_TOP, 0);
	assert_int_equal(next, va + 4 * SW_PAGE);
	memcpy(&paddr, sw_user_page(SW_TOP), sizeof(paddr));
	assert_true(mapped((uint64_t)next + (ALLOC_DMA_MAX_PAGES - 1) * SW_PAGE, &pa, &flags));
	assert_int_equal(pa, paddr + (ALLOC_DMA_MAX_PAGES - 1) * SW_PAGE);
	/* No device is claimed by DMA memory alone. */
	for (unsigned i = 0; i < PCI_MAX_FUNCTIONS; i++)
		assert_int_equal(device_holder(i), PID_NONE);
}

/* Out of contiguous frames: refused, nothing allocated or mapped. */
static void test_alloc_dma_out_of_memory(void **state)
{
	int64_t got;

	(void)state;
	while ((got = call(SYS_ALLOC_DMA, ALLOC_DMA_MAX_PAGES, 0, SW_RW, 0)) > 0)
		;
	assert_int_equal(got, SYS_ENOMEM);
	refused(SYS_ALLOC_DMA, ALLOC_DMA_MAX_PAGES, 0, SW_RW, 0, SYS_ENOMEM);
}

/* At the end of a process its registers are unmapped, its DMA frames come
 * back, and its devices are released -- quiesced first -- for the next. */
static void test_driver_memory_goes_at_exit(void **state)
{
	(void)state;
	assert_true(call(SYS_MAP_MMIO, SW_MMIO_BAR, 1, 0, 0) > 0);
	assert_true(call(SYS_PORT_IO, SW_IO_BAR2, 0, 0, 0) >= 0);
	assert_true(call(SYS_ALLOC_DMA, ALLOC_DMA_MAX_PAGES, 0, SW_RW, 0) > 0);
	sw_set_caller(SW_STRANGER);
	refused(SYS_MAP_MMIO, SW_MMIO_BAR, 1, 0, 0, SYS_EPERM);
	assert_int_equal(process_destroy(sw_pid(SW_TRUSTED)), K_OK);
	assert_int_equal(device_holder(SW_DEVICE_NET), PID_NONE);
	assert_int_equal(device_holder(SW_DEVICE_BLK), PID_NONE);
	assert_int_equal(pci_host_fake_quiesced(SW_DEVICE_NET), 1);
	assert_int_equal(pci_host_fake_quiesced(SW_DEVICE_BLK), 1);
	assert_int_equal(pci_host_fake_quiesced(SW_DEVICE_HOSTILE), 0);
	assert_true(call(SYS_MAP_MMIO, SW_MMIO_BAR, 1, 0, 0) > 0); /* now the stranger's */
	assert_int_equal(device_holder(SW_DEVICE_NET), sw_pid(SW_STRANGER));
	/* Every frame comes back when the world is torn down: sw_reset fails
	 * unless the free count is back to what it was before any process. */
	assert_int_equal(sw_reset(), 0);
}

/* VirtioModernCaps: the four structures of the virtio function, exactly
 * 64 bytes; an all-zero record for any other function. */
static void test_virtio_modern_caps(void **state)
{
	const uint8_t *rec = sw_user_page(SW_RW);

	(void)state;
	memset(sw_user_page(SW_RW), 0xee, VIRTIO_CAPS_SIZE + 1);
	assert_int_equal(call(SYS_VIRTIO_MODERN_CAPS, SW_DEVICE_NET, SW_RW, HUGE, 0), 0);
	assert_int_equal(rec[VIRTIO_CAPS_PRESENT], 0x0f);
	assert_int_equal(rec[VIRTIO_CAPS_COMMON + VIRTIO_CAPS_ENTRY_BAR], 4);
	assert_int_equal(le(rec + VIRTIO_CAPS_COMMON + VIRTIO_CAPS_ENTRY_OFFSET, 4), 0);
	assert_int_equal(le(rec + VIRTIO_CAPS_COMMON + VIRTIO_CAPS_ENTRY_LENGTH, 4), 0x38);
	assert_int_equal(le(rec + VIRTIO_CAPS_NOTIFY + VIRTIO_CAPS_ENTRY_OFFSET, 4), 0x3000);
	assert_int_equal(le(rec + VIRTIO_CAPS_NOTIFY_MULTIPLIER, 4), 4);
	assert_int_equal(le(rec + VIRTIO_CAPS_ISR + VIRTIO_CAPS_ENTRY_OFFSET, 4), 0x1000);
	assert_int_equal(le(rec + VIRTIO_CAPS_DEVICE + VIRTIO_CAPS_ENTRY_OFFSET, 4), 0x2000);
	assert_int_equal(le(rec + VIRTIO_CAPS_DEVICE + VIRTIO_CAPS_ENTRY_LENGTH, 4), 0x40);
	assert_int_equal(rec[VIRTIO_CAPS_SIZE], 0xee);
	assert_int_equal(call(SYS_VIRTIO_MODERN_CAPS, 0, SW_RW, VIRTIO_CAPS_SIZE, 0), 0);
	for (unsigned i = 0; i < VIRTIO_CAPS_SIZE; i++)
		assert_int_equal(rec[i], 0);
	assert_int_equal(rec[VIRTIO_CAPS_SIZE], 0xee);
}

/* Out of frames: the failing Allocate maps and keeps nothing. */
static void test_allocate_out_of_memory_keeps_nothing(void **state)
{
	int64_t got;
	unsigned n = 0;

	(void)state;
	while ((got = call(SYS_ALLOCATE, USER_ALLOC_MAX, 0, 0, 0)) > 0)
		n++;
	assert_true(n > 0);
	assert_int_equal(got, SYS_ENOMEM);
	refused(SYS_ALLOCATE, USER_ALLOC_MAX, 0, 0, 0, SYS_ENOMEM);
}

/* A process holds at most USER_ALLOC_REGIONS regions. */
static void test_allocate_region_table_full(void **state)
{
	(void)state;
	for (unsigned i = 0; i < USER_ALLOC_REGIONS; i++)
		assert_true(call(SYS_ALLOCATE, 1, 0, 0, 0) > 0);
	refused(SYS_ALLOCATE, 1, 0, 0, 0, SYS_ENOMEM);
}

/* The other caller's regions are not this one's to free. */
static void test_free_is_per_process(void **state)
{
	(void)state;
	int64_t a = call(SYS_ALLOCATE, 1, 0, 0, 0);
	assert_true(a > 0);
	sw_set_caller(SW_STRANGER);
	refused(SYS_FREE, (uint64_t)a, 0, 0, 0, SYS_EINVAL);
}

static void test_objects(void **state)
{
	uint8_t hash[32], want[32];
	struct sw_state s;

	(void)state;
	blake3_hash(sw_user_page(SW_RO), 100, want);
	/* The content may end on the last byte of the user half's top page. */
	memcpy(sw_user_page(SW_TOP + SW_PAGE - 100), sw_user_page(SW_RO), 100);
	assert_int_equal(call(SYS_OBJ_PUT, SW_TOP + SW_PAGE - 100, 100, SW_RW, 0), 0);
	assert_memory_equal(sw_user_page(SW_RW), want, 32);
	memcpy(hash, want, 32);
	/* ObjGet truncates to len; an enormous len is just "all of it". */
	assert_int_equal(call(SYS_OBJ_GET, SW_RW, SW_RW + 64, 10, 0), 10);
	assert_int_equal(sw_user_page(SW_RW + 64)[10], SW_FILL);
	assert_int_equal(call(SYS_OBJ_GET, SW_RW, SW_RW + 64, HUGE, 0), 100);
	assert_memory_equal(sw_user_page(SW_RW + 64), sw_user_page(SW_RO), 100);
	refused(SYS_OBJ_GET, SW_RW, SW_RO, 10, 0, SYS_EFAULT);
	refused(SYS_OBJ_GET, SW_RW, RW_END - 8, 100, 0, SYS_EFAULT);
	/* ObjList: as many hashes as fit. */
	assert_int_equal(call(SYS_OBJ_LIST, SW_RW + 1024, HUGE, 0, 0), 1);
	assert_memory_equal(sw_user_page(SW_RW + 1024), hash, 32);
	refused(SYS_OBJ_LIST, SW_RO, 32, 0, 0, SYS_EFAULT);
	refused(SYS_OBJ_LIST, RW_END - 16, 32, 0, 0, SYS_EFAULT);
	/* More objects than the buffer holds: as many as fit are written and
	 * counted, and not a byte past len. */
	assert_int_equal(call(SYS_OBJ_PUT, SW_RO, 50, SW_RW + 2048, 0), 0);
	assert_int_equal(call(SYS_OBJ_PUT, SW_RO, 60, SW_RW + 2080, 0), 0);
	memset(sw_user_page(SW_RW + 1024), SW_FILL, 128);
	assert_int_equal(call(SYS_OBJ_LIST, SW_RW + 1024, 64, 0, 0), 2);
	for (unsigned i = 64; i < 128; i++)
		assert_int_equal(sw_user_page(SW_RW + 1024)[i], SW_FILL);
	assert_int_equal(call(SYS_OBJ_DELETE, SW_RW + 2048, 0, 0, 0), 0);
	assert_int_equal(call(SYS_OBJ_DELETE, SW_RW + 2080, 0, 0, 0), 0);
	/* Only the owner deletes. */
	sw_set_caller(SW_STRANGER);
	put_bytes(SW_RW, hash, 32);
	refused(SYS_OBJ_DELETE, SW_RW, 0, 0, 0, SYS_EPERM);
	assert_int_equal(call(SYS_OBJ_GET, SW_RW, SW_RW + 64, 4, 0), 4); /* anyone reads */
	sw_set_caller(SW_TRUSTED);
	assert_int_equal(call(SYS_OBJ_DELETE, SW_RW, 0, 0, 0), 0);
	refused(SYS_OBJ_DELETE, SW_RW, 0, 0, 0, SYS_ENOENT);
	sw_state(&s);
	assert_int_equal(s.objects, 0);
}

static void test_obj_put_signed(void **state)
{
	uint8_t sig[ED25519_SIGNATURE_LEN], hash[32];
	struct sw_state s;

	(void)state;
	ed25519_sign(sw_seed(), sw_principal()->key, sw_user_page(SW_RO), 64, sig);
	put_bytes(SW_RW, sig, sizeof(sig));
	/* Another content, or another caller, with this signature: refused. */
	refused(SYS_OBJ_PUT_SIGNED, SW_RO, 63, SW_RW, SW_RW + 256, SYS_EPERM);
	refused(SYS_OBJ_PUT_SIGNED, SW_RO + 1, 64, SW_RW, SW_RW + 256, SYS_EPERM);
	/* Good, but the hash has nowhere to go: nothing stored. */
	refused(SYS_OBJ_PUT_SIGNED, SW_RO, 64, SW_RW, SW_RO2, SYS_EFAULT);
	refused(SYS_OBJ_PUT_SIGNED, SW_RO, 64, SW_RW, RW_END - 16, SYS_EFAULT);
	sw_set_caller(SW_STRANGER);
	put_bytes(SW_RW, sig, sizeof(sig));
	refused(SYS_OBJ_PUT_SIGNED, SW_RO, 64, SW_RW, SW_RW + 256, SYS_EPERM);
	sw_set_caller(SW_TRUSTED);
	assert_int_equal(call(SYS_OBJ_PUT_SIGNED, SW_RO, 64, SW_RW, SW_RW + 256), 0);
	blake3_hash(sw_user_page(SW_RO), 64, hash);
	assert_memory_equal(sw_user_page(SW_RW + 256), hash, 32);
	sw_state(&s);
	assert_int_equal(s.objects, 1);
}

static void test_spawn_and_wait(void **state)
{
	static const char names[] = "stay" "quick.elf" "crash" "stay\0junk";

	(void)state;
	put_bytes(SW_RW, names, sizeof(names));
	int64_t stay = call(SYS_SPAWN, SW_RW, 4, 0, 0);
	assert_true(stay >= PROCESS_KERNEL_COUNT && stay < PROCESS_MAX);
	int64_t quick = call(SYS_SPAWN, SW_RW + 4, 9, 0, 0); /* by file name */
	assert_true(quick >= PROCESS_KERNEL_COUNT && quick < PROCESS_MAX);
	/* A status buffer that cannot be written is refused before the wait,
	 * and the child can still be waited for. */
	refused(SYS_WAIT_TASK, (uint64_t)quick, SW_RO, 0, 0, SYS_EFAULT);
	refused(SYS_WAIT_TASK, (uint64_t)quick, SW_RW + SW_RW_PAGES * SW_PAGE - 8, 0, 0,
		SYS_EFAULT);
	refused(SYS_WAIT_TASK, (uint64_t)quick, SW_SUPER, 0, 0, SYS_EFAULT);
	refused(SYS_WAIT_TASK, (uint64_t)quick, SW_HOLE, 0, 0, SYS_EFAULT); /* the fuzzer's find */
	assert_int_equal(call(SYS_WAIT_TASK, (uint64_t)quick, SW_RW + 512, 0, 0), SW_QUICK_EXIT);
	struct sys_task_status status;
	memcpy(&status, sw_user_page(SW_RW + 512), sizeof(status));
	assert_int_equal(status.ended, SYS_TASK_EXITED);
	assert_int_equal(status.code, SW_QUICK_EXIT);
	int64_t crash = call(SYS_SPAWN, SW_RW + 13, 5, 0, 0);
	assert_int_equal(call(SYS_WAIT_TASK, (uint64_t)crash, SW_RW + 512, 0, 0), SYS_EINTR);
	memcpy(&status, sw_user_page(SW_RW + 512), sizeof(status));
	assert_int_equal(status.ended, SYS_TASK_FAULTED);
	assert_int_equal(status.code, 0);
	/* A live child: WaitTask sleeps. */
	struct sw_result r = sw_call(SYS_WAIT_TASK, (uint64_t)stay, 0, 0, 0, 0, 0);
	assert_int_equal(r.end, SW_BLOCKED);
	/* Only the parent may wait; nobody waits for itself. */
	sw_set_caller(SW_STRANGER);
	refused(SYS_WAIT_TASK, (uint64_t)stay, 0, 0, 0, SYS_ENOENT);
	refused(SYS_WAIT_TASK, PID_SLOT(sw_pid(SW_STRANGER)), 0, 0, 0, SYS_ENOENT);
	/* The name is all len bytes: one with a NUL inside names no module. */
	put_bytes(SW_RW, names, sizeof(names));
	refused(SYS_SPAWN, SW_RW + 18, 9, 0, 0, SYS_ENOENT);
}

/* ---------------------------------------------- Kill and the reports */

/* Kill's rules: a parent may end its child; a process speaking for the
 * bootstrap Principal may end anyone but the kernel; a stranger may end
 * neither the kernel, nor another's child, nor a boot process. Every
 * refusal changes nothing (and kills nobody). */
static void test_kill_rules(void **state)
{
	static const char stay[] = "stay";

	(void)state;
	refused(SYS_KILL, 0, 0, 0, 0, SYS_EPERM);             /* the kernel's processes */
	refused(SYS_KILL, PROCESS_KERNEL_COUNT - 1, 0, 0, 0, SYS_EPERM);
	refused(SYS_KILL, PROCESS_MAX, 0, 0, 0, SYS_ENOENT);  /* past the table */
	refused(SYS_KILL, HUGE, 0, 0, 0, SYS_ENOENT);
	refused(SYS_KILL, PROCESS_MAX - 1, 0, 0, 0, SYS_ENOENT); /* a free slot */
	assert_int_equal(sw_last_killed(), PID_NONE);

	/* The stranger's own child: its to end; the trusted caller's child
	 * and the peer (started by "the boot") are not. */
	sw_set_caller(SW_STRANGER);
	put_bytes(SW_RW, stay, 4);
	int64_t own = call(SYS_SPAWN, SW_RW, 4, 0, 0);
	assert_true(own >= PROCESS_KERNEL_COUNT);
	sw_set_caller(SW_TRUSTED);
	put_bytes(SW_RW, stay, 4);
	int64_t other = call(SYS_SPAWN, SW_RW, 4, 0, 0);
	sw_set_caller(SW_STRANGER);
	refused(SYS_KILL, (uint64_t)other, 0, 0, 0, SYS_EPERM);
	refused(SYS_KILL, PID_SLOT(sw_peer()), 0, 0, 0, SYS_EPERM);
	refused(SYS_KILL, PID_SLOT(sw_pid(SW_TRUSTED)), 0, 0, 0, SYS_EPERM);
	assert_int_equal(sw_last_killed(), PID_NONE);
	assert_int_equal(call(SYS_KILL, (uint64_t)own, 0, 0, 0), 0);
	assert_int_equal(PID_SLOT(sw_last_killed()), own);

	/* The bootstrap Principal's speaker ends anyone else. */
	sw_set_caller(SW_TRUSTED);
	assert_int_equal(call(SYS_KILL, PID_SLOT(sw_peer()), 0, 0, 0), 0);
	assert_int_equal(sw_last_killed(), sw_peer());
	assert_int_equal(call(SYS_KILL, (uint64_t)other, 0, 0, 0), 0);

	/* Killing oneself ends the call there and then. */
	sw_set_caller(SW_STRANGER);
	struct sw_result r = sw_call(SYS_KILL, PID_SLOT(sw_pid(SW_STRANGER)), 0, 0, 0, 0, 0);
	assert_int_equal(r.end, SW_KILLED);
}

static void test_process_info(void **state)
{
	struct sys_process_info p;

	(void)state;
	uint64_t slot = PID_SLOT(sw_pid(SW_TRUSTED));
	assert_int_equal(call(SYS_PROCESS_INFO, slot, SW_RW, sizeof(p), 0), 0);
	memcpy(&p, sw_user_page(SW_RW), sizeof(p));
	assert_int_equal(p.pid, slot);
	assert_int_equal(p.generation, PID_GENERATION(sw_pid(SW_TRUSTED)));
	assert_int_equal(p.parent, SYS_NO_PARENT);
	assert_true(p.has_principal);
	assert_memory_equal(p.principal, sw_principal()->key, 32);
	assert_int_equal(p.name[sizeof(p.name) - 1], '\0');
	/* A kernel process, and one without a Principal. */
	assert_int_equal(call(SYS_PROCESS_INFO, 0, SW_RW, sizeof(p), 0), 0);
	memcpy(&p, sw_user_page(SW_RW), sizeof(p));
	assert_int_equal(p.state, SYS_PROCESS_KERNEL);
	assert_int_equal(call(SYS_PROCESS_INFO, PID_SLOT(sw_pid(SW_STRANGER)), SW_RW, sizeof(p), 0),
			 0);
	memcpy(&p, sw_user_page(SW_RW), sizeof(p));
	assert_false(p.has_principal);
	static const uint8_t zero[32];
	assert_memory_equal(p.principal, zero, sizeof(zero));
	/* A spawned child names its parent. */
	put_bytes(SW_RW, "stay", 4);
	int64_t child = call(SYS_SPAWN, SW_RW, 4, 0, 0);
	assert_int_equal(call(SYS_PROCESS_INFO, (uint64_t)child, SW_RW, sizeof(p), 0), 0);
	memcpy(&p, sw_user_page(SW_RW), sizeof(p));
	assert_int_equal(p.parent, slot);
	assert_string_equal(p.name, "stay");
	/* Refusals, each before anything is written. */
	refused(SYS_PROCESS_INFO, PROCESS_MAX, SW_RW, sizeof(p), 0, SYS_EINVAL);
	refused(SYS_PROCESS_INFO, slot, SW_RW, sizeof(p) - 1, 0, SYS_EINVAL);
	refused(SYS_PROCESS_INFO, slot, SW_RO, sizeof(p), 0, SYS_EFAULT);
	refused(SYS_PROCESS_INFO, slot, SW_TOP + SW_PAGE - 8, sizeof(p), 0, SYS_EFAULT);
	refused(SYS_PROCESS_INFO, PROCESS_MAX - 1, SW_RW, sizeof(p), 0, SYS_ENOENT);
}

static void test_system_and_cpu_info(void **state)
{
	struct sys_system_info s;
	struct sw_state w;

	(void)state;
	put_bytes(SW_RW, "some content", 12);
	assert_int_equal(call(SYS_OBJ_PUT, SW_RW, 12, SW_RW + 64, 0), 0);
	assert_int_equal(call(SYS_SYSTEM_INFO, SW_RW + 256, sizeof(s), 0, 0), 0);
	memcpy(&s, sw_user_page(SW_RW + 256), sizeof(s));
	sw_state(&w);
	assert_int_equal(s.frames_free, w.free_frames);
	assert_true(s.frames_total >= s.frames_free);
	assert_int_equal(s.objects, 1);
	assert_int_equal(s.object_bytes, 12);
	assert_int_equal(s.objects_max, OBJSTORE_CAPACITY);
	assert_int_equal(s.processes, PROCESS_KERNEL_COUNT + 3); /* two callers and the peer */
	assert_int_equal(s.processes_max, PROCESS_MAX);
	assert_int_equal(s.heap_allocations, w.heap_live);
	assert_int_equal(s.ticks_per_second, TIMER_HZ);
	refused(SYS_SYSTEM_INFO, SW_RW, sizeof(s) - 1, 0, 0, SYS_EINVAL);
	refused(SYS_SYSTEM_INFO, SW_RO, sizeof(s), 0, 0, SYS_EFAULT);
	refused(SYS_SYSTEM_INFO, SW_HOLE - 8, sizeof(s), 0, 0, SYS_EFAULT);
	/* No CPU schedules in this world: every index is absent, and past
	 * the kernel's limit is a bad argument. */
	refused(SYS_CPU_INFO, 0, SW_RW, sizeof(struct sys_cpu_info), 0, SYS_ENOENT);
	refused(SYS_CPU_INFO, MP_MAX_CPUS, SW_RW, sizeof(struct sys_cpu_info), 0, SYS_EINVAL);
	refused(SYS_CPU_INFO, 0, SW_RW, sizeof(struct sys_cpu_info) - 1, 0, SYS_EINVAL);
	refused(SYS_CPU_INFO, 0, SW_RO, sizeof(struct sys_cpu_info), 0, SYS_EFAULT);
}

/* The wall clock: nobody's until set, set only by a speaker for the
 * bootstrap Principal, only to a plausible time; then it runs on. */
static void test_wallclock(void **state)
{
	(void)state;
	refused(SYS_GET_WALLCLOCK, 0, 0, 0, 0, SYS_ENOENT);
	sw_set_caller(SW_STRANGER);
	refused(SYS_SET_WALLCLOCK, 1764547200, 0, 0, 0, SYS_EPERM);
	sw_set_caller(SW_TRUSTED);
	refused(SYS_SET_WALLCLOCK, 0, 0, 0, 0, SYS_EINVAL);              /* 1970 */
	refused(SYS_SET_WALLCLOCK, WALLCLOCK_MIN - 1, 0, 0, 0, SYS_EINVAL);
	refused(SYS_SET_WALLCLOCK, WALLCLOCK_MAX + 1, 0, 0, 0, SYS_EINVAL);
	refused(SYS_SET_WALLCLOCK, UINT64_MAX, 0, 0, 0, SYS_EINVAL);     /* negative */
	refused(SYS_GET_WALLCLOCK, 0, 0, 0, 0, SYS_ENOENT);
	assert_int_equal(call(SYS_SET_WALLCLOCK, 1764547200, 0, 0, 0), 0); /* 2025-12-01 */
	int64_t now = call(SYS_GET_WALLCLOCK, 0, 0, 0, 0);
	assert_true(now >= 1764547200 && now < 1764547200 + 60);
	/* Anyone may read it. */
	sw_set_caller(SW_STRANGER);
	assert_int_equal(call(SYS_GET_WALLCLOCK, 0, 0, 0, 0) / 60, now / 60);
}

/* The clock runs on the kernel's ticks from the setting. */
static void test_wallclock_runs_on_ticks(void **state)
{
	int64_t seconds;
	uint32_t hundredths;

	(void)state;
	assert_int_equal(wallclock_set(WALLCLOCK_MIN, 1000), K_OK);
	assert_int_equal(wallclock_get(1000 + 3 * TIMER_HZ + TIMER_HZ / 2, &seconds, &hundredths),
			 K_OK);
	assert_int_equal(seconds, WALLCLOCK_MIN + 3);
	assert_int_equal(hundredths, 50);
	/* A reading from before the setting is the setting itself. */
	assert_int_equal(wallclock_get(10, &seconds, &hundredths), K_OK);
	assert_int_equal(seconds, WALLCLOCK_MIN);
	assert_int_equal(hundredths, 0);
	wallclock_reset();
	assert_int_equal(wallclock_get(2000, &seconds, &hundredths), K_ENOENT);
}

/* ------------------------------------------------------ the interceptor */

/* The dispatcher decides the default interceptor's "allow" without its
 * hook; another interceptor's hook must still see every call -- listed,
 * unlisted and past the table -- with the caller, before any handler. */
static kpid_t seen_caller[8];
static uint64_t seen_number[8];
static unsigned seen;
static kerr_t verdict;

static kerr_t watch_syscall(kpid_t caller, uint64_t number)
{
	if (seen < sizeof(seen_number) / sizeof(seen_number[0])) {
		seen_caller[seen] = caller;
		seen_number[seen] = number;
	}
	seen++;
	return verdict;
}

static const struct interceptor watcher = {
	.name = "watcher",
	.on_send = NULL,
	.on_receive = NULL,
	.on_syscall = watch_syscall,
};

static void test_another_interceptor_sees_every_call(void **state)
{
	(void)state;
	interceptor_install(&watcher);
	seen = 0;
	verdict = K_OK;
	assert_int_equal(call(SYS_GETPID, 0, 0, 0, 0), PID_SLOT(sw_pid(SW_TRUSTED)));
	assert_int_equal(call(33, 0, 0, 0, 0), SYS_ENOSYS); /* a gap */
	assert_int_equal(call(HUGE, 0, 0, 0, 0), SYS_ENOSYS);
	assert_int_equal(seen, 3);
	assert_int_equal(seen_caller[0], sw_pid(SW_TRUSTED));
	assert_int_equal(seen_number[0], SYS_GETPID);
	assert_int_equal(seen_number[1], 33);
	assert_int_equal(seen_number[2], HUGE);
	/* A refusal comes back as its SYS_E* code, and nothing runs. */
	verdict = K_EPERM;
	sw_set_caller(SW_STRANGER);
	refused(SYS_GETPID, 0, 0, 0, 0, SYS_EPERM);
	refused(SYS_ALLOCATE, SW_PAGE, 0, 0, 0, SYS_EPERM);
	assert_int_equal(seen, 5);
	assert_int_equal(seen_caller[4], sw_pid(SW_STRANGER));
	/* Back to the default: allowed without a hook. */
	interceptor_install(NULL);
	assert_int_equal(call(SYS_GETPID, 0, 0, 0, 0), PID_SLOT(sw_pid(SW_STRANGER)));
	assert_int_equal(seen, 5);
}

/* ------------------------------------------------ WaitIrq and ConsoleRead */

static bool line_unmasked[IRQ_LINES];

static void fake_mask(unsigned line)
{
	line_unmasked[line] = false;
}

static void fake_unmask(unsigned line)
{
	line_unmasked[line] = true;
}

static const struct irq_chip fake_chip = { fake_mask, fake_unmask, NULL };

static void test_wait_irq_claims_for_the_first_waiter(void **state)
{
	(void)state;
	irq_router_init(&fake_chip, 1);
	assert_int_equal(irq_line_declare(10, true), K_OK);
	assert_int_equal(irq_line_declare(4, false), K_OK);
	assert_int_equal(irq_line_reserve(4), K_OK);
	/* The kernel's line: refused, still masked. */
	refused(SYS_WAIT_IRQ, 4, 0, 0, 0, SYS_EPERM);
	assert_false(line_unmasked[4]);
	/* The first waiter claims the line and sleeps with it unmasked. */
	struct sw_result r = sw_call(SYS_WAIT_IRQ, 10, 0, 0, 0, 0, 0);
	assert_int_equal(r.end, SW_BLOCKED);
	assert_true(line_unmasked[10]);
	struct irq_line_info info;
	assert_true(irq_line_info(10, &info));
	assert_int_equal(info.owner, sw_pid(SW_TRUSTED));
	/* A second wait of the holder while one is armed. */
	refused(SYS_WAIT_IRQ, 10, 0, 0, 0, SYS_EAGAIN);
	/* Another process: an interrupt it does not hold. */
	sw_set_caller(SW_STRANGER);
	refused(SYS_WAIT_IRQ, 10, 0, 0, 0, SYS_EPERM);
	/* The interrupt masks it; the holder's exit frees it for others. */
	assert_int_equal(irq_dispatch(10, 2, 0), IRQ_WAKE);
	assert_false(line_unmasked[10]);
	assert_int_equal(irq_release_owner(sw_pid(SW_TRUSTED)), 1);
	r = sw_call(SYS_WAIT_IRQ, 10, 0, 0, 0, 0, 0);
	assert_int_equal(r.end, SW_BLOCKED);
	assert_true(irq_line_info(10, &info));
	assert_int_equal(info.owner, sw_pid(SW_STRANGER));
	irq_router_init(&fake_chip, 1);
}

/* BindPrincipal: a process proves it holds its new key and speaks for it
 * from then on; every refusal changes nothing. */
static void test_bind_principal(void **state)
{
	static const uint8_t seed[ED25519_SEED_LEN] = { 0x42, 0x17 };
	uint8_t key[PRINCIPAL_LEN], other[PRINCIPAL_LEN], message[BIND_PRINCIPAL_MESSAGE_LEN];
	uint8_t signature[BIND_PRINCIPAL_SIGNATURE_LEN];
	const uint64_t key_at = SW_RW, sig_at = SW_RW + 64;
	uint64_t me = PID_SLOT(sw_pid(SW_TRUSTED));

	(void)state;
	ed25519_public_key(seed, key);
	memcpy(message, BIND_PRINCIPAL_CONTEXT, BIND_PRINCIPAL_CONTEXT_LEN);
	memcpy(message + BIND_PRINCIPAL_CONTEXT_LEN, key, PRINCIPAL_LEN);
	for (unsigned i = 0; i < 8; i++)
		message[BIND_PRINCIPAL_CONTEXT_LEN + PRINCIPAL_LEN + i] = (uint8_t)(me >> (8 * i));
	ed25519_sign(seed, key, message, sizeof(message), signature);
	memcpy(sw_user_page(key_at), key, sizeof(key));
	memcpy(sw_user_page(sig_at), signature, sizeof(signature));
	refused(SYS_BIND_PRINCIPAL, me, key_at, 31, sig_at, SYS_EINVAL);
	refused(SYS_BIND_PRINCIPAL, me, SW_HOLE, 32, sig_at, SYS_EFAULT);
	refused(SYS_BIND_PRINCIPAL, me, key_at, 32, SW_HOLE - 32, SYS_EFAULT); /* runs off */
	refused(SYS_BIND_PRINCIPAL, PID_SLOT(sw_peer()), key_at, 32, sig_at, SYS_EPERM);
	refused(SYS_BIND_PRINCIPAL, me + (1ull << 32), key_at, 32, sig_at, SYS_EPERM);
	/* The signature covers the pid: another process's, or a changed byte, fails. */
	sw_user_page(sig_at)[5] ^= 1;
	refused(SYS_BIND_PRINCIPAL, me, key_at, 32, sig_at, SYS_EPERM);
	sw_user_page(sig_at)[5] ^= 1;
	memcpy(sw_user_page(key_at), sw_principal()->key, PRINCIPAL_LEN);
	refused(SYS_BIND_PRINCIPAL, me, key_at, 32, sig_at, SYS_EINVAL); /* the bootstrap key */
	memcpy(sw_user_page(key_at), key, sizeof(key));
	/* A process without a Principal (so not the bootstrap one) binds nothing. */
	sw_set_caller(SW_STRANGER);
	memcpy(sw_user_page(key_at), key, sizeof(key));
	memcpy(sw_user_page(sig_at), signature, sizeof(signature));
	refused(SYS_BIND_PRINCIPAL, PID_SLOT(sw_pid(SW_STRANGER)), key_at, 32, sig_at, SYS_EPERM);
	sw_set_caller(SW_TRUSTED);
	assert_int_equal(call(SYS_BIND_PRINCIPAL, me, key_at, 32, sig_at), 0);
	assert_int_equal(call(SYS_GET_PRINCIPAL, SW_RW + 256, 32, 0, 0), PRINCIPAL_LEN);
	assert_memory_equal(sw_user_page(SW_RW + 256), key, PRINCIPAL_LEN);
	/* Once: it no longer speaks for the bootstrap Principal. */
	static const uint8_t seed2[ED25519_SEED_LEN] = { 0x43 };
	ed25519_public_key(seed2, other);
	memcpy(message + BIND_PRINCIPAL_CONTEXT_LEN, other, PRINCIPAL_LEN);
	ed25519_sign(seed2, other, message, sizeof(message), signature);
	memcpy(sw_user_page(key_at), other, sizeof(other));
	memcpy(sw_user_page(sig_at), signature, sizeof(signature));
	refused(SYS_BIND_PRINCIPAL, me, key_at, 32, sig_at, SYS_EPERM);
}

/* Nobody borrows a Principal another live process speaks for. */
static void test_bind_principal_refuses_a_key_in_use(void **state)
{
	static const uint8_t seed[ED25519_SEED_LEN] = { 0x44 };
	uint8_t message[BIND_PRINCIPAL_MESSAGE_LEN], signature[BIND_PRINCIPAL_SIGNATURE_LEN];
	struct principal key;
	uint64_t me = PID_SLOT(sw_pid(SW_TRUSTED));

	(void)state;
	ed25519_public_key(seed, key.key);
	kerr_t bound = process_bind_principal(sw_pid(SW_STRANGER), &key);
	assert_int_equal(bound, K_OK);
	memcpy(message, BIND_PRINCIPAL_CONTEXT, BIND_PRINCIPAL_CONTEXT_LEN);
	memcpy(message + BIND_PRINCIPAL_CONTEXT_LEN, key.key, PRINCIPAL_LEN);
	for (unsigned i = 0; i < 8; i++)
		message[BIND_PRINCIPAL_CONTEXT_LEN + PRINCIPAL_LEN + i] = (uint8_t)(me >> (8 * i));
	ed25519_sign(seed, key.key, message, sizeof(message), signature);
	memcpy(sw_user_page(SW_RW), key.key, PRINCIPAL_LEN);
	memcpy(sw_user_page(SW_RW + 64), signature, sizeof(signature));
	refused(SYS_BIND_PRINCIPAL, me, SW_RW, 32, SW_RW + 64, SYS_EPERM);
}

/* WaitIrqOrMessage: a message already queued on the caller's endpoint
 * ends the wait at once (1), the line masked again and the message left
 * queued; without one the caller sleeps with the line armed. */
static void test_wait_irq_or_message(void **state)
{
	struct irq_line_info info;
	static const char ping[] = "tx";

	(void)state;
	irq_router_init(&fake_chip, 1);
	assert_int_equal(irq_line_declare(10, true), K_OK);
	assert_int_equal(call(SYS_REGISTER_ENDPOINT, FREE_EP, 0, 0, 0), 0);
	refused(SYS_WAIT_IRQ_OR_MESSAGE, 10, IPC_ENDPOINTS, 0, 0, SYS_EINVAL);
	refused(SYS_WAIT_IRQ_OR_MESSAGE, 10, ENDPOINT_ECHO, 0, 0, SYS_EPERM); /* the peer's */
	refused(SYS_WAIT_IRQ_OR_MESSAGE, IRQ_LINES, FREE_EP, 0, 0, SYS_EINVAL);
	struct sw_result r = sw_call(SYS_WAIT_IRQ_OR_MESSAGE, 10, FREE_EP, 0, 0, 0, 0);
	assert_int_equal(r.end, SW_BLOCKED);
	assert_true(line_unmasked[10]);
	assert_int_equal(irq_dispatch(10, 2, 0), IRQ_WAKE);
	/* A message comes while the driver handles its interrupt. */
	sw_set_caller(SW_STRANGER);
	memcpy(sw_user_page(SW_RW), ping, sizeof(ping));
	assert_int_equal(call(SYS_WRITE, FREE_EP, SW_RW, sizeof(ping), 0), (int64_t)sizeof(ping));
	sw_set_caller(SW_TRUSTED);
	assert_int_equal(call(SYS_WAIT_IRQ_OR_MESSAGE, 10, FREE_EP, 0, 0), 1);
	assert_false(line_unmasked[10]);
	assert_true(irq_line_info(10, &info));
	assert_false(info.armed);
	assert_int_equal(info.owner, sw_pid(SW_TRUSTED));
	assert_int_equal(ipc_queued(FREE_EP), 1); /* left for TryRecvMsg */
	assert_int_equal(call(SYS_TRY_RECV_MSG, FREE_EP, SW_RW, 64, 0),
			 IPC_IDENTITY_PREFIX + (int64_t)sizeof(ping));
	r = sw_call(SYS_WAIT_IRQ_OR_MESSAGE, 10, FREE_EP, 0, 0, 0, 0);
	assert_int_equal(r.end, SW_BLOCKED);
	assert_true(line_unmasked[10]);
	irq_router_init(&fake_chip, 1);
}

/* A device's line belongs to the device's holder: another process may not
 * wait on it, the holder may. */
static void test_wait_irq_on_a_device_held_elsewhere(void **state)
{
	struct irq_line_info info;

	(void)state;
	irq_router_init(&fake_chip, 1);
	assert_int_equal(irq_line_declare(SW_NET_IRQ, true), K_OK);
	assert_true(call(SYS_MAP_MMIO, SW_MMIO_BAR, 1, 0, 0) > 0); /* holds the network device */
	sw_set_caller(SW_STRANGER);
	refused(SYS_WAIT_IRQ, SW_NET_IRQ, 0, 0, 0, SYS_EPERM);
	assert_true(irq_line_info(SW_NET_IRQ, &info));
	assert_int_equal(info.owner, PID_NONE);
	assert_false(line_unmasked[SW_NET_IRQ]);
	sw_set_caller(SW_TRUSTED);
	struct sw_result r = sw_call(SYS_WAIT_IRQ, SW_NET_IRQ, 0, 0, 0, 0, 0);
	assert_int_equal(r.end, SW_BLOCKED);
	assert_true(irq_line_info(SW_NET_IRQ, &info));
	assert_int_equal(info.owner, sw_pid(SW_TRUSTED));
	irq_router_init(&fake_chip, 1);
}

/* An MSI-X vector: its line is the enabler's alone, from the first call;
 * the function is claimed with it, so another process gets neither. */
static void test_enable_msix_gives_a_line_of_ones_own(void **state)
{
	struct irq_line_info info;

	(void)state;
	irq_router_init(&fake_chip, 1);
	int64_t line = call(SYS_ENABLE_MSIX, SW_DEVICE_NET, 5, 0, 0);
	assert_int_equal(line, IRQ_MSI_BASE);
	assert_int_equal(call(SYS_ENABLE_MSIX, SW_DEVICE_NET, 5, 0, 0), line);
	assert_int_equal(device_holder(SW_DEVICE_NET), sw_pid(SW_TRUSTED));
	volatile uint32_t *entry = pci_host_fake_msix(SW_DEVICE_NET, 5);
	assert_int_equal(entry[2], PCI_FAKE_MSI_DATA);
	sw_set_caller(SW_STRANGER);
	refused(SYS_ENABLE_MSIX, SW_DEVICE_NET, 0, 0, 0, SYS_EPERM);
	refused(SYS_WAIT_IRQ, (uint64_t)line, 0, 0, 0, SYS_EPERM);
	sw_set_caller(SW_TRUSTED);
	struct sw_result r = sw_call(SYS_WAIT_IRQ, (uint64_t)line, 0, 0, 0, 0, 0);
	assert_int_equal(r.end, SW_BLOCKED);
	assert_int_equal(entry[3] & 1, 0); /* unmasked while it waits */
	assert_true(irq_line_info((unsigned)line, &info));
	assert_int_equal(info.owner, sw_pid(SW_TRUSTED));
	assert_int_equal(irq_dispatch((unsigned)line, 2, 0), IRQ_WAKE);
	assert_int_equal(entry[3] & 1, 1);
	irq_router_init(&fake_chip, 1);
}

static void test_console_read_blocks_then_takes_what_is_there(void **state)
{
	(void)state;
	/* Nothing typed: the call sleeps (and takes nothing). */
	struct sw_result r = sw_call(SYS_CONSOLE_READ, SW_RW, 16, 0, 0, 0, 0);
	assert_int_equal(r.end, SW_BLOCKED);
	console_input_push((const uint8_t *)"hello\r", 6);
	/* Up to len bytes, in order; the rest stays for the next read. */
	assert_int_equal(call(SYS_CONSOLE_READ, SW_RW, 4, 0, 0), 4);
	assert_memory_equal(sw_user_page(SW_RW), "hell", 4);
	assert_int_equal(call(SYS_CONSOLE_READ, SW_RW + 100, 16, 0, 0), 2);
	assert_memory_equal(sw_user_page(SW_RW) + 100, "o\r", 2);
	/* A full ring drops what does not fit, and counts it. */
	static uint8_t lots[CONSOLE_INPUT_SIZE + 10];
	for (unsigned i = 0; i < sizeof(lots); i++)
		lots[i] = (uint8_t)i;
	uint64_t dropped = console_input_dropped();
	console_input_push(lots, sizeof(lots));
	assert_int_equal(console_input_dropped() - dropped, 10);
	assert_int_equal(call(SYS_CONSOLE_READ, SW_RW, CONSOLE_INPUT_SIZE, 0, 0),
			 CONSOLE_INPUT_SIZE);
	assert_memory_equal(sw_user_page(SW_RW), lots, CONSOLE_INPUT_SIZE);
	r = sw_call(SYS_CONSOLE_READ, SW_RW, 1, 0, 0, 0, 0);
	assert_int_equal(r.end, SW_BLOCKED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_every_refusal_changes_nothing, fresh_world),
		cmocka_unit_test_setup(test_wait_irq_claims_for_the_first_waiter, fresh_world),
		cmocka_unit_test_setup(test_wait_irq_on_a_device_held_elsewhere, fresh_world),
		cmocka_unit_test_setup(test_wait_irq_or_message, fresh_world),
		cmocka_unit_test_setup(test_bind_principal, fresh_world),
		cmocka_unit_test_setup(test_bind_principal_refuses_a_key_in_use, fresh_world),
		cmocka_unit_test_setup(test_console_read_blocks_then_takes_what_is_there, fresh_world),
		cmocka_unit_test_setup(test_refusals_in_a_busy_world, fresh_world),
		cmocka_unit_test_setup(test_exit_yield_getpid_gettime, fresh_world),
		cmocka_unit_test_setup(test_print_reads_up_to_the_last_byte, fresh_world),
		cmocka_unit_test_setup(test_write_queues_and_fills_up, fresh_world),
		cmocka_unit_test_setup(test_receive_prefix_payload_then_zeros, fresh_world),
		cmocka_unit_test_setup(test_messages_cross_page_boundaries, fresh_world),
		cmocka_unit_test_setup(test_read_gives_the_payload_only, fresh_world),
		cmocka_unit_test_setup(test_get_principal, fresh_world),
		cmocka_unit_test_setup(test_allocate_and_free, fresh_world),
		cmocka_unit_test_setup(test_page_hints_go_stale, fresh_world),
		cmocka_unit_test(test_index_nospec),
		cmocka_unit_test_setup(test_device_info, fresh_world),
		cmocka_unit_test_setup(test_port_io, fresh_world),
		cmocka_unit_test_setup(test_port_io_claims, fresh_world),
		cmocka_unit_test_setup(test_map_mmio, fresh_world),
		cmocka_unit_test_setup(test_map_mmio_area_full, fresh_world),
		cmocka_unit_test_setup(test_alloc_dma, fresh_world),
		cmocka_unit_test_setup(test_alloc_dma_out_of_memory, fresh_world),
		cmocka_unit_test_setup(test_driver_memory_goes_at_exit, fresh_world),
		cmocka_unit_test_setup(test_virtio_modern_caps, fresh_world),
		cmocka_unit_test_setup(test_enable_msix_gives_a_line_of_ones_own, fresh_world),
		cmocka_unit_test_setup(test_allocate_out_of_memory_keeps_nothing, fresh_world),
		cmocka_unit_test_setup(test_allocate_region_table_full, fresh_world),
		cmocka_unit_test_setup(test_free_is_per_process, fresh_world),
		cmocka_unit_test_setup(test_objects, fresh_world),
		cmocka_unit_test_setup(test_obj_put_signed, fresh_world),
		cmocka_unit_test_setup(test_spawn_and_wait, fresh_world),
		cmocka_unit_test_setup(test_kill_rules, fresh_world),
		cmocka_unit_test_setup(test_process_info, fresh_world),
		cmocka_unit_test_setup(test_system_and_cpu_info, fresh_world),
		cmocka_unit_test_setup(test_wallclock, fresh_world),
		cmocka_unit_test_setup(test_wallclock_runs_on_ticks, fresh_world),
		cmocka_unit_test_setup(test_another_interceptor_sees_every_call, fresh_world),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
