/*
 * vm: user address spaces on top of lib/pagetable (see vm.h).
 *
 * Table pages are frames from the frame allocator, zeroed and reached
 * through the HHDM. Decode-then-perform: every public function checks its
 * whole range first (user half, alignment, W^X) and only then edits tables,
 * so a refused request changes nothing.
 */
#include <vm.h>

#include <frame.h>
#include <hhdm.h>
#include <kstring.h>
#include <printk.h>
#include <stdatomic.h>

static _Atomic uint64_t kernel_root;

void vm_save_kernel_root(void)
{
	atomic_store(&kernel_root, arch_kernel_root());
	println("mm: kernel page-table root 0x%016llx saved",
		(unsigned long long)atomic_load(&kernel_root));
}

uint64_t vm_kernel_root(void)
{
	return atomic_load(&kernel_root);
}

static uint64_t table_alloc(void *ctx)
{
	paddr_t frame;

	(void)ctx;
	if (frame_alloc(&frame) != K_OK)
		return 0;
	memset(phys_to_virt(frame), 0, VM_PAGE_SIZE);
	return frame;
}

static void table_free(void *ctx, uint64_t phys)
{
	(void)ctx;
	if (frame_free(phys) != K_OK)
		println("vm: warning: table frame 0x%llx was not allocated", (unsigned long long)phys);
}

static uint64_t *table_ptr(void *ctx, uint64_t phys)
{
	(void)ctx;
	return phys_to_virt(phys);
}

static kerr_t kerr_from_pt(enum pt_result r)
{
	switch (r) {
	case PT_OK: return K_OK;
	case PT_ENOMEM: return K_ENOMEM;
	case PT_EEXIST: return K_EEXIST;
	case PT_ENOENT: return K_ENOENT;
	case PT_EWX: return K_EPERM;
	default: return K_EINVAL;
	}
}

/* The whole range must be page-aligned, non-empty, in the user half. */
static kerr_t check_user_range(uint64_t va, uint64_t size)
{
	if (size == 0 || (va | size) & (VM_PAGE_SIZE - 1))
		return K_EINVAL;
	if (va < VM_USER_START || va >= VM_USER_END || size > VM_USER_END - va)
		return K_EINVAL;
	return K_OK;
}

static kerr_t check_flags(unsigned flags)
{
	if ((flags & VM_EXEC) && (flags & (VM_WRITE | VM_DEVICE)))
		return K_EPERM;
	return (flags & ~(VM_WRITE | VM_EXEC | VM_USER | VM_DEVICE | VM_SHARED)) ? K_EINVAL : K_OK;
}

kerr_t vm_space_create(struct address_space *as)
{
	as->pt = (struct pagetable){
		.enforce_wx = true,
		.alloc_table = table_alloc,
		.free_table = table_free,
		.table_ptr = table_ptr,
		.tables_linear = true,
		.tables_offset = hhdm_offset(),
	};
	memset(as->hints, 0, sizeof(as->hints));
	as->next_hint = 0;
	arch_pagetable_describe(&as->pt);
	if (pt_create(&as->pt) != PT_OK)
		return K_ENOMEM;
	kerr_t err = arch_space_tag(as);
	if (err != K_OK) {
		table_free(NULL, as->pt.root);
		as->pt.root = 0;
		return err;
	}
	arch_space_share_kernel_half(phys_to_virt(as->pt.root), phys_to_virt(vm_kernel_root()));
	return K_OK;
}

uint64_t vm_space_root(const struct address_space *as)
{
	return arch_space_context(as);
}

kerr_t vm_map(struct address_space *as, uint64_t va, uint64_t pa, uint64_t size, unsigned flags)
{
	kerr_t err = check_user_range(va, size);

	if (err == K_OK)
		err = check_flags(flags);
	if (err == K_OK && ((pa & (VM_PAGE_SIZE - 1)) || pa >= VM_PHYS_LIMIT ||
			    size > VM_PHYS_LIMIT - pa))
		err = K_EINVAL;
	if (err != K_OK)
		return err;
	for (uint64_t off = 0; off < size; off += VM_PAGE_SIZE) {
		uint64_t pa_unused;
		unsigned f;
		if (vm_translate(as, va + off, &pa_unused, &f) == K_OK)
			return K_EEXIST;
	}
	err = kerr_from_pt(pt_map(&as->pt, va, pa, size, flags | VM_USER, PT_PAGE_4K));
	if (err != K_OK) { /* only K_ENOMEM can get here: undo the partial work */
		(void)pt_unmap(&as->pt, va, size);
		/* Live for a moment: another thread of the space may have used
		 * a page, and the caller frees the frames next. */
		arch_tlb_flush_range(as, va, size);
	}
	return err;
}

