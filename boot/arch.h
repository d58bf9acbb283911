/*
 * arch: what cambios-boot needs from the CPU architecture it runs on.
 *
 * Implemented once per architecture under boot/arch/<arch>/, with the same
 * function names. Everything else in the loader is portable.
 */
#ifndef CAMBIOS_BOOT_ARCH_H
#define CAMBIOS_BOOT_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#include <pagetable.h>

struct loader;

/* The value of ${ARCH} in limine.conf ("x86-64" or "aarch64"). */
extern const char arch_conf_name[];
/* The ELF machine a kernel must be built for. */
extern const uint16_t arch_elf_machine;
/* Where the HHDM starts (Limine's fixed base for 4-level paging). */
extern const uint64_t arch_hhdm_base;

/* Writes one character to the serial port directly (no firmware). */
void arch_uart_putc(char c);

/* Masks interrupts: after ExitBootServices no firmware handler may run. */
void arch_interrupts_off(void);

/* Stops the CPU for good (after printing an error). */
__attribute__((noreturn)) void arch_halt(void);

/* Page-table format facts: encoding, no-execute, the largest page the HHDM
 * may use. Fills `pt->arch` and `pt->nx`. */
void arch_paging_describe(struct pagetable *pt, uint64_t *hhdm_largest_page);

/* Whether the identity map used during the switch lives in its own root
 * (AArch64: TTBR0) or in the lower half of the kernel root (x86_64). */
extern const bool arch_identity_in_separate_root;

/* Makes freshly written code visible to instruction fetch. */
void arch_sync_code(uint64_t phys, uint64_t size);

/* MP, before ExitBootServices: find the CPUs, allocate the trampoline,
 * stacks and the response. Leaves the MP request unanswered when it cannot
 * (a message says why). */
void arch_mp_prepare(struct loader *l);

/* MP, after ExitBootServices: start every AP and park it on its
 * goto_address, running on the kernel's page tables. */
void arch_mp_start(struct loader *l);

/* Switches to the kernel's page tables and jumps to its entry point in the
 * state the Limine protocol describes. */
__attribute__((noreturn)) void arch_enter_kernel(struct loader *l);

#endif
