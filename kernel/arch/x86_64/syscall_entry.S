/*
 * syscall_entry: where the `syscall` instruction lands (IA32_LSTAR).
 *
 * The CPU has put the user's rip in rcx and rflags in r11, cleared the
 * flags in SFMASK (interrupts off) and switched to ring 0 -- but not the
 * stack. So: swapgs to reach the per-CPU block, park the user rsp there,
 * switch to the kernel entry stack, push a struct syscall_frame
 * {nr = rax, args = rdi rsi rdx r10 r8 r9} (highest field first) and run
 * the call.
 *
 * Running it: syscall_dispatch() is the one full path. The common case is
 * taken here instead, through the same table (syscall.h): the default
 * interceptor in force, whose hook allows every call, and a number with a
 * handler. Then the handler is called straight from the table, saving the
 * dispatcher's call, frame and return. Anything else -- another
 * interceptor, an unlisted number -- goes through syscall_dispatch(),
 * whose interceptor hook sees it first. The number is masked after its
 * bounds check with the flags of that check, so that a CPU speculating
 * past it (Spectre variant 1) loads a handler from inside the table, never
 * a pointer chosen by the caller.
 *
 * Returning with sysretq is only safe to a canonical lower-half rip: sysret
 * to a non-canonical address faults in ring 0 on the user's stack (the
 * classic SYSRET vulnerability). Such a return is refused in C instead.
 * Every scratch register but rax (the result) and rcx/r11 (the user's rip
 * and rflags) is cleared, so no kernel value leaks to user space; the C
 * code preserves the others.
 */
#include "percpu.h"

#define FRAME_SIZE 56           /* struct syscall_frame: nr + 6 arguments */
#define USER_HALF_SHIFT 47      /* rip >> 47 != 0: not a lower-half address */

	.text
	.global syscall_entry
	.p2align 4
syscall_entry:
	swapgs
	movq %rsp, %gs:CPU_USER_SP
	movq %gs:CPU_KERNEL_STACK, %rsp
	pushq %gs:CPU_USER_SP
	pushq %rcx
	pushq %r11
	pushq %r9                   /* the frame, from its last field down */
	pushq %r8
	pushq %r10
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rax                  /* nr, at the frame's start */
	movq %rsp, %rdi             /* the handler's argument: the frame */
	cmpq $interceptor_default, interceptor_in_force(%rip)
	jne 2f
	cmpq syscall_slots(%rip), %rax
	jae 2f
	sbbq %rdx, %rdx             /* all ones: nr is below the slots (CF) ... */
	andq %rdx, %rax             /* ... else 0, even where jae was mispredicted */
	movq syscall_handlers(, %rax, 8), %rax
	testq %rax, %rax
	jz 2f
	call *%rax
3:	addq $FRAME_SIZE, %rsp
	popq %r11
	popq %rcx
	popq %rsi                   /* the user's rsp */
	movq %rcx, %rdx
	shrq $USER_HALF_SHIFT, %rdx /* and rdx is 0 when it is a user address */
	jnz 1f
	xorl %edi, %edi
	xorl %r8d, %r8d
	xorl %r9d, %r9d
	xorl %r10d, %r10d
	movq %rsi, %rsp
	xorl %esi, %esi
	swapgs
	sysretq
1:	movq %rcx, %rdi
	call syscall_bad_return
	ud2
	/* Not the shortcut's case: the full path (rdi is still the frame). */
2:	call syscall_dispatch
	jmp 3b
