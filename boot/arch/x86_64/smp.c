/*
 * smp: x86_64 application-processor start-up (INIT-SIPI-SIPI) for the
 * Limine MP request.
 *
 * Two halves, as main.c calls them:
 *  - arch_mp_prepare(), with boot services: read the BSP's local APIC ID,
 *    list the CPUs from the ACPI MADT, and allocate everything the hand-off
 *    needs (the response, one limine_mp_info per CPU, a stack per AP of the
 *    BSP's size, and a trampoline page below 1 MiB). Allocation is
 *    impossible later.
 *  - arch_mp_start(), after ExitBootServices, still on the firmware's
 *    identity map with interrupts off: copy the trampoline (trampoline.S)
 *    into its page and start the APs one at a time. Each AP switches to the
 *    kernel's page tables, moves to HHDM addresses and parks there, polling
 *    its goto_address, so it survives the BSP clearing the lower half in
 *    enter.S. An AP that never reports in is left out of the response.
 * As in Limine, every pointer in the response is an HHDM address, the BSP
 * is in the CPU array with reserved = 0, and each AP's reserved field holds
 * its stack top.
 *
 * xAPIC mode only: if the kernel asks for x2APIC we leave it off and answer
 * flags = 0, which the protocol allows (the kernel must read the flag).
 */
#include "../../arch.h"

#include <acpi.h>
#include <kstring.h>

#include "../../alloc.h"
#include "../../console.h"
#include "../../loader.h"
#include "../../uefi.h"
#include "cpu.h"
#include "lapic.h"
#include "trampoline.h"

#define PAGE_SIZE 4096ULL
#define MP_MAX_CPUS 256
#define LIMINE_PAT 0x0000010500070406ULL
#define EFER_LME (1ULL << 8)

/* A SIPI vector is the page number of the start address, so the page must
 * lie below 1 MiB; stay below the EBDA (0xa0000) as well. */
#define TRAMPOLINE_MAX_ADDRESS 0x9ffffULL
#define SIPI_VECTOR_SHIFT 12

#define XAPIC_BROADCAST_ID 0xff /* not addressable as a single CPU */

/*
 * Timing in TSC ticks: there is no firmware timer after ExitBootServices
 * and calibrating one is not worth it. Real TSCs (and QEMU TCG's, which
 * follows the host's) tick at 1-4 GHz, so 10 M ticks is a few ms: the
 * ~10 ms INIT settle time the MP spec asks for, give or take, as Limine
 * waits. The SIPI waits are far longer than real hardware needs (200 us)
 * because an emulated AP may be scheduled late.
 */
#define INIT_SETTLE_TICKS 10000000ULL
#define FIRST_SIPI_TIMEOUT_TICKS 200000000ULL
#define SECOND_SIPI_TIMEOUT_TICKS 2000000000ULL

/* A CPU the MADT lists (or the BSP, added if it is missing). */
struct madt_cpu {
	uint32_t uid;
	uint32_t apic_id;
};

struct cpu_scan {
	struct madt_cpu cpus[MP_MAX_CPUS];
	unsigned count;
	bool truncated;
};

/* Everything arch_mp_start() needs; identity addresses. */
struct x86_mp {
	uint64_t lapic;
	uint32_t bsp_id;
	struct limine_mp_response *response;
	struct limine_mp_info **cpus;
	uint64_t trampoline; /* physical page, 0 when there is no AP */
};

static struct cpu_scan the_scan;
static struct x86_mp the_mp;

/* ---------------------------------------------------------------- prepare */

/* The local APIC's MMIO base, or 0 if it cannot be used in xAPIC mode. */
static uint64_t xapic_base(void)
{
	uint64_t msr = rdmsr(MSR_APIC_BASE);

	if (!(msr & APIC_BASE_ENABLE)) {
		console_print("mp: the local APIC is disabled; not starting other CPUs");
		return 0;
	}
	if (msr & APIC_BASE_X2APIC) {
		console_print("mp: firmware left the APIC in x2APIC mode, which this loader does not drive; not starting other CPUs");
		return 0;
	}
	return msr & APIC_BASE_ADDRESS;
}

static bool scan_has(const struct cpu_scan *scan, uint32_t apic_id)
{
	for (unsigned i = 0; i < scan->count; i++) {
		if (scan->cpus[i].apic_id == apic_id)
			return true;
	}
	return false;
}

static bool scan_add(struct cpu_scan *scan, uint32_t uid, uint32_t apic_id)
{
	if (scan->count == MP_MAX_CPUS) {
		scan->truncated = true;
		return false;
	}
	scan->cpus[scan->count++] = (struct madt_cpu){ uid, apic_id };
	return true;
}

/* "Enabled" means the CPU is usable now; "Online Capable" means it can be
 * brought up. Both set is invalid per ACPI 6.3, neither means unusable. */
