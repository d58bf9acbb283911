/*
 * smp: an AArch64 application processor's own set-up (see arch.h).
 *
 * The AP points TPIDR_EL1 at its struct cpu (static: the BSP has nothing
 * to allocate for it), moves to SP_EL1 and the shared vector table as the BSP did,
 * then wakes its own GICv3 redistributor and CPU interface and starts its
 * virtual timer at the BSP's rate.
 */
#include <arch.h>

#include "interrupts.h"
#include "mmio.h"
#include "percpu.h"
#include "sysreg.h"
#include "trap_frame.h"

void *arch_ap_prepare(unsigned index)
{
	return cpu_at(index);
}

void arch_ap_init(void *prepared, unsigned index)
{
	(void)prepared;
	allow_unaligned_access(); /* before any memcpy (sysreg.h) */
	mmio_install_device_attributes(); /* before the redistributor is touched */
	a64_percpu_install(index);
	aarch64_switch_to_sp_el1();
	write_vbar_el1((uint64_t)(uintptr_t)aarch64_vectors);
	isb();
	arch_user_guards_install();
	gic_start_ap();
}
