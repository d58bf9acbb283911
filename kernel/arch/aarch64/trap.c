/*
 * trap: the AArch64 side of exception handling.
 *
 * vectors.S saves the interrupted state in a struct trap_frame and calls
 * aarch64_trap_entry() with the vector entry that fired. Here the entry
 * and ESR_EL1 are decoded into the portable struct trap_info and handed to
 * trap_dispatch() (kernel/lib/trap.c), which owns the policy: report,
 * resume an expected fault, pass a user fault to its hook, or panic.
 *
 * One exception is not a trap: an SVC from EL0 is the system-call entry,
 * which vectors.S tells apart and runs itself (svc_entry); it never comes
 * here.
 *
 * Decoding is table-driven by ESR_EL1.EC (ARM ARM D17.2.37). Aborts get a
 * name that includes the fault status code in words ("data abort
 * (translation fault level 3)"), because the status code is what tells a
 * missing mapping from a permission problem. That name is built in the
 * CPU's own buffer (struct cpu), so CPUs reporting at once don't mix their
 * names; a nested trap while reporting ends in a panic anyway.
 *
 * Mapping notes: AArch64 has no separate protection fault; a write to a
 * read-only page is a data abort with a permission fault status, so it is
 * reported as TRAP_PAGE_FAULT. Integer division by zero does not trap.
 */
#include <arch.h>
#include <cpu.h>
#include <format.h>
#include <printk.h>
#include <trap.h>

#include "interrupts.h"
#include "percpu.h"
#include "sysreg.h"
#include "trap_frame.h"

/* ESR_EL1 layout (the class's place is in trap_frame.h, for vectors.S). */
#define ESR_EC_MASK 0x3f
#define ESR_ISS_MASK 0x1ffffff
#define ISS_ABORT_FNV (1u << 10)   /* FAR is not valid */
#define ISS_ABORT_WNR (1u << 6)    /* data abort: the access was a write */
#define ISS_ABORT_FSC_MASK 0x3f    /* DFSC / IFSC: fault status code */

/* Exception classes (ESR_EL1.EC) the kernel names. */
enum esr_class {
	EC_UNKNOWN = 0x00,         /* includes UDF and other undefined encodings */
	EC_WFX = 0x01,
	EC_FP_ACCESS = 0x07,       /* FP/SIMD use while CPACR_EL1.FPEN traps it */
	EC_BTI = 0x0d,
	EC_ILLEGAL_STATE = 0x0e,   /* ERET to an illegal PSTATE */
	EC_SVC64 = ESR_EC_SVC64,
	EC_SYSREG = 0x18,          /* trapped MSR/MRS/system instruction */
	EC_IABT_LOWER = 0x20,
	EC_IABT_CURRENT = 0x21,
	EC_PC_ALIGN = 0x22,
	EC_DABT_LOWER = 0x24,
	EC_DABT_CURRENT = 0x25,
	EC_SP_ALIGN = 0x26,
	EC_FP_EXCEPTION = 0x2c,
	EC_SERROR = 0x2f,
	EC_HW_BREAKPOINT_LOWER = 0x30,
	EC_HW_BREAKPOINT_CURRENT = 0x31,
	EC_STEP_LOWER = 0x32,
	EC_STEP_CURRENT = 0x33,
	EC_WATCHPOINT_LOWER = 0x34,
	EC_WATCHPOINT_CURRENT = 0x35,
	EC_BRK = 0x3c,
};

/* Fault status codes (DFSC/IFSC): the top four bits name the fault, the
 * low two bits the translation level for the level-indexed groups. */
#define FSC_LEVEL_MASK 0x3
#define FSC_GROUP_MASK 0x3c
#define FSC_ADDRESS_SIZE 0x00
#define FSC_TRANSLATION 0x04
#define FSC_ACCESS_FLAG 0x08
#define FSC_PERMISSION 0x0c
#define FSC_EXTERNAL_WALK 0x14
#define FSC_EXTERNAL 0x10
#define FSC_ALIGNMENT 0x21
#define FSC_TLB_CONFLICT 0x30

struct ec_desc {
	uint8_t ec;
	const char *name;
	enum trap_kind kind;
	bool far_valid;            /* FAR_EL1 holds the faulting address */
};