static bool madt_cpu_usable(uint32_t flags)
{
	bool enabled = flags & ACPI_CPU_ENABLED;
	bool online_capable = flags & ACPI_CPU_ONLINE_CAPABLE;

	return enabled != online_capable;
}

/* Only xAPIC entries (type 0): this loader starts CPUs in xAPIC mode. */
static bool add_madt_cpu(struct cpu_scan *scan, const struct acpi_madt_entry *e)
{
	struct acpi_local_apic cpu;

	if (e->type != ACPI_MADT_LOCAL_APIC || !acpi_madt_local_apic(e, &cpu) ||
	    !madt_cpu_usable(cpu.flags) || cpu.apic_id == XAPIC_BROADCAST_ID ||
	    scan_has(scan, cpu.apic_id))
		return true;
	return scan_add(scan, cpu.uid, cpu.apic_id);
}

/* The CPUs to hand over. Without a MADT that is the BSP alone (UID 0),
 * which is still a valid answer. */
static void scan_cpus(struct cpu_scan *scan, uint32_t bsp_id)
{
	struct acpi acpi;
	struct acpi_table madt;
	struct acpi_madt_iter it;
	struct acpi_madt_entry e;
	enum acpi_status s = uefi_open_acpi(&acpi);

	scan->count = 0;
	scan->truncated = false;
	if (s == ACPI_OK)
		s = acpi_find(&acpi, "APIC", &madt);
	if (s == ACPI_OK) {
		acpi_madt_begin(&it, &madt);
		while (acpi_madt_next(&it, &e) && add_madt_cpu(scan, &e))
			;
	} else {
		console_print("mp: no usable ACPI MADT (%s); handing over the BSP alone",
			      acpi_status_name(s));
	}
	if (scan->truncated)
		console_print("mp: more than %d CPUs; using the first %d", MP_MAX_CPUS, MP_MAX_CPUS);
	if (!scan_has(scan, bsp_id)) {
		/* The protocol puts the BSP in the array; make room if needed. */
		if (scan->count == MP_MAX_CPUS)
			scan->count--;
		scan_add(scan, 0, bsp_id);
	}
}

/* One info per CPU; APs also get a stack, found again by the trampoline
 * through info->reserved. Returns false when memory runs out. */
static bool fill_cpu(struct loader *l, struct limine_mp_info *info, const struct madt_cpu *cpu,
		     uint32_t bsp_id)
{
	info->processor_id = cpu->uid;
	info->lapic_id = cpu->apic_id;
	info->goto_address = NULL;
	info->reserved = 0;
	if (cpu->apic_id == bsp_id)
		return true;
	uint64_t stack = alloc_pages(l->stack_size, PAGE_SIZE,
				     LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE, UINT64_MAX);
	if (!stack)
		return false;
	info->reserved = loader_hhdm(l, stack + l->stack_size);
	return true;
}

static bool allocate_response(struct loader *l, struct x86_mp *mp, const struct cpu_scan *scan)
{
	mp->response = alloc_arena(sizeof(*mp->response));
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	mp->cpus = alloc_arena(sizeof(*mp->cpus) * scan->count);
	struct limine_mp_info *infos = alloc_arena(sizeof(*infos) * scan->count);

	if (!mp->response || !mp->cpus || !infos)
		return false;
	for (unsigned i = 0; i < scan->count; i++) {
		if (!fill_cpu(l, &infos[i], &scan->cpus[i], mp->bsp_id))
			return false;
		/* Identity pointers until arch_mp_start() knows who came up. */
		mp->cpus[i] = &infos[i];
	}
	mp->response->revision = 0;
	mp->response->flags = 0; /* xAPIC, whatever the request said */
	mp->response->bsp_lapic_id = mp->bsp_id;
	mp->response->cpu_count = scan->count;
	return true;
}

static bool allocate_trampoline(struct x86_mp *mp)
{
	uint64_t size = (uint64_t)(ap_trampoline_end - ap_trampoline_start);

	if (size > PAGE_SIZE)
		console_fatal("AP trampoline (%llu bytes) does not fit a page",
			      (unsigned long long)size);
	mp->trampoline = alloc_pages(PAGE_SIZE, PAGE_SIZE, LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE,
				     TRAMPOLINE_MAX_ADDRESS);
	return mp->trampoline != 0 && mp->trampoline + PAGE_SIZE <= TRAMPOLINE_MAX_ADDRESS + 1;
}

