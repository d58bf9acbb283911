/*
 * hhdm: the higher-half direct map, where all physical memory is visible.
 *
 * The offset is the first thing the kernel learns (the boot story's step 1)
 * and lives in an atomic rather than on a heap that does not exist yet.
 */
#ifndef CAMBIOS_HHDM_H
#define CAMBIOS_HHDM_H

#include <stdatomic.h>
#include <stdint.h>

/* Written by hhdm_set_offset only; read through hhdm_offset. */
extern _Atomic uint64_t hhdm_offset_value;

/* Records the offset; called once, first thing in kmain. */
void hhdm_set_offset(uint64_t offset);

/* Inline: every user copy and page-table step converts through it. */
static inline uint64_t hhdm_offset(void)
{
	return atomic_load_explicit(&hhdm_offset_value, memory_order_relaxed);
}

static inline void *phys_to_virt(uint64_t phys)
{
	return (void *)(uintptr_t)(phys + hhdm_offset());
}

static inline uint64_t virt_to_phys_hhdm(const void *virt)
{
	return (uint64_t)(uintptr_t)virt - hhdm_offset();
}

#endif
