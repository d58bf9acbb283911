/*
 * smp: an x86_64 application processor's own set-up (see arch.h).
 *
 * The BSP allocates the AP's GDT, TSS and stacks; the AP installs them
 * (which points its GS at its per-CPU block), loads the shared IDT,
 * programs its own SYSCALL MSRs -- they are per CPU -- and starts its
 * local APIC and timer.
 */
#include <arch.h>

#include "descriptors.h"
#include "interrupts.h"
#include "percpu.h"

void *arch_ap_prepare(unsigned index)
{
	(void)index;
	return cpu_tables_create();
}

void arch_ap_init(void *prepared, unsigned index)
{
	cpu_tables_install_ap(prepared, index);
	idt_load();
	syscall_msrs_install();
	arch_user_guards_install();
	lapic_start_ap();
}
