/*
 * smp: AArch64 application-processor start-up (PSCI CPU_ON) for the Limine
 * MP request.
 *
 * Two halves, as main.c calls them:
 *  - arch_mp_prepare(), with boot services: list the CPUs and find the
 *    PSCI conduit, from ACPI when the firmware publishes an RSDP (MADT GICC
 *    structures, FADT ARM_BOOT_ARCH) and otherwise from the device tree
 *    (/cpus/cpu@*, /psci), as Limine does; then allocate everything the hand-off needs: the response, one
 *    limine_mp_info per CPU, a stack per AP of the BSP's size, a slot per
 *    CPU for the AP's "booted" flag, and one page for the trampoline
 *    (ap_entry.S). Nothing can be allocated later.
 *  - arch_mp_start(), after ExitBootServices, still on the firmware's
 *    identity map with interrupts masked: copy the trampoline and its
 *    parameters into the page, clean it to the point of coherency, and
 *    start the APs one at a time with CPU_ON. Each AP switches to the
 *    kernel's tables, moves to HHDM addresses, drops its identity map and
 *    parks polling its goto_address, so nothing it needs disappears when
 *    the BSP later leaves the loader. An AP that does not report in within
 *    AP_BOOT_TIMEOUT_MS is left out of the response.
 * As in Limine, every pointer in the response is an HHDM address, the BSP
 * is in the CPU array (reserved = 0), each AP's reserved field holds its
 * stack top, and goto_address is NULL for all.
 *
 * Only PSCI starts CPUs here: firmware that uses the ACPI parking protocol
 * or device-tree spin tables gets an answer naming the BSP alone (and APs
 * whose device-tree enable-method is not "psci" are left out), with a
 * message saying so.
 */
#include "../../arch.h"

#include <acpi.h>
#include <fdt.h>
#include <kstring.h>

#include "../../alloc.h"
#include "../../console.h"
#include "../../loader.h"
#include "../../uefi.h"
#include "ap_entry.h"
#include "cpu.h"

#define PAGE_SIZE 4096ULL

/* MPIDR_EL1 affinity fields Aff3 (39:32) and Aff2..Aff0 (23:0): what the
 * MADT and PSCI use to name a CPU. Bits 31 (RES1), 30 (U) and 24 (MT) are
 * not part of the name, which is also why Limine's bsp_mpidr has bit 31
 * clear. */
#define MPIDR_AFFINITY_MASK 0xff00ffffffULL

/* FADT ARM_BOOT_ARCH (ACPI 5.1+): how CPUs are started. */
#define FADT_ARM_BOOT_ARCH 129
#define FADT_MIN_LENGTH (FADT_ARM_BOOT_ARCH + 2)
#define ARM_BOOT_ARCH_PSCI_COMPLIANT (1u << 0)
#define ARM_BOOT_ARCH_PSCI_USE_HVC (1u << 1)

/* PSCI (Arm DEN 0022): the 64-bit CPU_ON call and its results. */
#define PSCI_CPU_ON_64 0xc4000003ULL
#define PSCI_SUCCESS 0

/* Device tree: /cpus/cpu@* name CPUs by MPIDR in `reg`, #address-cells
 * (1 or 2) cells long; /psci says how to reach the firmware. */
#define DT_CPU_ADDRESS_CELLS_DEFAULT 1
#define DT_CPU_ADDRESS_CELLS_MAX 2

/* An AP under software emulation reports in within milliseconds; a second
 * is generous and bounds the delay a dead CPU adds to the boot. If the
 * firmware left the counter frequency unset, assume QEMU's 62.5 MHz. */
#define AP_BOOT_TIMEOUT_MS 1000
#define COUNTER_FALLBACK_HZ 62500000ULL
#define MS_PER_SECOND 1000

/* How the firmware takes PSCI calls: an HVC to EL2 or an SMC to EL3. */
enum psci_conduit {
	PSCI_NONE,
	PSCI_HVC,
	PSCI_SMC,
};

/* Everything arch_mp_start() needs; identity addresses. */
struct a64_mp {
	enum psci_conduit conduit;
	uint64_t cpu_on_function;
	uint64_t bsp_mpidr;
	struct limine_mp_response *response;
	struct limine_mp_info **cpus; /* identity pointers until started */
	struct ap_slot *slots;        /* slots[i] belongs to cpus[i] */
	uint64_t trampoline;          /* physical page, 0 when there is no AP */
};

/* Where the CPU list comes from: the MADT, the device tree's /cpus, or
 * neither (the BSP alone). */
