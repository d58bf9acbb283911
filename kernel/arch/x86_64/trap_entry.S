/*
 * trap_entry: the 32 CPU-exception entry stubs, the interrupt stubs
 * (vector 32, the APIC timer; 33-96, device interrupts; 0xf0-0xff,
 * spurious) and their common path.
 *
 * Each stub makes the stack look the same (an error code, zero when the CPU
 * pushes none, then the vector number), and trap_common saves every
 * general-purpose register to complete a struct trap_frame (trap_frame.h),
 * calls trap_entry(frame) in C, restores and returns with iretq. The frame
 * may have been changed by the C side (a new rip to resume at).
 * Coming from user mode (CS RPL 3), swapgs makes GS the kernel's per-CPU
 * block on the way in and the user's again on the way out.
 */
#include "trap_frame.h"

/* Offsets on the stack at trap_common entry (before the GPR pushes). */
#define ENTRY_CS 24
#define RFLAGS_AC (1 << 18)

	.macro trap_stub_no_error vector
	.p2align 4
trap_stub_\vector:
	pushq $0
	pushq $\vector
	jmp trap_common
	.endm

	.macro trap_stub_error vector
	.p2align 4
trap_stub_\vector:
	pushq $\vector
	jmp trap_common
	.endm

	.text
	trap_stub_no_error 0
	trap_stub_no_error 1
	trap_stub_no_error 2
	trap_stub_no_error 3
	trap_stub_no_error 4
	trap_stub_no_error 5
	trap_stub_no_error 6
	trap_stub_no_error 7
	trap_stub_error 8
	trap_stub_no_error 9
	trap_stub_error 10
	trap_stub_error 11
	trap_stub_error 12
	trap_stub_error 13
	trap_stub_error 14
	trap_stub_no_error 15
	trap_stub_no_error 16
	trap_stub_error 17
	trap_stub_no_error 18
	trap_stub_no_error 19
	trap_stub_no_error 20
	trap_stub_error 21
	trap_stub_no_error 22
	trap_stub_no_error 23
	trap_stub_no_error 24
	trap_stub_no_error 25
	trap_stub_no_error 26
	trap_stub_no_error 27
	trap_stub_no_error 28
	trap_stub_error 29
	trap_stub_error 30
	trap_stub_no_error 31
	trap_stub_no_error 32
	/* Device interrupts: GSI g on vector 33 + g (ioapic.h). */
	.irp v, 33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96
	trap_stub_no_error \v
	.endr
	/* MSI-X: slot s on vector 97 + s (msi.c). */
	.irp v, 97,98,99,100,101,102,103,104,105,106,107,108,109,110,111,112,113,114,115,116,117,118,119,120,121,122,123,124,125,126,127,128,129,130,131,132,133,134,135,136,137,138,139,140,141,142,143,144,145,146,147,148,149,150,151,152,153,154,155,156,157,158,159,160
	trap_stub_no_error \v
	.endr
	trap_stub_no_error 224 /* IPI_RESCHEDULE (ipi.h) */
	trap_stub_no_error 225 /* IPI_TLB_SHOOTDOWN (ipi.h) */
	.irp v, 240,241,242,243,244,245,246,247,248,249,250,251,252,253,254,255
	trap_stub_no_error \v
	.endr

	.p2align 4
trap_common:
	testb $3, ENTRY_CS(%rsp)
	jz 1f
	swapgs
	/* A program may have set RFLAGS.AC (alignment checks); in ring 0 it
	 * would switch SMAP off, so the kernel never runs with it. (clac would
	 * be #UD on a CPU without SMAP; popfq works everywhere.) */
	pushfq
	andq $~RFLAGS_AC, (%rsp)
	popfq
1:	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	cld
	movq %rsp, %rdi
	call trap_entry
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp          /* vector and error code */
	testb $3, 8(%rsp)       /* the saved CS */
	jz 2f
	swapgs
2:	iretq

	.section .rodata
	.p2align 3
	.global trap_stubs
trap_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad trap_stub_\v
	.endr

	/* Interrupt stubs: vector 32, the device vectors 33..96, the MSI vectors
	 * 97..160, the reschedule IPI's 0xe0, the TLB shootdown's 0xe1, then
	 * 0xf0..0xff. */
	.global interrupt_stubs
interrupt_stubs:
	.irp v, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99,100,101,102,103,104,105,106,107,108,109,110,111,112,113,114,115,116,117,118,119,120,121,122,123,124,125,126,127,128,129,130,131,132,133,134,135,136,137,138,139,140,141,142,143,144,145,146,147,148,149,150,151,152,153,154,155,156,157,158,159,160,224,225,240,241,242,243,244,245,246,247,248,249,250,251,252,253,254,255
	.quad trap_stub_\v
	.endr
