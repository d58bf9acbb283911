/*
 * main: kmain(), the boot story of CambiOS told in order.
 *
 * Each line is one step; its comment says what the step makes possible.
 * The order is the point: nothing may print before the console exists,
 * nothing may allocate before the heap exists, and on AArch64 the console
 * cannot exist before its registers are mapped. See
 * shared/seed/waking-up.txt for the full story; this file tells the
 * chapters implemented so far: "Nothing Works Yet", "First Words",
 * "Building the Foundation", "Installing the Safety Net", the bootstrap
 * identity and the SignedBinaryVerifier of "Creating Work", then wakes the
 * other CPUs to prove them alive.
 */
#include <arch.h>
#include <boot.h>
#include <cap.h>
#include <cmdline.h>
#include <counter.h>
#include <firmware.h>
#include <frame.h>
#include <heap.h>
#include <ipc.h>
#include <timer.h>
#include <hhdm.h>
#include <identity.h>
#include <irq_wait.h>
#include <objstore.h>
#include <panic.h>
#include <pci_host.h>
#include <phys_guard.h>
#include <printk.h>
#include <process.h>
#include <sched_cpus.h>
#include <selftest.h>
#include <spawn.h>
#include <symbols.h>
#include <syscall.h>
#include <thread.h>
#include <verifier.h>
#include <vm.h>

/* Step 1: the HHDM offset, before anything else. Without a response there
 * is no way to reach physical memory (or, on AArch64, the UART). */
static bool store_hhdm_offset(void)
{
	const struct limine_hhdm_response *hhdm = boot_hhdm();

	if (!hhdm)
		return false;
	hhdm_set_offset(hhdm->offset);
	return true;
}

static void print_banner(void)
{
	const struct limine_bootloader_info_response *info = boot_bootloader_info();

	println("");
	println("CambiOS %s (%s), booted by %s %s", CAMBIOS_VERSION, arch_name,
		info ? info->name : "an unnamed loader", info ? info->version : "");
}

/* A loader that does not speak base revision 2 lays memory out differently
 * (identity maps, HHDM coverage); carrying on would misread everything. */
static void check_base_revision(void)
{
	if (!boot_base_revision_supported()) {
		println("limine: base revision 2 NOT supported by this bootloader; halting");
		arch_halt_forever();
	}
	println("limine: base revision 2 supported");
}

/* The kernel.sym module turns addresses in exception reports into names.
 * Like every module it is used only once the verifier has accepted it. */
static void load_symbol_table(void)
{
	const struct verified_module *sym = verifier_find(BOOT_MODULE_SYMBOLS);

	if (!sym) {
		println("symbols: no accepted %s module; reports show bare addresses",
			BOOT_MODULE_SYMBOLS);
		return;
	}
	/* The content: the signed bytes after the module's role line. */
	symbols_set_table((const char *)sym->content, sym->content_len);
	println("symbols: %zu bytes of kernel symbols loaded", sym->content_len);
}

/* The frame allocator manages usable RAM minus what the heap took. */
static void init_frames(void)
{
	struct frame_reservation reserved = { .what = "kernel heap" };

	heap_physical_range(&reserved.base, &reserved.length);
	if (frame_init_from_memmap(boot_memmap(), &reserved, 1) != K_OK)
		panic("frame allocator: cannot reserve the kernel heap's frames");
}

/* Every message the kernel processes send will carry this key's stamp. */
static void bind_bootstrap_principal(void)
{
	char fingerprint[17];

	for (uint32_t slot = 0; slot < PROCESS_KERNEL_COUNT; slot++) {
		if (process_bind_principal(PID_MAKE(0, slot), identity_bootstrap()) != K_OK)
			panic("identity: cannot bind the bootstrap principal to process %u", slot);
	}
	identity_fingerprint(identity_bootstrap(), fingerprint);
	println("identity: bootstrap principal %s bound to kernel processes 0-%d", fingerprint,
		PROCESS_KERNEL_COUNT - 1);
}

