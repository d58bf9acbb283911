/*
 * trampoline: the contract between smp.c and trampoline.S.
 *
 * The AP trampoline is one position-independent blob, copied by the BSP to
 * a page below 1 MiB (a SIPI can only start a CPU there). The blob ends in
 * a parameter block that the BSP fills before each AP's INIT-SIPI and the
 * AP reads on its way to long mode. This header is included by both the C
 * and the assembly side, so the offsets are written once; smp.c checks them
 * against a C struct.
 */
#ifndef CAMBIOS_BOOT_X86_TRAMPOLINE_H
#define CAMBIOS_BOOT_X86_TRAMPOLINE_H

/* Parameter block: offsets from ap_trampoline_params. */
#define AP_PARAM_PML4 0x00   /* u64: the kernel's PML4, physical, below 4 GiB */
#define AP_PARAM_PAT 0x08    /* u64: the IA32_PAT value to install */
#define AP_PARAM_HHDM 0x10   /* u64: HHDM offset (virtual address of physical 0) */
#define AP_PARAM_INFO 0x18   /* u64: this AP's struct limine_mp_info, HHDM address */
#define AP_PARAM_EFER 0x20   /* u32: IA32_EFER value (LME, plus NXE when available) */
#define AP_PARAM_BOOTED 0x24 /* u32: the AP sets it to 1 once parked */
#define AP_PARAMS_SIZE 0x28

/* struct limine_mp_info fields the AP itself reads (x86_64 layout). */
#define AP_INFO_STACK_TOP 0x08 /* `reserved`: the AP's stack top, HHDM */
#define AP_INFO_GOTO 0x10      /* `goto_address`: written by the kernel */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct ap_params {
	uint64_t pml4;
	uint64_t pat;
	uint64_t hhdm;
	uint64_t info;
	uint32_t efer;
	uint32_t booted;
};

_Static_assert(__builtin_offsetof(struct ap_params, pml4) == AP_PARAM_PML4, "pml4");
_Static_assert(__builtin_offsetof(struct ap_params, pat) == AP_PARAM_PAT, "pat");
_Static_assert(__builtin_offsetof(struct ap_params, hhdm) == AP_PARAM_HHDM, "hhdm");
_Static_assert(__builtin_offsetof(struct ap_params, info) == AP_PARAM_INFO, "info");
_Static_assert(__builtin_offsetof(struct ap_params, efer) == AP_PARAM_EFER, "efer");
_Static_assert(__builtin_offsetof(struct ap_params, booted) == AP_PARAM_BOOTED, "booted");
_Static_assert(sizeof(struct ap_params) == AP_PARAMS_SIZE, "parameter block size");

/* The blob, as linked into the loader (never executed in place). */
extern const uint8_t ap_trampoline_start[];
extern const uint8_t ap_trampoline_params[];
extern const uint8_t ap_trampoline_end[];
#endif

#endif
