# lint.mk: `make lint`, static analysis of every C file in kernel/, boot/,
# lib/, user/ and tools/ with clang-tidy and cppcheck.
#
# Each file is checked with the flags it is built with, once per way it is
# built: kernel and user code for x86_64 and AArch64 (arch files only for
# their own arch, portable files for AArch64 only where they can read
# differently there), the loader for both UEFI targets (lib/ is shared, and
# the loader's LLP64 sizes differ from the kernel's), the host tool and the
# host "arch" (kernel/arch/host) with host flags. Assembly is not checked.
#
# Configuration lives in the tree: .clang-tidy (checks, and why some are
# off) and .cppcheck-suppressions (each with its reason); one-off exceptions
# sit at the line with a reason (NOLINT / cppcheck-suppress). Every finding
# fails the lint. Formatting is not checked (.clang-format only describes
# the style for editors).
#
# Results are kept as stamps under build/lint/, so a second run rechecks only
# what changed (any header change rechecks everything). LINT_JOBS sets the
# parallelism.

CLANG_TIDY := clang-tidy
CPPCHECK := cppcheck
LINT_DIR := build/lint
LINT_JOBS ?= 2
LINT_ARCHES := x86_64 aarch64

# Configurations: the name says how the files are built.
LINT_CONFIGS := $(foreach a,$(LINT_ARCHES),kernel-$(a) selftest-$(a) loader-$(a) user-$(a)) \
	tools host

# LOADER_SRCS holds the arch files of $(ARCH); swap in each arch's own.
LOADER_COMMON_SRCS := $(filter-out $(LOADER_ARCH_SRCS_$(ARCH)),$(LOADER_SRCS))

define lint_arch_config
LINT_SRCS_kernel-$(1) := $$(filter %.c,$$(KERNEL_SRCS) $$(KERNEL_ARCH_SRCS_$(1)))
LINT_CFLAGS_kernel-$(1) := $$(call kernel_cflags,$(1))
LINT_CPPCHECK_kernel-$(1) := --platform=unix64 -D__$(1)__

# The self-tests, as SELFTEST=1 kernels build them.
LINT_SRCS_selftest-$(1) := $$(filter %.c,$$(call kernel_selftest_srcs,$(1)))
LINT_CFLAGS_selftest-$(1) := $$(filter-out -DCONFIG_SELFTEST=%,$$(call kernel_cflags,$(1))) \
	-DCONFIG_SELFTEST=1
LINT_CPPCHECK_selftest-$(1) := --platform=unix64 -D__$(1)__

LINT_SRCS_loader-$(1) := $$(filter %.c,$$(LOADER_COMMON_SRCS) $$(LOADER_ARCH_SRCS_$(1)))
LINT_CFLAGS_loader-$(1) := $$(call loader_cflags,$(1))
LINT_CPPCHECK_loader-$(1) := --platform=win64 -D__$(1)__ -D_WIN32

# lib/inet.c and lib/virtq.c are user code too: the UDP/IP service's
# frames (user/udp's sources name it, with the rest of its lib/ pieces)
# and the virtio-net driver's queues. Programs share lib/ files
# (virtio-net, udp, netprobe and netfake link lib/kstring.c): each is checked once.
LINT_SRCS_user-$(1) := $$(sort $$(filter %.c,$$(foreach p,$$(USER_PROGRAMS) $$(HOSTILE_PROGRAMS) $$(TEST_MODULE_PROGRAMS),$$(USER_SRCS_$$(p)))) \
	lib/inet.c lib/virtq.c)
LINT_CFLAGS_user-$(1) := $$(call user_cflags,$(1))
LINT_CPPCHECK_user-$(1) := --platform=unix64 -D__$(1)__
endef
$(foreach a,$(LINT_ARCHES),$(eval $(call lint_arch_config,$(a))))

