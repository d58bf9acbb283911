/*
 * enter: the last instructions of cambios-boot on AArch64 (EL1).
 *
 * void enter_kernel_a64(struct a64_handoff *h)     (h in x0)
 *
 * 1. Read every hand-off value into registers while the firmware's
 *    mapping is still live.
 * 2. Turn the MMU off: we run from identity-mapped memory, so the next
 *    fetch comes from the same physical address. No memory is touched
 *    while it is off.
 * 3. Install MAIR, TCR, TTBR0 = our identity map, TTBR1 = the kernel's
 *    tables; flush the TLB; turn the MMU on with Limine's SCTLR value.
 * 4. Jump to this code's HHDM alias, switch TTBR0 to the empty table and
 *    flush again: the kernel starts with an empty lower half.
 * 5. Enter the kernel by ERET at EL1t (SPSR 0x3c4: DAIF masked), SP_EL0 =
 *    stack top, VBAR_EL1 = 0, all general-purpose registers zero.
 * Firmware running at EL2 (common on hardware; QEMU with virtualization=on)
 * starts the loader at EL2. Then steps 2-3 become: program the EL1
 * translation registers (unused at EL2), give EL1 the controls Limine
 * gives it (HCR_EL2.RW, timer and FP/SIMD access, no trapping), and drop
 * to EL1h at the identity address of step 4, where the MMU is already on.
 * (Firmware using VHE, HCR_EL2.E2H = 1, is not handled.)
 * Offsets into struct a64_handoff are fixed in arch.c.
 */
#include <asm/aarch64.h>

	.text
	.globl enter_kernel_a64
	.p2align 4
enter_kernel_a64:
	msr daifset, #0xf
	ldr x19, [x0, #0x00]
	ldr x20, [x0, #0x08]
	ldr x21, [x0, #0x10]
	ldr x22, [x0, #0x18]
	ldr x23, [x0, #0x20]
	ldr x24, [x0, #0x28]
	ldr x25, [x0, #0x30]
	ldr x26, [x0, #0x38]
	ldr x27, [x0, #0x40]

	mrs x1, CurrentEL
	cmp x1, #(2 << 2)
	b.eq from_el2

	mrs x1, sctlr_el1
	bic x1, x1, #1
	msr sctlr_el1, x1
	isb

	msr mair_el1, x25
	msr tcr_el1, x26
	msr ttbr0_el1, x20
	msr ttbr1_el1, x19
	isb
	tlbi vmalle1
	dsb nsh
	isb
	msr sctlr_el1, x27
	isb
	b to_hhdm

from_el2:
	msr mair_el1, x25
	msr tcr_el1, x26
	msr ttbr0_el1, x20
	msr ttbr1_el1, x19
	msr sctlr_el1, x27
	mov x1, #(1 << 31)          /* HCR_EL2.RW: EL1 is AArch64 */
	msr hcr_el2, x1
	mrs x1, cnthctl_el2
	orr x1, x1, #3              /* EL1 may use the physical timer and counter */
	msr cnthctl_el2, x1
	msr cntvoff_el2, xzr
	mov x1, #0x33ff             /* CPTR_EL2: no FP/SIMD traps (RES1 bits set) */
	msr cptr_el2, x1
	msr hstr_el2, xzr
	isb
	tlbi vmalle1
	dsb nsh
	isb
	adr x1, to_hhdm
	msr elr_el2, x1
	mov x1, #0x3c5              /* EL1h, DAIF masked */
	msr spsr_el2, x1
	eret

to_hhdm:
	adr x1, 1f
	add x1, x1, x24
	br x1
1:
	msr ttbr0_el1, x21
	isb
	tlbi vmalle1
	dsb nsh
	isb

	msr spsel, #0
	mov sp, x23
	msr vbar_el1, xzr
	msr elr_el1, x22
	mov x1, #0x3c4
	msr spsr_el1, x1
	zero_gprs 0
	eret