#if !CONFIG_SELFTEST
/* The boot's programs are made on the BSP and half of them handed to the
 * APs before any runs: with interrupts off the BSP's idle thread (this
 * one) is not preempted in between, so the split follows the modules'
 * order, not the timing of a tick. */
static void spawn_and_distribute(void)
{
	arch_irqflags_t flags = arch_irq_save();

	spawn_boot_programs();
	(void)sched_distribute();
	arch_irq_restore(flags);
}
#endif

void kmain(void);

void kmain(void)
{
	uint64_t entered = counter_read();    /* make bench-guest times the boot from here */
	arch_cpu_register_init();             /* this CPU's struct cpu, one load away */
	bool have_hhdm = store_hhdm_offset(); /* phys<->virt from now on */

	if (!arch_early_map_mmio())           /* AArch64: the UART mapped */
		arch_halt_forever();          /* nothing can speak; see arch */
	arch_console_init();                  /* io_init: printk works */
	print_banner();                       /* the kernel's first words */
	println("boot: kernel entered at counter %llu", (unsigned long long)entered);
	check_base_revision();                /* the hand-off is what we expect */
	if (!have_hhdm)
		panic("the bootloader gave no HHDM; physical memory is unreachable");
	println("hhdm: offset 0x%016llx", (unsigned long long)hhdm_offset());
	if (!boot_memmap())
		panic("the bootloader gave no memory map");
	boot_print_memmap();                  /* the machine describes itself */
	boot_print_modules();                 /* what we were handed to run */
	firmware_init();                      /* ACPI tables and device tree, checked */
	arch_devices_init();                  /* GIC, UART, local APIC: where the firmware says */
	phys_guard_set_memmap(boot_memmap()); /* no driver maps RAM, the kernel or firmware */
	arch_guard_own_devices();             /* ... nor the kernel's own devices */

	if (init_kernel_heap(boot_memmap()) != K_OK) /* kmalloc works */
		panic("heap: no usable region of at least 4 MiB above 1 MiB");
	init_frames();                        /* physical pages on demand */
	vm_save_kernel_root();                /* the way back to the kernel's tables */

	arch_exceptions_init();               /* faults are reported, not resets */
	arch_syscall_init();                  /* user code can call the kernel */

	/* The subsystems start in the seed's order: the process table first,
	 * because everything after it keeps per-process state. (Their locks
	 * are ordered differently -- the process table is taken last, inside
	 * IPC and capability operations; see lock_order.h.) */
	if (process_table_init() != K_OK)     /* PIDs 0-2 with their page tables */
		panic("process table: cannot create the kernel processes");
	ipc_init();                           /* 32 endpoints, zero-trust interceptor */
	cap_init();                           /* who may do what to which endpoint */
	identity_init_bootstrap();            /* the kernel's public key, nothing secret */
	bind_bootstrap_principal();           /* PIDs 0-2 speak for that key */
	objstore_init();                      /* content-addressed objects */

	arch_timer_calibration_begin();       /* the tick's rate is timed over what follows */
	verifier_check_boot_modules();        /* nothing unsigned goes further */
	load_symbol_table();                  /* names for addresses in reports */
	sched_start_cpu();                    /* kmain becomes the BSP's idle thread */
	sched_start_kernel_threads();         /* the reaper and the watcher */

	timer_init();                         /* interrupts routed, 100 Hz tick */
	pci_host_init();                      /* every PCI function found and listed */
	arch_irq_route_pci(pci_host_table()); /* their INTx lines routed, masked */
	mp_wake_aps();                        /* every CPU proven alive */
	println("cmdline: \"%s\"", boot_cmdline() ? boot_cmdline() : "");

#if CONFIG_SELFTEST
	selftest_run_all();                   /* SELFTEST=1 kernels only */
#else
	spawn_and_distribute();               /* every signed program a process, half on APs */
#endif
	if (cmdline_has_word(boot_cmdline(), CMDLINE_PANIC_TEST))
		panic("%s on the command line: testing the panic path", CMDLINE_PANIC_TEST);

	println("boot: foundation, safety net and verified modules ready; BSP idle between ticks");
	cpu_idle_forever();                   /* the microkernel loop: between ticks */
}