struct cpu_source {
	struct acpi_table madt; /* bytes NULL without a MADT */
	struct fdt fdt;
	int dt_cpus; /* FDT_NO_NODE without a device-tree list */
	uint32_t dt_address_cells;
};

/* A walk over the source: counts the usable CPUs, and fills infos[] when
 * given one. */
struct cpu_scan {
	struct limine_mp_info *infos;
	uint64_t count;
	uint64_t bsp_mpidr;
	bool bsp_seen;
};

static struct a64_mp the_mp;

/* ---------------------------------------------------------------- prepare */

static const char *conduit_name(enum psci_conduit c)
{
	return c == PSCI_HVC ? "HVC" : "SMC";
}

/* The FADT says whether the firmware implements PSCI and which instruction
 * reaches it. */
static enum psci_conduit acpi_conduit(const struct acpi *acpi)
{
	struct acpi_table fadt;

	if (acpi_find(acpi, "FACP", &fadt) != ACPI_OK || fadt.length < FADT_MIN_LENGTH) {
		console_print("mp: no ACPI 5.1+ FADT to say how CPUs start; handing over the BSP alone");
		return PSCI_NONE;
	}
	uint16_t boot_arch = acpi_u16(fadt.bytes + FADT_ARM_BOOT_ARCH);
	if (!(boot_arch & ARM_BOOT_ARCH_PSCI_COMPLIANT)) {
		console_print("mp: firmware is not PSCI-compliant (ARM_BOOT_ARCH 0x%x); the parking protocol is not supported, handing over the BSP alone",
			      boot_arch);
		return PSCI_NONE;
	}
	return (boot_arch & ARM_BOOT_ARCH_PSCI_USE_HVC) ? PSCI_HVC : PSCI_SMC;
}

static bool scan_has(const struct cpu_scan *scan, uint64_t mpidr)
{
	for (uint64_t i = 0; i < scan->count; i++) {
		if (scan->infos[i].mpidr == mpidr)
			return true;
	}
	return false;
}

static void scan_add(struct cpu_scan *scan, uint32_t uid, uint64_t mpidr)
{
	if (mpidr == scan->bsp_mpidr)
		scan->bsp_seen = true;
	if (scan->infos) {
		scan->infos[scan->count].processor_id = uid;
		scan->infos[scan->count].mpidr = mpidr;
	}
	scan->count++;
}

/* A GICC names a CPU that is usable now when its Enabled flag is set
 * (Online Capable ones without it are for the OS to add later). The first
 * pass only counts, so duplicates are weeded out in the second; the count
 * is then an upper bound, which is all the allocation needs. */
static void visit_gicc(const struct acpi_madt_entry *e, struct cpu_scan *scan)
{
	struct acpi_gicc gicc;

	if (!acpi_madt_gicc(e, &gicc) || !(gicc.flags & ACPI_CPU_ENABLED))
		return;
	uint64_t mpidr = gicc.mpidr & MPIDR_AFFINITY_MASK;
	if (scan->infos && scan_has(scan, mpidr))
		return;
	scan_add(scan, gicc.uid, mpidr);
}

static void walk_madt_cpus(const struct cpu_source *src, struct cpu_scan *scan)
{
	struct acpi_madt_iter it;
	struct acpi_madt_entry e;

	acpi_madt_begin(&it, &src->madt);
	while (acpi_madt_next(&it, &e))
		visit_gicc(&e, scan);
}

/* A /cpus child is a usable CPU if its device_type is "cpu" and its status,
 * when present, is "okay". Only PSCI can start it; the BSP needs no
 * starting. The first pass only counts; the second weeds out duplicates
 * and speaks up about CPUs left out. */
static void visit_dt_cpu(const struct cpu_source *src, int node, struct cpu_scan *scan)
{
	const struct fdt *f = &src->fdt;
	uint64_t mpidr;

	if (!fdt_property_has_string(f, node, "device_type", "cpu") || !fdt_node_enabled(f, node) ||
	    !fdt_property_cells(f, node, "reg", src->dt_address_cells, &mpidr))
		return;
	mpidr &= MPIDR_AFFINITY_MASK;
	if (scan->infos && scan_has(scan, mpidr))
		return;
	if (mpidr != scan->bsp_mpidr && !fdt_property_has_string(f, node, "enable-method", "psci")) {
		if (scan->infos)
			console_print("mp: CPU with MPIDR 0x%llx is not started by PSCI (spin tables are not supported); left out",
				      (unsigned long long)mpidr);
		return;
	}
	scan_add(scan, 0, mpidr); /* the protocol's processor_id is 0 with DT */
}

