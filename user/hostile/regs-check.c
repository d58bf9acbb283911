/* regs-check: looks at every register it can read, at its very first
 * instruction (its own _start, before any code of its own has run), and
 * exits with 0 only if the kernel handed it all of them clear. Otherwise
 * the exit code says what leaked:
 *   1 a general register (all but the stack pointer)
 *   2 a data segment selector (x86_64) / the thread pointers (AArch64)
 *   3 a SIMD/FP register (XMM0-15 and the x87/MMX stack / V0-V31)
 *   4 the SIMD/FP control or status (FCW, FSW, FTW, MXCSR / FPCR, FPSR)
 *     is not as after a reset
 * Run right after regs-dirty, which leaves a marker in all of them. */
#include "hostile.h"

CAMBIOS_MODULE_ROLE("regs-check");

/* The system-call numbers as assembler symbols (SYS_EXIT, ...) for the
 * _start below: in C they are an enum, which asm text cannot name. */
__asm__(
#define SYSCALL(nr, name, handler, summary) ".equ SYS_" #name ", " #nr "\n"
#include <abi/syscalls.def>
#undef SYSCALL
);

#if defined(__x86_64__)
__asm__(".text\n"
	".global _start\n"
	"_start:\n"
	/* 1: every general register but rsp, folded into rax */
	"	.irp r, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15\n"
	"	orq %\\r, %rax\n"
	"	.endr\n"
	"	movl $1, %edi\n"
	"	jnz 9f\n"
	/* 2: ds, es, fs, gs */
	"	movl %ds, %eax\n"
	"	movl %es, %ecx\n"
	"	orl %ecx, %eax\n"
	"	movl %fs, %ecx\n"
	"	orl %ecx, %eax\n"
	"	movl %gs, %ecx\n"
	"	orl %ecx, %eax\n"
	"	movl $2, %edi\n"
	"	jnz 9f\n"
	/* 3: the x87/MMX registers (bytes 32-159 of the FXSAVE image) and
	 * XMM0-15 (160-415) */
	"	leaq fxsave_area(%rip), %rbx\n"
	"	fxsave (%rbx)\n"
	"	xorl %eax, %eax\n"
	"	movl $32, %ecx\n"
	"1:	orq (%rbx,%rcx), %rax\n"
	"	addl $8, %ecx\n"
	"	cmpl $416, %ecx\n"
	"	jne 1b\n"
	"	testq %rax, %rax\n"
	"	movl $3, %edi\n"
	"	jnz 9f\n"
	/* 4: FCW 0x37f, FSW 0, FTW 0 (all empty), MXCSR 0x1f80 */
	"	movl $4, %edi\n"
	"	cmpw $0x37f, 0(%rbx)\n"
	"	jne 9f\n"
	"	cmpw $0, 2(%rbx)\n"
	"	jne 9f\n"
	"	cmpb $0, 4(%rbx)\n"
	"	jne 9f\n"
	"	cmpl $0x1f80, 24(%rbx)\n"
	"	jne 9f\n"
	"	xorl %edi, %edi\n"
	"9:	movl $SYS_EXIT, %eax\n"
	"	syscall\n"
	"	ud2\n"
	".bss\n"
	".p2align 4\n"
	"fxsave_area: .skip 512\n");
#else
__asm__(".arch_extension fp\n"
	".arch_extension simd\n"
	".text\n"
	".global _start\n"
	"_start:\n"
	/* 1: x0-x30, folded into x0 */
	"	.irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30\n"
	"	orr x0, x0, x\\n\n"
	"	.endr\n"
	"	mov x1, #1\n"
	"	cbnz x0, 9f\n"
	/* 2: the thread pointers */
	"	mrs x9, tpidr_el0\n"
	"	mrs x10, tpidrro_el0\n"
	"	orr x9, x9, x10\n"
	"	mov x1, #2\n"
	"	cbnz x9, 9f\n"
	/* 3: both halves of V0-V31 */
	"	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
	"	fmov x10, d\\n\n"
	"	orr x9, x9, x10\n"
	"	mov x10, v\\n\\().d[1]\n"
	"	orr x9, x9, x10\n"
	"	.endr\n"
	"	mov x1, #3\n"
	"	cbnz x9, 9f\n"
	/* 4: FPCR and FPSR as after a reset (zero) */
	"	mrs x9, fpcr\n"
	"	mrs x10, fpsr\n"
	"	orr x9, x9, x10\n"
	"	mov x1, #4\n"
	"	cbnz x9, 9f\n"
	"	mov x1, #0\n"
	"9:	mov x0, x1\n"
	"	mov x8, #SYS_EXIT\n"
	"	svc #0\n"
	"	udf #0\n");
#endif
