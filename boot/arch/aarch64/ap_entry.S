/*
 * ap_entry: what an application processor runs from PSCI CPU_ON until the
 * kernel releases it through its limine_mp_info->goto_address.
 *
 * smp.c copies [ap_trampoline_start, ap_trampoline_end) into a page of its
 * own, fills the struct ap_params at ap_trampoline_params, cleans the page
 * to the point of coherency and passes the page as the CPU_ON entry and the
 * AP's struct ap_slot (physical) as the context, which arrives in x0.
 * Layouts: ap_entry.h.
 *
 * The AP wakes up at the firmware's exception level with MMU and caches
 * off, so until step 3 every access goes straight to memory: only the
 * cleaned page is read, by PC-relative address (the code is copied, so
 * nothing here may depend on where it was linked).
 *  1. Mask DAIF; read the parameters into registers.
 *  2. At EL1: install MAIR, TCR, TTBR0 = the identity map, TTBR1 = the
 *     kernel's tables, VBAR = 0, CPACR = the BSP's; flush TLB and I-cache;
 *     enable the MMU with Limine's SCTLR.
 *     At EL2 (firmware running at EL2 starts its APs there): program the
 *     same EL1 registers, give EL1 the controls enter.S gives it on the BSP
 *     (HCR_EL2.RW, timer access, no FP traps) and ERET to EL1h at step 3's
 *     identity address, with the EL1 MMU already on.
 *  3. Jump to this code's HHDM alias, then switch TTBR0 to the empty table:
 *     the AP then runs exactly as the kernel will, with no lower half.
 *  4. Store-release 1 into the slot's booted flag: the BSP, polling it,
 *     knows the AP no longer needs the identity map or the trampoline.
 *  5. Park: wait for a non-zero goto_address. LDAXR arms the exclusive
 *     monitor on it, so the kernel's store clears the monitor, which sends
 *     this CPU an event and ends its WFE; an event that arrives between the
 *     load and the WFE is kept in the event register, so none is lost.
 *  6. Enter the kernel's function as the BSP enters the kernel: EL1t
 *     (SPSR 0x3c4, DAIF masked), SP_EL0 = info->reserved (its stack top),
 *     x0 = info, every other general-purpose register zero.
 * The AP never uses a stack of its own while in here.
 */
#include <asm/aarch64.h>

#include "ap_entry.h"

	.text
	.globl ap_trampoline_start
	.globl ap_trampoline_params
	.globl ap_trampoline_end
	.p2align 4
ap_trampoline_start:
	/* 1. Nothing may interrupt us; SP_EL1 is selected so that SP_EL0 can
	 * be written at the end. */
	msr daifset, #0xf
	msr spsel, #1
	mov x19, x0                             /* slot, physical */
	adr x0, ap_trampoline_params
	ldr x20, [x0, #AP_PARAMS_TTBR0_SWITCH]
	ldr x21, [x0, #AP_PARAMS_TTBR1]
	ldr x22, [x0, #AP_PARAMS_TTBR0_FINAL]
	ldr x23, [x0, #AP_PARAMS_MAIR]
	ldr x24, [x0, #AP_PARAMS_TCR]
	ldr x25, [x0, #AP_PARAMS_SCTLR]
	ldr x26, [x0, #AP_PARAMS_HHDM]
	ldr x27, [x0, #AP_PARAMS_CPACR]

	/* 2. The EL1 translation regime, at either level. */
	msr mair_el1, x23
	msr tcr_el1, x24
	msr ttbr0_el1, x20
	msr ttbr1_el1, x21
	msr vbar_el1, xzr
	msr cpacr_el1, x27
	mrs x1, CurrentEL
	cmp x1, #AP_CURRENT_EL_EL2
	b.eq from_el2

	isb
	tlbi vmalle1                            /* nothing cached from before reset */
	dsb nsh
	ic iallu
	dsb nsh
	isb
	msr sctlr_el1, x25
	isb
	b to_hhdm

from_el2:
	msr sctlr_el1, x25                      /* takes effect at EL1, after ERET */
	mov x1, #AP_HCR_EL2_RW
	msr hcr_el2, x1
	mrs x1, cnthctl_el2
	orr x1, x1, #AP_CNTHCTL_EL1_ACCESS
	msr cnthctl_el2, x1
	msr cntvoff_el2, xzr
	mov x1, #AP_CPTR_EL2_NO_TRAPS
	msr cptr_el2, x1
	msr hstr_el2, xzr
	isb
	tlbi vmalle1
	dsb nsh
	ic iallu
	dsb nsh
	isb
	adr x1, to_hhdm
	msr elr_el2, x1
	mov x1, #AP_SPSR_EL1H_MASKED
	msr spsr_el2, x1
	eret

	/* 3. At EL1 with the MMU on, on the identity map. */
to_hhdm:
	adr x1, 1f
	add x1, x1, x26
	br x1
1:
	msr ttbr0_el1, x22
	isb
	tlbi vmalle1
	dsb nsh
	isb

	/* 4. Report in, through the HHDM like everything from now on. */
	add x19, x19, x26                       /* slot, HHDM */
	ldr x20, [x19, #AP_SLOT_INFO]           /* info, HHDM */
	mov x1, #1
	add x2, x19, #AP_SLOT_BOOTED
	stlr x1, [x2]

	/* 5. Park until the kernel names a function. */
	add x21, x20, #MP_INFO_GOTO
park:
	ldaxr x22, [x21]
	cbnz x22, release
	wfe
	b park

	/* 6. Into the kernel. */
release:
	clrex
	msr elr_el1, x22
	ldr x1, [x20, #MP_INFO_STACK_TOP]
	msr sp_el0, x1
	mov x1, #AP_SPSR_EL1T_MASKED
	msr spsr_el1, x1
	mov x0, x20
	zero_gprs 1
	eret

	/* struct ap_params, filled in the copy by smp.c. */
	.p2align 3
ap_trampoline_params:
	.space AP_PARAMS_SIZE
ap_trampoline_end:
