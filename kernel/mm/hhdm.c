/*
 * hhdm: storage for the higher-half direct-map offset.
 *
 * Relaxed ordering is enough: the value is written once on the BSP before
 * any other CPU is released, and the release of an AP (an atomic store of
 * its goto_address) orders everything before it.
 */
#include <hhdm.h>

#include <stdatomic.h>

_Atomic uint64_t hhdm_offset_value;

void hhdm_set_offset(uint64_t offset)
{
	atomic_store_explicit(&hhdm_offset_value, offset, memory_order_relaxed);
}
