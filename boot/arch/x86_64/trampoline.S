/*
 * trampoline: the first instructions of an x86_64 application processor.
 *
 * A SIPI starts the AP in real mode at CS:IP = (page >> 4):0 in whatever
 * page below 1 MiB smp.c copied this blob to. From there:
 *
 * 1. 16-bit: derive the page's physical base from CS, patch the three
 *    pointers that depend on it (temporary GDTR base, the two far-jump
 *    targets), load a null IDT (a stray exception then resets the machine
 *    instead of running garbage) and the GDT, set CR0.PE, far-jump to 0x18.
 * 2. 32-bit: flat data 0x20; CR4.PAE, IA32_PAT, IA32_EFER (LME [+NXE]),
 *    CR3 = the kernel's PML4, CR0 = PE|ET|WP|PG (caches on); far-jump to
 *    0x28. The kernel's PML4 still identity-maps its lower half, so the
 *    next fetch from this page works.
 * 3. 64-bit at the identity address: data 0x30, load the same GDT by its
 *    HHDM address (as the BSP's GDTR is), switch to the AP's own stack
 *    (info->reserved, HHDM) and far-return to the HHDM alias of the park
 *    loop, reloading CS from the HHDM GDT.
 * 4. Park (HHDM alias; the BSP will clear the identity half): report
 *    "booted", then poll info->goto_address. Once the kernel stores a
 *    function there: reload CR3 (drops stale identity TLB entries), reset
 *    the stack with a zero return address, rdi = info, every other GPR
 *    zero, and "return" into it with interrupts still off.
 *
 * Everything is relative to the blob's base: label differences in 16/32-bit
 * code, RIP-relative addressing in 64-bit code. The blob carries no
 * relocations. The AP reads the parameter block only before it reports
 * "booted", so the BSP may rewrite it for the next AP right after.
 * Parameter offsets: trampoline.h.
 */
#include <asm/x86_64.h>

#include "trampoline.h"

/* Limine's GDT layout (same as arch.c's limine_gdt). */
#define SEL_CODE32 0x18
#define SEL_DATA32 0x20
#define SEL_CODE64 0x28
#define SEL_DATA64 0x30

#define CR0_PE (1 << 0)
#define CR0_ET (1 << 4)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define MSR_PAT 0x277
#define MSR_EFER 0xc0000080

/* Offset of a blob label from the blob's start (= from the page base). */
#define OFF(label) label - ap_trampoline_start
#define PARAM(field) OFF(ap_trampoline_params) + field

	.text
	.globl ap_trampoline_start
	.globl ap_trampoline_params
	.globl ap_trampoline_end
	.p2align 4

	.code16
ap_trampoline_start:
	cli
	cld
	mov %cs, %ax
	mov %ax, %ds
	xor %ebx, %ebx
	mov %ax, %bx
	shl $4, %ebx                    /* ebx = physical base of this page */

	leal OFF(ap_gdt)(%ebx), %eax
	movl %eax, OFF(ap_gdtr_phys) + 2
	leal OFF(ap_protected)(%ebx), %eax
	movl %eax, OFF(ap_far_protected)
	leal OFF(ap_long)(%ebx), %eax
	movl %eax, OFF(ap_far_long)

	lidtl OFF(ap_null_idtr)
	lgdtl OFF(ap_gdtr_phys)
	mov %cr0, %eax
	or $CR0_PE, %eax
	mov %eax, %cr0
	ljmpl *OFF(ap_far_protected)

	.code32
ap_protected:
	mov $SEL_DATA32, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %fs
	mov %ax, %gs
	mov %ax, %ss

	mov $CR4_PAE, %eax
	mov %eax, %cr4
	mov $MSR_PAT, %ecx
	mov PARAM(AP_PARAM_PAT)(%ebx), %eax
	mov PARAM(AP_PARAM_PAT + 4)(%ebx), %edx
	wrmsr
	mov $MSR_EFER, %ecx
	mov PARAM(AP_PARAM_EFER)(%ebx), %eax
	xor %edx, %edx
	wrmsr
	mov PARAM(AP_PARAM_PML4)(%ebx), %eax
	mov %eax, %cr3
	mov $(CR0_PE | CR0_ET | CR0_WP | CR0_PG), %eax
	mov %eax, %cr0
	ljmp *OFF(ap_far_long)(%ebx)

	.code64
ap_long:
	mov $SEL_DATA64, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %fs
	mov %eax, %gs
	mov %eax, %ss

	lea ap_trampoline_params(%rip), %rsi
	mov AP_PARAM_HHDM(%rsi), %rdx
	lea ap_gdt(%rip), %rax
	add %rdx, %rax
	mov %rax, ap_gdtr_hhdm + 2(%rip)
	lgdt ap_gdtr_hhdm(%rip)

	mov AP_PARAM_INFO(%rsi), %rdi
	mov AP_INFO_STACK_TOP(%rdi), %rsp
	lea ap_park(%rip), %rax
	add %rdx, %rax
	pushq $SEL_CODE64
	pushq %rax
	lretq

ap_park:
	/* rdi (info) is all this AP needs from here on: tell the BSP. */
	movl $1, ap_trampoline_params + AP_PARAM_BOOTED(%rip)
1:
	pause
	mov AP_INFO_GOTO(%rdi), %rax    /* aligned 8-byte load: atomic */
	test %rax, %rax
	jz 1b

	mov %cr3, %rdx
	mov %rdx, %cr3
	mov AP_INFO_STACK_TOP(%rdi), %rsp
	pushq $0
	pushq %rax
	zero_gprs keep_rdi=1
	ret

	/* Limine's seven descriptors: null, 16-bit code/data, 32-bit
	 * code/data, 64-bit code/data. */
	.p2align 3
ap_gdt:
	.quad 0
	.quad 0x00009b000000ffff
	.quad 0x000093000000ffff
	.quad 0x00cf9b000000ffff
	.quad 0x00cf93000000ffff
	.quad 0x00209b0000000000
	.quad 0x0000930000000000
ap_gdt_end:

ap_null_idtr:
	.word 0
	.long 0
ap_gdtr_phys:                           /* base patched by the 16-bit code */
	.word ap_gdt_end - ap_gdt - 1
	.long 0
ap_gdtr_hhdm:                           /* base patched by the 64-bit code */
	.word ap_gdt_end - ap_gdt - 1
	.quad 0
ap_far_protected:                       /* m16:32 far pointers, offsets patched */
	.long 0
	.word SEL_CODE32
ap_far_long:
	.long 0
	.word SEL_CODE64

	.p2align 3
ap_trampoline_params:
	.space AP_PARAMS_SIZE
ap_trampoline_end:
