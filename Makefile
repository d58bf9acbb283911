# CambiOS build: one entry point for everything.
#
#   make [image] ARCH=x86_64|aarch64   kernel, loader and disk image
#   make run                           boot in QEMU, serial on the terminal
#   make debug                         boot paused, waiting for GDB
#   make test                          lint, host unit tests + boot tests, both arches
#   make unit                          host unit tests only (ASan + UBSan)
#   make bench                         host benchmarks (figures only)
#   make bench-guest                   guest instructions per kernel operation under QEMU
#                                      -icount, beside Linux 6.1 on x86_64 (mk/bench-guest.mk)
#   make bench-net                     UDP echo through QEMU's user network, beside Linux 6.1
#                                      on x86_64 (mk/bench-net.mk)
#   make lint                          clang-tidy + cppcheck over the C code (mk/lint.mk)
#   make clean
#
# Variables: ARCH, SMP, MEM, QEMU_ARGS (extra QEMU options), SELFTEST=1 (the
# kernel's self-test mode, built in build/<arch>-selftest/), IMAGE (boot this image instead of the built
# one), LIMINE_EFI (put genuine Limine's EFI binary in the image instead of
# cambios-boot), IMAGE_OUT (where `make image` writes).

ARCH ?= x86_64
CPU ?=
SMP ?= 1
MEM ?= 256M
LIMINE_EFI ?=
QEMU_ARGS ?=
# make run's network: a virtio-net device on QEMU's user network, the
# host's 127.0.0.1:ECHO_PORT forwarded to the guest's UDP echo service
# (ECHO_PORT= runs without a network device).
ECHO_PORT ?= 7777
# make run's virtio-rng device, the host's /dev/urandom, which the
# key-store reads for its key (VIRTIO_RNG= runs without it).
VIRTIO_RNG ?= 1

# Rules below may compute prerequisites from the target's stem ($$*).
.SECONDEXPANSION:
# Keep intermediate files (objects of user programs, unsigned modules).
.SECONDARY:

ifeq ($(filter $(ARCH),x86_64 aarch64),)
$(error ARCH must be x86_64 or aarch64, not "$(ARCH)")
endif

SELFTEST ?= 0

PYTHON := /usr/bin/python3
# SELFTEST=1 builds the kernel's self-test mode into its own tree, so the
# normal and self-test images can live side by side.
BUILD := build/$(ARCH)$(if $(filter 1,$(SELFTEST)),-selftest)
IMAGE_OUT ?= $(BUILD)/cambios.img
IMAGE ?= $(IMAGE_OUT)
HOST_BUILD := build/host

# V=1 shows full commands.
Q := $(if $(V),,@)

CC := clang
LD := ld.lld
NM := llvm-nm

WARNINGS := -Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes -Wundef \
	-Wpointer-arith
FREESTANDING := -std=c17 -ffreestanding -fno-builtin -nostdlibinc -fno-stack-protector \
	-mgeneral-regs-only -O2 $(WARNINGS)

include mk/sources.mk
include mk/signing.mk

# ---------------------------------------------------------------- kernel

KERNEL_TARGET_x86_64 := x86_64-unknown-none-elf
KERNEL_TARGET_aarch64 := aarch64-unknown-none-elf
KERNEL_ARCH_CFLAGS_x86_64 := -mno-red-zone -mcmodel=kernel
KERNEL_ARCH_CFLAGS_aarch64 :=

# $(call kernel_cflags,ARCH): the kernel's flags for either arch (mk/lint.mk
# checks both with the flags they are built with). -flto: the kernel is
# compiled as a whole at link time (ld.lld runs LLVM's optimiser over every
# C file together), so the small functions one job per file gives us --
# cap_check, the run-queue steps, the lock calls -- are inlined across
# files instead of costing a call each; the IPC round trip lost a fifth of
# its instructions that way (README, "Guest benchmarks"). The assembly
# files are ordinary objects; the flags that matter to the kernel
# (-mgeneral-regs-only, -mno-red-zone, -mcmodel=kernel) travel with each
# function into the link-time code generation.
kernel_cflags = --target=$(KERNEL_TARGET_$(1)) $(FREESTANDING) -g -fno-pic -fno-pie \
	-DCONFIG_SELFTEST=$(if $(filter 1,$(SELFTEST)),1,0) \
	-fno-omit-frame-pointer -flto $(KERNEL_ARCH_CFLAGS_$(1)) \
	-Iinclude -Ikernel/include -Ikernel/arch/$(1)/include -Ilib -I$(BUILD)/generated
KERNEL_CFLAGS := $(call kernel_cflags,$(ARCH))

# The kernel's portable part, KERNEL_SRCS, is every component of
# mk/sources.mk; its arch part is listed here.
KERNEL_ARCH_SRCS_x86_64 := \
	kernel/arch/x86_64/entry.S \
	kernel/arch/x86_64/cpu.c \
	kernel/arch/x86_64/console.c \
	kernel/arch/x86_64/gdt.c \
	kernel/arch/x86_64/idt.c \
	kernel/arch/x86_64/trap_entry.S \
	kernel/arch/x86_64/trap.c \
	kernel/arch/x86_64/syscall_entry.S \
	kernel/arch/x86_64/syscall.c \
	kernel/arch/x86_64/user.S \
	kernel/arch/x86_64/mmu.c \
	kernel/arch/x86_64/apic.c \
	kernel/arch/x86_64/ioapic.c \
	kernel/arch/x86_64/msi.c \
	kernel/arch/x86_64/devices.c \
	kernel/arch/x86_64/device_guard.c \
	kernel/arch/x86_64/guards.c \
	kernel/arch/x86_64/switch.S \
	kernel/arch/x86_64/thread.c \
	kernel/arch/x86_64/smp.c

KERNEL_ARCH_SRCS_aarch64 := \
	kernel/arch/aarch64/entry.S \
	kernel/arch/aarch64/cpu.c \
	kernel/arch/aarch64/console.c \
	kernel/arch/aarch64/early_mmio.c \
	kernel/arch/aarch64/mmu.c \
	kernel/arch/aarch64/vectors.S \
	kernel/arch/aarch64/trap.c \
	kernel/arch/aarch64/syscall.c \
	kernel/arch/aarch64/user.S \
	kernel/arch/aarch64/gic.c \
	kernel/arch/aarch64/its.c \
	kernel/arch/aarch64/devices.c \
	kernel/arch/aarch64/device_guard.c \
	kernel/arch/aarch64/guards.c \
	kernel/arch/aarch64/switch.S \
	kernel/arch/aarch64/thread.c \
	kernel/arch/aarch64/smp.c

# The self-tests, their user programs and the calls only they use are built
# into SELFTEST=1 kernels alone: a production kernel carries no test code.
# $(call kernel_selftest_srcs,ARCH)
kernel_selftest_srcs = \
	kernel/selftest/selftest.c \
	kernel/selftest/traps.c \
	kernel/selftest/memory.c \
	kernel/selftest/user.c \
	kernel/selftest/subsystems.c \
	kernel/selftest/ipc.c \
	kernel/selftest/program.c \
	kernel/selftest/boundary.c \
	kernel/selftest/sched.c \
	kernel/selftest/timer.c \
	kernel/selftest/smp.c \
	kernel/selftest/balance.c \
	kernel/selftest/tlb.c \
	kernel/selftest/irq.c \
	$(if $(filter aarch64,$(1)),kernel/selftest/its.c) \
	kernel/selftest/bars.c \
	kernel/arch/$(1)/selftest.c \
	kernel/arch/$(1)/user_programs.S
KERNEL_SELFTEST_SRCS := $(call kernel_selftest_srcs,$(ARCH))

KERNEL_OBJS := $(patsubst %,$(BUILD)/kernel-obj/%.o,$(KERNEL_SRCS) $(KERNEL_ARCH_SRCS_$(ARCH)) \
	$(if $(filter 1,$(SELFTEST)),$(KERNEL_SELFTEST_SRCS)))
KERNEL_ELF := $(BUILD)/kernel/cambios.elf
KERNEL_LDS := kernel/arch/$(ARCH)/linker.ld

$(BUILD)/kernel-obj/%.o: % Makefile | $(KEY_HEADER)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(KERNEL_CFLAGS) -MMD -MP -MJ $@.json -c $< -o $@

