/*
 * enter: the last instructions of cambios-boot on x86_64.
 *
 * void enter_kernel_x86(struct x86_handoff *h)   (Microsoft x64 ABI: h in rcx)
 *
 * 1. Load the kernel's PML4. Its lower half identity-maps physical memory,
 *    so this code keeps running.
 * 2. Jump to this code's HHDM alias and move to the kernel stack (the
 *    firmware's stack is in the lower half), then clear PML4[0..255] and
 *    reload CR3: the kernel starts with an empty lower half.
 * 3. Load Limine's GDT (HHDM address), reload CS = 0x28 by a far return and
 *    the data segments with 0x30.
 * 4. Switch to the kernel stack, push a zero return address, clear every
 *    general-purpose register and "return" into the kernel entry point.
 * Offsets into struct x86_handoff are fixed in arch.c.
 */
#include <asm/x86_64.h>

	.text
	.globl enter_kernel_x86
	.p2align 4
enter_kernel_x86:
	cli
	cld
	mov %rcx, %rbx
	mov 0x00(%rbx), %rax
	mov %rax, %cr3
	mov 0x18(%rbx), %rdx
	add %rdx, %rbx
	lea 1f(%rip), %rax
	add %rdx, %rax
	jmp *%rax
1:
	mov 0x10(%rbx), %rsp
	mov 0x00(%rbx), %rdi
	add %rdx, %rdi
	xor %eax, %eax
	mov $256, %ecx
	rep stosq
	mov 0x00(%rbx), %rax
	mov %rax, %cr3
	lgdt 0x26(%rbx)
	pushq $0x28
	lea 2f(%rip), %rax
	pushq %rax
	lretq
2:
	mov $0x30, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %fs
	mov %eax, %gs
	mov %eax, %ss
	mov 0x10(%rbx), %rsp
	pushq $0
	pushq 0x08(%rbx)
	zero_gprs
	ret