void arch_mp_prepare(struct loader *l)
{
	struct x86_mp *mp = &the_mp;
	struct cpu_scan *scan = &the_scan;

	if (!l->mp_request)
		return;
	if (l->pt.root > UINT32_MAX) {
		/* address_space.c keeps tables below 4 GiB for this very reason. */
		console_print("mp: page tables above 4 GiB cannot be loaded by the 32-bit AP trampoline; not starting other CPUs");
		return;
	}
	mp->lapic = xapic_base();
	if (!mp->lapic)
		return;
	mp->bsp_id = lapic_id(mp->lapic);
	scan_cpus(scan, mp->bsp_id);
	if (!allocate_response(l, mp, scan)) {
		console_print("mp: out of memory for %u CPUs; not starting other CPUs", scan->count);
		return;
	}
	if (scan->count > 1 && !allocate_trampoline(mp)) {
		console_print("mp: no free page below 1 MiB for the AP trampoline; not starting other CPUs");
		return;
	}
	console_print("mp: %u CPUs, BSP local APIC id %u", scan->count, mp->bsp_id);
	l->arch_mp = mp;
}

/* ------------------------------------------------------------------ start */

static void spin_ticks(uint64_t ticks)
{
	uint64_t start = rdtsc();

	while (rdtsc() - start < ticks)
		cpu_pause();
}

static bool wait_booted(const struct ap_params *params, uint64_t ticks)
{
	uint64_t start = rdtsc();

	do {
		if (__atomic_load_n(&params->booted, __ATOMIC_ACQUIRE))
			return true;
		cpu_pause();
	} while (rdtsc() - start < ticks);
	return false;
}

/* Copies the blob into its low page and fills the parameters all APs
 * share; returns the page's parameter block. */
static struct ap_params *install_trampoline(const struct loader *l, const struct x86_mp *mp)
{
	uint8_t *page = (uint8_t *)(uintptr_t)mp->trampoline;
	struct ap_params *params =
		(struct ap_params *)(page + (ap_trampoline_params - ap_trampoline_start));

	memcpy(page, ap_trampoline_start, (size_t)(ap_trampoline_end - ap_trampoline_start));
	params->pml4 = l->pt.root;
	params->pat = LIMINE_PAT;
	params->hhdm = l->hhdm;
	params->efer = (uint32_t)(EFER_LME | (l->pt.nx ? EFER_NXE : 0));
	return params;
}

/*
 * INIT puts the AP in wait-for-SIPI; the SIPI starts it at the trampoline.
 * The MP spec sends a second SIPI if the first one was lost; a CPU already
 * running ignores it. An AP that never reports in gets INIT again so that a
 * late start cannot pick up the next AP's parameters.
 */
static bool start_ap(const struct x86_mp *mp, struct ap_params *params,
		     const struct limine_mp_info *info, uint64_t info_hhdm)
{
	static const uint64_t sipi_timeouts[] = { FIRST_SIPI_TIMEOUT_TICKS,
						  SECOND_SIPI_TIMEOUT_TICKS };
	uint32_t sipi = ICR_STARTUP | (uint32_t)(mp->trampoline >> SIPI_VECTOR_SHIFT);

	params->info = info_hhdm;
	__atomic_store_n(&params->booted, 0, __ATOMIC_RELEASE);
	if (!lapic_send_ipi(mp->lapic, info->lapic_id, ICR_INIT))
		return false;
	spin_ticks(INIT_SETTLE_TICKS);
	for (unsigned i = 0; i < sizeof(sipi_timeouts) / sizeof(sipi_timeouts[0]); i++) {
		if (!lapic_send_ipi(mp->lapic, info->lapic_id, sipi))
			break;
		if (wait_booted(params, sipi_timeouts[i]))
			return true;
	}
	lapic_send_ipi(mp->lapic, info->lapic_id, ICR_INIT);
	return false;
}

/* Starts every AP, keeps the CPUs that are ready (BSP included) at the
 * front of the array, now as HHDM pointers; returns how many. */
static uint64_t start_all(const struct loader *l, struct x86_mp *mp)
{
	struct ap_params *params = mp->trampoline ? install_trampoline(l, mp) : NULL;
	uint64_t ready = 0;

	for (uint64_t i = 0; i < mp->response->cpu_count; i++) {
		struct limine_mp_info *info = mp->cpus[i];
		uint64_t info_hhdm = loader_hhdm(l, (uint64_t)(uintptr_t)info);
		/* No trampoline means arch_mp_prepare found no AP to start. */
		bool started = info->lapic_id == mp->bsp_id ||
			       (params && start_ap(mp, params, info, info_hhdm));

		if (!started) {
			console_print("mp: CPU with local APIC id %u did not start; left out",
				      info->lapic_id);
			continue;
		}
		mp->cpus[ready++] = (struct limine_mp_info *)(uintptr_t)info_hhdm;
	}
	return ready;
}

void arch_mp_start(struct loader *l)
{
	struct x86_mp *mp = l->arch_mp;

	if (!l->mp_request || !mp)
		return;
	responses_publish_mp(l, mp->response, mp->cpus, start_all(l, mp));
}