static void walk_dt_cpus(const struct cpu_source *src, struct cpu_scan *scan)
{
	const struct fdt *f = &src->fdt;

	for (int c = fdt_first_child(f, src->dt_cpus); c != FDT_NO_NODE; c = fdt_next_sibling(f, c))
		visit_dt_cpu(src, c, scan);
}

/* Fills `infos` (NULL: only counts) with the CPUs to hand over: the
 * source's, and the BSP in any case. */
static uint64_t scan_cpus(const struct cpu_source *src, uint64_t bsp_mpidr,
			  struct limine_mp_info *infos)
{
	struct cpu_scan scan = { infos, 0, bsp_mpidr, false };

	if (src->madt.bytes)
		walk_madt_cpus(src, &scan);
	if (src->dt_cpus != FDT_NO_NODE)
		walk_dt_cpus(src, &scan);
	if (!scan.bsp_seen)
		scan_add(&scan, 0, bsp_mpidr); /* the protocol lists the BSP */
	return scan.count;
}

/* Stacks for the APs; the BSP keeps the one the kernel is entered on. */
static bool allocate_stacks(struct loader *l, struct limine_mp_info *infos, uint64_t count,
			    uint64_t bsp_mpidr)
{
	for (uint64_t i = 0; i < count; i++) {
		if (infos[i].mpidr == bsp_mpidr)
			continue;
		uint64_t stack = alloc_pages(l->stack_size, PAGE_SIZE,
					     LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE, UINT64_MAX);
		if (!stack)
			return false;
		infos[i].reserved = loader_hhdm(l, stack + l->stack_size);
	}
	return true;
}

/* The response and its CPU array; pointers become HHDM addresses when
 * arch_mp_start() knows which CPUs came up. */
static bool allocate_response(struct loader *l, struct a64_mp *mp, const struct cpu_source *src)
{
	uint64_t bound = scan_cpus(src, mp->bsp_mpidr, NULL);
	struct limine_mp_info *infos = alloc_arena(sizeof(*infos) * bound);
	uint64_t count;

	mp->response = alloc_arena(sizeof(*mp->response));
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	mp->cpus = alloc_arena(sizeof(*mp->cpus) * bound);
	mp->slots = alloc_arena(sizeof(*mp->slots) * bound);
	if (!infos || !mp->response || !mp->cpus || !mp->slots)
		return false;
	count = scan_cpus(src, mp->bsp_mpidr, infos);
	if (!allocate_stacks(l, infos, count, mp->bsp_mpidr))
		return false;
	for (uint64_t i = 0; i < count; i++) {
		mp->cpus[i] = &infos[i];
		mp->slots[i].info = loader_hhdm(l, (uint64_t)(uintptr_t)&infos[i]);
	}
	mp->response->revision = 0;
	mp->response->flags = 0;
	mp->response->bsp_mpidr = mp->bsp_mpidr;
	mp->response->cpu_count = count;
	return true;
}

static bool allocate_trampoline(struct a64_mp *mp)
{
	uint64_t size = (uint64_t)(ap_trampoline_end - ap_trampoline_start);

	if (size > PAGE_SIZE)
		console_fatal("AP trampoline (%llu bytes) does not fit a page",
			      (unsigned long long)size);
	mp->trampoline = alloc_pages(PAGE_SIZE, PAGE_SIZE, LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE,
				     UINT64_MAX);
	return mp->trampoline != 0;
}

/* ACPI: the conduit from the FADT, the CPUs from the MADT. */
static void find_cpus_acpi(struct a64_mp *mp, const struct acpi *acpi, struct cpu_source *src)
{
	enum acpi_status s;

	mp->conduit = acpi_conduit(acpi);
	if (mp->conduit == PSCI_NONE)
		return;
	s = acpi_find(acpi, "APIC", &src->madt);
	if (s != ACPI_OK) {
		src->madt.bytes = NULL;
		console_print("mp: no usable ACPI MADT (%s); handing over the BSP alone",
			      acpi_status_name(s));
	}
}

/* Device tree: the conduit from /psci `method`. PSCI 0.1 firmware
 * ("arm,psci" alone) chooses its own function IDs, given in `cpu_on`;
 * from 0.2 on the standard ID holds. */
static enum psci_conduit dt_conduit(struct a64_mp *mp, const struct fdt *f, int root)
{
	int psci = fdt_find_child(f, root, "psci");
	uint64_t cpu_on;

