/*
 * trap_frame: the registers an x86_64 exception stub saves, in the order it
 * pushes them (lowest address first). The CPU pushes the last five words
 * (and, for some vectors, the error code; the stub pushes a zero for the
 * others so every frame has the same shape). Offsets used by trap_entry.S
 * are checked below.
 */
#ifndef CAMBIOS_X86_TRAP_FRAME_H
#define CAMBIOS_X86_TRAP_FRAME_H

#define TRAP_FRAME_VECTOR 120
#define TRAP_FRAME_CS 144
#define TRAP_FRAME_SIZE 176

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;
	uint64_t error_code;
	/* pushed by the CPU */
	uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(offsetof(struct trap_frame, vector) == TRAP_FRAME_VECTOR, "frame vector");
_Static_assert(offsetof(struct trap_frame, cs) == TRAP_FRAME_CS, "frame cs");
_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE, "frame size");

/* Called by trap_entry.S for every CPU exception (trap.c). */
void trap_entry(struct trap_frame *frame);
#endif

#endif
