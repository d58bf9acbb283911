/*
 * arch: the small interface portable kernel code uses to reach the CPU.
 *
 * Each architecture (arch/x86_64, arch/aarch64) implements every function
 * here with the same name; portable code never includes an arch directory
 * directly. Keep this list short: a new hook must be something both
 * architectures genuinely do differently. The few hooks that must be
 * inline come from arch_irq.h, found in the building arch's include/
 * directory (kernel/arch/<arch>/include; kernel/arch/host/include for the
 * host tests).
 */
#ifndef CAMBIOS_ARCH_H
#define CAMBIOS_ARCH_H

#include <arch_irq.h>
#include <stdbool.h>
#include <stdint.h>

/* Name of the architecture as printed in the banner. */
extern const char arch_name[];

/* The ELF e_machine of programs this CPU runs (62 x86_64, 183 AArch64). */
extern const uint16_t arch_elf_machine;

/* Makes code just written through the direct map at [kva, kva+size)
 * visible to instruction fetch on every CPU (AArch64 keeps separate
 * instruction caches; x86_64 keeps them coherent: nothing to do). */
void arch_sync_code(const void *kva, uint64_t size);

/* Points the boot CPU's per-CPU register (x86_64: the GS base; AArch64:
 * TPIDR_EL1) at CPU 0's struct cpu: the kernel's first step, before
 * anything -- a lock, a print -- asks cpu_this(). From then on the
 * question is one load, with no "is it set up yet?" before it. */
void arch_cpu_register_init(void);

/* AArch64: map the console UART into the kernel's page tables as device
 * memory, at QEMU virt's documented address (nothing has read the
 * firmware's tables yet, and nothing could report a failure), with
 * page-table pages taken from .bss (the frame allocator does not exist
 * yet). Needs the HHDM offset. x86_64: nothing to do, the HHDM already
 * covers MMIO. Returns false if the mapping could not be built. */
bool arch_early_map_mmio(void);

/* "Installing the Safety Net": x86_64 loads its GDT (with a TSS and IST
 * stacks) and an IDT covering all 32 CPU exceptions; AArch64 installs its
 * vector table in VBAR_EL1. From here on exceptions are reported, not
 * fatal resets. */
void arch_exceptions_init(void);

/* Whether integer division by zero raises an exception (x86_64 yes,
 * AArch64 no: it yields 0). */
extern const bool arch_divide_by_zero_traps;

/* Self-test support: executes, in kernel mode, an instruction that raises
 * `kind` (enum trap_kind), with trap_expect() armed to resume right after
 * it. Returns true if the trap fired and was survived; false if the arch
 * has no such trap (e.g. AArch64 has no divide error). */
bool arch_selftest_trap(int kind);

/* Reads the word at user address `va` directly, with `page_table_root` as
 * the user half's tables, as a careless kernel would (never outside the
 * self-tests). Returns true if the read faulted; else *value holds it. */
bool arch_selftest_read_user(uint64_t page_table_root, uint64_t va, uint64_t *value);

/* Reads the word at mapped user address `va` of `page_table_root` as user
 * code would see it (AArch64: an unprivileged load; x86_64: with SMAP
 * lifted for the one load), through the TLB (self-tests only). */
uint64_t arch_selftest_load_as_user(uint64_t page_table_root, uint64_t va);

/* Loads `root` (CR3 / TTBR0_EL1 with its ASID, as vm_space_root gives it)
 * as this CPU's user half, as a thread switch would, and returns the
 * value it replaced (self-tests only). */
uint64_t arch_selftest_switch_user_half(uint64_t root);

/* Reads the word at user address `va` in the user half this CPU has now,
 * as user code would see it (x86_64: SMAP lifted for the one load;
 * AArch64: an unprivileged load), through whatever its TLB holds, and
 * survives a fault: true if the read faulted, else *value holds the word
 * (self-tests only). */
bool arch_selftest_peek_user(uint64_t va, uint64_t *value);

/* The CPU's own guards against the kernel using user pages directly:
 * never executing them (x86_64 SMEP; AArch64 PXN, always) and never
 * reading or writing them (x86_64 SMAP; AArch64 PAN), where the CPU has
 * them. The kernel needs no exception to either rule: the user-copy
 * routines reach user memory through the direct map, never at user
 * addresses. arch_user_guards_install() turns them on for the calling CPU
 * (the BSP from arch_exceptions_init, each AP from arch_ap_init);
 * arch_user_guards() says which are on. */