/* Synchronous exceptions other than aborts and SVC. */
static const struct ec_desc ec_table[] = {
	{ EC_UNKNOWN, "undefined instruction", TRAP_INVALID_OPCODE, false },
	{ EC_WFX, "trapped WFI/WFE", TRAP_OTHER, false },
	{ EC_FP_ACCESS, "FP/SIMD access trap", TRAP_INVALID_OPCODE, false },
	{ EC_BTI, "branch target exception", TRAP_PROTECTION, false },
	{ EC_ILLEGAL_STATE, "illegal execution state", TRAP_FATAL, false },
	{ EC_SYSREG, "trapped system register access", TRAP_PROTECTION, false },
	{ EC_PC_ALIGN, "PC alignment fault", TRAP_ALIGNMENT, true },
	/* FAR is UNKNOWN for SP alignment faults: the SP is in the frame. */
	{ EC_SP_ALIGN, "SP alignment fault", TRAP_ALIGNMENT, false },
	{ EC_FP_EXCEPTION, "floating-point exception", TRAP_OTHER, false },
	{ EC_SERROR, "SError", TRAP_FATAL, false },
	{ EC_HW_BREAKPOINT_LOWER, "hardware breakpoint", TRAP_BREAKPOINT, false },
	{ EC_HW_BREAKPOINT_CURRENT, "hardware breakpoint", TRAP_BREAKPOINT, false },
	{ EC_STEP_LOWER, "software step", TRAP_BREAKPOINT, false },
	{ EC_STEP_CURRENT, "software step", TRAP_BREAKPOINT, false },
	{ EC_WATCHPOINT_LOWER, "watchpoint", TRAP_BREAKPOINT, true },
	{ EC_WATCHPOINT_CURRENT, "watchpoint", TRAP_BREAKPOINT, true },
	{ EC_BRK, "breakpoint (BRK)", TRAP_BREAKPOINT, false },
};