# Portable code reads alike on both arches: both are LP64 in the kernel and
# in user space, LLP64 in the loader, and the flags differ only in code
# generation and in which arch's headers are found. So the second arch
# checks only what can read differently there: the files the first arch
# does not build (its arch files, and the few portable files only it
# builds) and the files that name an arch (__x86_64__ / __aarch64__).
# Headers that name an arch are checked through the arch files that
# include them. This halves the lint's time, most of make test's start.
LINT_FIRST_ARCH := $(firstword $(LINT_ARCHES))
LINT_KINDS := kernel selftest loader user
lint_names_an_arch = $(if $(1),$(shell grep -lE '__(x86_64|aarch64)__' $(1)))
# $(call lint_differing,SRCS,FIRST_ARCH_SRCS)
lint_differing = $(sort $(filter-out $(2),$(1)) $(call lint_names_an_arch,$(filter $(2),$(1))))
$(foreach a,$(filter-out $(LINT_FIRST_ARCH),$(LINT_ARCHES)),$(foreach k,$(LINT_KINDS),\
	$(eval LINT_SRCS_$(k)-$(a) := $$(call lint_differing,$$(LINT_SRCS_$(k)-$(a)),\
		$$(LINT_SRCS_$(k)-$(LINT_FIRST_ARCH))))))

# lib/ files of the signing tool are checked with the kernel and loader.
LINT_SRCS_tools := $(filter tools/%.c,$(SIGN_TOOL_SRCS))
LINT_CFLAGS_tools := $(TOOL_CFLAGS)
LINT_CPPCHECK_tools := --platform=native --library=posix

# The host arch as the unit tests build it, without the sanitizers.
LINT_SRCS_host := $(HOST_ARCH)
LINT_CFLAGS_host := $(filter-out -fsanitize=% -fno-sanitize-recover=%,$(HOST_CFLAGS))
LINT_CPPCHECK_host := --platform=native --library=posix

# Every C file in the linted directories must be in some configuration.
LINT_ALL_SRCS := $(sort $(foreach c,$(LINT_CONFIGS),$(LINT_SRCS_$(c))))
LINT_TREE_SRCS := $(sort $(shell find kernel boot lib user tools -name '*.c'))
LINT_UNCOVERED := $(filter-out $(LINT_ALL_SRCS),$(LINT_TREE_SRCS))

LINT_HEADERS := $(shell find include kernel boot lib user tools -name '*.h')
LINT_DEPS := Makefile mk/lint.mk $(LINT_HEADERS)

LINT_CPPCHECK_FLAGS := -q -j2 --std=c11 --library=gnu \
	--enable=warning,style,performance,portability --error-exitcode=1 --inline-suppr \
	--suppressions-list=.cppcheck-suppressions

# clang-tidy: one stamp per configuration and file; its output is shown only
# when it fails. cppcheck: one stamp per configuration.
define lint_rules
$(LINT_DIR)/tidy/$(1)/%.ok: % .clang-tidy $(LINT_DEPS) | $(KEY_HEADER)
	@mkdir -p $$(dir $$@)
	@echo "  TIDY    $(1): $$<"
	$(Q)$(CLANG_TIDY) --quiet $$< -- $(LINT_CFLAGS_$(1)) > $$@.log 2>&1 || \
		{ cat $$@.log; exit 1; }
	@touch $$@

$(LINT_DIR)/cppcheck/$(1).ok: $(LINT_SRCS_$(1)) .cppcheck-suppressions $(LINT_DEPS) | $(KEY_HEADER)
	@mkdir -p $$(dir $$@)
	@echo "  CPPCHK  $(1)"
	$(Q)$(CPPCHECK) $(LINT_CPPCHECK_FLAGS) $(LINT_CPPCHECK_$(1)) \
		$(filter -D% -I%,$(LINT_CFLAGS_$(1))) $(LINT_SRCS_$(1))
	@touch $$@
endef
$(foreach c,$(LINT_CONFIGS),$(eval $(call lint_rules,$(c))))

LINT_STAMPS := $(foreach c,$(LINT_CONFIGS),$(LINT_DIR)/cppcheck/$(c).ok \
	$(patsubst %,$(LINT_DIR)/tidy/$(c)/%.ok,$(LINT_SRCS_$(c))))

.PHONY: lint lint-run
lint: setup
	@if [ -n "$(LINT_UNCOVERED)" ]; then \
		echo "lint: not in any lint configuration (mk/lint.mk): $(LINT_UNCOVERED)"; exit 1; fi
	$(Q)$(MAKE) --no-print-directory -j$(LINT_JOBS) lint-run

lint-run: $(LINT_STAMPS)
	@echo "lint: clean ($(words $(LINT_STAMPS)) checks)"