struct arch_user_guards {
	bool no_execute; /* the kernel cannot run user code */
	bool no_access;  /* the kernel cannot read or write user data */
};
void arch_user_guards_install(void);
struct arch_user_guards arch_user_guards(void);

/* Whether this CPU's random-number instruction is there for user code:
 * RDRAND (x86_64) or RNDR (AArch64, FEAT_RNG). CpuFeatures tells programs. */
bool arch_cpu_has_random(void);

/* Finds where the kernel's own devices are from the firmware's tables
 * (firmware.h) -- x86_64: the local APIC; AArch64: the GICv3 and the
 * console UART -- maps what needs mapping, and prints one line saying
 * where each address came from. Runs once, before the heap: the console
 * already works (on AArch64 at QEMU virt's documented PL011 address,
 * mapped by arch_early_map_mmio(), until this may move it). */
void arch_devices_init(void);

/* Puts the kernel's own device registers (x86_64: the local and I/O
 * APICs; AArch64: the GIC and the console UART) on the list no user
 * mapping may touch (phys_guard.h). After arch_devices_init(). */
void arch_guard_own_devices(void);

/* Makes [phys, phys + size) reachable at its HHDM address as device
 * memory (uncached, never executable), for a device found later (PCI's
 * configuration space). False when it cannot be: x86_64's HHDM covers
 * 0-4 GiB, where the MTRRs already make device ranges uncached; AArch64
 * maps it, from a small pool of table pages. */
bool arch_map_device_memory(uint64_t phys, uint64_t size);

/* Whether the CPU has an I/O port space (x86_64; not AArch64). */
extern const bool arch_has_port_io;

/* Port I/O of 1, 2 or 4 bytes at `port`, which the caller has checked
 * (only where arch_has_port_io). */
void arch_port_io(uint16_t port, unsigned bytes, bool write, uint32_t *value);

/* Configure the boot console (COM1 16550 / PL011) and write to it. */
void arch_console_init(void);
void arch_console_putc(char c);

/* "Waking the Hardware". arch_interrupts_init() sets up the interrupt
 * controller -- x86_64: the 8259 PIC remapped to 0xf0-0xff and masked,
 * the local APIC on; AArch64: the GICv3 distributor, this CPU's
 * redistributor and CPU interface -- and prints what it found.
 * arch_timer_start(hz) starts this CPU's periodic timer, whose interrupt
 * calls timer_tick() (timer.h), and prints how. Both leave interrupts
 * masked on this CPU. */
void arch_interrupts_init(void);
void arch_timer_start(unsigned hz);

/* Opens the window over which arch_timer_start() measures this CPU's
 * timer against a reference clock, so that the boot's work between the
 * two fills it instead of a busy wait (x86_64: the local APIC timer
 * against the PIT, the PIC masked first; AArch64: nothing to measure,
 * CNTFRQ_EL0 gives the rate). arch_timer_start() opens one itself if
 * nobody did. */
void arch_timer_calibration_begin(void);

/* "Waking the Other CPUs". arch_ap_prepare() runs on the BSP before AP
 * `index` is released and returns what that AP needs of its own (x86_64:
 * GDT, TSS and stacks; AArch64: its static struct cpu), or NULL when memory is
 * short. arch_ap_init() runs first thing on the AP, before it takes any
 * lock: it installs those (cpu_index() then says `index`), the
 * exception vectors and the system-call entry, enables its interrupt
 * controller and starts its timer at the BSP's rate. Interrupts stay
 * masked. */
void *arch_ap_prepare(unsigned index);
void arch_ap_init(void *prepared, unsigned index);

/* arch_irq_enable() unmasks interrupts on this CPU for good.
 * arch_wait_for_interrupt() sleeps (hlt / wfi) until an interrupt comes,
 * lets it be handled, and returns with interrupts masked again. */
void arch_irq_enable(void);
void arch_wait_for_interrupt(void);

/* Interrupt masking on the current CPU. arch_irq_save() disables
 * interrupts and returns the previous state for arch_irq_restore(); both
 * are inline, in each arch's include/arch_irq.h. */
void arch_irq_disable(void);

/* A hint inside busy-wait loops (pause / yield). */
void arch_cpu_relax(void);

/* Stop this CPU for good: interrupts off, halt in a loop. */
__attribute__((noreturn)) void arch_halt_forever(void);

#endif
