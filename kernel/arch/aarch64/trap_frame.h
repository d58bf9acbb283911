/*
 * trap_frame: the memory layouts that AArch64 assembly and C share.
 *
 * One structure crosses the asm/C boundary: struct trap_frame, what
 * vectors.S saves on the stack at every exception and hands to
 * aarch64_trap_entry(). Assembly cannot see C structs, so each field's
 * offset is a macro here,
 * and the C half of this header checks every macro against offsetof() at
 * compile time: a field moved in one place and not the other breaks the
 * build instead of the machine. (The HelenOS autocheck pattern, by hand.)
 */
#ifndef CAMBIOS_AARCH64_TRAP_FRAME_H
#define CAMBIOS_AARCH64_TRAP_FRAME_H

/* ---- struct trap_frame ------------------------------------------------ */

#define TF_X0 0           /* x0..x30, 8 bytes each: x(n) at TF_X0 + 8n */
#define TF_X29 (29 * 8)
#define TF_X30 (30 * 8)
#define TF_SP_EL0 248     /* the user stack pointer (or stale, from EL1) */
#define TF_ELR 256        /* where the exception was taken: the return address */
#define TF_SPSR 264       /* PSTATE at the exception: mode, DAIF, flags */
#define TF_ESR 272        /* syndrome: exception class and details */
#define TF_FAR 280        /* faulting address (aborts, alignment) */
#define TF_RECORD 288     /* frame record {x29, elr}: backtraces walk through traps */
#define TRAP_FRAME_SIZE 304 /* a multiple of 16: SP stays aligned (SCTLR.SA) */

/* ESR_EL1's exception class, bits 31:26, and the one vectors.S looks for
 * (ARM ARM D17.2.37). */
#define ESR_EC_SHIFT 26
#define ESR_EC_BITS 6
#define ESR_EC_SVC64 0x15       /* SVC from AArch64 */

/* svc_entry's struct syscall_frame: its nr is the word SVC_NR_BELOW bytes
 * below the trap frame, so its arguments are the frame's x0-x5; SVC_EXTRA
 * bytes keep that word below the stack pointer's 16-byte alignment. */
#define SVC_NR_BELOW 8
#define SVC_EXTRA 16

/* Which of the 16 vector-table entries fired: (source << 2) | type. */
#define VEC_TYPE_SYNC 0
#define VEC_TYPE_IRQ 1
#define VEC_TYPE_FIQ 2
#define VEC_TYPE_SERROR 3
#define VEC_SOURCE_CUR_SP0 0    /* from EL1 running on SP_EL0 (EL1t) */
#define VEC_SOURCE_CUR_SPX 1    /* from EL1 running on SP_EL1 (EL1h): the kernel */
#define VEC_SOURCE_LOWER_A64 2  /* from EL0 in AArch64: user code */
#define VEC_SOURCE_LOWER_A32 3  /* from EL0 in AArch32: never entered by us */
#define VEC_ID(source, type) (((source) << 2) | (type))
#define VEC_SOURCE(id) ((id) >> 2)
#define VEC_TYPE(id) ((id) & 3)

/* SPSR_EL1 fields (ARM ARM C5.2.18): M[3:0] is the mode the exception came
 * from (EL0t = 0, EL1t = 4, EL1h = 5), M[0] says which SP it used, and
 * D, A, I, F at bits 9..6 are the masks ERET restores. */
#define SPSR_MODE_MASK 0xf
#define SPSR_MODE_EL0T 0x0
#define SPSR_MODE_SP_ELX 0x1            /* M[0]: the EL's own SP, not SP_EL0 */
#define SPSR_DAIF_ALL (0xf << 6)
/* Entering EL0 with IRQs open (the timer may interrupt user code);
 * debug, SError and FIQ stay masked. */
#define SPSR_I (1 << 7)
#define SPSR_EL0T_IRQS_ON (SPSR_MODE_EL0T | (SPSR_DAIF_ALL & ~SPSR_I))

#ifndef __ASSEMBLER__

#include <stddef.h>
#include <stdint.h>
#include <syscall.h>

struct trap_frame {
	uint64_t x[31];
	uint64_t sp_el0;
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
	uint64_t record[2];
};

_Static_assert(offsetof(struct trap_frame, x) == TF_X0, "vectors.S: x0");
_Static_assert(offsetof(struct trap_frame, x[29]) == TF_X29, "vectors.S: x29");
_Static_assert(offsetof(struct trap_frame, x[30]) == TF_X30, "vectors.S: x30");
_Static_assert(offsetof(struct trap_frame, sp_el0) == TF_SP_EL0, "vectors.S: sp_el0");
_Static_assert(offsetof(struct trap_frame, elr) == TF_ELR, "vectors.S: elr");
_Static_assert(offsetof(struct trap_frame, spsr) == TF_SPSR, "vectors.S: spsr");
_Static_assert(offsetof(struct trap_frame, esr) == TF_ESR, "vectors.S: esr");
_Static_assert(offsetof(struct trap_frame, far) == TF_FAR, "vectors.S: far");
_Static_assert(offsetof(struct trap_frame, record) == TF_RECORD, "vectors.S: record");
_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE, "vectors.S: frame size");
_Static_assert(TRAP_FRAME_SIZE % 16 == 0, "the stack pointer must stay 16-byte aligned");
_Static_assert(offsetof(struct syscall_frame, nr) == 0 &&
		       offsetof(struct syscall_frame, arg) == SVC_NR_BELOW &&
		       sizeof(((struct syscall_frame *)0)->arg[0]) == sizeof(uint64_t) && TF_X0 == 0,
	       "vectors.S: a syscall_frame is the word below the trap frame, then its x0-x5");
_Static_assert(SVC_EXTRA % 16 == 0 && SVC_EXTRA >= SVC_NR_BELOW,
	       "vectors.S: svc_entry keeps sp aligned and its word below it");

/* vectors.S -> trap.c: every exception, with its VEC_ID(). */
void aarch64_trap_entry(uint64_t vec_id, struct trap_frame *f);

/* vectors.S: moves the running stack from SP_EL0 to SP_EL1 and selects
 * SP_EL1 (EL1t -> EL1h). Called once, from arch_exceptions_init(). */
void aarch64_switch_to_sp_el1(void);

/* The vector table itself (vectors.S), 2 KiB aligned. */
extern const char aarch64_vectors[];

#endif /* __ASSEMBLER__ */

#endif
