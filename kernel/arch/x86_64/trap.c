/*
 * trap: decoding x86_64 exceptions for the portable trap policy.
 *
 * trap_entry() is called by trap_entry.S with the saved frame. It names the
 * vector, reads CR2 for page faults, works out whether the CPU was in user
 * mode (the saved CS's privilege level), classifies the exception into an
 * enum trap_kind and hands it to trap_dispatch().
 */
#include <arch.h>
#include <printk.h>
#include <trap.h>

#include "descriptors.h"
#include "interrupts.h"
#include <x86_64/insn.h>
#include "trap_frame.h"

#define VECTOR_COUNT 32
#define PF_ERROR_PRESENT (1u << 0)
#define PF_ERROR_WRITE (1u << 1)
#define PF_ERROR_FETCH (1u << 4)

enum vector {
	V_DIVIDE = 0, V_DEBUG = 1, V_NMI = 2, V_BREAKPOINT = 3, V_INVALID_OPCODE = 6,
	V_DOUBLE_FAULT = 8, V_GENERAL_PROTECTION = 13, V_PAGE_FAULT = 14,
	V_ALIGNMENT_CHECK = 17, V_MACHINE_CHECK = 18,
};

static const char *const vector_names[VECTOR_COUNT] = {
	"divide error", "debug", "non-maskable interrupt", "breakpoint", "overflow",
	"bound range exceeded", "invalid opcode", "device not available", "double fault",
	"coprocessor segment overrun", "invalid TSS", "segment not present",
	"stack-segment fault", "general protection fault", "page fault", "reserved (15)",
	"x87 floating-point error", "alignment check", "machine check",
	"SIMD floating-point error", "virtualization exception", "control protection",
	"reserved (22)", "reserved (23)", "reserved (24)", "reserved (25)", "reserved (26)",
	"reserved (27)", "hypervisor injection", "VMM communication", "security exception",
	"reserved (31)",
};

static enum trap_kind classify(uint64_t vector)
{
	switch (vector) {
	case V_DIVIDE: return TRAP_DIVIDE_ERROR;
	case V_BREAKPOINT: return TRAP_BREAKPOINT;
	case V_INVALID_OPCODE: return TRAP_INVALID_OPCODE;
	case V_PAGE_FAULT: return TRAP_PAGE_FAULT;
	case V_GENERAL_PROTECTION: return TRAP_PROTECTION;
	case V_ALIGNMENT_CHECK: return TRAP_ALIGNMENT;
	case V_DOUBLE_FAULT:
	case V_MACHINE_CHECK:
	case V_NMI: return TRAP_FATAL;
	default: return TRAP_OTHER;
	}
}

void trap_entry(struct trap_frame *frame)
{
	if (frame->vector >= VECTOR_COUNT) {
		x86_interrupt(frame->vector);
		return;
	}
	struct trap_info t = {
		.name = frame->vector < VECTOR_COUNT ? vector_names[frame->vector] : "unknown",
		.kind = classify(frame->vector),
		.vector = frame->vector,
		.code = frame->error_code,
		.from_user = (frame->cs & 3) == 3,
		.frame = frame,
	};

	if (frame->vector == V_PAGE_FAULT) {
		t.has_address = true;
		t.address = read_cr2();
		t.write = (frame->error_code & PF_ERROR_WRITE) != 0;
		t.fetch = (frame->error_code & PF_ERROR_FETCH) != 0;
	}
	trap_dispatch(&t);
}

uint64_t arch_trap_frame_ip(const struct trap_frame *f)
{
	return f->rip;
}

uint64_t arch_trap_frame_fp(const struct trap_frame *f)
{
	return f->rbp;
}

void arch_trap_frame_set_ip(struct trap_frame *f, uint64_t ip)
{
	f->rip = ip;
}

void arch_trap_frame_print(const struct trap_frame *f)
{
	printk("  rax %016llx rbx %016llx rcx %016llx rdx %016llx\n", (unsigned long long)f->rax,
	       (unsigned long long)f->rbx, (unsigned long long)f->rcx, (unsigned long long)f->rdx);
	printk("  rsi %016llx rdi %016llx rbp %016llx rsp %016llx\n", (unsigned long long)f->rsi,
	       (unsigned long long)f->rdi, (unsigned long long)f->rbp, (unsigned long long)f->rsp);
	printk("  r8  %016llx r9  %016llx r10 %016llx r11 %016llx\n", (unsigned long long)f->r8,
	       (unsigned long long)f->r9, (unsigned long long)f->r10, (unsigned long long)f->r11);
	printk("  r12 %016llx r13 %016llx r14 %016llx r15 %016llx\n", (unsigned long long)f->r12,
	       (unsigned long long)f->r13, (unsigned long long)f->r14, (unsigned long long)f->r15);
	printk("  rip %016llx cs %04llx ss %04llx rflags %08llx cr2 %016llx cr3 %016llx\n",
	       (unsigned long long)f->rip, (unsigned long long)f->cs, (unsigned long long)f->ss,
	       (unsigned long long)f->rflags, (unsigned long long)read_cr2(),
	       (unsigned long long)read_cr3());
}

void arch_exceptions_init(void)
{
	gdt_init();
	idt_init();
	println("traps: GDT with TSS (IST stacks for #DF, NMI, #MC) and IDT (%d exception vectors) loaded",
		VECTOR_COUNT);
	arch_user_guards_install();              /* SMEP, SMAP where the CPU has them */
}