	if (psci == FDT_NO_NODE) {
		console_print("mp: the device tree has no /psci node; handing over the BSP alone");
		return PSCI_NONE;
	}
	if (!fdt_property_has_string(f, psci, "compatible", "arm,psci-0.2") &&
	    !fdt_property_has_string(f, psci, "compatible", "arm,psci-1.0") &&
	    fdt_property_cells(f, psci, "cpu_on", 1, &cpu_on))
		mp->cpu_on_function = cpu_on;
	if (fdt_property_has_string(f, psci, "method", "hvc"))
		return PSCI_HVC;
	if (fdt_property_has_string(f, psci, "method", "smc"))
		return PSCI_SMC;
	console_print("mp: /psci has no usable method; handing over the BSP alone");
	return PSCI_NONE;
}

static void find_cpus_dt(struct a64_mp *mp, struct cpu_source *src)
{
	uint32_t size;
	const void *dtb = uefi_find_dtb(&size);
	uint64_t cells = DT_CPU_ADDRESS_CELLS_DEFAULT;
	int root;

	if (!dtb || !fdt_open(&src->fdt, dtb, size) || (root = fdt_root(&src->fdt)) == FDT_NO_NODE) {
		console_print("mp: neither ACPI tables nor a readable device tree; handing over the BSP alone");
		return;
	}
	mp->conduit = dt_conduit(mp, &src->fdt, root);
	if (mp->conduit == PSCI_NONE)
		return;
	src->dt_cpus = fdt_find_child(&src->fdt, root, "cpus");
	fdt_property_cells(&src->fdt, src->dt_cpus, "#address-cells", 1, &cells);
	if (src->dt_cpus == FDT_NO_NODE || cells < 1 || cells > DT_CPU_ADDRESS_CELLS_MAX) {
		console_print("mp: the device tree has no usable /cpus node; handing over the BSP alone");
		src->dt_cpus = FDT_NO_NODE;
		return;
	}
	src->dt_address_cells = (uint32_t)cells;
}

void arch_mp_prepare(struct loader *l)
{
	struct a64_mp *mp = &the_mp;
	struct cpu_source src = { .dt_cpus = FDT_NO_NODE };
	struct acpi acpi;
	enum acpi_status acpi_found;

	if (!l->mp_request)
		return;
	acpi_found = uefi_open_acpi(&acpi);
	mp->bsp_mpidr = READ_SYSREG(mpidr_el1) & MPIDR_AFFINITY_MASK;
	mp->conduit = PSCI_NONE;
	mp->cpu_on_function = PSCI_CPU_ON_64;
	if (acpi_found == ACPI_OK) {
		find_cpus_acpi(mp, &acpi, &src);
	} else {
		if (acpi_found != ACPI_NOT_FOUND)
			console_print("mp: the ACPI tables are unusable (%s); reading the device tree",
				      acpi_status_name(acpi_found));
		find_cpus_dt(mp, &src);
	}
	if (!allocate_response(l, mp, &src)) {
		console_print("mp: out of memory for the CPU list and stacks; not starting other CPUs");
		return;
	}
	if (mp->response->cpu_count > 1 && !allocate_trampoline(mp)) {
		console_print("mp: out of memory for the AP trampoline; not starting other CPUs");
		return;
	}
	if (mp->response->cpu_count > 1)
		console_print("mp: %llu CPUs from %s, BSP MPIDR 0x%llx, PSCI via %s, APs start at EL%llu",
			      (unsigned long long)mp->response->cpu_count,
			      src.madt.bytes ? "the ACPI MADT" : "the device tree",
			      (unsigned long long)mp->bsp_mpidr, conduit_name(mp->conduit),
			      (unsigned long long)current_el());
	l->arch_mp = mp;
}

/* ------------------------------------------------------------------ start */

static uint64_t counter_ticks_per_ms(void)
{
	uint64_t hz = READ_SYSREG(cntfrq_el0) & UINT32_MAX; /* upper half RES0 */

	return (hz ? hz : COUNTER_FALLBACK_HZ) / MS_PER_SECOND;
}

/* The virtual counter: readable at EL1 and EL2 without a hypervisor's
 * leave, monotonic, and running without any firmware service. */
static uint64_t counter_now(void)
{
	return READ_SYSREG(cntvct_el0);
}

/*
 * PSCI CPU_ON through the conduit. SMCCC 1.0 lets the firmware return
 * results in x0-x3 and leave x4-x17 unpredictable, hence the clobbers.
 * The AP starts at `entry` (physical) with x0 = `context`.
 */
static int64_t psci_cpu_on(enum psci_conduit conduit, uint64_t function, uint64_t mpidr,
			   uint64_t entry, uint64_t context)
{
	register uint64_t x0 __asm__("x0") = function;
	register uint64_t x1 __asm__("x1") = mpidr;
	register uint64_t x2 __asm__("x2") = entry;
	register uint64_t x3 __asm__("x3") = context;

#define PSCI_CLOBBERS "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", \
		      "x15", "x16", "x17", "memory"
	if (conduit == PSCI_HVC)
		__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : PSCI_CLOBBERS);
	else
		__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : PSCI_CLOBBERS);
