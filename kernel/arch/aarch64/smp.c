/*
 * smp: an AArch64 application processor's own set-up (see arch.h).
 *
 * The BSP allocates the AP's per-CPU block; the AP installs it
 * (TPIDR_EL1), moves to SP_EL1 and the shared vector table as the BSP did,
 * then wakes its own GICv3 redistributor and CPU interface and starts its
 * virtual timer at the BSP's rate.
 */
#include <arch.h>
#include <heap.h>

#include "interrupts.h"
#include "percpu.h"
#include "sysreg.h"
#include "trap_frame.h"

void *arch_ap_prepare(unsigned index)
{
	(void)index;
	return kzalloc(sizeof(struct a64_percpu));
}

void arch_ap_init(void *prepared, unsigned index)
{
	a64_percpu_install(prepared, index);
	aarch64_switch_to_sp_el1();
	write_vbar_el1((uint64_t)(uintptr_t)aarch64_vectors);
	isb();
	arch_user_guards_install();
	gic_start_ap();
}