$(KERNEL_ELF): $(KERNEL_OBJS) $(KERNEL_LDS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(LD) -nostdlib -static -z max-page-size=0x1000 --build-id=none -T $(KERNEL_LDS) \
		$(KERNEL_OBJS) -o $@

# The kernel's symbol table, handed over as a boot module: addresses and
# names sorted by address, for readable backtraces. Its first line names
# its role (lib/module_role.h), so the role is covered by the signature.
KERNEL_SYMS := $(BUILD)/modules/kernel.sym
$(KERNEL_SYMS): $(KERNEL_ELF)
	@mkdir -p $(dir $@)
	@echo "  NM      $@"
	$(Q)( echo "cambios-module kernel-symbols"; \
		$(NM) --defined-only --numeric-sort $< | awk '$$2 ~ /^[tTwW]$$/ {print $$1, $$3}' ) > $@

# ---------------------------------------------------------------- user programs

# User programs are freestanding ELF executables linked at 0x400000
# (user/linker.ld) and built with the same C dialect as the kernel; they
# become signed boot modules.
user_cflags = --target=$(KERNEL_TARGET_$(1)) $(FREESTANDING) -g -fno-pic -fno-pie \
	-Iinclude -Iuser/lib -Ilib
USER_CFLAGS := $(call user_cflags,$(ARCH))
USER_LIB_SRCS := user/lib/start_$(ARCH).S
# The image's programs, in boot order: each becomes a signed module, a line
# in limine.conf and a process. A program's sources are the C files in
# user/<name>/, so adding one is a directory and a word here.
USER_PROGRAMS := hello echo shell key-store virtio-net udp fs
# lib/crypto for the programs that sign or verify, over lib/kstring's
# memcpy and friends.
USER_CRYPTO_SRCS := $(COMPONENT_kstring) $(COMPONENT_crypto)
# The key-store signs with lib/crypto; it reads a virtio-rng device through
# user/lib's virtio transport, lib/virtq's queue and lib/rng_fill's checks.
USER_SRCS_key-store := $(wildcard user/key-store/*.c) $(USER_CRYPTO_SRCS) \
	user/lib/virtio_pci.c lib/virtq.c lib/rng_fill.c
# virtio-net: the network driver (user/virtio-net), on user/lib's virtio
# transport, lib/virtq's queues and lib/kstring's copies.
USER_SRCS_virtio-net := $(wildcard user/virtio-net/*.c) user/lib/virtio_pci.c lib/virtq.c lib/slot_outbox.c \
	lib/kstring.c
# udp, the UDP/IP service, is built on the portable pieces in lib/ (frames,
# the ARP cache, SNTP, the driver link's checks) and lib/format for its lines.
USER_SRCS_udp := $(wildcard user/udp/*.c) lib/inet.c lib/arp_cache.c lib/sntp.c lib/net_link.c lib/slot_outbox.c \
	lib/format.c lib/kstring.c
# fs-service keeps its name table with lib/fsnames and checks signed puts
# with lib/crypto.
USER_SRCS_fs := $(wildcard user/fs/*.c) lib/fsnames.c $(USER_CRYPTO_SRCS)
# The shell reads console lines with lib/line_editor and lib/shell_words,
# checks names with fs's rules (lib/fsnames), and hashes with BLAKE3 and
# checks the key-store's signatures with lib/crypto.
USER_SRCS_shell := $(wildcard user/shell/*.c) lib/line_editor.c lib/shell_words.c lib/fsnames.c lib/sntp.c \
	$(USER_CRYPTO_SRCS)
$(foreach p,$(USER_PROGRAMS),$(eval USER_SRCS_$(p) ?= $$(wildcard user/$(p)/*.c)))

# udp's addresses, fixed at build time: NET_ADDRESS, NET_PREFIX, NET_GATEWAY,
# SNTP_SERVER (dotted quads) and SNTP_PORT become -D flags for
# user/udp/config.c alone, as comma-separated bytes. The flags are kept in
# $(BUILD)/udp-config, rewritten only when they change, so a new address
# rebuilds that one file.
NET_ADDRESS ?= 10.0.2.15
NET_PREFIX ?= 24
NET_GATEWAY ?= 10.0.2.2
SNTP_SERVER ?= 10.0.2.2
SNTP_PORT ?= 123
comma := ,
udp_quad = $(subst .,$(comma),$(1))
UDP_CONFIG_FLAGS := -DNET_ADDRESS=$(call udp_quad,$(NET_ADDRESS)) -DNET_PREFIX=$(NET_PREFIX) \
	-DNET_GATEWAY=$(call udp_quad,$(NET_GATEWAY)) -DSNTP_SERVER=$(call udp_quad,$(SNTP_SERVER)) \
	-DSNTP_PORT=$(SNTP_PORT)
$(BUILD)/user-obj/user/udp/config.c.o: USER_CFLAGS += $(UDP_CONFIG_FLAGS)
$(BUILD)/user-obj/user/udp/config.c.o: $(BUILD)/udp-config
$(BUILD)/udp-config: FORCE
	@mkdir -p $(dir $@)
	$(Q)echo '$(UDP_CONFIG_FLAGS)' > $@.new
	$(Q)cmp -s $@.new $@ && rm -f $@.new || mv $@.new $@

# The user boundary's hostile corpus (user/hostile/hostile.h), run by the
# self-tests: SELFTEST=1 images only. Each is one file, user/hostile/<name>.c.
HOSTILE_PROGRAMS := bad-write bad-priv bad-insn bad-div bad-brk bad-align bad-exec bad-kread \
	bad-kjump bad-stack bad-guard bad-offset regs-dirty regs-check forge exit-1000 exit-min \
	fp-keeper ping spawner bad-args alloc objects devices irq-refused irq-waiter channel \
	killer spinner blocker
$(foreach p,$(HOSTILE_PROGRAMS),$(eval USER_SRCS_$(p) := user/hostile/$(p).c))
# Programs in no image of ours: the boot tests build them
# (`make build/<arch>/modules/<name>.elf`) and give them as MODULES.
# mmio: a user-space driver's first steps and their refusals
# (tests/boot/test_devices.py); msix: its interrupts through MSI-X
# (tests/boot/test_msix.py); pinger and ponger: IPC between CPUs, stress
# and churn: a minute of processes coming and going (tests/boot/test_smp.py).
TEST_MODULE_PROGRAMS := mmio msix pinger ponger stress churn netprobe netfake ks-client fsclient
# netprobe: the UDP/IP stack's side of abi/net.h, testing the virtio-net
# driver (tests/boot/test_virtio_net.py); netfake: a stand-in (and hostile)
# virtio-net driver for the UDP/IP service's test (tests/boot/test_net.py).
USER_SRCS_netprobe := user/netprobe/netprobe.c lib/inet.c lib/kstring.c
USER_SRCS_netfake := user/netfake/netfake.c lib/inet.c lib/kstring.c
# ks-client: the key-store from another process (tests/boot/test_key_store.py).
USER_SRCS_ks-client := user/ks-client/ks-client.c lib/crypto/blake3.c $(COMPONENT_kstring)
# fsclient: every fs-service request and answer (tests/boot/test_fs.py).
USER_SRCS_fsclient := $(wildcard user/fsclient/*.c) $(USER_CRYPTO_SRCS)
$(foreach p,$(TEST_MODULE_PROGRAMS),$(eval USER_SRCS_$(p) ?= $$(wildcard user/$(p)/*.c)))
# Programs with their own _start instead of user/lib's.
USER_OWN_START := regs-check
# Data right below the stack's guard page, and in it (user/linker.ld).
USER_LDFLAGS_bad-stack := --defsym=USER_DATA_START=0x7ee000
USER_LDFLAGS_bad-guard := --defsym=USER_DATA_START=0x7ef000
# WITHOUT="a b": an image without some of USER_PROGRAMS -- for a boot test
# whose own module drives a device one of ours would claim first (user/mmio
# and user/msix drive the virtio-net device user/virtio-net takes).
WITHOUT ?=
IMAGE_PROGRAMS := $(filter-out $(WITHOUT),$(USER_PROGRAMS)) \
	$(if $(filter 1,$(SELFTEST)),$(HOSTILE_PROGRAMS))

$(BUILD)/user-obj/%.o: % Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

# (addprefix, not patsubst: a % in a pattern rule's prerequisites is the stem.)
$(BUILD)/modules/%.elf: $$(addprefix $(BUILD)/user-obj/,$$(addsuffix .o,$$(USER_SRCS_$$*) \
		$$(if $$(filter $$*,$(USER_OWN_START)),,$(USER_LIB_SRCS)))) user/linker.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(LD) -nostdlib -static -z max-page-size=0x1000 --build-id=none -T user/linker.ld \
		$(USER_LDFLAGS_$*) $(filter %.o,$^) -o $@

# bad-offset: linked as usual, then its data segment's address moved off its
# file offset (the ELF rule the loader must enforce).
$(BUILD)/modules/bad-offset.elf: $(BUILD)/modules/bad-offset.linked tests/support/skew_segment.py
	$(Q)$(PYTHON) tests/support/skew_segment.py $< $@
$(BUILD)/modules/bad-offset.linked: $(addprefix $(BUILD)/user-obj/,$(addsuffix .o, \
		$(USER_SRCS_bad-offset) $(USER_LIB_SRCS))) user/linker.ld
	$(Q)$(LD) -nostdlib -static -z max-page-size=0x1000 --build-id=none -T user/linker.ld \
		$(filter %.o,$^) -o $@

USER_ELFS := $(patsubst %,$(BUILD)/modules/%.elf,$(IMAGE_PROGRAMS))

# ---------------------------------------------------------------- loader

LOADER_TARGET_x86_64 := x86_64-unknown-windows
LOADER_TARGET_aarch64 := aarch64-unknown-windows
LOADER_ARCH_CFLAGS_x86_64 := -mno-red-zone
LOADER_ARCH_CFLAGS_aarch64 :=
LOADER_EFI_NAME_x86_64 := BOOTX64.EFI
LOADER_EFI_NAME_aarch64 := BOOTAA64.EFI

loader_cflags = --target=$(LOADER_TARGET_$(1)) $(FREESTANDING) -fshort-wchar \
	-mno-stack-arg-probe $(LOADER_ARCH_CFLAGS_$(1)) -Iinclude -Ilib
LOADER_CFLAGS := $(call loader_cflags,$(ARCH))

LOADER_ARCH_SRCS_x86_64 := \
	boot/arch/x86_64/arch.c \
	boot/arch/x86_64/enter.S \
	boot/arch/x86_64/smp.c \
	boot/arch/x86_64/trampoline.S

LOADER_ARCH_SRCS_aarch64 := \
	boot/arch/aarch64/arch.c \
	boot/arch/aarch64/enter.S \
	boot/arch/aarch64/smp.c \
	boot/arch/aarch64/ap_entry.S

LOADER_SRCS := \
	boot/main.c \
	boot/uefi.c \
	boot/console.c \
	boot/alloc.c \
	boot/fs.c \
	boot/conf.c \
	boot/requests.c \
	boot/memmap.c \
	boot/address_space.c \
	boot/responses.c \
	$(LOADER_ARCH_SRCS_$(ARCH)) \
	$(call components,elf pagetable kstring acpi fdt) \
	lib/format.c

LOADER_OBJS := $(patsubst %,$(BUILD)/loader-obj/%.o,$(LOADER_SRCS))
LOADER_EFI := $(BUILD)/loader/$(LOADER_EFI_NAME_$(ARCH))

$(BUILD)/loader-obj/%.o: % Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(LOADER_CFLAGS) -MMD -MP -MJ $@.json -c $< -o $@

$(LOADER_EFI): $(LOADER_OBJS)
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	$(Q)$(CC) --target=$(LOADER_TARGET_$(ARCH)) -nostdlib -fuse-ld=lld \
		-Wl,-subsystem:efi_application -Wl,-entry:efi_main $(LOADER_OBJS) -o $@

# ---------------------------------------------------------------- image

# The EFI binary that goes into the image: ours, or genuine Limine's.
BOOT_EFI := $(if $(LIMINE_EFI),$(LIMINE_EFI),$(LOADER_EFI))
IMAGE_SIZE_MIB := 64

# Your own programs: MODULES="a.elf b.elf" signs each with the configured
# key (mk/signing.mk) and lists it after ours, in the order given. A file
# named like one of ours would shadow it in /boot/modules/: refused.
MODULES ?=
MODULE_NAMES := $(notdir $(MODULES))
OUR_MODULE_NAMES := kernel.sym $(addsuffix .elf,$(IMAGE_PROGRAMS))
ifneq ($(filter $(OUR_MODULE_NAMES),$(MODULE_NAMES)),)
$(error MODULES: $(filter $(OUR_MODULE_NAMES),$(MODULE_NAMES)) would replace the image's own module of that name; rename it)
endif
ifneq ($(words $(MODULE_NAMES)),$(words $(sort $(MODULE_NAMES))))
$(error MODULES: two files share a name: $(MODULE_NAMES))
endif
EXTRA_ELFS := $(addprefix $(BUILD)/modules/extra/,$(MODULE_NAMES))

# $(call module_source,NAME): the MODULES path whose file name is NAME.
module_source = $(firstword $(foreach m,$(MODULES),$(if $(filter $(1),$(notdir $(m))),$(m))))

$(BUILD)/modules/extra/%: $$(call module_source,$$*)
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

# Every boot module goes into the image signed (mk/signing.mk).
SIGNED_MODULES := $(BUILD)/modules-signed/kernel.sym \
	$(patsubst $(BUILD)/modules/%,$(BUILD)/modules-signed/%,$(USER_ELFS) $(EXTRA_ELFS))

# Our programs go in stripped of symbols and debug information: the loader
# reads neither, and the kernel hashes every byte of a module as it
# verifies it at boot (about 15 instructions a byte; hello is 15 KiB with
# them, 8 without). The full ELF stays in modules/ for the debugger. The
# hostile corpus and the user's own MODULES are signed exactly as given.
OBJCOPY := llvm-objcopy
STRIPPED_PROGRAMS := $(filter-out $(HOSTILE_PROGRAMS),$(IMAGE_PROGRAMS))
$(BUILD)/modules-stripped/%.elf: $(BUILD)/modules/%.elf
	@mkdir -p $(dir $@)
	@echo "  STRIP   $@"
	$(Q)$(OBJCOPY) --strip-all $< $@
$(patsubst %,$(BUILD)/modules-signed/%.elf,$(STRIPPED_PROGRAMS)): \
		$(BUILD)/modules-signed/%.elf: $(BUILD)/modules-stripped/%.elf $(SIGN_INPUTS)
	$(sign_module)

# limine.conf is generated from the module list: boot/limine.conf (the
# kernel and its symbol table), then our programs (USER_PROGRAMS, and in a
# self-test image the hostile corpus), then MODULES. Each module's string
# is its name without .elf (unsigned: it decides nothing, see verifier.h).
# CMDLINE="..." becomes the kernel's command line (e.g. cambios.stats=1,
# kernel/include/watcher.h).
# Rewritten only when its text changes.
LIMINE_CONF := $(BUILD)/limine.conf
CONF_EXTRA_MODULES := $(addsuffix .elf,$(IMAGE_PROGRAMS)) $(MODULE_NAMES)

$(LIMINE_CONF): boot/limine.conf FORCE
	@mkdir -p $(dir $@)
	$(Q)( cat boot/limine.conf; for m in $(CONF_EXTRA_MODULES); do \
		printf '    module_path: boot():/boot/modules/%s\n    module_cmdline: %s\n' \
			"$$m" "$${m%.elf}"; \
	done; $(if $(CMDLINE),printf '    cmdline: %s\n' '$(CMDLINE)';) ) > $@.new
	$(Q)cmp -s $@.new $@ && rm -f $@.new || mv $@.new $@

$(IMAGE_OUT): $(BOOT_EFI) $(KERNEL_ELF) $(SIGNED_MODULES) $(LIMINE_CONF) scripts/mkimage.sh
	scripts/mkimage.sh $@ $(IMAGE_SIZE_MIB) $(BOOT_EFI) $(LOADER_EFI_NAME_$(ARCH)) \
		$(LIMINE_CONF) $(KERNEL_ELF) $(SIGNED_MODULES)

# ---------------------------------------------------------------- host tests

HOST_CFLAGS := -std=c17 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer $(WARNINGS) -Iinclude -Ilib -Ikernel/include \
	-Ikernel/arch/host/include -Iboot
UNIT_TESTS := kstring format conf elf module_role pagetable memmap requests cmdline symbols heap frame fdt acpi ed25519 blake3 arcsig lockorder objstore process cap ipc program output sched sched_machine syscall irq
UNIT_SRCS_format := lib/format.c
UNIT_SRCS_conf := boot/conf.c lib/format.c
UNIT_SRCS_elf := $(COMPONENT_elf) tests/support/elf_build.c
UNIT_SRCS_module_role := lib/module_role.c
UNIT_SRCS_pagetable := $(COMPONENT_pagetable)
UNIT_SRCS_memmap := boot/memmap.c
UNIT_SRCS_requests := boot/requests.c
UNIT_SRCS_cmdline := kernel/lib/cmdline.c
UNIT_SRCS_symbols := kernel/lib/symbols.c $(HOST_SUPPORT)
UNIT_SRCS_heap := $(call components,heap hhdm) $(HOST_SUPPORT)
UNIT_SRCS_frame := $(COMPONENT_frame) $(HOST_SUPPORT)
UNIT_SRCS_lockorder := $(HOST_SUPPORT)
UNIT_SRCS_tlb := $(HOST_SUPPORT)
UNIT_SRCS_irq := $(COMPONENT_irq) $(HOST_SUPPORT)
UNIT_SRCS_process := $(HOST_WORLD)
UNIT_SRCS_output := $(COMPONENT_output) $(HOST_WORLD)
UNIT_SRCS_sched := $(COMPONENT_runqueue) tests/support/sched_model.c
UNIT_SRCS_sched_machine := $(COMPONENT_runqueue)
UNIT_SRCS_cap := $(COMPONENT_cap) $(HOST_WORLD)
UNIT_SRCS_program := $(call components,program elf) tests/support/elf_build.c $(HOST_WORLD)
UNIT_SRCS_ipc := $(call components,ipc cap span) tests/support/ipc_model.c $(HOST_WORLD)
UNIT_SRCS_objstore := $(call components,objstore heap hhdm) lib/crypto/blake3.c $(HOST_SUPPORT)
UNIT_SRCS_fdt := $(COMPONENT_fdt)
UNIT_SRCS_acpi := $(COMPONENT_acpi)
UNIT_SRCS_ed25519 := lib/crypto/sha512.c lib/crypto/ed25519.c
UNIT_LDLIBS_ed25519 := -lcrypto
UNIT_SRCS_blake3 := lib/crypto/blake3.c
UNIT_SRCS_arcsig := $(call components,arcsig crypto)
UNIT_TESTS += pci device_claim msix pci_assign tlb inet virtq
UNIT_SRCS_inet := lib/inet.c
UNIT_SRCS_virtq := lib/virtq.c
# The key-store's virtio-rng fill over lib/virtq, against fake devices.
UNIT_TESTS += rng_fill
UNIT_SRCS_rng_fill := lib/rng_fill.c lib/virtq.c
UNIT_TESTS += vnet_checks virtio_pci
UNIT_SRCS_virtio_pci := user/lib/virtio_pci.c
UNIT_SRCS_vnet_checks := user/virtio-net/checks.c
UNIT_SRCS_device_claim := $(COMPONENT_phys_guard) $(HOST_WORLD)
UNIT_SRCS_msix := $(HOST_WORLD)
UNIT_SRCS_pci := $(COMPONENT_pci) lib/format.c tests/support/pci_sim.c
UNIT_SRCS_pci_assign := $(call components,pci pci_assign) lib/format.c tests/support/pci_sim.c
# The dispatcher and every handler over the real kernel code, with the
# scheduler and boot modules faked (tests/support/syscall_world.h).
SYSCALL_SRCS := tests/support/syscall_world.c \
	$(call components,syscalls usercopy output objstore heap crypto ipc channel cap span pci phys_guard irq_wait \
	wallclock) $(HOST_WORLD)
UNIT_SRCS_syscall := $(SYSCALL_SRCS)
UNIT_TESTS += channel
UNIT_TESTS += fsnames arp_cache sntp net_link udp_stack slot_outbox
UNIT_SRCS_slot_outbox := lib/slot_outbox.c
UNIT_TESTS += span
UNIT_SRCS_span := lib/span.c
UNIT_SRCS_fsnames := lib/fsnames.c
UNIT_SRCS_arp_cache := lib/arp_cache.c
UNIT_SRCS_sntp := lib/sntp.c
UNIT_SRCS_net_link := lib/net_link.c
# The shell's console input: its line editor and its line reader.
UNIT_TESTS += line_editor shell_words
UNIT_SRCS_line_editor := lib/line_editor.c
UNIT_SRCS_shell_words := lib/shell_words.c
# The UDP/IP service's portable core over a fake driver and clock (every
# user/udp file but main.c and driver.c, which make the system calls).
UDP_STACK_SRCS := $(filter-out user/udp/main.c user/udp/driver.c,$(wildcard user/udp/*.c)) \
	lib/inet.c lib/arp_cache.c lib/sntp.c lib/format.c
UNIT_SRCS_udp_stack := $(UDP_STACK_SRCS)
UNIT_SRCS_channel := $(SYSCALL_SRCS)
UNIT_BINS := $(patsubst %,$(HOST_BUILD)/unit/%_test,$(UNIT_TESTS))

# lib/kstring.c as AArch64 runs it (the word loops, forced on any host),
# its functions renamed so that they do not stand in for the host's libc.
KSTRING_TEST_FLAGS := -DKSTRING_WORD_LOOPS -fno-builtin \
	$(foreach f,memcpy memmove memset memcmp strlen strcmp strncmp,-D$(f)=kstring_$(f))
$(HOST_BUILD)/unit/kstring_test: tests/unit/kstring_test.c lib/kstring.c lib/kstring.h Makefile
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(CC) $(HOST_CFLAGS) $(KSTRING_TEST_FLAGS) -c lib/kstring.c -o $@.kstring.o
	$(Q)$(CC) $(HOST_CFLAGS) $< $@.kstring.o -lcmocka -o $@

$(HOST_BUILD)/unit/%_test: tests/unit/%_test.c $$(UNIT_SRCS_$$*) Makefile
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(CC) $(HOST_CFLAGS) -MMD -MP $< $(UNIT_SRCS_$*) -lcmocka -lpthread \
		$(UNIT_LDLIBS_$*) -o $@

# ---------------------------------------------------------------- benchmarks

# Host benchmarks print figures next to a reference (glibc) measured in the
# same run; they assert nothing about time.
BENCH_CFLAGS := -std=c17 -O2 -DCONFIG_HEAP_DEBUG=0 $(WARNINGS) -Iinclude -Ilib -Ikernel/include \
	-Ikernel/arch/host/include
BENCHES := heap frame ed25519 blake3 blake3_kernel_flags ipc ipc_without_lock_tracking
BENCH_SRCS_heap := kernel/mm/heap.c $(HOST_SUPPORT)
BENCH_SRCS_frame := $(COMPONENT_frame) $(HOST_SUPPORT)
BENCH_SRCS_ed25519 := lib/crypto/sha512.c lib/crypto/ed25519.c
BENCH_LDLIBS_ed25519 := -lcrypto
BENCH_SRCS_blake3 := lib/crypto/blake3.c
BENCH_SRCS_ipc := tests/bench/instructions.c $(call components,ipc cap span) $(HOST_WORLD)
# The same IPC benchmark without the debug lock-order tracking.
$(HOST_BUILD)/bench/ipc_without_lock_tracking_bench: tests/bench/ipc_bench.c $(BENCH_SRCS_ipc) Makefile
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(CC) $(BENCH_CFLAGS) -DCONFIG_LOCK_DEBUG=0 $< $(BENCH_SRCS_ipc) -o $@
# The same benchmark with BLAKE3 compiled as the kernel compiles it.
BENCH_SRCS_blake3_kernel_flags := lib/crypto/blake3.c
BENCH_EXTRA_blake3_kernel_flags := -mgeneral-regs-only -ffreestanding -fno-builtin

$(HOST_BUILD)/bench/blake3_kernel_flags_bench: tests/bench/blake3_bench.c lib/crypto/blake3.c Makefile
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(CC) $(BENCH_CFLAGS) -c lib/crypto/blake3.c $(BENCH_EXTRA_blake3_kernel_flags) \
		-o $@.blake3.o
	$(Q)$(CC) $(BENCH_CFLAGS) -DBENCH_FLAVOUR='"BLAKE3 built with the kernel flags"' \
		tests/bench/blake3_bench.c $@.blake3.o -o $@
BENCH_BINS := $(patsubst %,$(HOST_BUILD)/bench/%_bench,$(BENCHES))

$(HOST_BUILD)/bench/%_bench: tests/bench/%_bench.c $$(BENCH_SRCS_$$*) Makefile
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(CC) $(BENCH_CFLAGS) -MMD -MP $< $(BENCH_SRCS_$*) -lpthread $(BENCH_LDLIBS_$*) -o $@

# ---------------------------------------------------------------- fuzzing

# libFuzzer targets for code that parses untrusted bytes. `make test` runs
# each for FUZZ_SECONDS, a smoke run that keeps `make test` under its 20
# minutes; run longer with `make fuzz FUZZ_SECONDS=600`.
FUZZ_SECONDS ?= 5
FUZZ_CFLAGS := -std=c17 -g -O1 -fsanitize=fuzzer,address,undefined $(WARNINGS) \
	-Iinclude -Ilib -Ikernel/include -Ikernel/arch/host/include -Iboot
FUZZERS := arcsig objstore ipc elf conf fdt acpi sched syscall
FUZZ_SRCS_arcsig := $(call components,arcsig crypto)
FUZZ_SRCS_objstore := $(call components,objstore heap hhdm) lib/crypto/blake3.c $(HOST_SUPPORT)
FUZZ_SRCS_ipc := tests/support/ipc_model.c $(call components,ipc cap span) $(HOST_WORLD)
FUZZ_SRCS_elf := $(call components,program elf) $(HOST_WORLD)
FUZZ_SRCS_conf := boot/conf.c lib/format.c
FUZZ_SRCS_fdt := $(COMPONENT_fdt)
FUZZ_SRCS_acpi := $(COMPONENT_acpi)
FUZZ_SRCS_sched := $(COMPONENT_runqueue) tests/support/sched_model.c
FUZZ_SRCS_syscall := $(SYSCALL_SRCS)
FUZZERS += pci
FUZZ_SRCS_pci := $(COMPONENT_pci) lib/format.c tests/support/pci_sim.c
FUZZERS += pci_assign
FUZZ_SRCS_pci_assign := $(call components,pci pci_assign) lib/format.c tests/support/pci_sim.c
FUZZERS += inet virtq
FUZZ_SRCS_inet := lib/inet.c
FUZZ_SRCS_virtq := lib/virtq.c
FUZZERS += fsnames sntp net_link udp_stack
FUZZ_SRCS_fsnames := lib/fsnames.c
FUZZ_SRCS_sntp := lib/sntp.c
FUZZ_SRCS_net_link := lib/net_link.c
FUZZ_SRCS_udp_stack := $(UDP_STACK_SRCS)
FUZZERS += shell
FUZZ_SRCS_shell := lib/line_editor.c lib/shell_words.c
FUZZ_BINS := $(patsubst %,$(HOST_BUILD)/fuzz/%_fuzz,$(FUZZERS))

$(HOST_BUILD)/fuzz/%_fuzz: tests/fuzz/%_fuzz.c $$(FUZZ_SRCS_$$*) Makefile
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $@"
	$(Q)$(CC) $(FUZZ_CFLAGS) $< $(FUZZ_SRCS_$*) -o $@

# The working corpus lives in build/; tests/fuzz/corpus/<name> seeds it.
# Crashes, leaks and timeouts are written to build/host/fuzz/artifacts-<name>/,
# never into the source tree: turn one into a unit test, then delete it.
# One target per fuzzer, so `make -j` runs them side by side (each is one
# thread); make test's -Otarget keeps each one's lines together.
FUZZ_RUNS := $(patsubst %,fuzz-run-%,$(FUZZERS))
fuzz: $(FUZZ_RUNS)
$(FUZZ_RUNS): fuzz-run-%: $(HOST_BUILD)/fuzz/%_fuzz
	@mkdir -p $(HOST_BUILD)/fuzz/corpus-$* $(HOST_BUILD)/fuzz/artifacts-$*
	@echo "== fuzz $* ($(FUZZ_SECONDS) s)"
	@if ! $< -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		-artifact_prefix=$(HOST_BUILD)/fuzz/artifacts-$*/ \
		$(HOST_BUILD)/fuzz/corpus-$* $$(ls -d tests/fuzz/corpus/$* 2>/dev/null) \
		> $(HOST_BUILD)/fuzz/$*.log 2>&1; then \
		tail -40 $(HOST_BUILD)/fuzz/$*.log; exit 1; \
	fi
	@grep -E "^(stat::number_of_executed_units|#[0-9]+.*DONE)" $(HOST_BUILD)/fuzz/$*.log

# ---------------------------------------------------------------- targets

.PHONY: all image kernel loader run debug test test-checks test-proofs unit bench fuzz boot-tests tool-tests setup \
	clean \
	compile_commands $(UNIT_RUNS) $(FUZZ_RUNS)

all: image compile_commands
image: $(IMAGE_OUT) compile_commands
kernel: $(KERNEL_ELF)
loader: $(LOADER_EFI)

setup:
	@scripts/setup.sh --if-needed

run: setup $(if $(filter $(IMAGE),$(IMAGE_OUT)),$(IMAGE_OUT))
	$(PYTHON) scripts/qemu.py run --arch $(ARCH) --image $(IMAGE) --smp $(SMP) --mem $(MEM) \
		$(if $(CPU),--cpu '$(CPU)') $(if $(filter 1,$(SELFTEST)),--selftest-devices) \
		$(if $(ECHO_PORT),--echo-port $(ECHO_PORT)) $(if $(VIRTIO_RNG),--virtio-rng) \
		$(if $(QEMU_ARGS),-- $(QEMU_ARGS))

debug: setup $(if $(filter $(IMAGE),$(IMAGE_OUT)),$(IMAGE_OUT))
	$(PYTHON) scripts/qemu.py run --arch $(ARCH) --image $(IMAGE) --smp $(SMP) --mem $(MEM) --gdb \
		$(if $(CPU),--cpu '$(CPU)') $(if $(filter 1,$(SELFTEST)),--selftest-devices) \
		$(if $(QEMU_ARGS),-- $(QEMU_ARGS))

# Every test binary runs even when one fails; the target fails if any did.
# One target per test program, so `make -j` runs them side by side;
# -Otarget (make test) keeps each one's report together.
UNIT_RUNS := $(patsubst $(HOST_BUILD)/unit/%,unit-run-%,$(UNIT_BINS))
unit: $(UNIT_RUNS)
$(UNIT_RUNS): unit-run-%: $(HOST_BUILD)/unit/%
	@echo "== $<"
	@$<

bench: $(BENCH_BINS)
	@for b in $(BENCH_BINS); do echo "== $$b"; $$b; done

# make test's builds use every CPU (the tests themselves run one at a
# time); -Otarget keeps each target's output together.
TEST_JOBS ?= $(shell nproc)
TEST_MAKE = $(MAKE) -j$(TEST_JOBS) -Otarget

boot-tests:
	+$(TEST_MAKE) image ARCH=x86_64
	+$(TEST_MAKE) image ARCH=aarch64
	+$(TEST_MAKE) image ARCH=x86_64 SELFTEST=1
	+$(TEST_MAKE) image ARCH=aarch64 SELFTEST=1
	$(PYTHON) -m pytest tests/boot

tool-tests: $(SIGN_TOOL)
	$(PYTHON) -m pytest tests/tools

# Two lines of work, one per job slot, each in its own order and of about
# the same length on the two-core machines CI uses: the boot tests (most
# of them QEMU with one CPU, which leaves a core idle) after the lint and
# the unit tests; the proofs (make verify, single-threaded Frama-C runs)
# after the fuzzing and the tool tests. What both lines use (the signing
# tool and the key header it writes) is made first, once.
test: setup
	+$(MAKE) $(KEY_HEADER)
	+$(MAKE) -j2 -Oline test-checks test-proofs

test-checks:
	$(MAKE) lint
	+$(TEST_MAKE) unit
	+$(MAKE) boot-tests

test-proofs:
	+$(TEST_MAKE) fuzz
	$(MAKE) tool-tests
	+$(MAKE) verify

# clangd: one compile_commands.json for the arch being built.
compile_commands: $(KERNEL_OBJS) $(LOADER_OBJS)
	@( echo '['; find $(BUILD) -name '*.o.json' | sort | xargs cat | sed '$$ s/,$$//'; \
		echo ']' ) > compile_commands.json

clean:
	rm -rf build compile_commands.json

include mk/lint.mk
include mk/bench-guest.mk
include mk/bench-net.mk
include mk/verify.mk

-include $(KERNEL_OBJS:.o=.d) $(LOADER_OBJS:.o=.d) $(UNIT_BINS:=.d) $(BENCH_BINS:=.d)
# User programs' objects too (found on disk: a program's object list is per
# program), so a changed header such as abi/net.h rebuilds its users.
-include $(shell find $(BUILD)/user-obj -name '*.d' 2>/dev/null)
