/*
 * boot: what the bootloader handed over, read through the Limine requests.
 *
 * Every accessor returns NULL when the loader left the request unanswered;
 * callers decide whether that is fatal.
 */
#ifndef CAMBIOS_BOOT_H
#define CAMBIOS_BOOT_H

#include <stdbool.h>
#include <limine.h>

#define CAMBIOS_VERSION "0.1.0"

bool boot_base_revision_supported(void);
const struct limine_bootloader_info_response *boot_bootloader_info(void);
const struct limine_hhdm_response *boot_hhdm(void);
const struct limine_memmap_response *boot_memmap(void);
const struct limine_module_response *boot_modules(void);
struct limine_mp_response *boot_mp(void);
/* The ACPI RSDP and the device tree, by HHDM address (base revision 2). */
const struct limine_rsdp_response *boot_rsdp(void);
const struct limine_dtb_response *boot_dtb(void);
/* The kernel command line (`cmdline:` in limine.conf), or NULL. */
const char *boot_cmdline(void);

/* Command-line words the kernel understands. */
#define CMDLINE_PANIC_TEST "cambios.panic_test" /* panic at the end of boot: proves the panic path */

/* Signed module roles the kernel looks for (kernel/include/verifier.h);
 * limine.conf's module strings play no part in finding them. */
#define BOOT_MODULE_SYMBOLS "kernel-symbols"

/* Diagnostics printed during boot (bootinfo.c). */
void boot_print_memmap(void);
void boot_print_modules(void);

/* Wakes every application processor and waits until each has checked in
 * (smp/mp.c). Each AP sets itself up (arch_ap_init: its own tables,
 * interrupt controller and timer), checks in, and sleeps between ticks.
 * Returns the number of CPUs online, the BSP included. */
unsigned mp_wake_aps(void);

/* Whether CPU `index` (0 = the BSP) is online; how many APs are. */
bool mp_cpu_online(unsigned index);
unsigned mp_aps_online(void);

/* Logical CPU numbers go up to (not including) this. */
#define MP_MAX_CPUS 64

/* Sleeps between interrupts until a panic asks every CPU to stop (the
 * seed's loop, for the BSP and every AP). */
__attribute__((noreturn)) void cpu_idle_forever(void);

/* Runs fn(arg) once on every online AP, each on its next wake-up (a tick
 * at most), and waits until all have returned. Returns how many ran it;
 * fewer than online means some did not finish within the bound (a
 * message says so). One call at a time, from the BSP, before the
 * scheduler owns the APs. */
unsigned mp_run_on_aps(void (*fn)(void *), void *arg);

#endif
