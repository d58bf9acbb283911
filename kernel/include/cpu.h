/*
 * cpu: everything one CPU keeps of its own, in one place.
 *
 * Each CPU has one struct cpu (kernel/smp/cpu.c), found through a register
 * only the kernel controls: GS.base on x86_64 (swapped in on every entry
 * from user mode), TPIDR_EL1 on AArch64 (EL0 can neither read nor write
 * it). It holds what runs there (the run queue, whose `current` is the
 * running thread, and that thread's address space, which the user-copy
 * path trusts), the stack entries from user mode land on, the interrupt
 * nesting depth, the tick count, and the lock-order tracker. Nothing
 * per-CPU lives in a parallel array elsewhere.
 *
 * Only the CPU itself writes its struct, except where a field says
 * otherwise; others may read `ticks` (atomic) and, under `sched_lock`, the
 * run queue.
 *
 * The first words are reached by the entry assembly at fixed offsets
 * (CPU_*): keep them in step, checked below.
 */
#ifndef CAMBIOS_CPU_H
#define CAMBIOS_CPU_H

#define CPU_SELF 0          /* the struct's own address: GS-relative loads find it */
#define CPU_KERNEL_STACK 8  /* top of the stack entries from user mode land on */
#define CPU_USER_SP 16      /* x86_64 SYSCALL entry: the user's RSP, until it is pushed */
#define CPU_INDEX 24
#define CPU_STRUCTS 64      /* MP_MAX_CPUS (boot.h), checked in cpu.c */

#ifndef __ASSEMBLER__
#include <ipi.h>
#include <lock_debug.h>
#include <spinlock.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <thread.h>

struct address_space;

#define CPU_TRAP_NAME_MAX 64

struct cpu {
	/* Entry assembly reaches these at CPU_* offsets. */
	struct cpu *self;
	uint64_t kernel_stack;
	uint64_t user_sp;
	uint32_t index;                 /* 0 = the boot CPU */

	void *arch;                     /* arch-private (x86_64: its GDT, TSS and stacks) */
	/* Its name at the interrupt controller, for IPIs (ipi.h): x86_64 its
	 * local APIC ID, AArch64 its MPIDR affinity (Aff3 at 39:32, Aff2-0
	 * at 23:0). Set by the CPU itself as it starts. */
	uint64_t hw_id;
	atomic_uint_fast64_t ipis[IPI_KINDS]; /* IPIs received, by kind; read anywhere */
	/* TLB shootdowns (tlb.c): set by the CPU asking this one to flush,
	 * cleared here as it does; and how many it asked of others (one per
	 * CPU asked) and did for others. Read anywhere. */
	atomic_bool tlb_flush_pending;
	atomic_uint_fast64_t tlb_shootdowns_sent;
	atomic_uint_fast64_t tlb_shootdowns_served;

	/* What runs here. */
	/* The running thread's user space, or NULL. Set before the switch
	 * loads its root (thread.c), so a CPU that changes a mapping and then
	 * reads it here (tlb.c) cannot miss one about to cache it. */
	struct address_space *space;
	unsigned irq_depth;             /* interrupt handlers running (nested) */
	bool need_resched;              /* a tick asked for a switch at interrupt exit */
	atomic_uint_fast64_t ticks;     /* timer ticks taken here; read anywhere */
	struct lock_tracker locks;      /* spinlocks held, for the order check */
	char trap_name[CPU_TRAP_NAME_MAX];             /* a trap report's decoded name (AArch64) */

	/* The scheduler (thread.c). */
	struct spinlock sched_lock;     /* LOCK_SCHEDULER (irq): rq and its threads' states */
	struct run_queue rq;            /* rq.current is the running thread */
	struct thread idle;
	uint64_t kernel_root;           /* the page-table root kernel threads run with */
	bool sched_started;
	struct thread *switched_from;   /* an ended thread the switch in progress left (thread.c) */
	/* The thread the last switch here left (under sched_lock): until the
	 * next switch its registers may not all be saved, so no other CPU
	 * may take it (sched_migrate). */
	struct thread *last_left;
	uint64_t idle_ticks;            /* ticks the idle thread was running (under sched_lock) */
};

_Static_assert(offsetof(struct cpu, self) == CPU_SELF, "cpu: self");
_Static_assert(offsetof(struct cpu, kernel_stack) == CPU_KERNEL_STACK, "cpu: kernel_stack");
_Static_assert(offsetof(struct cpu, user_sp) == CPU_USER_SP, "cpu: user_sp");
_Static_assert(offsetof(struct cpu, index) == CPU_INDEX, "cpu: index");

/* Every CPU's struct, by index (kernel/smp/cpu.c). */
extern struct cpu cpu_structs[];

/* CPU `index`'s struct (set up or not), or NULL beyond MP_MAX_CPUS.
 * Inline: a cross-CPU wake-up asks on every message. */
static inline struct cpu *cpu_at(unsigned index)
{
	return index < CPU_STRUCTS ? &cpu_structs[index] : NULL;
}

/* Fills in the fields that say which CPU `c` is; the arch then points its
 * register at it (the BSP at boot, each AP as it starts). */
void cpu_claim(struct cpu *c, unsigned index);

#if __STDC_HOSTED__
/* The host tests: one struct cpu per host thread. */
struct cpu *cpu_this(void);
#else
/* The running CPU's struct: one load of the per-CPU register, which each
 * CPU points at its struct before anything asks (the boot CPU first thing,
 * arch_cpu_register_init; an AP in arch_ap_init). Inline: every lock asks.
 * volatile: a thread that blocked may resume on another CPU, so the
 * register is read again each time, never reused across a call. */
static inline struct cpu *cpu_this(void)
{
#if defined(__x86_64__)
	struct cpu *c;

	__asm__ volatile("movq %%gs:%c1, %0" : "=r"(c) : "i"(CPU_SELF));
	return c;
#elif defined(__aarch64__)
	struct cpu *c;

	__asm__ volatile("mrs %0, tpidr_el1" : "=r"(c));
	return c;
#else
#error "cpu_this: no per-CPU register for this architecture"
#endif
}
#endif

/* The running CPU's index. */
static inline unsigned cpu_index(void)
{
	return cpu_this()->index;
}

#endif

#endif
