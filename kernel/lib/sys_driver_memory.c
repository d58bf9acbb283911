/*
 * sys_driver_memory: MapMmio and AllocDma (see sys_driver_memory.h).
 *
 * Each process slot keeps, for the process that is in it, the next free
 * address of each area: regions are handed out in address order, each
 * after a guard page, and never given back before the process ends, so a
 * bump pointer is all the bookkeeping needed. Only the process's own
 * thread reads or writes its record.
 */
#include <sys_driver_memory.h>

#include <abi/device.h>
#include <abi/syscall.h>
#include <current.h>
#include <device_claim.h>
#include <frame.h>
#include <hhdm.h>
#include <kstring.h>
#include <pci_host.h>
#include <phys_guard.h>
#include <process.h>
#include <usercopy.h>
#include <vm.h>

#define PAGE VM_PAGE_SIZE

struct areas {
	kpid_t pid;
	uint64_t mmio_next, dma_next; /* 0: the area's base */
};

static struct areas areas_table[PROCESS_MAX];

static struct areas *areas_of(kpid_t pid)
{
	struct areas *a = &areas_table[PID_SLOT(pid) % PROCESS_MAX];

	if (a->pid != pid)
		*a = (struct areas){ .pid = pid, .mmio_next = USER_MMIO_BASE,
				     .dma_next = USER_DMA_BASE };
	return a;
}

/* Where `pages` fit after a guard page below *next and with one above,
 * inside [*next, end); 0 when they do not. */
static uint64_t room(uint64_t next, uint64_t end, uint64_t pages)
{
	uint64_t start = next + PAGE;

	return pages * PAGE + PAGE <= end - start ? start : 0;
}

/* Whether a MapMmio range is acceptable apart from who holds its
 * device: SYS_EINVAL or SYS_EPERM, else 0 and its function. */
static int64_t check_mmio_range(uint64_t phys, uint64_t pages, unsigned *function)
{
	if (pages == 0 || pages > MAP_MMIO_MAX_PAGES || (phys & (PAGE - 1)))
		return SYS_EINVAL;
	if (phys > UINT64_MAX - pages * PAGE)
		return SYS_EINVAL;
	if (phys + pages * PAGE > VM_PHYS_LIMIT)
		return SYS_EPERM; /* no device is there, whatever a BAR says */
	if (!pci_bar_containing(pci_host_table(), false, phys, pages * PAGE, function))
		return SYS_EPERM;
	if (pci_msix_touches(&pci_host_table()->functions[*function], phys, pages * PAGE))
		return SYS_EPERM; /* the interrupt controller's, not the driver's */
	if (phys_guard_check(phys, pages * PAGE))
		return SYS_EPERM; /* a BAR claiming RAM or a kernel device */
	return 0;
}

int64_t sys_map_mmio(const struct syscall_frame *f)
{
	uint64_t phys = f->arg[0], pages = f->arg[1];
	kpid_t self = process_current();
	struct address_space *as = process_address_space(self);
	unsigned function = 0;
	bool fresh = false;

	int64_t bad = check_mmio_range(phys, pages, &function);
	if (bad)
		return bad;
	if (!as)
		return SYS_EINVAL;
	struct areas *a = areas_of(self);
	uint64_t va = room(a->mmio_next, USER_MMIO_END, pages);
	if (!va)
		return SYS_ENOMEM;
	if (device_claim(function, self, &fresh) != K_OK)
		return SYS_EPERM;
	kerr_t err = vm_map(as, va, phys, pages * PAGE, VM_USER | VM_WRITE | VM_DEVICE);
	if (err != K_OK) {
		if (fresh) /* it never reached the device: give the claim back as it was */
			device_unclaim_fresh(function, self);
		return err == K_EEXIST ? SYS_ENOMEM : syscall_error(err);
	}
	a->mmio_next = va + pages * PAGE;
	return (int64_t)va;
}

/* Frees the run and returns the error; nothing of it is mapped. */
static int64_t give_back(paddr_t run, uint64_t pages, kerr_t err)
{
	(void)frame_free_contiguous(run, pages);
	return err == K_EEXIST ? SYS_ENOMEM : syscall_error(err);
}

int64_t sys_alloc_dma(const struct syscall_frame *f)
{
	uint64_t pages = f->arg[0], flags = f->arg[1], out = f->arg[2];
	kpid_t self = process_current();
	struct address_space *as = process_address_space(self);
	paddr_t run;

	if (pages == 0 || pages > ALLOC_DMA_MAX_PAGES || flags != 0 || !as)
		return SYS_EINVAL;
	/* Before anything is taken: a bad pointer leaves no frame behind. */
	if (user_check_writable(out, sizeof(uint64_t)) != K_OK)
		return SYS_EFAULT;
	struct areas *a = areas_of(self);
	uint64_t va = room(a->dma_next, USER_DMA_END, pages);
	if (!va)
		return SYS_ENOMEM;
	if (frame_alloc_contiguous(pages, 1, &run) != K_OK)
		return SYS_ENOMEM;
	memset(phys_to_virt(run), 0, pages * PAGE);
	kerr_t err = vm_map(as, va, run, pages * PAGE, VM_USER | VM_WRITE);
	if (err != K_OK)
		return give_back(run, pages, err);
	uint64_t paddr = run;
	if (copy_to_user(out, &paddr, sizeof(paddr)) != K_OK) { /* checked above: cannot */
		(void)vm_unmap(as, va, pages * PAGE, false);
		return give_back(run, pages, K_EFAULT);
	}
	a->dma_next = va + pages * PAGE;
	return (int64_t)va;
}