static uint64_t esr_class(uint64_t esr)
{
	return (esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
}

static bool vec_from_user(uint64_t vec_id)
{
	return VEC_SOURCE(vec_id) == VEC_SOURCE_LOWER_A64 ||
	       VEC_SOURCE(vec_id) == VEC_SOURCE_LOWER_A32;
}

/* "translation fault level 3", "alignment fault", ... */
static const char *fault_status_group(uint64_t fsc)
{
	switch (fsc & FSC_GROUP_MASK) {
	case FSC_ADDRESS_SIZE: return "address size fault";
	case FSC_TRANSLATION: return "translation fault";
	case FSC_ACCESS_FLAG: return "access flag fault";
	case FSC_PERMISSION: return "permission fault";
	case FSC_EXTERNAL_WALK: return "external abort on table walk";
	default: return NULL;
	}
}

static const char *fault_status_single(uint64_t fsc)
{
	switch (fsc) {
	case FSC_EXTERNAL: return "synchronous external abort";
	case FSC_ALIGNMENT: return "alignment fault";
	case FSC_TLB_CONFLICT: return "TLB conflict abort";
	default: return NULL;
	}
}

/* Fills t->name with "<what> (<fault status in words>)". */
static void name_abort(struct trap_info *t, const char *what, uint64_t fsc)
{
	char *trap_name = cpu_this()->trap_name;
	const char *single = fault_status_single(fsc);
	const char *group = fault_status_group(fsc);

	if (single)
		format_snprintf(trap_name, CPU_TRAP_NAME_MAX, "%s (%s)", what, single);
	else if (group)
		format_snprintf(trap_name, CPU_TRAP_NAME_MAX, "%s (%s level %llu)", what, group,
				(unsigned long long)(fsc & FSC_LEVEL_MASK));
	else
		format_snprintf(trap_name, CPU_TRAP_NAME_MAX, "%s (fault status 0x%02llx)", what,
				(unsigned long long)fsc);
	t->name = trap_name;
}

static void decode_abort(struct trap_info *t, const struct trap_frame *f, bool data)
{
	uint64_t iss = f->esr & ESR_ISS_MASK;

	t->kind = TRAP_PAGE_FAULT;
	t->has_address = !(iss & ISS_ABORT_FNV);
	t->address = f->far;
	t->write = data && (iss & ISS_ABORT_WNR);
	t->fetch = !data;
	name_abort(t, data ? "data abort" : "instruction abort", iss & ISS_ABORT_FSC_MASK);
}

static void decode_other_sync(struct trap_info *t, const struct trap_frame *f, uint64_t ec)
{
	for (unsigned i = 0; i < sizeof(ec_table) / sizeof(ec_table[0]); i++) {
		if (ec_table[i].ec != ec)
			continue;
		t->name = ec_table[i].name;
		t->kind = ec_table[i].kind;
		t->has_address = ec_table[i].far_valid;
		t->address = f->far;
		return;
	}
	char *trap_name = cpu_this()->trap_name;

	format_snprintf(trap_name, CPU_TRAP_NAME_MAX, "exception class 0x%02llx",
			(unsigned long long)ec);
	t->name = trap_name;
	t->kind = TRAP_OTHER;
}

static void decode_sync(struct trap_info *t, const struct trap_frame *f)
{
	uint64_t ec = esr_class(f->esr);

	switch (ec) {
	case EC_IABT_LOWER:
	case EC_IABT_CURRENT:
		decode_abort(t, f, false);
		break;
	case EC_DABT_LOWER:
	case EC_DABT_CURRENT:
		decode_abort(t, f, true);
		break;
	case EC_SVC64:
		/* Only reached from EL1: user SVCs never get here. */
		t->name = "unexpected SVC";
		t->kind = TRAP_SYSCALL_UNEXPECTED;
		break;
	default:
		decode_other_sync(t, f, ec);
		break;
	}
}

/* IRQs are handled before decoding (gic.c); what reaches here is an IRQ
 * on the wrong stack, an FIQ (never enabled) or an SError (an
 * asynchronous hardware error). */
static void decode_async(struct trap_info *t, uint64_t vec_type)
{
	switch (vec_type) {
	case VEC_TYPE_IRQ:
	case VEC_TYPE_FIQ:
		/* ESR_EL1 is not written for interrupts: what it holds is stale. */
		t->name = vec_type == VEC_TYPE_IRQ ? "unexpected IRQ" : "unexpected FIQ";
		t->kind = TRAP_OTHER;
		t->vector = 0;
		t->code = 0;
		break;
	default:
		t->name = "SError";
		t->kind = TRAP_FATAL;
		break;
	}
}

void aarch64_trap_entry(uint64_t vec_id, struct trap_frame *f)
{
	struct trap_info t = {
		.vector = esr_class(f->esr),
		.code = f->esr,
		.from_user = vec_from_user(vec_id),
		.frame = f,
	};

	if (VEC_TYPE(vec_id) == VEC_TYPE_IRQ && (VEC_SOURCE(vec_id) == VEC_SOURCE_CUR_SPX ||
						 VEC_SOURCE(vec_id) == VEC_SOURCE_LOWER_A64)) {
		aarch64_interrupt();
		return;
	}
	if (VEC_SOURCE(vec_id) == VEC_SOURCE_LOWER_A32) {
		/* We never ERET to AArch32, so this is a corrupted SPSR. */
		t.name = "exception from AArch32 EL0";
		t.kind = TRAP_FATAL;
	} else if (VEC_TYPE(vec_id) == VEC_TYPE_SYNC) {
		decode_sync(&t, f);
	} else {
		decode_async(&t, VEC_TYPE(vec_id));
	}
	trap_dispatch(&t);
}

/* Installs the vectors. The stack switch comes first: once VBAR_EL1 is
 * live, every exception runs on SP_EL1, which until then holds nothing
 * the kernel set up. */
void arch_exceptions_init(void)
{
	aarch64_switch_to_sp_el1();
	write_vbar_el1((uint64_t)(uintptr_t)aarch64_vectors);
	isb();
	println("traps: vector table installed in VBAR_EL1 at 0x%016llx (kernel now on SP_EL1)",
		(unsigned long long)(uintptr_t)aarch64_vectors);
	arch_user_guards_install(); /* PAN where the CPU has it */
}

uint64_t arch_trap_frame_ip(const struct trap_frame *f)
{
	return f->elr;
}

uint64_t arch_trap_frame_fp(const struct trap_frame *f)
{
	return f->x[29];
}

void arch_trap_frame_set_ip(struct trap_frame *f, uint64_t ip)
{
	f->elr = ip;
}

/* The SP the interrupted code was using: SP_EL0 for EL0 and EL1t, else
 * the kernel stack just above the frame vectors.S pushed. */
static uint64_t interrupted_sp(const struct trap_frame *f)
{
	if (f->spsr & SPSR_MODE_SP_ELX)
		return (uint64_t)(uintptr_t)f + TRAP_FRAME_SIZE;
	return f->sp_el0;
}

#define REGS_PER_LINE 4
#define GENERAL_REGS 31

void arch_trap_frame_print(const struct trap_frame *f)
{
	for (int i = 0; i < GENERAL_REGS; i++) {
		printk("%s x%-2d 0x%016llx", i % REGS_PER_LINE ? "" : "  ", i,
		       (unsigned long long)f->x[i]);
		if (i % REGS_PER_LINE == REGS_PER_LINE - 1 || i == GENERAL_REGS - 1)
			printk("\n");
	}
	printk("   sp  0x%016llx elr 0x%016llx spsr 0x%08llx\n",
	       (unsigned long long)interrupted_sp(f), (unsigned long long)f->elr,
	       (unsigned long long)f->spsr);
	printk("   esr 0x%08llx         far 0x%016llx sp_el0 0x%016llx\n",
	       (unsigned long long)f->esr, (unsigned long long)f->far,
	       (unsigned long long)f->sp_el0);
}
