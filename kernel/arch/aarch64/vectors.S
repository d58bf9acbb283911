/*
 * vectors: the AArch64 exception vector table and its entry/exit path.
 *
 * The table has 16 entries of 128 bytes (ARM ARM D1.10.2), in four groups
 * by where the exception came from (EL1 on SP_EL0, EL1 on SP_EL1, EL0
 * AArch64, EL0 AArch32), each with four types (synchronous, IRQ, FIQ,
 * SError). VBAR_EL1 ignores its low 11 bits, hence the 2 KiB alignment.
 *
 * Stack discipline. Every exception taken to EL1 runs on SP_EL1 (the CPU
 * sets PSTATE.SP = 1 on entry). arch_exceptions_init() moves the kernel to
 * EL1h (SPSel = 1) at boot, so:
 *   - an exception from kernel code pushes its frame on the current kernel
 *     stack, just below the interrupted code's SP;
 *   - an exception from EL0 lands on SP_EL1 as arch_user_enter() left it:
 *     the top of the user thread's own kernel stack;
 *   - SP_EL0 belongs to user code and is saved/restored in every frame.
 * A kernel stack overflow is not detected here yet (the frame push would
 * fault again); that needs guard pages and a separate overflow stack.
 *
 * Each entry reserves a struct trap_frame (trap_frame.h), saves x0/x1,
 * puts its VEC_ID in x0 and branches to the common path, which saves the
 * rest, builds a frame record {interrupted x29, ELR} so backtraces walk
 * from the handler into the interrupted code, calls
 * aarch64_trap_entry(vec_id, frame), then restores everything, including
 * ELR/SPSR/SP_EL0 as the C side may have changed them, and ERETs.
 *
 * The one exception: an SVC from EL0, a system call, is told apart at the
 * top of the EL0 synchronous entry (ESR_EL1.EC) and takes svc_entry, which
 * saves only what the C code does not keep for it -- see there.
 */
#include "trap_frame.h"

	.section .text.vectors, "ax"

/* Both entry paths save the caller-saved registers x2-x17 (x0/x1 are
 * saved by the vector itself) ... */