/* Unmaps and frees the first `mapped` bytes of a failed vm_map_zeroed. */
static void unwind_zeroed(struct address_space *as, uint64_t va, uint64_t mapped)
{
	if (mapped)
		(void)vm_unmap(as, va, mapped, true);
}

kerr_t vm_map_zeroed(struct address_space *as, uint64_t va, uint64_t size, unsigned flags)
{
	kerr_t err = check_user_range(va, size);

	if (err == K_OK)
		err = check_flags(flags);
	for (uint64_t off = 0; err == K_OK && off < size; off += VM_PAGE_SIZE) {
		paddr_t frame;
		err = frame_alloc(&frame);
		if (err != K_OK)
			break;
		memset(phys_to_virt(frame), 0, VM_PAGE_SIZE);
		err = vm_map(as, va + off, frame, VM_PAGE_SIZE, flags);
		if (err != K_OK) {
			(void)frame_free(frame);
			unwind_zeroed(as, va, off);
		}
	}
	return err;
}

/* Before a change that takes pages away or narrows rights: every hint
 * that knew the old mappings goes stale. */
static void forget_hints(struct address_space *as)
{
	atomic_fetch_add_explicit(&as->generation, 1, memory_order_release);
}

/* Pages vm_unmap takes down per TLB flush: their frames are held on the
 * stack until every CPU's entries for them are gone. */
#define UNMAP_BATCH_PAGES 32

/* Unmaps [va, va + pages) (all mapped), flushes it everywhere, and only
 * then frees the frames, if asked: a frame back in the allocator is no
 * longer reachable through any CPU's TLB. */
static kerr_t unmap_batch(struct address_space *as, uint64_t va, uint64_t pages,
			  bool free_frames)
{
	paddr_t frames[UNMAP_BATCH_PAGES];
	uint64_t size = pages * VM_PAGE_SIZE;
	unsigned flags;

	for (uint64_t i = 0; free_frames && i < pages; i++)
		(void)vm_translate(as, va + i * VM_PAGE_SIZE, &frames[i], &flags);
	kerr_t err = kerr_from_pt(pt_unmap(&as->pt, va, size));
	arch_tlb_flush_range(as, va, size);
	for (uint64_t i = 0; free_frames && i < pages; i++)
		(void)frame_free(frames[i]);
	return err;
}

kerr_t vm_unmap(struct address_space *as, uint64_t va, uint64_t size, bool free_frames)
{
	kerr_t err = check_user_range(va, size);
	uint64_t pa;
	unsigned flags;

	for (uint64_t off = 0; err == K_OK && off < size; off += VM_PAGE_SIZE)
		err = vm_translate(as, va + off, &pa, &flags);
	if (err != K_OK)
		return err;
	forget_hints(as); /* before the frames can go back */
	for (uint64_t off = 0; off < size; off += UNMAP_BATCH_PAGES * VM_PAGE_SIZE) {
		uint64_t left = (size - off) / VM_PAGE_SIZE;
		kerr_t e = unmap_batch(as, va + off,
				       left < UNMAP_BATCH_PAGES ? left : UNMAP_BATCH_PAGES,
				       free_frames);
		if (err == K_OK)
			err = e;
	}
	return err;
}

kerr_t vm_protect(struct address_space *as, uint64_t va, uint64_t size, unsigned flags)
{
	kerr_t err = check_user_range(va, size);

	if (err == K_OK)
		err = check_flags(flags);
	if (err != K_OK)
		return err;
	forget_hints(as);
	err = kerr_from_pt(pt_protect(&as->pt, va, size, flags | VM_USER));
	arch_tlb_flush_range(as, va, size);
	return err;
}

kerr_t vm_translate(const struct address_space *as, uint64_t va, uint64_t *pa, unsigned *flags)
{
	uint64_t page_size;

	if (va >= VM_USER_END)
		return K_EINVAL;
	if (!pt_translate(&as->pt, va, pa, flags, &page_size))
		return K_ENOENT;
	return (*flags & VM_USER) ? K_OK : K_ENOENT;
}

/* A shared frame (a channel's) is its owner's to free, never the space's. */
static void free_leaf_frame(void *ctx, uint64_t va, uint64_t pa, unsigned flags)
{
	(void)ctx;
	(void)va;
	if (!(flags & VM_SHARED))
		(void)frame_free(pa);
}

/* No TLB flush before the frames go: no CPU runs in the space, and on
 * x86_64 leaving it wrote CR3, which dropped all its entries; AArch64's
 * stay tagged with its ASID, unusable until arch_space_untag drops them
 * everywhere and the ASID can be given again. */
void vm_space_destroy(struct address_space *as)
{
	forget_hints(as);
	pt_destroy_user(&as->pt, free_leaf_frame);
	table_free(NULL, as->pt.root);
	as->pt.root = 0;
	arch_space_untag(as); /* after: no walk can refill its entries now */
}
