/*
 * ap_entry: the contract between smp.c (C, on the BSP) and ap_entry.S (the
 * code an AP runs from PSCI CPU_ON until it is parked for the kernel).
 *
 * The trampoline is position-independent code that smp.c copies into a page
 * of its own; the shared parameters travel in the same blob, right after
 * the code, so an AP finds them with a PC-relative `adr` while its MMU is
 * still off. Each AP also gets a slot of its own, whose physical address is
 * the CPU_ON context (x0 at the AP's entry): it names the AP's
 * limine_mp_info and holds the flag the AP raises once it runs on the
 * kernel's tables. Per-AP slots mean an AP that starts late can never pick
 * up another AP's identity.
 *
 * Both files include this header (ap_entry.S through the C preprocessor),
 * so the offsets below are the single source of truth; the structs are
 * checked against them at compile time.
 */
#ifndef CAMBIOS_BOOT_A64_AP_ENTRY_H
#define CAMBIOS_BOOT_A64_AP_ENTRY_H

/* struct ap_params: shared by all APs, read with the MMU and caches off. */
#define AP_PARAMS_TTBR0_SWITCH 0x00 /* identity map, only while switching */
#define AP_PARAMS_TTBR1 0x08        /* the kernel's tables */
#define AP_PARAMS_TTBR0_FINAL 0x10  /* the empty table the kernel starts with */
#define AP_PARAMS_MAIR 0x18
#define AP_PARAMS_TCR 0x20
#define AP_PARAMS_SCTLR 0x28
#define AP_PARAMS_HHDM 0x30
#define AP_PARAMS_CPACR 0x38 /* the BSP's FP/SIMD access, copied */
#define AP_PARAMS_SIZE 0x40

/* struct ap_slot: one per CPU, read and written through the HHDM. */
#define AP_SLOT_BOOTED 0x00 /* 0 until the AP is parked (store-release 1) */
#define AP_SLOT_INFO 0x08   /* HHDM address of the AP's limine_mp_info */
#define AP_SLOT_SIZE 0x10

/* Offsets into the AArch64 struct limine_mp_info (include/limine.h). */
#define MP_INFO_STACK_TOP 0x10 /* `reserved`: the AP's stack top (HHDM) */
#define MP_INFO_GOTO 0x18      /* `goto_address`, written by the kernel */

/* SPSR values for the ERETs: EL1h (while still in the loader) and EL1t
 * (the kernel's entry state), both with D, A, I and F masked. */
#define AP_SPSR_EL1H_MASKED 0x3c5
#define AP_SPSR_EL1T_MASKED 0x3c4

/* EL2 controls given to EL1, as enter.S gives them to the BSP. */
#define AP_HCR_EL2_RW 0x80000000     /* bit 31: EL1 is AArch64; no VHE, no traps */
#define AP_CNTHCTL_EL1_ACCESS 3      /* EL1PCTEN | EL1PCEN: timer and counter */
#define AP_CPTR_EL2_NO_TRAPS 0x33ff  /* RES1 bits only: FP/SIMD not trapped */

#define AP_CURRENT_EL_EL2 (2 << 2) /* CurrentEL reads the level in bits 3:2 */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct ap_params {
	uint64_t ttbr0_switch;
	uint64_t ttbr1;
	uint64_t ttbr0_final;
	uint64_t mair;
	uint64_t tcr;
	uint64_t sctlr;
	uint64_t hhdm;
	uint64_t cpacr;
};

struct ap_slot {
	uint64_t booted;
	uint64_t info;
};

_Static_assert(__builtin_offsetof(struct ap_params, ttbr0_switch) == AP_PARAMS_TTBR0_SWITCH, "");
_Static_assert(__builtin_offsetof(struct ap_params, ttbr1) == AP_PARAMS_TTBR1, "");
_Static_assert(__builtin_offsetof(struct ap_params, ttbr0_final) == AP_PARAMS_TTBR0_FINAL, "");
_Static_assert(__builtin_offsetof(struct ap_params, mair) == AP_PARAMS_MAIR, "");
_Static_assert(__builtin_offsetof(struct ap_params, tcr) == AP_PARAMS_TCR, "");
_Static_assert(__builtin_offsetof(struct ap_params, sctlr) == AP_PARAMS_SCTLR, "");
_Static_assert(__builtin_offsetof(struct ap_params, hhdm) == AP_PARAMS_HHDM, "");
_Static_assert(__builtin_offsetof(struct ap_params, cpacr) == AP_PARAMS_CPACR, "");
_Static_assert(sizeof(struct ap_params) == AP_PARAMS_SIZE, "ap_entry.S reserves this much");
_Static_assert(__builtin_offsetof(struct ap_slot, booted) == AP_SLOT_BOOTED, "");
_Static_assert(__builtin_offsetof(struct ap_slot, info) == AP_SLOT_INFO, "");
_Static_assert(sizeof(struct ap_slot) == AP_SLOT_SIZE, "");

/* The blob smp.c copies: [ap_trampoline_start, ap_trampoline_end), with the
 * AP entry point at its start and struct ap_params at ap_trampoline_params. */
extern const char ap_trampoline_start[];
extern const char ap_trampoline_params[];
extern const char ap_trampoline_end[];
#endif

#endif
