# sources.mk: the source files of every component, each listed once.
#
# A component is a piece of portable code with one job. The kernel, the host
# unit tests, the fuzz targets, the benchmarks, the signing tool and the lint
# name components, never their files, so a file moved or added is changed
# here alone. Every COMPONENT_<name> is linked into the kernel: adding a
# subsystem is its one line here. (The kernel's arch files, the self-tests
# and the loader's own files are listed in the Makefile with their rules.)
#
# Host builds link portable code against kernel/arch/host (HOST_ARCH) and,
# where they need processes over host memory, tests/support/host_world.c.

# What every piece of kernel code leans on: console output and formatting,
# panic, error names, spinlocks and the lock-order check, the per-CPU structs,
# and the TLB shootdowns a spinning CPU serves.
COMPONENT_support := kernel/lib/printk.c kernel/lib/panic.c kernel/lib/kerr.c \
	kernel/lib/spinlock.c kernel/lib/lock_debug.c kernel/smp/cpu.c kernel/smp/tlb.c \
	lib/format.c
# memcpy and friends for freestanding code (host builds have libc's).
COMPONENT_kstring := lib/kstring.c
# Two-piece byte runs: user buffers as the IPC paths copy them.
COMPONENT_span := lib/span.c
COMPONENT_crypto := lib/crypto/blake3.c lib/crypto/sha512.c lib/crypto/ed25519.c
COMPONENT_arcsig := lib/arcsig.c
COMPONENT_elf := lib/elf.c lib/module_role.c
COMPONENT_pagetable := lib/pagetable.c
# Firmware tables: ACPI (RSDP, RSDT/XSDT, MADT, MCFG) and the device tree,
# read by the loader and the kernel alike.
COMPONENT_acpi := lib/acpi.c
COMPONENT_fdt := lib/fdt.c
# The kernel's view of them: the tables its bootloader handed over, opened.
COMPONENT_firmware := kernel/boot/firmware.c
# PCI enumeration, BAR sizing and capabilities over a caller's config-space accessor.
COMPONENT_pci := lib/pci.c
# Placing the BARs firmware left unassigned in the host bridge's windows.
COMPONENT_pci_assign := lib/pci_assign.c
# The kernel's PCI: the ECAM window from the firmware, enumerated at boot; the BARs
# firmware left unassigned placed where the device tree gives the windows.
COMPONENT_pci_host := kernel/dev/pci_host.c kernel/dev/pci_assign_host.c
# Which process holds which PCI function (MapMmio, PortIo), released at exit.
COMPONENT_device_claim := kernel/dev/device_claim.c
# The physical ranges no user mapping may touch: RAM, the kernel's own devices.
COMPONENT_phys_guard := kernel/dev/phys_guard.c
# The interrupt router: who owns which device line (host-tested alone).
COMPONENT_irq := kernel/dev/irq.c
# MSI-X vectors of PCI functions, routed to router lines for their drivers.
COMPONENT_msix := kernel/dev/msix.c
# Device interrupts and console input joined to the scheduler.
COMPONENT_irq_wait := kernel/dev/irq_wait.c kernel/dev/console_input.c
COMPONENT_hhdm := kernel/mm/hhdm.c
COMPONENT_heap := kernel/mm/heap.c kernel/mm/heap_init.c
COMPONENT_frame := kernel/mm/frame.c
COMPONENT_vm := kernel/mm/vm.c
COMPONENT_usercopy := kernel/mm/usercopy.c
COMPONENT_process := kernel/proc/process.c
COMPONENT_program := kernel/proc/program.c
COMPONENT_output := kernel/proc/output.c
COMPONENT_runqueue := kernel/sched/sched.c kernel/sched/sched_machine.c
COMPONENT_cap := kernel/cap/cap.c
COMPONENT_ipc := kernel/ipc/ipc.c kernel/ipc/interceptor.c
# Shared-memory channels between two processes.
COMPONENT_channel := kernel/ipc/channel.c
COMPONENT_objstore := kernel/objstore/objstore.c
COMPONENT_syscalls := kernel/lib/syscall.c kernel/lib/sys_ipc.c kernel/lib/sys_process.c \
	kernel/lib/sys_memory.c kernel/lib/sys_object.c kernel/lib/sys_device.c \
	kernel/lib/sys_driver_memory.c kernel/lib/sys_channel.c kernel/lib/sys_principal.c \
	kernel/lib/sys_irq.c kernel/lib/sys_system.c kernel/lib/sys_wallclock.c
# Threads on their own stacks, user programs run in them, boot programs spawned.
COMPONENT_threads := kernel/sched/thread.c kernel/sched/sched_cpus.c kernel/sched/watcher.c \
	kernel/proc/run.c \
	kernel/proc/spawn.c
COMPONENT_boot := kernel/boot/main.c kernel/boot/requests.c kernel/boot/bootinfo.c \
	kernel/boot/verifier.c kernel/identity/bootstrap.c kernel/lib/cmdline.c
COMPONENT_traps := kernel/lib/trap.c kernel/lib/backtrace.c kernel/lib/symbols.c
COMPONENT_smp := kernel/smp/mp.c kernel/smp/ipi.c
COMPONENT_time := kernel/time/timer.c
# The time of day, as the SNTP client sets it (portable).
COMPONENT_wallclock := kernel/time/wallclock.c

# The kernel's portable part: every component, in a stable order.
KERNEL_COMPONENTS := $(sort $(patsubst COMPONENT_%,%,$(filter COMPONENT_%,$(.VARIABLES))))
KERNEL_SRCS := $(foreach c,$(KERNEL_COMPONENTS),$(COMPONENT_$(c)))

# $(call components,a b c): the files of those components.
components = $(foreach c,$(1),$(COMPONENT_$(c)))

# Host builds: the host "arch", and processes over host memory.
HOST_ARCH := kernel/arch/host/cpu.c kernel/arch/host/mmu.c
HOST_SUPPORT := $(COMPONENT_support) kernel/arch/host/cpu.c
HOST_WORLD := tests/support/host_world.c $(HOST_SUPPORT) kernel/arch/host/mmu.c \
	tests/support/pci_host_fake.c $(call components,process vm frame hhdm pagetable device_claim irq msix)
