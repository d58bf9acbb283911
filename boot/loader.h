/*
 * loader: the state cambios-boot builds up on its way to the kernel.
 *
 * One struct, filled step by step by efi_main() (main.c): configuration,
 * the kernel file and its load plan, the requests found in it, the page
 * tables, the stack, and the responses that must be completed after
 * ExitBootServices (memory map, MP). Physical addresses are identity
 * addresses while the loader runs; anything handed to the kernel is
 * converted with loader_hhdm().
 */
#ifndef CAMBIOS_BOOT_LOADER_H
#define CAMBIOS_BOOT_LOADER_H

#include <limine.h>

#include "conf.h"
#include "efi.h"
#include "elf.h"
#include <pagetable.h>
#include "requests.h"

#define LOADER_NAME "cambios-boot"
#define LOADER_VERSION "0.1.0"
#define LOADER_MIN_STACK (64 * 1024ULL)

struct loaded_file {
	uint64_t phys;
	uint64_t size;
	char path[CONF_PATH_MAX]; /* in-volume path, leading '/' */
	const char *uri;          /* as written in limine.conf */
	const char *cmdline;
};

struct loader {
	struct conf conf;
	struct loaded_file kernel;
	struct elf_plan plan;
	uint64_t kernel_phys; /* physical base of the loaded image */
	struct request_set requests;

	uint64_t hhdm;
	uint64_t hhdm_top; /* the HHDM covers [0, hhdm_top) plus extra_ranges */
	uint64_t hhdm_largest_page;
	struct pagetable pt;          /* the kernel's root (TTBR1 / CR3) */
	struct pagetable pt_identity; /* identity map for the switch */
	uint64_t empty_table;          /* AArch64: TTBR0 at kernel entry */

	uint64_t entry;
	uint64_t stack_size;
	uint64_t stack_top; /* HHDM address */

	/* Memory map, prepared before ExitBootServices, filled after. */
	struct efi_memory_descriptor *efi_map;
	uint64_t efi_map_capacity, efi_map_size, efi_desc_size;
	struct mm_range *firmware_ranges;
	struct limine_memmap_entry *memmap_entries;
	struct limine_memmap_entry **memmap_pointers;
	uint64_t memmap_capacity;
	struct limine_memmap_response *memmap_response;

	/* MP: the arch code keeps its own state; this is the request. */
	struct limine_mp_request *mp_request;
	void *arch_mp;
};

/* Physical (identity) address -> the HHDM address the kernel will use. */
static inline uint64_t loader_hhdm(const struct loader *l, uint64_t phys)
{
	return phys + l->hhdm;
}

static inline void *loader_hhdm_ptr(const struct loader *l, const void *p)
{
	return (void *)(uintptr_t)loader_hhdm(l, (uint64_t)(uintptr_t)p);
}

/* Answers every request that can be answered before ExitBootServices
 * (responses.c). Fatal errors stop the boot with a message. */
void responses_answer(struct loader *l);

/* Answers the MP request once the APs have started: `cpus` holds the
 * `ready` CPUs (BSP included) as HHDM pointers; the response still counts
 * every CPU listed. Prints how many of them are ready (responses.c). */
void responses_publish_mp(struct loader *l, struct limine_mp_response *response,
			  struct limine_mp_info **cpus, uint64_t ready);

/* Builds the kernel's page tables: kernel segments, HHDM, identity map
 * (address_space.c). */
void address_space_build(struct loader *l);

/* Maps an extra physical range into the HHDM if it is not covered yet
 * (the framebuffer above 4 GiB). */
void address_space_cover(struct loader *l, uint64_t phys, uint64_t size);

#endif