.macro save_x2_to_x17
	stp x2, x3, [sp, #TF_X0 + 2 * 8]
	stp x4, x5, [sp, #TF_X0 + 4 * 8]
	stp x6, x7, [sp, #TF_X0 + 6 * 8]
	stp x8, x9, [sp, #TF_X0 + 8 * 8]
	stp x10, x11, [sp, #TF_X0 + 10 * 8]
	stp x12, x13, [sp, #TF_X0 + 12 * 8]
	stp x14, x15, [sp, #TF_X0 + 14 * 8]
	stp x16, x17, [sp, #TF_X0 + 16 * 8]
.endm

/* ... and x30, SP_EL0, ELR and SPSR; x2 = ELR and x3 = SPSR after it. */
.macro save_x30_and_eret_state
	mrs x2, sp_el0
	stp x30, x2, [sp, #TF_X30]          /* x30, then sp_el0 right after it */
	mrs x2, elr_el1
	mrs x3, spsr_el1
	stp x2, x3, [sp, #TF_ELR]
.endm

/* The way back, for both: the ERET state, x30 and SP_EL0 from the frame
 * (the handler may have changed them) ... */
.macro restore_eret_state_and_x30
	ldp x2, x3, [sp, #TF_ELR]
	msr elr_el1, x2
	msr spsr_el1, x3
	ldp x30, x2, [sp, #TF_X30]
	msr sp_el0, x2
.endm

/* ... and x2-x17. */
.macro restore_x2_to_x17
	ldp x2, x3, [sp, #TF_X0 + 2 * 8]
	ldp x4, x5, [sp, #TF_X0 + 4 * 8]
	ldp x6, x7, [sp, #TF_X0 + 6 * 8]
	ldp x8, x9, [sp, #TF_X0 + 8 * 8]
	ldp x10, x11, [sp, #TF_X0 + 10 * 8]
	ldp x12, x13, [sp, #TF_X0 + 12 * 8]
	ldp x14, x15, [sp, #TF_X0 + 14 * 8]
	ldp x16, x17, [sp, #TF_X0 + 16 * 8]
.endm

.macro vector_entry source, type
	.balign 128
	sub sp, sp, #TRAP_FRAME_SIZE
	stp x0, x1, [sp, #TF_X0]
	mov x0, #VEC_ID(\source, \type)
	b trap_common
.endm

/* EL0 synchronous: a system call (EC = SVC64) goes to svc_entry, every
 * other exception to trap_common like the rest. ESR_EL1 is 64 bits (ISS2
 * above bit 31), so the class is extracted, not shifted out. */
.macro vector_el0_sync
	.balign 128
	sub sp, sp, #TRAP_FRAME_SIZE
	stp x0, x1, [sp, #TF_X0]
	mrs x0, esr_el1
	ubfx x1, x0, #ESR_EC_SHIFT, #ESR_EC_BITS
	cmp x1, #ESR_EC_SVC64
	b.eq svc_entry
	mov x0, #VEC_ID(VEC_SOURCE_LOWER_A64, VEC_TYPE_SYNC)
	b trap_common
.endm

	.balign 2048
	.global aarch64_vectors
	.type aarch64_vectors, %object
aarch64_vectors:
	vector_entry VEC_SOURCE_CUR_SP0, VEC_TYPE_SYNC
	vector_entry VEC_SOURCE_CUR_SP0, VEC_TYPE_IRQ
	vector_entry VEC_SOURCE_CUR_SP0, VEC_TYPE_FIQ
	vector_entry VEC_SOURCE_CUR_SP0, VEC_TYPE_SERROR
	vector_entry VEC_SOURCE_CUR_SPX, VEC_TYPE_SYNC
	vector_entry VEC_SOURCE_CUR_SPX, VEC_TYPE_IRQ
	vector_entry VEC_SOURCE_CUR_SPX, VEC_TYPE_FIQ
	vector_entry VEC_SOURCE_CUR_SPX, VEC_TYPE_SERROR
	vector_el0_sync
	vector_entry VEC_SOURCE_LOWER_A64, VEC_TYPE_IRQ
	vector_entry VEC_SOURCE_LOWER_A64, VEC_TYPE_FIQ
	vector_entry VEC_SOURCE_LOWER_A64, VEC_TYPE_SERROR
	vector_entry VEC_SOURCE_LOWER_A32, VEC_TYPE_SYNC
	vector_entry VEC_SOURCE_LOWER_A32, VEC_TYPE_IRQ
	vector_entry VEC_SOURCE_LOWER_A32, VEC_TYPE_FIQ
	vector_entry VEC_SOURCE_LOWER_A32, VEC_TYPE_SERROR
	.size aarch64_vectors, . - aarch64_vectors

/* x0 = VEC_ID, x0/x1 already saved, sp = the frame. */
trap_common:
	save_x2_to_x17
	stp x18, x19, [sp, #TF_X0 + 18 * 8]
	stp x20, x21, [sp, #TF_X0 + 20 * 8]
	stp x22, x23, [sp, #TF_X0 + 22 * 8]
	stp x24, x25, [sp, #TF_X0 + 24 * 8]
	stp x26, x27, [sp, #TF_X0 + 26 * 8]
	stp x28, x29, [sp, #TF_X0 + 28 * 8]
	save_x30_and_eret_state
	mrs x3, esr_el1
	mrs x4, far_el1
	stp x3, x4, [sp, #TF_ESR]
	stp x29, x2, [sp, #TF_RECORD]       /* {fp, "return address" = elr} */
	add x29, sp, #TF_RECORD
	mov x1, sp
	bl aarch64_trap_entry

	/* The handler may have changed elr (resume elsewhere) or x0 (the
	 * syscall result), so everything comes back from the frame. */
	restore_eret_state_and_x30
	ldp x0, x1, [sp, #TF_X0]
	restore_x2_to_x17
	ldp x18, x19, [sp, #TF_X0 + 18 * 8]
	ldp x20, x21, [sp, #TF_X0 + 20 * 8]
	ldp x22, x23, [sp, #TF_X0 + 22 * 8]
	ldp x24, x25, [sp, #TF_X0 + 24 * 8]
	ldp x26, x27, [sp, #TF_X0 + 26 * 8]
	ldp x28, x29, [sp, #TF_X0 + 28 * 8]
	add sp, sp, #TRAP_FRAME_SIZE
	eret
	.size trap_common, . - trap_common

/*
 * svc_entry: a system call from EL0. x0/x1 are saved in the struct
 * trap_frame the vector reserved, x0 = ESR_EL1; the number is in x8, the
 * arguments in x0-x5 (include/abi/syscall.h).
 *
 * What is saved, and why that is enough. The C code keeps x19-x29 and the
 * stack pointer for its caller (AAPCS64), also when the call blocks and
 * other threads run in between (the switch keeps them too). What it does
 * not keep -- x0-x18 and x30 -- is saved here and every one of them but
 * x0 (the result) is put back, so the program sees its own values and no
 * kernel value. ELR, SPSR and SP_EL0 are saved and put back because
 * another thread's exceptions may change them while this call blocks.
 * The frame record {x29, ELR} links backtraces into the program as in
 * trap_common, and holds the program's x29 for the return. x19-x29 (but
 * that record) and FAR are not saved: nothing reads a system call's frame
 * but this path (a fault in the kernel during the call has a frame of its
 * own), which is what makes this entry cheap.
 *
 * The call itself: struct syscall_frame {nr, arg[6]} is laid out as the
 * word just below the trap frame (x8, the number) followed by the frame's
 * x0-x5 -- the same words, no copy (checked in trap_frame.h). Then, as on
 * x86_64 (syscall.h): with the default interceptor in force, whose hook
 * allows every call, and a listed number, the handler is called straight
 * from the table; anything else goes through syscall_dispatch(), whose
 * interceptor hook sees it first. The handler's result comes back in x0.
 * After its bounds check the number is masked by csel on that check's
 * flags, with CSDB after it, so that a CPU speculating past the check
 * (Spectre variant 1) loads a handler from inside the table only.
 */
svc_entry:
	save_x2_to_x17
	str x18, [sp, #TF_X0 + 18 * 8]
	save_x30_and_eret_state
	str x0, [sp, #TF_ESR]
	stp x29, x2, [sp, #TF_RECORD]       /* {fp, "return address" = elr} */
	add x29, sp, #TF_RECORD
	str x8, [sp, #-SVC_NR_BELOW]        /* syscall_frame.nr */
	sub x0, sp, #SVC_NR_BELOW           /* the struct syscall_frame */
	sub sp, sp, #SVC_EXTRA              /* keeps that word, and sp aligned */
	adrp x9, interceptor_in_force
	ldr x9, [x9, :lo12:interceptor_in_force] /* compared only, never followed */
	adrp x10, interceptor_default
	add x10, x10, :lo12:interceptor_default
	cmp x9, x10
	b.ne 2f
	adrp x9, syscall_slots
	ldr x9, [x9, :lo12:syscall_slots]
	cmp x8, x9
	b.hs 2f
	csel x8, x8, xzr, lo                /* 0 where b.hs was mispredicted ... */
	hint #20                            /* csdb: ... and no speculation uses it unmasked */
	adrp x9, syscall_handlers
	add x9, x9, :lo12:syscall_handlers
	ldr x9, [x9, x8, lsl #3]
	cbz x9, 2f
	blr x9
3:	add sp, sp, #SVC_EXTRA
	restore_eret_state_and_x30
	ldr x29, [sp, #TF_RECORD]           /* the program's x29 */
	ldr x1, [sp, #TF_X0 + 1 * 8]
	restore_x2_to_x17
	ldr x18, [sp, #TF_X0 + 18 * 8]
	add sp, sp, #TRAP_FRAME_SIZE
	eret
	/* Not the shortcut's case: the full path (x0 is still the frame). */
2:	bl syscall_dispatch
	b 3b
	.size svc_entry, . - svc_entry

/*
 * void aarch64_switch_to_sp_el1(void)
 *
 * Limine enters the kernel at EL1t: SP is SP_EL0. This copies the live
 * stack pointer into SP_EL1 and selects it, so the function returns on the
 * same stack (same address, same contents) but through SP_EL1. It touches
 * no memory, so running on the stack being moved is safe. SP_EL0 is then
 * cleared: from now on it holds only user stack pointers. (MSR SP_EL0 is
 * only allowed once SPSel = 1.)
 */
	.text
	.global aarch64_switch_to_sp_el1
	.type aarch64_switch_to_sp_el1, %function
aarch64_switch_to_sp_el1:
	mov x9, sp
	msr spsel, #1
	mov sp, x9
	msr sp_el0, xzr
	isb
	ret
	.size aarch64_switch_to_sp_el1, . - aarch64_switch_to_sp_el1