#undef PSCI_CLOBBERS
	return (int64_t)x0;
}

static const char *psci_error_name(int64_t r)
{
	static const char *const names[] = {
		"success", "not supported", "invalid parameters", "denied", "already on",
		"on pending", "internal failure", "not present", "disabled", "invalid address",
	};

	if (r <= 0 && -r < (int64_t)(sizeof(names) / sizeof(names[0])))
		return names[-r];
	return "unknown error";
}

/* Copies the trampoline into its page with the parameters every AP shares,
 * then cleans the page to the point of coherency: the APs read it with
 * their MMU and caches off, i.e. straight from memory, which may not yet
 * hold what our write-back cache does. Everything else an AP reads (its
 * slot, its info) it reads with its caches on, coherently with ours. */
static void install_trampoline(const struct loader *l, const struct a64_mp *mp)
{
	uint8_t *page = (uint8_t *)(uintptr_t)mp->trampoline;
	uint64_t size = (uint64_t)(ap_trampoline_end - ap_trampoline_start);
	struct ap_params *params =
		(struct ap_params *)(page + (ap_trampoline_params - ap_trampoline_start));

	memcpy(page, ap_trampoline_start, size);
	params->ttbr0_switch = l->pt_identity.root;
	params->ttbr1 = l->pt.root;
	params->ttbr0_final = l->empty_table;
	params->mair = MAIR_VALUE;
	params->tcr = a64_tcr_value();
	params->sctlr = SCTLR_VALUE;
	params->hhdm = l->hhdm;
	params->cpacr = READ_SYSREG(cpacr_el1); /* FP/SIMD as the BSP has it */
	dcache_clean_range(mp->trampoline, size);
}

static bool wait_booted(const struct ap_slot *slot, uint64_t timeout_ticks)
{
	uint64_t start = counter_now();

	do {
		if (__atomic_load_n(&slot->booted, __ATOMIC_ACQUIRE))
			return true;
		__asm__ volatile("yield");
	} while (counter_now() - start < timeout_ticks);
	return false;
}

static bool start_ap(const struct a64_mp *mp, const struct limine_mp_info *info,
		     const struct ap_slot *slot, uint64_t timeout_ticks)
{
	int64_t r = psci_cpu_on(mp->conduit, mp->cpu_on_function, info->mpidr, mp->trampoline,
				(uint64_t)(uintptr_t)slot);

	if (r != PSCI_SUCCESS) {
		console_print("mp: CPU_ON for MPIDR 0x%llx failed: %s (%lld); left out",
			      (unsigned long long)info->mpidr, psci_error_name(r), (long long)r);
		return false;
	}
	if (!wait_booted(slot, timeout_ticks)) {
		console_print("mp: CPU with MPIDR 0x%llx did not report in within %d ms; left out",
			      (unsigned long long)info->mpidr, AP_BOOT_TIMEOUT_MS);
		return false;
	}
	return true;
}

/* Starts every AP, keeps the CPUs that are ready (BSP included) at the
 * front of the array, now as HHDM pointers; returns how many. */
static uint64_t start_all(const struct loader *l, struct a64_mp *mp)
{
	uint64_t timeout_ticks = AP_BOOT_TIMEOUT_MS * counter_ticks_per_ms();
	uint64_t ready = 0;

	if (mp->trampoline)
		install_trampoline(l, mp);
	for (uint64_t i = 0; i < mp->response->cpu_count; i++) {
		struct limine_mp_info *info = mp->cpus[i];

		if (info->mpidr != mp->bsp_mpidr &&
		    !start_ap(mp, info, &mp->slots[i], timeout_ticks))
			continue;
		mp->cpus[ready++] = loader_hhdm_ptr(l, info);
	}
	return ready;
}

void arch_mp_start(struct loader *l)
{
	struct a64_mp *mp = l->arch_mp;

	if (!l->mp_request || !mp)
		return;
	responses_publish_mp(l, mp->response, mp->cpus, start_all(l, mp));
}

/* ap_entry.S reads these fields of the AArch64 limine_mp_info by offset. */
_Static_assert(__builtin_offsetof(struct limine_mp_info, reserved) == MP_INFO_STACK_TOP,
	       "ap_entry.S offsets");
_Static_assert(__builtin_offsetof(struct limine_mp_info, goto_address) == MP_INFO_GOTO,
	       "ap_entry.S offsets");
